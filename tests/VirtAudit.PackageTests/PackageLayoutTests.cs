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
            "buildTransitive/VirtAudit.props",
            "buildTransitive/VirtAudit.targets",
            "README.md",
            "LICENSE",
        ];
        foreach (var file in expected)
        {
            Assert.Contains(file, files);
        }

        // The code fixes ship once their project exists (generators/VirtAudit.CodeFixes).
        var codeFixes = Directory.Exists(Path.Combine(_package.RepoRoot, "generators", "VirtAudit.CodeFixes"));
        Assert.Equal(codeFixes, files.Contains("analyzers/dotnet/cs/VirtAudit.CodeFixes.dll"));

        // Nothing else in analyzers/, and the built-in schema is compiled in, never shipped as a file.
        Assert.All(files.Where(f => f.StartsWith("analyzers/", StringComparison.Ordinal)), f =>
            Assert.Contains(Path.GetFileName(f), new[] { "VirtAudit.Generators.dll", "YamlDotNet.dll", "VirtAudit.CodeFixes.dll" }));
        Assert.DoesNotContain(files, f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.StartsWith("content", StringComparison.Ordinal) || f.StartsWith("build/", StringComparison.Ordinal));
    }

    [Fact]
    public void Nuspec_has_no_YamlDotNet_or_Roslyn_dependency_and_names_readme_and_licence()
    {
        _package.AssertPacked();
        var metadata = Nuspec(_package.PackagePath).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        XElement? Element(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name);

        Assert.Equal("VirtAudit", Element("id")?.Value);
        Assert.Equal(_package.Version, Element("version")?.Value);
        Assert.Equal("README.md", Element("readme")?.Value);
        Assert.Equal("MIT", Element("license")?.Value);

        var groups = Element("dependencies")!.Elements().Where(e => e.Name.LocalName == "group").ToList();
        Assert.Equal(new[] { "net10.0", "net8.0" }, groups.Select(g => g.Attribute("targetFramework")!.Value).Order(StringComparer.Ordinal));
        var dependencies = groups.SelectMany(g => g.Elements()).Select(d => d.Attribute("id")!.Value).ToList();
        Assert.DoesNotContain(dependencies, id => id.StartsWith("YamlDotNet", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(dependencies, id => id.StartsWith("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(dependencies, id => id.StartsWith("VirtAudit", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Symbol_package_holds_the_pdbs()
    {
        _package.AssertPacked();
        var files = Entries(_package.SymbolsPath);
        Assert.Contains("lib/net8.0/VirtAudit.pdb", files);
        Assert.Contains("lib/net10.0/VirtAudit.pdb", files);
    }

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
