using System.IO.Compression;
using System.Xml.Linq;

namespace VirtAudit.PackageTests;

/// <summary>What the .nupkg and .snupkg hold, and what their nuspec declares.</summary>
[Collection(PackageCollection.Name)]
public sealed class PackageLayoutTests
{
    private readonly PackageFixture _package;

    public PackageLayoutTests(PackageFixture package) => _package = package;

    [Fact]
    public void Package_holds_runtime_analyzers_build_files_readme_and_licence()
    {
        _package.AssertPacked();
        var files = Entries(_package.PackagePath);

        string[] expected =
        [
            "lib/net8.0/VirtAudit.dll",
            "lib/net8.0/VirtAudit.xml",
            "lib/net10.0/VirtAudit.dll",
            "lib/net10.0/VirtAudit.xml",
            "analyzers/dotnet/cs/VirtAudit.Generators.dll",
            "analyzers/dotnet/cs/YamlDotNet.dll",
            "analyzers/dotnet/cs/VirtAudit.CodeFixes.dll",
            "buildTransitive/VirtAudit.props",
            "buildTransitive/VirtAudit.targets",
            "README.md",
            "LICENSE",
        ];
        foreach (var file in expected)
        {
            Assert.Contains(file, files);
        }

        // Nothing else in analyzers/, and the built-in schema is compiled in, never shipped as a file.
        Assert.All(files.Where(f => f.StartsWith("analyzers/", StringComparison.Ordinal)), f =>
            Assert.Contains(Path.GetFileName(f), new[] { "VirtAudit.Generators.dll", "YamlDotNet.dll", "VirtAudit.CodeFixes.dll" }));
        Assert.DoesNotContain(files, f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.StartsWith("content", StringComparison.Ordinal) || f.StartsWith("build/", StringComparison.Ordinal));
    }

    [Fact]
    public void Nuspec_depends_only_on_System_IO_Pipelines_for_net8_and_names_readme_and_licence()
    {
        _package.AssertPacked();
        var metadata = Nuspec(_package.PackagePath).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        XElement? Element(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name);

        Assert.Equal("VirtAudit", Element("id")?.Value);
        Assert.Equal(_package.Version, Element("version")?.Value);
        Assert.Equal("README.md", Element("readme")?.Value);
        Assert.Equal("MIT", Element("license")?.Value);

        // Exactly one dependency: System.IO.Pipelines for net8.0 (in the shared framework from .NET 10 on). YamlDotNet
        // and Roslyn run inside the compiler and must never become a dependency of the consumer.
        var groups = Element("dependencies")!.Elements().Where(e => e.Name.LocalName == "group")
            .ToDictionary(g => g.Attribute("targetFramework")!.Value, g => g.Elements().Select(d => (Id: d.Attribute("id")!.Value, Version: d.Attribute("version")!.Value)).ToList());
        Assert.Equal(new[] { "net10.0", "net8.0" }, groups.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(groups["net10.0"]);
        Assert.Equal(new[] { ("System.IO.Pipelines", PinnedVersion("System.IO.Pipelines")) }, groups["net8.0"]);
        var ids = groups.Values.SelectMany(g => g).Select(d => d.Id).ToList();
        Assert.DoesNotContain(ids, id => id.StartsWith("YamlDotNet", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(ids, id => id.StartsWith("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Symbol_package_holds_the_pdbs()
    {
        _package.AssertPacked();
        var files = Entries(_package.SymbolsPath);
        Assert.Contains("lib/net8.0/VirtAudit.pdb", files);
        Assert.Contains("lib/net10.0/VirtAudit.pdb", files);
    }

    /// <summary>The version Directory.Packages.props pins for <paramref name="id"/>.</summary>
    private string PinnedVersion(string id) =>
        XDocument.Load(Path.Combine(_package.RepoRoot, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => p.Attribute("Include")?.Value == id).Attribute("Version")!.Value;

    private static List<string> Entries(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        return zip.Entries.Select(e => e.FullName).ToList();
    }

    private static XDocument Nuspec(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        using var stream = zip.Entries.Single(e => e.FullName == "VirtAudit.nuspec").Open();
        return XDocument.Load(stream);
    }
}
