using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Xml.Linq;

namespace VirtAudit.PackageTests;

/// <summary>What the .nupkg and .snupkg hold, what their nuspec declares, and what the assemblies and PDBs say.</summary>
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
    public void Nuspec_depends_only_on_Logging_Abstractions_and_System_IO_Pipelines_for_net8_and_names_readme_and_licence()
    {
        _package.AssertPacked();
        var metadata = Nuspec(_package.PackagePath).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        XElement? Element(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name);

        Assert.Equal("VirtAudit", Element("id")?.Value);
        Assert.Equal(_package.Version, Element("version")?.Value);
        Assert.Equal("README.md", Element("readme")?.Value);
        Assert.Equal("MIT", Element("license")?.Value);

        // Microsoft.Extensions.Logging.Abstractions (AuditEmitter's AuditLogging, docs/packaging.md) for both, and
        // System.IO.Pipelines for net8.0 only (in the shared framework from .NET 10 on). YamlDotNet and Roslyn run
        // inside the compiler and must never become a dependency of the consumer; neither may the hosting glue
        // (Options, DependencyInjection, Configuration), which is VirtAudit.Extensions.Hosting's.
        var groups = Element("dependencies")!.Elements().Where(e => e.Name.LocalName == "group")
            .ToDictionary(g => g.Attribute("targetFramework")!.Value, g => g.Elements().Select(d => (Id: d.Attribute("id")!.Value, Version: d.Attribute("version")!.Value)).ToList());
        Assert.Equal(new[] { "net10.0", "net8.0" }, groups.Keys.Order(StringComparer.Ordinal));
        var logging = ("Microsoft.Extensions.Logging.Abstractions", PinnedVersion("Microsoft.Extensions.Logging.Abstractions"));
        Assert.Equal(new[] { logging }, groups["net10.0"]);
        Assert.Equal(new[] { logging, ("System.IO.Pipelines", PinnedVersion("System.IO.Pipelines")) }, groups["net8.0"].Order());
        var ids = groups.Values.SelectMany(g => g).Select(d => d.Id).ToList();
        Assert.DoesNotContain(ids, id => id.StartsWith("YamlDotNet", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(ids, id => id.StartsWith("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("lib/net8.0/VirtAudit.dll")]
    [InlineData("lib/net10.0/VirtAudit.dll")]
    [InlineData("analyzers/dotnet/cs/VirtAudit.Generators.dll")]
    [InlineData("analyzers/dotnet/cs/VirtAudit.CodeFixes.dll")]
    public void Packed_assembly_is_deterministic(string file)
    {
        _package.AssertPacked();
        using var pe = new PEReader(Read(_package.PackagePath, file));
        Assert.Contains(pe.ReadDebugDirectory(), e => e.Type == DebugDirectoryEntryType.Reproducible);
    }

    [Theory]
    [InlineData("net8.0")]
    [InlineData("net10.0")]
    public void Symbol_package_holds_the_portable_pdb_of_the_runtime_assembly(string framework)
    {
        _package.AssertPacked();
        using var pe = new PEReader(Read(_package.PackagePath, $"lib/{framework}/VirtAudit.dll"));
        using var pdb = MetadataReaderProvider.FromPortablePdbStream(Read(_package.SymbolsPath, $"lib/{framework}/VirtAudit.pdb"));
        var id = new BlobContentId(pdb.GetMetadataReader().DebugMetadataHeader!.Id);

        // The PDB the assembly names: a portable one (CodeView entry 0x504D.0x0100) with the same id (GUID and stamp).
        var codeView = pe.ReadDebugDirectory().Single(e => e.Type == DebugDirectoryEntryType.CodeView);
        Assert.True(codeView.IsPortableCodeView, "the assembly's PDB is not a portable PDB");
        Assert.Equal(id.Guid, pe.ReadCodeViewDebugDirectoryData(codeView).Guid);
        Assert.Equal(id.Stamp, codeView.Stamp);
    }

    [Theory]
    [InlineData("net8.0")]
    [InlineData("net10.0")]
    public void Pdb_links_tracked_sources_to_the_repository_at_the_packed_commit_and_embeds_generated_ones(string framework)
    {
        _package.AssertPacked();
        var repository = Nuspec(_package.PackagePath).Descendants().Single(e => e.Name.LocalName == "repository");
        Assert.Equal("https://github.com/virtaudit/virtaudit", repository.Attribute("url")?.Value);
        var commit = repository.Attribute("commit")?.Value ?? string.Empty;
        Assert.Matches("^[0-9a-f]{40}$", commit);

        using var pdb = MetadataReaderProvider.FromPortablePdbStream(Read(_package.SymbolsPath, $"lib/{framework}/VirtAudit.pdb"));
        var reader = pdb.GetMetadataReader();
        var sourceLink = CustomDebugInformation(reader, SourceLinkKind).Single(c => c.Parent.Kind == HandleKind.ModuleDefinition);
        using var json = JsonDocument.Parse(reader.GetBlobBytes(sourceLink.Value));
        var documents = json.RootElement.GetProperty("documents").EnumerateObject().ToList();
        var mapping = Assert.Single(documents);
        Assert.Equal("/_/*", mapping.Name);
        Assert.Equal($"https://raw.githubusercontent.com/virtaudit/virtaudit/{commit}/*", mapping.Value.GetString());

        // Every source is either in the repository (under /_/, so the link above finds it) or embedded in the PDB,
        // as the generated types of the built-in schema are.
        var embedded = CustomDebugInformation(reader, EmbeddedSourceKind)
            .Where(c => c.Parent.Kind == HandleKind.Document)
            .Select(c => reader.GetString(reader.GetDocument((DocumentHandle)c.Parent).Name))
            .ToHashSet(StringComparer.Ordinal);
        var linked = reader.Documents.Select(d => reader.GetString(reader.GetDocument(d).Name)).Where(n => !embedded.Contains(n)).ToList();
        Assert.Contains("/_/src/VirtAudit/Lines/AuditLine.cs", linked);
        Assert.All(linked, name =>
        {
            Assert.StartsWith("/_/", name, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(_package.RepoRoot, name.Substring(3))), name + " is not a file of the repository");
        });
        Assert.Contains(embedded, name => name.EndsWith("/VirtAudit.VirtControl.g.cs", StringComparison.Ordinal));
    }

    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");
    private static readonly Guid EmbeddedSourceKind = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    private static IEnumerable<CustomDebugInformation> CustomDebugInformation(MetadataReader reader, Guid kind) =>
        reader.CustomDebugInformation.Select(reader.GetCustomDebugInformation).Where(c => reader.GetGuid(c.Kind) == kind);

    /// <summary>One file of a package, in memory (the readers need a seekable stream).</summary>
    private static MemoryStream Read(string package, string file)
    {
        using var zip = ZipFile.OpenRead(package);
        using var stream = zip.GetEntry(file)?.Open() ?? throw new FileNotFoundException(file + " is not in " + package);
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return copy;
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
