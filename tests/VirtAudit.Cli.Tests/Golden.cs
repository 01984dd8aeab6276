namespace VirtAudit.Cli.Tests;

/// <summary>
/// Golden outputs under tests/VirtAudit.Cli.Tests/Golden. <c>VIRTAUDIT_UPDATE_GOLDEN=1 dotnet test
/// tests/VirtAudit.Cli.Tests</c> rewrites them from the current output (then review the diff).
/// </summary>
public static class Golden
{
    public static string Directory => Path.Combine(Cli.RepoRoot(), "tests", "VirtAudit.Cli.Tests", "Golden");

    public static bool Updating => Environment.GetEnvironmentVariable("VIRTAUDIT_UPDATE_GOLDEN") == "1";

    /// <summary>Asserts that <paramref name="actual"/> is the golden file's text (or rewrites it when updating).</summary>
    public static void Verify(string name, string actual)
    {
        var path = Path.Combine(Directory, name);
        if (Updating)
        {
            System.IO.Directory.CreateDirectory(Directory);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"golden file {name} is missing: run with VIRTAUDIT_UPDATE_GOLDEN=1");
        var expected = File.ReadAllText(path);
        if (expected == actual)
        {
            return;
        }

        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Min(e.Length, a.Length); i++)
        {
            Assert.True(e[i] == a[i], $"{name}: line {i + 1} differs\nexpected: {e[i]}\nactual:   {a[i]}");
        }

        Assert.Fail($"{name}: {e.Length} lines expected, {a.Length} written");
    }

    /// <summary>The output with the corpus's absolute path replaced by the repository-relative one.</summary>
    public static string Relative(string output) =>
        output.Replace(Cli.Corpus, "corpus/libvirt-9.0/audit.log", StringComparison.Ordinal);
}
