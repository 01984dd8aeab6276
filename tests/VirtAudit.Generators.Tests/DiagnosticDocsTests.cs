using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace VirtAudit.Generators.Tests;

/// <summary>
/// Every schema diagnostic has a page in docs/diagnostics, is indexed and release-tracked, and the page's examples are
/// true: its first <c>```yaml</c> block produces exactly the build output of the <c>```text</c> block that follows
/// it, and its second <c>```yaml</c> block (the corrected schema) produces no diagnostic and compiles.
/// </summary>
public sealed class DiagnosticDocsTests
{
    /// <summary>The file name the pages show in their build output.</summary>
    private const string SchemaPath = "contoso.virtaudit.yaml";

    private static readonly string DocsDir = Path.Combine(GeneratorHarness.RepoRoot, "docs", "diagnostics");

    /// <summary>The public static descriptors of the generator's internal <c>SchemaDiagnostics</c> class.</summary>
    private static readonly IReadOnlyList<DiagnosticDescriptor> Descriptors = typeof(VirtAuditGenerator).Assembly
        .GetType("VirtAudit.Generators.Schema.SchemaDiagnostics", throwOnError: true)!
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor) && f.Name != "LanguageVersionTooOld")   // VA1010's examples are project files: LanguageVersionTests
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .OrderBy(d => d.Id, StringComparer.Ordinal)
        .ToList();

    public static TheoryData<string> Ids => new(Descriptors.Select(d => d.Id));

    [Fact]
    public void The_schema_descriptors_are_found()
    {
        Assert.Equal(Enumerable.Range(1, 9).Select(i => $"VA100{i}"), Descriptors.Select(d => d.Id));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_page_exists_and_matches_the_descriptor(string id)
    {
        var descriptor = Descriptor(id);
        var page = Page(id);
        Assert.EndsWith($"docs/diagnostics/{id}.md", descriptor.HelpLinkUri, StringComparison.Ordinal);
        Assert.Equal($"# {id}: {descriptor.Title}", page.Split('\n')[0]);
        Assert.Contains($"| Severity | {descriptor.DefaultSeverity} |", page, StringComparison.Ordinal);
        Assert.Contains($"| Category | {descriptor.Category} |", page, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_index_links_the_page(string id)
    {
        var readme = Normalize(File.ReadAllText(Path.Combine(DocsDir, "README.md")));
        Assert.Contains($"| [{id}]({id}.md) | {Descriptor(id).DefaultSeverity} | {Descriptor(id).Title} |", readme, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_release_tracking_file_lists_the_id(string id)
    {
        var descriptor = Descriptor(id);
        var lines = File.ReadAllLines(Path.Combine(GeneratorHarness.RepoRoot, "generators", "VirtAudit.Generators", "AnalyzerReleases.Unshipped.md"));
        var row = Assert.Single(lines, l => l.StartsWith(id + " ", StringComparison.Ordinal));
        var cells = row.Split('|').Select(c => c.Trim()).ToArray();
        Assert.Equal((descriptor.Category, descriptor.DefaultSeverity.ToString()), (cells[1], cells[2]));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_bad_example_gives_the_documented_build_output(string id)
    {
        var (bad, output, _) = Examples(id);
        var diagnostics = Generate(bad).Result.Diagnostics;
        Assert.Contains(diagnostics, d => d.Id == id);
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        var actual = diagnostics.Select(d => d.ToString()).Order(StringComparer.Ordinal).ToList();
        var documented = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(documented, actual);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_good_example_generates_code_that_compiles(string id)
    {
        var (_, _, good) = Examples(id);
        var (result, compilation, _) = Generate(good);
        Assert.Empty(result.Diagnostics);
        Assert.NotEmpty(result.Results.Single().GeneratedSources);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void Every_schema_page_has_a_descriptor()
    {
        var pages = Directory.GetFiles(DocsDir, "VA1*.md").Select(Path.GetFileNameWithoutExtension).Where(p => p != "VA1010").Order(StringComparer.Ordinal);
        Assert.Equal(Descriptors.Select(d => d.Id), pages);
    }

    private static DiagnosticDescriptor Descriptor(string id) => Descriptors.Single(d => d.Id == id);

    private static string Page(string id)
    {
        var path = Path.Combine(DocsDir, id + ".md");
        Assert.True(File.Exists(path), $"{path} is missing");
        return Normalize(File.ReadAllText(path));
    }

    /// <summary>The page's first yaml block, the first text block after it, and its second yaml block.</summary>
    private static (string Bad, string Output, string Good) Examples(string id)
    {
        var page = Page(id);
        var yaml = Regex.Matches(page, "^```yaml\n(.*?)^```$", RegexOptions.Singleline | RegexOptions.Multiline);
        Assert.True(yaml.Count >= 2, $"{id}.md needs a triggering and a corrected ```yaml block, has {yaml.Count}");
        var bad = yaml[0];
        var good = yaml[1];
        var text = new Regex("^```text\n(.*?)^```$", RegexOptions.Singleline | RegexOptions.Multiline).Match(page.Substring(0, good.Index), bad.Index + bad.Length);
        Assert.True(text.Success, $"{id}.md needs a ```text block with the build output between its two ```yaml blocks");
        return (bad.Groups[1].Value, text.Groups[1].Value, good.Groups[1].Value);
    }

    private static (GeneratorDriverRunResult Result, Compilation Output, System.Collections.Immutable.ImmutableArray<Diagnostic> Diagnostics) Generate(string schema) =>
        GeneratorHarness.Run(new AdditionalText[] { new InMemoryText(SchemaPath, schema) });

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
