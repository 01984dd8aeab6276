using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using VirtAudit.CodeFixes;
using VirtAudit.Generators.Analyzers;

namespace VirtAudit.Analyzers.Tests;

/// <summary>Runs the analyzer and the code fixes on a test source compiled with <see cref="TestSchema"/>.</summary>
internal static class Verifier
{
    /// <summary>
    /// .NET 10 reference assemblies from Basic.Reference.Assemblies.Net100 (nothing downloaded at test time), and the
    /// runtime assembly that holds the schema attributes.
    /// </summary>
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    private static readonly ImmutableArray<MetadataReference> FrameworkReferences = ImmutableArray.CreateRange<MetadataReference>(Net100.References.All);

    private static readonly ImmutableArray<MetadataReference> References =
        FrameworkReferences.Add(MetadataReference.CreateFromFile(typeof(VirtAudit.Schema.AuditFieldAttribute).Assembly.Location));

    /// <summary>A diagnostic of <paramref name="descriptor"/>, to locate with <c>{|#n:…|}</c> markup and check the message.</summary>
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    /// <summary>Compiler diagnostic <paramref name="id"/> (e.g. CS9035) as an error.</summary>
    public static DiagnosticResult CompilerError(string id) => DiagnosticResult.CompilerError(id);

    /// <summary>Checks that the analyzer reports exactly the markup diagnostics of <paramref name="source"/> plus <paramref name="expected"/>.</summary>
    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAnalyzerAsync(source, schema: TestSchema.Generated, expected);

    /// <summary>As <see cref="VerifyAnalyzerAsync(string, DiagnosticResult[])"/>, with <paramref name="schema"/> instead of the built-in types.</summary>
    public static Task VerifyAnalyzerAsync(string source, string schema, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest();
        test.TestState.Sources.Add(source);
        AddSchema(test.TestState, schema);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>
    /// As <see cref="VerifyAnalyzerAsync(string, DiagnosticResult[])"/>, with the real built-in types of the runtime
    /// assembly (generated from schema/virt-audit.yaml) instead of test sources.
    /// </summary>
    public static Task VerifyAnalyzerWithCompiledSchemaAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest();
        test.TestState.Sources.Add(source);
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
    public static Task VerifyCodeFixAsync(string source, string fixedSource, string equivalenceKey, int iterations = 1, string schema = TestSchema.Generated)
    {
        var test = new CodeFixTest
        {
            CodeActionEquivalenceKey = equivalenceKey,
            NumberOfIncrementalIterations = iterations,
            // Fix all applies every diagnostic's fix in one pass.
            NumberOfFixAllIterations = 1,
        };
        test.TestState.Sources.Add(source);
        AddSchema(test.TestState, schema);
        test.FixedState.Sources.Add(fixedSource);
        AddSchema(test.FixedState, schema);
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
        project = document.Project
            .AddDocument("VirtAuditRuntime.cs", TestSchema.RuntimeStandIns).Project
            .AddDocument("VirtAudit.g.cs", TestSchema.Generated).Project;
        document = project.GetDocument(document.Id)!;

        var compilation = (await project.GetCompilationAsync())!;
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


    private static void AddSchema(SolutionState state, string schema)
    {
        state.Sources.Add(("VirtAuditRuntime.cs", TestSchema.RuntimeStandIns));
        state.Sources.Add(("VirtAudit.g.cs", schema));
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
