using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;
using VirtAudit.Generators.Analyzers;

namespace VirtAudit.CodeFixes;

/// <summary>
/// Fixes for VA2001 and VA2002: remove the offending assignment (or one of an exactly-one group), or set the fields
/// a condition names (<c>Op = VirtOp.Init</c>, <c>Virt = VirtType.Lxc</c>) and drop what the new values rule out.
/// What a fix may do comes from the diagnostic's <see cref="FixProperties"/>, written by the analyzer.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AuditRecordCodeFixProvider))]
[Shared]
public sealed class AuditRecordCodeFixProvider : CodeFixProvider
{
    private const string EquivalenceKeyPrefix = "VirtAudit.";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(AnalyzerDiagnostics.ConditionFalseId, AnalyzerDiagnostics.PresenceByValueId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var initializer = FindInitializer(node);
            if (initializer is null)
            {
                continue;
            }

            if (diagnostic.Properties.TryGetValue(FixProperties.Set, out var set) && !string.IsNullOrEmpty(set))
            {
                diagnostic.Properties.TryGetValue(FixProperties.AlsoRemove, out var alsoRemove);
                var assignments = Split(set);
                var removals = Split(alsoRemove);
                context.RegisterCodeFix(
                    CodeAction.Create(
                        SetTitle(assignments, removals),
                        token => SetAsync(context.Document, initializer.SpanStart, assignments, removals, token),
                        EquivalenceKeyPrefix + "Set:" + set + "|" + alsoRemove),
                    diagnostic);
            }

            if (diagnostic.Properties.TryGetValue(FixProperties.Remove, out var remove))
            {
                foreach (var property in Split(remove))
                {
                    if (FindAssignment(initializer, property) is not null)
                    {
                        context.RegisterCodeFix(
                            CodeAction.Create(
                                "Remove '" + property + "'",
                                token => RemoveAsync(context.Document, initializer.SpanStart, property, token),
                                EquivalenceKeyPrefix + "Remove:" + property),
                            diagnostic);
                    }
                }
            }
        }
    }

    private static async Task<Document> RemoveAsync(Document document, int initializerStart, string property, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || FindInitializerAt(root, initializerStart) is not { } initializer)
        {
            return document;
        }

        return document.WithSyntaxRoot(root.ReplaceNode(initializer, Remove(initializer, property)));
    }

    private static async Task<Document> SetAsync(
        Document document,
        int initializerStart,
        IReadOnlyList<string> assignments,
        IReadOnlyList<string> removals,
        CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || FindInitializerAt(root, initializerStart) is not { } initializer)
        {
            return document;
        }

        var updated = initializer;
        foreach (var entry in assignments)
        {
            var equals = entry.IndexOf('=');
            var property = entry.Substring(0, equals);
            // The analyzer names only properties the initializer assigns (a false clause needs a known constant).
            if (FindAssignment(updated, property) is { } existing)
            {
                var value = SyntaxFactory.ParseExpression(entry.Substring(equals + 1)).WithAdditionalAnnotations(Simplifier.Annotation);
                updated = updated.ReplaceNode(existing, existing.WithRight(value.WithTriviaFrom(existing.Right)));
            }
        }

        foreach (var property in removals)
        {
            updated = Remove(updated, property);
        }

        return document.WithSyntaxRoot(root.ReplaceNode(initializer, updated));
    }

    /// <summary>
    /// Removes <c>property = …</c> with its separator. A last element without a trailing comma takes the comma before
    /// it, and hands its line end to the element before, so the closing brace stays on its own line.
    /// </summary>
    private static InitializerExpressionSyntax Remove(InitializerExpressionSyntax initializer, string property)
    {
        if (FindAssignment(initializer, property) is not { } assignment)
        {
            return initializer;
        }

        var expressions = initializer.Expressions;
        var index = expressions.IndexOf(assignment);
        if (index < expressions.SeparatorCount || index == 0)
        {
            return initializer.WithExpressions(expressions.Remove(assignment));
        }

        var previous = expressions[index - 1];
        expressions = expressions.Replace(previous, previous.WithTrailingTrivia(assignment.GetTrailingTrivia()));
        return initializer.WithExpressions(expressions.RemoveAt(index));
    }

    private static AssignmentExpressionSyntax? FindAssignment(InitializerExpressionSyntax initializer, string property)
    {
        foreach (var expression in initializer.Expressions)
        {
            if (expression is AssignmentExpressionSyntax { Left: IdentifierNameSyntax name } assignment && name.Identifier.ValueText == property)
            {
                return assignment;
            }
        }

        return null;
    }

    /// <summary>The object or <c>with</c> initializer that holds a diagnostic's location (an assignment or the record's type).</summary>
    private static InitializerExpressionSyntax? FindInitializer(SyntaxNode node)
    {
        foreach (var ancestor in node.AncestorsAndSelf())
        {
            switch (ancestor)
            {
                case InitializerExpressionSyntax initializer when initializer.IsKind(SyntaxKind.ObjectInitializerExpression) || initializer.IsKind(SyntaxKind.WithInitializerExpression):
                    return initializer;
                case BaseObjectCreationExpressionSyntax creation:
                    return creation.Initializer;
                case WithExpressionSyntax with:
                    return with.Initializer;
            }
        }

        return null;
    }

    private static InitializerExpressionSyntax? FindInitializerAt(SyntaxNode root, int position) =>
        FindInitializer(root.FindToken(position).Parent ?? root);

    /// <summary><c>Set Op = VirtOp.Init and Virt = VirtType.Lxc, remove Reason</c>: each value as <c>Enum.Member</c>.</summary>
    private static string SetTitle(IReadOnlyList<string> assignments, IReadOnlyList<string> removals)
    {
        var parts = new List<string>();
        foreach (var entry in assignments)
        {
            var equals = entry.IndexOf('=');
            var value = entry.Substring(equals + 1).Replace("global::", string.Empty);
            var typeStart = value.LastIndexOf('.', value.LastIndexOf('.') - 1);
            parts.Add(entry.Substring(0, equals) + " = " + value.Substring(typeStart + 1));
        }

        var title = "Set " + string.Join(" and ", parts);
        return removals.Count == 0 ? title : title + ", remove " + string.Join(" and ", removals);
    }

    private static IReadOnlyList<string> Split(string? list) =>
        string.IsNullOrEmpty(list) ? new string[0] : list!.Split(FixProperties.Separator);
}
