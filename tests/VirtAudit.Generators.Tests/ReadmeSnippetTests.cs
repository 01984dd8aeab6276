using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace VirtAudit.Generators.Tests;

/// <summary>The README's C# examples compile against the runtime, and the emitting one prints what the README says.</summary>
public sealed partial class ReadmeSnippetTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(GeneratorHarness.RepoRoot, "README.md"));

    public static TheoryData<int> Snippets()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < CSharpBlocks().Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void A_csharp_example_of_the_README_compiles(int index)
    {
        var (source, _) = Wrap(CSharpBlocks()[index]);
        var compilation = GeneratorHarness.Compilation(source);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, CSharpBlocks()[index] + "\n" + string.Join("\n", errors));
    }

    [Fact]
    public void The_emitting_example_writes_the_payload_shown_in_its_comment()
    {
        var block = CSharpBlocks().Single(b => b.Contains("new VirtControl", StringComparison.Ordinal));
        var expected = ExpectedComment().Match(block).Groups[1].Value.Trim();
        var (source, _) = Wrap(block + "\nreturn System.Text.Encoding.UTF8.GetString(payload.Slice(0, n));");
        using var image = new MemoryStream();
        var emit = GeneratorHarness.Compilation(source).Emit(image);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        var result = (string)Assembly.Load(image.ToArray()).GetType("Snippet")!.GetMethod("Run")!.Invoke(null, null)!;
        Assert.Equal(expected, result);
    }

    private static List<string> CSharpBlocks() => CSharpBlock().Matches(Readme).Select(m => m.Groups[1].Value).ToList();

    /// <summary>Puts a README block into a method: its <c>using</c> lines go on top.</summary>
    private static (string Source, string Body) Wrap(string block)
    {
        var lines = block.Split('\n');
        var usings = lines.Where(l => l.StartsWith("using ", StringComparison.Ordinal) && l.TrimEnd().EndsWith(';') && !l.Contains('(', StringComparison.Ordinal)).ToList();
        var body = string.Join("\n", lines.Except(usings));
        var returns = body.Contains("return ", StringComparison.Ordinal) ? "string" : "void";
        var source = "using System;\n" + string.Join("\n", usings) + "\npublic static class Snippet\n{\n    public static " + returns + " Run()\n    {\n" + body + "\n    }\n}\n";
        return (source, body);
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex("// (virt=[^\\n]*)")]
    private static partial Regex ExpectedComment();
}
