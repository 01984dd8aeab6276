using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using VirtAudit.Generators;
using VirtAudit.Testing;

namespace VirtAudit.Generators.Tests;

/// <summary>Runs the generator in memory over schema texts and C# sources, as the compiler would.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    /// <summary>The repository root (the folder holding VirtAuditSdk.sln).</summary>
    public static string RepoRoot => Repository.Root;

    public static string DefaultSchemaPath => Path.Combine(RepoRoot, "schema", "virt-audit.yaml");

    public static string DefaultSchemaText => File.ReadAllText(DefaultSchemaPath);

    /// <summary>References for compiling generated code: the running framework and the VirtAudit runtime.</summary>
    public static ImmutableArray<MetadataReference> References { get; } = BuildReferences();

    public static CSharpCompilation Compilation(params string[] sources) => CSharpCompilation.Create(
        "VirtAudit.GeneratorTests.Consumer",
        sources.Select(s => CSharpSyntaxTree.ParseText(s, ParseOptions)),
        References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver(params AdditionalText[] schemas) => CSharpGeneratorDriver.Create(
        new[] { new VirtAuditGenerator().AsSourceGenerator() },
        schemas,
        ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static (GeneratorDriverRunResult Result, Compilation Output, ImmutableArray<Diagnostic> Diagnostics) Run(AdditionalText[] schemas, params string[] sources)
    {
        var driver = Driver(schemas).RunGeneratorsAndUpdateCompilation(Compilation(sources), out var output, out var diagnostics);
        return (driver.GetRunResult(), output, diagnostics);
    }

    private static ImmutableArray<MetadataReference> BuildReferences()
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var framework = tpa.Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll");
        return framework
            .Append(typeof(VirtAudit.AuditText).Assembly.Location)
            .Append(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location) // the runtime's one package dependency on net10.0 (AuditEmitter)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }
}

/// <summary>An in-memory additional file.</summary>
internal sealed class InMemoryText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text, System.Text.Encoding.UTF8);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}
