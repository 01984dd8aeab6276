using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace VirtAudit.Generators.Tests;

/// <summary>The pipeline caches: edits that do not touch a schema re-run nothing, and one schema's edit re-runs only that schema.</summary>
public sealed class IncrementalTests
{
    private const string SmallSchema = """
        virtaudit: 1
        namespace: Contoso.Audit
        registry: ContosoSchema
        records:
          - { name: VIRT_RESOURCE, number: 2501, doc: Resources. }
        enums:
          - { name: VsockReason, doc: Why., values: [start, attach] }
        variants:
          - name: VsockRecord
            record: VIRT_RESOURCE
            doc: A vsock device.
            fields:
              - { audit: resrc, value: vsock }
              - { audit: reason, type: enum, enum: VsockReason, doc: Why. }
              - { audit: cid, type: uint64, doc: The guest CID. }
        """;

    [Fact]
    public void An_unrelated_CSharp_edit_leaves_every_tracked_step_cached()
    {
        var schemas = new[]
        {
            new InMemoryText("/a/one.virtaudit.yaml", SmallSchema),
            new InMemoryText("/a/two.virtaudit.yaml", Rename(SmallSchema, "Two")),
            new InMemoryText("/a/broken.virtaudit.yaml", Rename(SmallSchema, "Three").Replace("type: uint64", "type: integer", StringComparison.Ordinal)),
        };
        var compilation = GeneratorHarness.Compilation("class A { }");
        var driver = GeneratorHarness.Driver(schemas).RunGenerators(compilation);

        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class B { }", GeneratorHarness.ParseOptions));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        // The steps the loop below checks are there and carry outputs: one read per schema file, a model per good
        // file, the broken file's diagnostics, and one cross-file name check.
        var outputs = TrackedSteps(result).ToDictionary(s => s.Key, s => s.Value.Sum(run => run.Outputs.Length));
        Assert.Equal(
            new[] { VirtAuditGenerator.DiagnosticsStep, VirtAuditGenerator.ModelStep, VirtAuditGenerator.NamesStep, VirtAuditGenerator.ReadStep }.Order(StringComparer.Ordinal),
            outputs.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, outputs[VirtAuditGenerator.ReadStep]);
        Assert.Equal(1, outputs[VirtAuditGenerator.DiagnosticsStep]);
        Assert.Equal(2, outputs[VirtAuditGenerator.ModelStep]);
        Assert.Equal(1, outputs[VirtAuditGenerator.NamesStep]);
        foreach (var step in TrackedSteps(result))
        {
            foreach (var output in step.Value.SelectMany(s => s.Outputs))
            {
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step.Key}: {output.Reason}");
            }
        }
    }

    [Fact]
    public void Editing_one_schema_reruns_only_that_schema()
    {
        var one = new InMemoryText("/a/one.virtaudit.yaml", SmallSchema);
        var two = new InMemoryText("/a/two.virtaudit.yaml", Rename(SmallSchema, "Two"));
        var compilation = GeneratorHarness.Compilation("class A { }");
        var driver = GeneratorHarness.Driver(one, two).RunGenerators(compilation);

        var twoEdited = new InMemoryText("/a/two.virtaudit.yaml", Rename(SmallSchema, "Two").Replace("The guest CID.", "The guest's context id."));
        driver = driver.ReplaceAdditionalText(two, twoEdited);
        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        var model = result.TrackedSteps[VirtAuditGenerator.ModelStep].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(2, model.Count);
        Assert.Equal(1, model.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, model.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        var read = result.TrackedSteps[VirtAuditGenerator.ReadStep].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(1, read.Count(r => r == IncrementalStepRunReason.Modified));
    }

    [Fact]
    public void Models_hold_no_Roslyn_objects()
    {
        var compilation = GeneratorHarness.Compilation("class A { }");
        var result = GeneratorHarness.Driver(new InMemoryText("/a/one.virtaudit.yaml", SmallSchema)).RunGenerators(compilation).GetRunResult().Results.Single();
        foreach (var output in TrackedSteps(result).SelectMany(s => s.Value).SelectMany(s => s.Outputs))
        {
            AssertNoRoslynObjects(output.Value, 0);
        }
    }

    private static IEnumerable<KeyValuePair<string, System.Collections.Immutable.ImmutableArray<IncrementalGeneratorRunStep>>> TrackedSteps(GeneratorRunResult result) =>
        result.TrackedSteps.Where(s => s.Key.StartsWith("VirtAudit.", StringComparison.Ordinal));

    private static string Rename(string schema, string suffix) => schema.Replace("VsockRecord", "VsockRecord" + suffix).Replace("VsockReason", "VsockReason" + suffix).Replace("ContosoSchema", "ContosoSchema" + suffix);

    private static void AssertNoRoslynObjects(object? value, int depth)
    {
        if (value is null || depth > 6 || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        var type = value.GetType();
        Assert.False(value is ISymbol or SyntaxNode or Location or AdditionalText or Compilation, $"pipeline model holds {type}");
        Assert.False(type.IsGenericType && type.GetGenericTypeDefinition() == typeof(System.Collections.Immutable.ImmutableArray<>), $"pipeline model holds {type}, which compares by reference");
        if (value is System.Collections.IEnumerable items)
        {
            foreach (var item in items)
            {
                AssertNoRoslynObjects(item, depth + 1);
            }

            return;
        }

        foreach (var property in type.GetProperties().Where(p => p.GetIndexParameters().Length == 0))
        {
            AssertNoRoslynObjects(property.GetValue(value), depth + 1);
        }
    }
}
