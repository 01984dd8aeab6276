using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using VirtAudit.Generators.Emit;
using VirtAudit.Generators.Model;
using VirtAudit.Generators.Schema;

namespace VirtAudit.Generators;

/// <summary>
/// Turns every VirtAudit schema file (<c>AdditionalFiles</c> ending in <c>.yaml</c>/<c>.yml</c> whose root has
/// <c>virtaudit:</c>) into record structs, enums and a registry. Schema mistakes are reported at their YAML line.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class VirtAuditGenerator : IIncrementalGenerator
{
    /// <summary>Tracking name of the step that reads a schema file.</summary>
    public const string ReadStep = "VirtAudit.Read";

    /// <summary>Tracking name of the step that holds a file's diagnostics.</summary>
    public const string DiagnosticsStep = "VirtAudit.Diagnostics";

    /// <summary>Tracking name of the step that holds a file's valid model.</summary>
    public const string ModelStep = "VirtAudit.Model";

    /// <summary>Tracking name of the cross-file name check.</summary>
    public const string NamesStep = "VirtAudit.Names";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var results = context.AdditionalTextsProvider
            .Select(static (file, ct) =>
            {
                var text = file.GetText(ct)?.ToString();
                return SchemaReader.LooksLikeSchema(file.Path, text) ? SchemaReader.Read(file.Path, text!) : null;
            })
            .Where(static r => r is not null)
            .Select(static (r, _) => r!)
            .WithTrackingName(ReadStep);

        var diagnostics = results
            .Select(static (r, _) => r.Diagnostics)
            .Where(static d => d.Count > 0)
            .WithTrackingName(DiagnosticsStep);
        context.RegisterSourceOutput(diagnostics, static (spc, list) =>
        {
            foreach (var d in list)
            {
                spc.ReportDiagnostic(ToDiagnostic(d));
            }
        });

        var models = results
            .Select(static (r, _) => r.Model)
            .Where(static m => m is not null)
            .Select(static (m, _) => m!)
            .WithTrackingName(ModelStep);
        // Type names must be unique across every schema of the compilation: the only cross-file check. A name a
        // later file defines again is reported and not emitted twice. The result is almost always empty and then
        // cached, so an unchanged file's output stays cached.
        var names = results
            .Select(static (r, _) => r.Names)
            .Collect()
            .Select(static (all, _) => FindDuplicates(all))
            .WithTrackingName(NamesStep);
        context.RegisterSourceOutput(names, static (spc, check) =>
        {
            foreach (var d in check.Diagnostics)
            {
                spc.ReportDiagnostic(ToDiagnostic(d));
            }
        });
        // The generated code needs C# 11: an older language version gets one VA1010 (at the first schema file)
        // instead of a page of compiler errors in generated files, and nothing is generated.
        var oldLanguage = context.ParseOptionsProvider
            .Select(static (options, _) => options is CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp11 } old ? old.LanguageVersion.ToDisplayString() : null);
        context.RegisterSourceOutput(models.Select(static (m, _) => m.Path).Collect().Combine(oldLanguage), static (spc, pair) =>
        {
            var (paths, version) = pair;
            if (version is not null && paths.Length > 0)
            {
                var location = Location.Create(paths[0], default, new LinePositionSpan(default, default));
                spc.ReportDiagnostic(Diagnostic.Create(SchemaDiagnostics.LanguageVersionTooOld, location, System.IO.Path.GetFileName(paths[0]), version));
            }
        });
        context.RegisterSourceOutput(models.Combine(names).Combine(oldLanguage), static (spc, input) =>
        {
            var ((model, check), version) = input;
            if (version is not null)
            {
                return;
            }

            foreach (var (hint, source) in Emitter.Emit(model))
            {
                if (!check.Skipped.Contains(hint + "|" + model.Path))
                {
                    spc.AddSource(hint, SourceText.From(source, System.Text.Encoding.UTF8));
                }
            }
        });
    }

    /// <summary>A name a later file defines again is VA1009 at that file's <c>name:</c> entry, and is not emitted twice.</summary>
    private static NameCheck FindDuplicates(ImmutableArray<EquatableArray<NameSite>> all)
    {
        var seen = new Dictionary<string, string>();
        var diagnostics = new List<DiagnosticInfo>();
        var skipped = new List<string>();
        foreach (var site in all.SelectMany(a => a))
        {
            if (seen.TryGetValue(site.Name, out var first) && first != site.Path)
            {
                diagnostics.Add(new DiagnosticInfo("VA1009", new EquatableArray<string>(new[] { site.Name + " (also in " + first + ")" }), site.Path, site.Start, site.Length, site.StartLine, site.StartColumn, site.EndLine, site.EndColumn));
                skipped.Add(site.Name + ".g.cs|" + site.Path);
            }
            else
            {
                seen[site.Name] = site.Path;
            }
        }

        return new NameCheck(diagnostics.ToEquatableArray(), skipped.ToEquatableArray());
    }

    private static Diagnostic ToDiagnostic(DiagnosticInfo d)
    {
        var location = Location.Create(
            d.Path,
            new TextSpan(d.Start, d.Length),
            new LinePositionSpan(new LinePosition(d.StartLine, d.StartColumn), new LinePosition(d.EndLine, d.EndColumn)));
        return Diagnostic.Create(SchemaDiagnostics.Find(d.Id)!, location, d.Args.Select(a => (object)a).ToArray());
    }
}
