using Microsoft.CodeAnalysis;

namespace VirtAudit.Generators.Tests;

/// <summary>Schema mistakes are compile errors with stable ids, located at the YAML line and column.</summary>
public sealed class SchemaDiagnosticTests
{
    private const string Head = """
        virtaudit: 1
        namespace: Contoso.Audit
        registry: ContosoSchema
        records:
          - { name: VIRT_RESOURCE, number: 2501, doc: Resources. }
        enums:
          - { name: Mode, doc: Modes., values: [on, off] }

        """;

    [Theory]
    // id, schema tail, expected 1-based line, expected 1-based column of the diagnostic's start
    [InlineData("VA1003", "variants:\n  - name: V\n    record: VIRT_RESOURCE\n    fields:\n      - { audit: cid, type: integer }\n", 12, 29)]
    [InlineData("VA1004", "variants:\n  - name: V\n    record: VIRT_RESOURCE\n    fields:\n      - { audit: cid, type: int64 }\n      - { audit: cid, type: int64 }\n", 13, 9)]
    [InlineData("VA1005", "variants:\n  - name: V\n    record: VIRT_RESOURCE\n    fields:\n      - { audit: mode, type: enum, enum: Mode }\n      - { audit: cid, type: int64, presence: conditional, when: { state: on } }\n", 13, 67)]
    [InlineData("VA1006", "variants:\n  - name: V\n    record: VIRT_RESOURCE\n    fields:\n      - { audit: mode, type: enum, enum: Moods }\n", 12, 42)]
    [InlineData("VA1007", "variants:\n  - name: V\n    record: VIRT_WIDGET\n    fields:\n      - { audit: cid, type: int64 }\n", 10, 13)]
    [InlineData("VA1008", "variants:\n  - name: V\n    record: VIRT_RESOURCE\n    fields:\n      - { use: nothing }\n", 12, 16)]
    [InlineData("VA1009", "variants:\n  - name: Mode\n    record: VIRT_RESOURCE\n    fields:\n      - { audit: cid, type: int64 }\n", 9, 5)]
    [InlineData("VA1002", "variants:\n  - name: V\n    record: VIRT_RESOURCE\n    colour: red\n    fields:\n      - { audit: cid, type: int64 }\n", 11, 5)]
    public void A_schema_mistake_is_an_error_at_its_yaml_location(string id, string tail, int line, int column)
    {
        var diagnostic = SingleDiagnostic(Head + tail, id);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal("/c/contoso.virtaudit.yaml", span.Path);
        Assert.Equal((line, column), (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1));
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal($"https://github.com/virtaudit/virtaudit/blob/main/docs/diagnostics/{id}.md", diagnostic.Descriptor.HelpLinkUri);
    }

    [Theory]
    [InlineData("{ audit: cid, type: int64, token: true }", "not text")]
    [InlineData("{ audit: cid, type: text, encoding: encoded, token: true }", "encoded")]
    [InlineData("{ audit: cid, value: one, token: true }", "a constant")]
    public void Token_applies_only_to_raw_text_fields(string field, string what)
    {
        var diagnostic = SingleDiagnostic(Head + "variants:\n  - name: V\n    record: VIRT_RESOURCE\n    fields:\n      - " + field + "\n", "VA1002");
        Assert.Equal($"'token' applies only to a raw text field; 'cid' is {what}", diagnostic.GetMessage());
        var start = diagnostic.Location.GetLineSpan().StartLinePosition;
        Assert.Equal((12, 9 + field.IndexOf("true", StringComparison.Ordinal)), (start.Line + 1, start.Character + 1));
    }

    [Theory]
    [InlineData("{ audit: cid, type: text, encoding: encoded, bare-absent: true }")]
    [InlineData("{ audit: cid, type: text, nullable: true, bare-absent: true }")]
    [InlineData("{ audit: cid, type: int64, nullable: true, bare-absent: true }")]
    public void Bare_absent_applies_only_to_encoded_nullable_text_fields(string field)
    {
        var diagnostic = SingleDiagnostic(Head + "variants:\n  - name: V\n    record: VIRT_RESOURCE\n    fields:\n      - " + field + "\n", "VA1002");
        Assert.Equal("'bare-absent' applies only to an encoded, nullable text field; 'cid' is not one", diagnostic.GetMessage());
        var start = diagnostic.Location.GetLineSpan().StartLinePosition;
        Assert.Equal((12, 9 + field.LastIndexOf("true", StringComparison.Ordinal)), (start.Line + 1, start.Character + 1));
    }

    [Fact]
    public void Invalid_yaml_is_VA1001_at_the_broken_line()
    {
        var diagnostic = SingleDiagnostic("virtaudit: 1\nnamespace: A\nregistry: B\nvariants:\n  - name: [unclosed\n", "VA1001");
        // The flow sequence opened on line 5 is found unclosed where the document ends (line 6, column 1).
        var start = diagnostic.Location.GetLineSpan().StartLinePosition;
        Assert.Equal((6, 1), (start.Line + 1, start.Character + 1));
        Assert.Contains("not valid YAML", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_condition_value_the_enum_lacks_is_named()
    {
        var diagnostic = SingleDiagnostic(Head + "variants:\n  - name: V\n    record: VIRT_RESOURCE\n    fields:\n      - { audit: mode, type: enum, enum: Mode }\n      - { audit: cid, type: int64, presence: conditional, when: { mode: dim } }\n", "VA1002");
        Assert.Contains("has no value 'dim'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_with_errors_generates_nothing_and_other_files_still_generate()
    {
        var broken = new InMemoryText("/c/broken.virtaudit.yaml", Head + "variants:\n  - name: V\n    record: VIRT_WIDGET\n");
        var good = new InMemoryText("/c/good.virtaudit.yaml", Head.Replace("Contoso.Audit", "Good.Audit") + "variants:\n  - name: W\n    record: VIRT_RESOURCE\n    doc: W.\n    fields:\n      - { audit: resrc, value: w }\n");
        var (result, _, _) = GeneratorHarness.Run(new AdditionalText[] { broken, good });
        var hints = result.Results.Single().GeneratedSources.Select(s => s.HintName).ToList();
        Assert.Contains("Good.Audit.W.g.cs", hints);
        Assert.DoesNotContain(hints, h => h.StartsWith("Contoso.", StringComparison.Ordinal));
    }

    [Fact]
    public void Yaml_files_that_are_not_schemas_are_ignored()
    {
        var (result, _, _) = GeneratorHarness.Run(new AdditionalText[] { new InMemoryText("/c/other.yaml", "name: something else\n") });
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.Results.Single().GeneratedSources);
    }

    [Fact]
    public void The_same_type_name_in_two_schemas_is_VA1009()
    {
        var text = Head + "variants:\n  - name: W\n    record: VIRT_RESOURCE\n    doc: W.\n    fields:\n      - { audit: resrc, value: w }\n";
        var (result, _, _) = GeneratorHarness.Run(new AdditionalText[] { new InMemoryText("/c/a.virtaudit.yaml", text), new InMemoryText("/c/b.virtaudit.yaml", text) });
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "CS8785");
        Assert.Single(result.Results.Single().GeneratedSources, s => s.HintName == "Contoso.Audit.W.g.cs");

        // Each name the second file defines again is reported there, at its `name:` (or `registry:`) entry.
        var located = result.Diagnostics
            .Where(d => d.Id == "VA1009")
            .Select(d => (d.GetMessage(), d.Location.GetLineSpan()))
            .Select(x => (x.Item1, x.Item2.Path, x.Item2.StartLinePosition.Line + 1, x.Item2.StartLinePosition.Character + 1))
            .OrderBy(x => x.Item3)
            .ToList();
        Assert.Equal(
            new[]
            {
                ("The name 'Contoso.Audit.ContosoSchema (also in /c/a.virtaudit.yaml)' is defined more than once", "/c/b.virtaudit.yaml", 3, 1),
                ("The name 'Contoso.Audit.Mode (also in /c/a.virtaudit.yaml)' is defined more than once", "/c/b.virtaudit.yaml", 7, 7),
                ("The name 'Contoso.Audit.W (also in /c/a.virtaudit.yaml)' is defined more than once", "/c/b.virtaudit.yaml", 9, 5),
            },
            located);
        var w = result.Diagnostics.Single(d => d.GetMessage().Contains("Contoso.Audit.W", StringComparison.Ordinal)).Location.GetLineSpan();
        Assert.Equal((9, 12), (w.EndLinePosition.Line + 1, w.EndLinePosition.Character + 1));
    }

    private static Diagnostic SingleDiagnostic(string schema, string id)
    {
        var (result, _, _) = GeneratorHarness.Run(new AdditionalText[] { new InMemoryText("/c/contoso.virtaudit.yaml", schema) });
        var matching = result.Diagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"expected one {id}, got: {string.Join("; ", result.Diagnostics)}");
        return matching[0];
    }
}
