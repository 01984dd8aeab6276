using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using VirtAudit.CodeFixes;
using VirtAudit.Generators;
using VirtAudit.Generators.Analyzers;

namespace VirtAudit.Analyzers.Tests;

/// <summary>
/// Runs the analyzer and the code fixes on a test source compiled as a consumer's project is: against the runtime
/// assembly (the built-in types the generator made from schema/virt-audit.yaml), with what the generator makes from
/// the consumer's own schema file when the test gives one.
/// </summary>
internal static class Verifier
{
    /// <summary>The file name a consumer schema is given in the test project.</summary>
    public const string ConsumerSchemaPath = "contoso.virtaudit.yaml";

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    /// <summary>.NET 10 reference assemblies from Basic.Reference.Assemblies.Net100: nothing is downloaded at test time.</summary>
    private static readonly ImmutableArray<MetadataReference> FrameworkReferences = ImmutableArray.CreateRange<MetadataReference>(Net100.References.All);

    /// <summary>The framework and the runtime assembly, which holds the schema attributes and the built-in types.</summary>
    public static readonly ImmutableArray<MetadataReference> References =
        FrameworkReferences.Add(MetadataReference.CreateFromFile(typeof(VirtAudit.Schema.AuditFieldAttribute).Assembly.Location));

    /// <summary>A diagnostic of <paramref name="descriptor"/>, to locate with <c>{|#n:…|}</c> markup and check the message.</summary>
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    /// <summary>Compiler diagnostic <paramref name="id"/> (e.g. CS9035) as an error.</summary>
    public static DiagnosticResult CompilerError(string id) => DiagnosticResult.CompilerError(id);

    /// <summary>Checks that the analyzer reports exactly the markup diagnostics of <paramref name="source"/> plus <paramref name="expected"/>.</summary>
    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAnalyzerWithSchemaAsync(source, consumerSchema: null, expected);

    /// <summary>
    /// As <see cref="VerifyAnalyzerAsync(string, DiagnosticResult[])"/>, in a project with the types the generator
    /// makes from the schema file <paramref name="consumerSchema"/>.
    /// </summary>
    public static Task VerifyAnalyzerWithSchemaAsync(string source, string? consumerSchema, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest();
        test.TestState.Sources.Add(source);
        AddSchema(test.TestState, consumerSchema);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>Runs the analyzer on a compilation that does not reference the runtime (no schema attributes).</summary>
    public static Task VerifyAnalyzerWithoutRuntimeAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest(withRuntime: false);
        test.TestState.Sources.Add(source);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>
    /// Applies the fix registered under <paramref name="equivalenceKey"/> to <paramref name="source"/> and checks the
    /// result against <paramref name="fixedSource"/> (whose markup gives the diagnostics left).
    /// </summary>
    public static Task VerifyCodeFixAsync(string source, string fixedSource, string equivalenceKey, int iterations = 1, string? consumerSchema = null)
    {
        var test = new CodeFixTest
        {
            CodeActionEquivalenceKey = equivalenceKey,
            NumberOfIncrementalIterations = iterations,
            // Fix all applies every diagnostic's fix in one pass.
            NumberOfFixAllIterations = 1,
        };
        test.TestState.Sources.Add(source);
        AddSchema(test.TestState, consumerSchema);
        test.FixedState.Sources.Add(fixedSource);
        AddSchema(test.FixedState, consumerSchema);
        return test.RunAsync();
    }

    /// <summary>The titles of the fixes offered for the diagnostics of <paramref name="source"/>, in order.</summary>
    public static async Task<IReadOnlyList<string>> GetFixTitlesAsync(string source)
    {
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject("Titles", LanguageNames.CSharp)
            .WithParseOptions(ParseOptions)
            .WithCompilationOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable))
            .AddMetadataReferences(References);
        var document = project.AddDocument("Test0.cs", source);

        var compilation = (await document.Project.GetCompilationAsync())!;
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var diagnostics = await compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new AuditRecordAnalyzer()))
            .GetAnalyzerDiagnosticsAsync();

        var provider = new AuditRecordCodeFixProvider();
        var titles = new List<string>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (!provider.FixableDiagnosticIds.Contains(diagnostic.Id))
            {
                continue;
            }

            var context = new Microsoft.CodeAnalysis.CodeFixes.CodeFixContext(
                document,
                diagnostic,
                (action, _) => titles.Add(action.Title),
                CancellationToken.None);
            await provider.RegisterCodeFixesAsync(context);
        }

        return titles;
    }

    private static void AddSchema(SolutionState state, string? consumerSchema)
    {
        if (consumerSchema is not null)
        {
            state.Sources.AddRange(Generate(consumerSchema));
        }
    }

    private static readonly ConcurrentDictionary<string, (string, SourceText)[]> Generated = new(StringComparer.Ordinal);

    /// <summary>
    /// The sources the real generator makes from the schema file <paramref name="schema"/> in a project that
    /// references the runtime, as the consumer's build would. They join the test project as ordinary documents
    /// (they start with <c>// &lt;auto-generated/&gt;</c>, so the analyzer skips them), where a code fix's semantic
    /// model sees them too.
    /// </summary>
    private static (string, SourceText)[] Generate(string schema) => Generated.GetOrAdd(schema, static text =>
    {
        var compilation = CSharpCompilation.Create(
            "VirtAudit.Consumer",
            Array.Empty<SyntaxTree>(),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var result = CSharpGeneratorDriver
            .Create(new[] { new VirtAuditGenerator().AsSourceGenerator() }, new[] { new SchemaFile(ConsumerSchemaPath, text) }, ParseOptions)
            .RunGenerators(compilation)
            .GetRunResult();
        Assert.Empty(result.Diagnostics);
        var sources = result.Results.Single().GeneratedSources;
        Assert.NotEmpty(sources);
        return sources.Select(s => ("Generated/" + s.HintName, s.SourceText)).ToArray();
    });

    private sealed class SchemaFile(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text, Encoding.UTF8);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    /// <summary>C# 12 (the repository's LangVersion), nullable on, .NET 10 and the runtime assembly.</summary>
    private static Solution Configure(Solution solution, ProjectId projectId, bool withRuntime)
    {
        var project = solution.GetProject(projectId)!;
        return solution
            .WithProjectParseOptions(projectId, ((CSharpParseOptions)project.ParseOptions!).WithLanguageVersion(LanguageVersion.CSharp12))
            .WithProjectCompilationOptions(projectId, ((CSharpCompilationOptions)project.CompilationOptions!).WithNullableContextOptions(NullableContextOptions.Enable))
            .AddMetadataReferences(projectId, withRuntime ? References : FrameworkReferences);
    }

    /// <summary>No reference assembly package: the references come from <see cref="References"/>.</summary>
    private static readonly ReferenceAssemblies NoPackages = new("net10.0");

    private sealed class AnalyzerTest : CSharpAnalyzerTest<AuditRecordAnalyzer, DefaultVerifier>
    {
        public AnalyzerTest(bool withRuntime = true)
        {
            // VA2002 has one descriptor per message; {|VA2002:…|} markup means any of them.
            MarkupOptions = MarkupOptions.UseFirstDescriptor;
            ReferenceAssemblies = NoPackages;
            SolutionTransforms.Add((solution, projectId) => Configure(solution, projectId, withRuntime));
        }
    }

    private sealed class CodeFixTest : CSharpCodeFixTest<AuditRecordAnalyzer, AuditRecordCodeFixProvider, DefaultVerifier>
    {
        public CodeFixTest()
        {
            MarkupOptions = MarkupOptions.UseFirstDescriptor;
            ReferenceAssemblies = NoPackages;
            SolutionTransforms.Add((solution, projectId) => Configure(solution, projectId, withRuntime: true));
        }
    }
}
