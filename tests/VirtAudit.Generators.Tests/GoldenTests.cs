using Microsoft.CodeAnalysis;

namespace VirtAudit.Generators.Tests;

/// <summary>
/// The generated code of the built-in schema, compared with checked-in golden files (<c>Golden/*.g.cs.txt</c>).
/// Set <c>VIRTAUDIT_UPDATE_GOLDEN=1</c> to rewrite them after an intended change; a mismatch writes
/// <c>*.received.txt</c> next to the golden file and fails with the first differing line.
/// </summary>
public sealed class GoldenTests
{
    private static readonly string GoldenDir = Path.Combine(GeneratorHarness.RepoRoot, "tests", "VirtAudit.Generators.Tests", "Golden");

    [Fact]
    public void Generated_code_of_the_default_schema_matches_the_golden_files()
    {
        var (result, _, _) = GeneratorHarness.Run(new[] { new InMemoryText("/schema/virt-audit.yaml", GeneratorHarness.DefaultSchemaText) });
        var sources = result.Results.Single().GeneratedSources;
        Assert.NotEmpty(sources);
        var update = Environment.GetEnvironmentVariable("VIRTAUDIT_UPDATE_GOLDEN") == "1";
        var failures = new List<string>();
        foreach (var source in sources)
        {
            var golden = Path.Combine(GoldenDir, source.HintName + ".txt");
            var actual = source.SourceText.ToString();
            if (update)
            {
                File.WriteAllText(golden, actual);
                continue;
            }

            if (!File.Exists(golden))
            {
                failures.Add($"{source.HintName}: no golden file (run with VIRTAUDIT_UPDATE_GOLDEN=1)");
                continue;
            }

            var expected = File.ReadAllText(golden);
            if (expected != actual)
            {
                File.WriteAllText(Path.ChangeExtension(golden, ".received.txt"), actual);
                failures.Add($"{source.HintName}: {FirstDifference(expected, actual)}");
            }
        }

        var expectedFiles = Directory.GetFiles(GoldenDir, "*.g.cs.txt").Select(Path.GetFileName).Order().ToArray();
        var actualFiles = sources.Select(s => s.HintName + ".txt").Order().ToArray();
        if (update)
        {
            // A golden of a file the generator no longer writes goes, with any .received file left beside it.
            foreach (var stale in expectedFiles.Except(actualFiles))
            {
                File.Delete(Path.Combine(GoldenDir, stale!));
            }

            foreach (var received in Directory.GetFiles(GoldenDir, "*.received.txt"))
            {
                File.Delete(received);
            }
        }
        else
        {
            Assert.Equal(expectedFiles, actualFiles);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Generated_code_compiles_without_warnings_against_the_runtime()
    {
        // Generate into a consumer compilation under another namespace, so the types do not clash with the
        // runtime's own copies, and compile with every warning enabled.
        var schema = GeneratorHarness.DefaultSchemaText.Replace("namespace: VirtAudit", "namespace: Consumer.Audit").Replace("registry: VirtAuditSchema", "registry: ConsumerSchema");
        var (_, output, diagnostics) = GeneratorHarness.Run(new[] { new InMemoryText("/c/consumer.virtaudit.yaml", schema) }, "namespace Consumer; public static class Empty { }");
        Assert.Empty(diagnostics);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
        Assert.Contains(output.SyntaxTrees, t => t.FilePath.EndsWith("Consumer.Audit.VirtControl.g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void The_default_schema_generates_every_variant_named_in_the_issue()
    {
        var (result, _, _) = GeneratorHarness.Run(new[] { new InMemoryText("/schema/virt-audit.yaml", GeneratorHarness.DefaultSchemaText) });
        var hints = result.Results.Single().GeneratedSources.Select(s => s.HintName).ToHashSet();
        string[] names =
        [
            "VirtControl", "VirtMachineId", "VirtResourceDisk", "VirtResourceFs", "VirtResourceNet", "VirtResourceNetOpen",
            "VirtResourceChardev", "VirtResourceSmartcard", "VirtResourceRng", "VirtResourceDev", "VirtResourceHostdev",
            "VirtResourceTpm", "VirtResourceTpmEmulator", "VirtResourceTpmExternal", "VirtResourceCgroup", "VirtResourceMem",
            "VirtResourceVcpu", "VirtResourceIothread", "VirtResourceShmem", "VirtResourceIvshmemSocket", "VirtResourceEvdev",
            "VirtResourceRedir", "VirtResourceNetHost", "VirtResourceShmemLegacy", "VirtResourceShmemSource",
        ];
        foreach (var name in names)
        {
            Assert.Contains($"VirtAudit.{name}.g.cs", hints);
        }
    }

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var el = i < e.Length ? e[i] : "<end of file>";
            var al = i < a.Length ? a[i] : "<end of file>";
            if (el != al)
            {
                return $"line {i + 1}: expected `{el.Trim()}`, generated `{al.Trim()}`";
            }
        }

        return "equal";
    }
}
