using System.Globalization;
using VirtAudit.Testing;

namespace VirtAudit.PackageTests;

/// <summary>
/// Packs src/VirtAudit once for the whole collection: a fresh version (<c>0.1.0-test.TICKS</c>) into a folder feed,
/// as a CI build, under its own artifacts path so the repository's bin/ and obj/ are left alone. Consumers restore from that
/// feed and the machine's usual sources into a private packages folder, so no earlier run's package is reused.
/// </summary>
public sealed class PackageFixture : IDisposable
{
    public PackageFixture()
    {
        RepoRoot = Repository.Root;
        Version = "0.1.0-test." + DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture);
        Root = Path.Combine(Path.GetTempPath(), "virtaudit-package-tests", Version);
        Feed = Path.Combine(Root, "feed");
        PackagesFolder = Path.Combine(Root, "packages");
        Directory.CreateDirectory(Feed);
        Directory.CreateDirectory(PackagesFolder);

        Pack = DotNet.Run(
            RepoRoot,
            "pack", Path.Combine(RepoRoot, "src", "VirtAudit", "VirtAudit.csproj"),
            "-c", "Release",
            "-o", Feed,
            "--artifacts-path", Path.Combine(Root, "artifacts"),
            "--disable-build-servers",
            "-p:Version=" + Version,
            "-p:ContinuousIntegrationBuild=true"); // as a release is packed (CI=true): source paths mapped to /_/
        PackagePath = Path.Combine(Feed, $"VirtAudit.{Version}.nupkg");
        SymbolsPath = Path.Combine(Feed, $"VirtAudit.{Version}.snupkg");

        // What every consumer folder under Root inherits: the feed, the packages folder, the package version.
        File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="virtaudit-test-feed" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), $"""
            <Project>
              <PropertyGroup>
                <VirtAuditVersion>{Version}</VirtAuditVersion>
                <RestorePackagesPath>{PackagesFolder}</RestorePackagesPath>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <WarningsAsErrors>$(WarningsAsErrors);CS8784;CS8785;CS9057</WarningsAsErrors>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(Root, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, "Directory.Packages.props"), "<Project />\n");
    }

    /// <summary>The repository: the folder holding VirtAuditSdk.sln.</summary>
    public string RepoRoot { get; }

    /// <summary>The version this run packed.</summary>
    public string Version { get; }

    /// <summary>This run's temporary folder: feed, packages, artifacts and consumers.</summary>
    public string Root { get; }

    /// <summary>The folder feed holding the package.</summary>
    public string Feed { get; }

    /// <summary>The private packages folder the consumers restore into.</summary>
    public string PackagesFolder { get; }

    /// <summary>The <c>dotnet pack</c> run.</summary>
    public DotNetResult Pack { get; }

    /// <summary>The .nupkg.</summary>
    public string PackagePath { get; }

    /// <summary>The .snupkg.</summary>
    public string SymbolsPath { get; }

    /// <summary>Fails the calling test when the pack failed.</summary>
    public void AssertPacked()
    {
        Assert.True(Pack.ExitCode == 0 && File.Exists(PackagePath), Pack.ToString());
    }

    /// <summary>
    /// Copies Consumers/<paramref name="name"/> to this run's folder and returns the copy's path, with the
    /// Extension sample's contoso.virtaudit.yaml at each of <paramref name="schemaCopies"/> (relative paths).
    /// </summary>
    public string CreateConsumer(string name, params string[] schemaCopies)
    {
        var target = Path.Combine(Root, name);
        CopyDirectory(Path.Combine(RepoRoot, "tests", "VirtAudit.PackageTests", "Consumers", name), target);
        foreach (var copy in schemaCopies)
        {
            var path = Path.Combine(target, copy);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Copy(Path.Combine(RepoRoot, "samples", "Extension", "contoso.virtaudit.yaml"), path, overwrite: true);
        }

        return target;
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("VIRTAUDIT_KEEP_PACKAGE_TESTS") is null)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
                var parent = Path.GetDirectoryName(Root)!;
                if (Directory.GetFileSystemEntries(parent).Length == 0)
                {
                    Directory.Delete(parent);
                }
            }
            catch (IOException)
            {
                // a leftover temporary folder is harmless
            }
        }
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }

        foreach (var directory in Directory.GetDirectories(source))
        {
            var name = Path.GetFileName(directory);
            if (name is not ("bin" or "obj"))
            {
                CopyDirectory(directory, Path.Combine(target, name));
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackageFixture>
{
    public const string Name = "package";
}
