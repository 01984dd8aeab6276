namespace VirtAudit.Testing;

/// <summary>
/// The files of the repository the tests run from: found by walking up from the test assembly to the folder that
/// holds VirtAuditSdk.sln, whatever that folder is called and whichever configuration built the tests. Everything a
/// test reads is inside the repository (corpus/ holds the real captured data); nothing beside it is needed.
/// </summary>
internal static class Repository
{
    private static readonly Lazy<string> RootFolder = new(FindRoot);

    /// <summary>The folder that holds VirtAuditSdk.sln.</summary>
    public static string Root => RootFolder.Value;

    /// <summary>The full path of a file of the repository, which must exist.</summary>
    public static string File(params string[] parts)
    {
        string path = Path.GetFullPath(Path.Combine([Root, .. parts]));
        if (!System.IO.File.Exists(path))
        {
            throw new FileNotFoundException($"{string.Join('/', parts)} is not in the repository at {Root}", path);
        }

        return path;
    }

    /// <summary>A file of corpus/ (the real captures), e.g. <c>Corpus("libvirt-9.0/audit.log")</c>.</summary>
    public static string Corpus(string relativePath) => File(["corpus", .. relativePath.Split('/')]);

    /// <summary>The real libvirt 9.0.0 capture (451 lines, 293 VIRT records).</summary>
    public static string Libvirt90AuditLog => Corpus("libvirt-9.0/audit.log");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "VirtAuditSdk.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("VirtAuditSdk.sln not found in any folder above " + AppContext.BaseDirectory);
    }
}
