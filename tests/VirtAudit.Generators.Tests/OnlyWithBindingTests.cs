using Microsoft.CodeAnalysis;

namespace VirtAudit.Generators.Tests;

/// <summary>
/// <c>only-with</c> names a field by its audit key; a key such as <c>reason</c> is shared by variants whose fields
/// hold different enums. It binds to the field of the variants where the value itself can stand.
/// </summary>
public sealed class OnlyWithBindingTests
{
    private const string Schema = """
        virtaudit: 1
        namespace: Contoso.Hints
        registry: HintsSchema
        records:
          - { name: VIRT_RESOURCE, number: 2501, doc: Resources. }
        enums:
          - name: StartReason
            doc: A reason of the first variant.
            values: [ boot, wake ]
          - name: MoveReason
            doc: A reason of the second variant.
            values: [ push, pull ]
          - name: Direction
            doc: Which way; only pull goes in.
            values:
              - { audit: in, only-with: { reason: pull } }
              - out
        variants:
          - name: Started
            record: VIRT_RESOURCE
            doc: First, with its own reason enum.
            fields:
              - { audit: resrc, value: started }
              - { audit: reason, type: enum, enum: StartReason, doc: Why. }
          - name: Moved
            record: VIRT_RESOURCE
            doc: Second, the variant that holds a Direction.
            fields:
              - { audit: resrc, value: moved }
              - { audit: reason, name: MoveReason, type: enum, enum: MoveReason, doc: Why. }
              - { audit: dir, type: enum, enum: Direction, doc: Which way. }
        """;

    [Fact]
    public void A_shared_key_binds_to_the_field_of_the_variants_that_hold_the_value()
    {
        var (result, _, diagnostics) = GeneratorHarness.Run(new[] { new InMemoryText("/c/hints.virtaudit.yaml", Schema) });
        Assert.Empty(result.Diagnostics);
        Assert.Empty(diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        var direction = result.Results.Single().GeneratedSources.Single(s => s.HintName == "Contoso.Hints.Direction.g.cs").SourceText.ToString();

        // Before: bound to Started's reason (StartReason), which has no 'pull': VA1002 and no hint.
        Assert.Contains("[global::VirtAudit.Schema.AuditValue(\"in\", OnlyWith = \"MoveReason=Pull\")]", direction);
    }

    [Fact]
    public void A_key_that_the_holding_variants_define_differently_is_ambiguous()
    {
        var ambiguous = Schema.Replace(
            "      - { audit: reason, type: enum, enum: StartReason, doc: Why. }",
            "      - { audit: reason, type: enum, enum: StartReason, doc: Why. }\n      - { audit: dir, type: enum, enum: Direction, doc: Which way. }",
            StringComparison.Ordinal);
        var (result, _, _) = GeneratorHarness.Run(new[] { new InMemoryText("/c/hints.virtaudit.yaml", ambiguous) });
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("VA1002", error.Id);
        Assert.Contains("'only-with' names the field 'reason', which the variants with a Direction field define differently", error.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(16, error.Location.GetLineSpan().StartLinePosition.Line + 1);
    }
}
