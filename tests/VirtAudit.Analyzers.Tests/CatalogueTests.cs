using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using VirtAudit.Generators.Analyzers;
using VirtAudit.Testing;

namespace VirtAudit.Analyzers.Tests;

/// <summary>
/// Every descriptor is tracked, linked and documented, and its page's examples are true: compiled against the
/// runtime's generated types, the <c>## Bad</c> example gives that page's id on exactly the lines its
/// <c>// VA2xxx</c> comments mark, with the messages the page quotes, and the <c>## Good</c> example gives no
/// diagnostic at all.
/// </summary>
public sealed class CatalogueTests
{
    private static readonly string RepoRoot = Repository.Root;

    public static TheoryData<string> Ids() => new(AnalyzerDiagnostics.All.Select(d => d.Id).Distinct());

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_descriptor_of_an_id_agrees_and_links_to_its_page(string id)
    {
        var descriptors = AnalyzerDiagnostics.All.Where(d => d.Id == id).ToList();

        Assert.All(descriptors, d =>
        {
            Assert.Equal($"https://github.com/virtaudit/virtaudit/blob/main/docs/diagnostics/{id}.md", d.HelpLinkUri);
            Assert.Equal(descriptors[0].Title.ToString(), d.Title.ToString());
            Assert.Equal(descriptors[0].Category, d.Category);
            Assert.Equal(descriptors[0].DefaultSeverity, d.DefaultSeverity);
            Assert.True(d.IsEnabledByDefault);
        });
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_id_has_a_page_with_a_bad_and_a_good_example(string id)
    {
        var page = File.ReadAllText(Path.Combine(RepoRoot, "docs", "diagnostics", id + ".md"));
        var descriptor = AnalyzerDiagnostics.All.First(d => d.Id == id);

        Assert.StartsWith($"# {id}: {descriptor.Title}", page, StringComparison.Ordinal);
        Assert.Contains($"| Severity | {descriptor.DefaultSeverity} |", page, StringComparison.Ordinal);
        Assert.Contains("## Bad", page, StringComparison.Ordinal);
        Assert.Contains("## Good", page, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_id_is_in_the_release_file_and_the_index(string id)
    {
        var descriptor = AnalyzerDiagnostics.All.First(d => d.Id == id);
        var releases = File.ReadAllLines(Path.Combine(RepoRoot, "generators", "VirtAudit.Generators", "AnalyzerReleases.Unshipped.md"));
        var index = File.ReadAllText(Path.Combine(RepoRoot, "docs", "diagnostics", "README.md"));

        Assert.Contains(releases, line => line.StartsWith($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", StringComparison.Ordinal));
        Assert.Contains($"| [{id}]({id}.md) | {descriptor.DefaultSeverity} | {descriptor.Title} |", index, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task The_bad_example_gives_the_pages_id_on_the_marked_lines(string id)
    {
        var (diagnostics, marked) = await CompileExampleAsync(id, "Bad");

        Assert.All(diagnostics, d => Assert.True(d.Id == id, $"{id}.md's bad example gives {d.Text}"));
        Assert.NotEmpty(marked);
        Assert.Equal(marked, diagnostics.Select(d => d.Line));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task The_messages_the_page_quotes_are_those_of_its_bad_example(string id)
    {
        var page = File.ReadAllText(Path.Combine(RepoRoot, "docs", "diagnostics", id + ".md"));
        var quoted = Regex.Matches(page, @"(?:Message|message[^`.]*):\s+((?:`[^`]+`(?:,?\s+or\s+)?)+)")
            .SelectMany(m => Regex.Matches(m.Groups[1].Value, "`([^`]+)`"))
            .Select(m => Regex.Replace(m.Groups[1].Value, @"\s+", " "))
            .ToList();
        var (diagnostics, _) = await CompileExampleAsync(id, "Bad");

        Assert.NotEmpty(quoted);
        Assert.All(quoted, message => Assert.Contains(message, diagnostics.Select(d => d.Message)));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task The_good_example_gives_no_diagnostic(string id)
    {
        var (diagnostics, marked) = await CompileExampleAsync(id, "Good");

        Assert.Empty(marked);
        Assert.Empty(diagnostics.Select(d => d.Text));
    }

    [Fact]
    public void Every_record_page_has_a_descriptor()
    {
        var pages = Directory.GetFiles(Path.Combine(RepoRoot, "docs", "diagnostics"), "VA2*.md").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);

        Assert.Equal(AnalyzerDiagnostics.All.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal), pages);
    }

    /// <summary>
    /// The compiler's and the analyzer's diagnostics (warnings and errors) for the <c>```csharp</c> blocks of the
    /// page's <paramref name="section"/>, compiled as the body of a method with a <c>Guid uuid</c> parameter, with
    /// their line on the page; and the lines of the blocks that carry a <c>// {id}</c> comment.
    /// </summary>
    private static async Task<(IReadOnlyList<(string Id, int Line, string Message, string Text)> Diagnostics, IReadOnlyList<int> Marked)> CompileExampleAsync(string id, string section)
    {
        var path = $"docs/diagnostics/{id}.md";
        var page = File.ReadAllText(Path.Combine(RepoRoot, path)).Replace("\r\n", "\n", StringComparison.Ordinal);
        var body = Regex.Match(page, $"^## {section}\n(.*?)(?=^## |\\z)", RegexOptions.Singleline | RegexOptions.Multiline);
        Assert.True(body.Success, $"{path} has no ## {section} section");
        var blocks = Regex.Matches(body.Groups[1].Value, "^```csharp\n(.*?)^```$", RegexOptions.Singleline | RegexOptions.Multiline)
            .Select(b => (Text: b.Groups[1].Value, Line: LineAt(page, body.Groups[1].Index + b.Groups[1].Index)))
            .ToList();
        Assert.True(blocks.Count > 0, $"{path}'s ## {section} section has no ```csharp block");

        // #line maps every diagnostic to its line on the page.
        var source = new StringBuilder("using System;\nusing VirtAudit;\n\nstatic class Example\n{\n    static void Run(Guid uuid)\n    {\n");
        foreach (var block in blocks)
        {
            source.Append($"#line {block.Line} \"{path}\"\n").Append(block.Text).Append("#line default\n");
        }

        source.Append("    }\n}\n");
        var compilation = CSharpCompilation.Create(
            "VirtAudit.DocExample",
            new[] { CSharpSyntaxTree.ParseText(source.ToString(), new CSharpParseOptions(LanguageVersion.CSharp12)) },
            Verifier.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var diagnostics = await compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new AuditRecordAnalyzer()))
            .GetAllDiagnosticsAsync();

        var found = diagnostics
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => (d.Id, Line: d.Location.GetMappedLineSpan().StartLinePosition.Line + 1, Message: d.GetMessage(CultureInfo.InvariantCulture), Text: d.ToString()))
            .OrderBy(d => d.Line)
            .ToList();
        var marked = blocks
            .SelectMany(b => b.Text.Split('\n').Select((line, index) => (line, Line: b.Line + index)))
            .Where(l => Regex.IsMatch(l.line, $"// {id}\\b"))
            .Select(l => l.Line)
            .ToList();
        return (found, marked);
    }

    /// <summary>The 1-based line of <paramref name="text"/> at <paramref name="index"/>.</summary>
    private static int LineAt(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;
}
