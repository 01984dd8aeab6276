using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace VirtAudit.Generators.Tests;

/// <summary>VA1010: a project on C# older than 11 gets one clear error, not a page of errors in generated files.</summary>
public sealed class LanguageVersionTests
{
    private const string Schema = """
        virtaudit: 1
        namespace: Contoso.Audit
        registry: ContosoSchema
        records:
          - { name: VIRT_RESOURCE, number: 2501, doc: Resources. }
        variants:
          - name: VirtResourceVsock
            record: VIRT_RESOURCE
            doc: A vsock device.
            fields:
              - { audit: resrc, value: vsock }
              - { audit: cid, type: uint64, doc: The guest context id. }
        """;

    [Theory]
    [InlineData(LanguageVersion.CSharp10)]
    [InlineData(LanguageVersion.CSharp9)]
    public void An_older_language_version_gets_one_VA1010_and_no_generated_code(LanguageVersion version)
    {
        var (result, output) = Run(version);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("VA1010", error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal("/c/contoso.virtaudit.yaml", error.Location.GetLineSpan().Path);
        Assert.Contains($"this project compiles C# {version.ToDisplayString()}", error.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(result.Results.Single().GeneratedSources);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Theory]
    [InlineData(LanguageVersion.CSharp11)]
    [InlineData(LanguageVersion.CSharp12)]
    public void CSharp_11_and_later_generate(LanguageVersion version)
    {
        var (result, output) = Run(version);
        Assert.Empty(result.Diagnostics);
        Assert.NotEmpty(result.Results.Single().GeneratedSources);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void The_page_the_index_and_the_release_file_describe_it()
    {
        var page = File.ReadAllText(Path.Combine(GeneratorHarness.RepoRoot, "docs", "diagnostics", "VA1010.md"));
        Assert.StartsWith("# VA1010: The generated code needs C# 11 or later", page, StringComparison.Ordinal);
        Assert.Contains("| Severity | Error |", page, StringComparison.Ordinal);
        Assert.Contains("## Bad", page, StringComparison.Ordinal);
        Assert.Contains("## Good", page, StringComparison.Ordinal);
        Assert.Contains("| [VA1010](VA1010.md) | Error | The generated code needs C# 11 or later |", File.ReadAllText(Path.Combine(GeneratorHarness.RepoRoot, "docs", "diagnostics", "README.md")), StringComparison.Ordinal);
        Assert.Contains("VA1010 | VirtAudit.Schema | Error | The generated code needs C# 11 or later", File.ReadAllText(Path.Combine(GeneratorHarness.RepoRoot, "generators", "VirtAudit.Generators", "AnalyzerReleases.Unshipped.md")), StringComparison.Ordinal);
    }

    private static (GeneratorDriverRunResult Result, Compilation Output) Run(LanguageVersion version)
    {
        var options = new CSharpParseOptions(version);
        var compilation = GeneratorHarness.Compilation();
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new VirtAuditGenerator().AsSourceGenerator() },
            new[] { new InMemoryText("/c/contoso.virtaudit.yaml", Schema) },
            options);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return (driver.GetRunResult(), output);
    }
}
