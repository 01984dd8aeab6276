using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace VirtAudit.Generators.Analyzers;

/// <summary>
/// Rejects records libvirt would never write. It reads the schema facts the generator put on record types as the
/// attributes of <c>VirtAudit.Schema</c>, so it judges the built-in records and records generated from a consumer's
/// schema alike, and it judges only what an initializer or <c>with</c> expression states with constants.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AuditRecordAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => AnalyzerDiagnostics.All;

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            var metadata = SchemaMetadata.TryCreate(start.Compilation);
            if (metadata is null)
            {
                return;
            }

            start.RegisterOperationAction(c => AnalyzeCreation(c, metadata), OperationKind.ObjectCreation);
            start.RegisterOperationAction(c => AnalyzeWith(c, metadata), OperationKind.With);
        });
    }

    private static void AnalyzeCreation(OperationAnalysisContext context, SchemaMetadata metadata)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Type is INamedTypeSymbol type && metadata.GetVariant(type) is { IsNone: false } shape)
        {
            // Without constructor arguments, a member the initializer does not assign keeps its default: absent.
            Analyze(context, metadata, RecordInitializer.Create(creation, shape, creation.Initializer, unassignedAreAbsent: creation.Arguments.IsEmpty));
        }
    }

    private static void AnalyzeWith(OperationAnalysisContext context, SchemaMetadata metadata)
    {
        var with = (IWithOperation)context.Operation;
        if (with.Type is INamedTypeSymbol type && metadata.GetVariant(type) is { IsNone: false } shape)
        {
            // Nothing is known about the original record: only what the with expression assigns is judged.
            Analyze(context, metadata, RecordInitializer.Create(with, shape, with.Initializer, unassignedAreAbsent: false));
        }
    }

    private static void Analyze(OperationAnalysisContext context, SchemaMetadata metadata, RecordInitializer record)
    {
        var flagged = new HashSet<string>(StringComparer.Ordinal);
        CheckConditions(context, record, flagged);
        CheckExactlyOne(context, record);
        CheckNotAllAbsent(context, record);
        CheckValueHints(context, metadata, record, flagged);
        CheckConstants(context, metadata, record);
    }

    /// <summary>Rules 1 and 2: conditional fields set while their condition is false, or missing while it holds.</summary>
    private static void CheckConditions(OperationAnalysisContext context, RecordInitializer record, HashSet<string> flagged)
    {
        foreach (var field in record.Shape.Fields.Values)
        {
            if (!field.IsConditional || field.When is null)
            {
                continue;
            }

            var assignment = record.GetAssignment(field.Name);
            var presence = record.PresenceOf(field.Name);
            if (presence == Presence.Present && assignment is not null)
            {
                var falseClauses = new List<AuditClause>();
                if (record.Evaluate(field.When, falseClauses) != Truth.False)
                {
                    continue;
                }

                flagged.Add(field.Name);
                var location = assignment.Assignment.Syntax.GetLocation();
                if (falseClauses.Exists(static clause => !clause.Negated))
                {
                    // The field belongs only to records with other values: rule 1.
                    context.ReportDiagnostic(Diagnostic.Create(
                        AnalyzerDiagnostics.ConditionalFieldSetWhileFalse,
                        location,
                        GetConditionFixes(record, field, falseClauses),
                        field.Name,
                        field.When.Describe(),
                        record.DescribeValues(falseClauses)));
                }
                else
                {
                    // Another field's value rules the field out: rule 2.
                    context.ReportDiagnostic(Diagnostic.Create(
                        AnalyzerDiagnostics.FieldExcludedByValue,
                        location,
                        ImmutableDictionary<string, string?>.Empty.Add(FixProperties.Remove, field.Name),
                        field.Name,
                        record.DescribeValues(falseClauses)));
                }
            }
            else if (presence == Presence.Absent && !field.Nullable && record.Evaluate(field.When) == Truth.True)
            {
                // A nullable field is still written ("?") when its value is absent, so only the others must be set.
                context.ReportDiagnostic(Diagnostic.Create(
                    AnalyzerDiagnostics.FieldRequiredByValue,
                    assignment?.Assignment.Syntax.GetLocation() ?? record.RecordLocation,
                    field.Name,
                    record.DescribeValues(field.When.Clauses),
                    field.When.Describe()));
            }
        }
    }

    /// <summary>
    /// The fixes of a rule-1 diagnostic: remove the field; and, when every false clause names one member, set those
    /// members (removing the fields the new values rule out).
    /// </summary>
    private static ImmutableDictionary<string, string?> GetConditionFixes(RecordInitializer record, FieldShape field, List<AuditClause> falseClauses)
    {
        var properties = ImmutableDictionary<string, string?>.Empty.Add(FixProperties.Remove, field.Name);
        var overrides = new Dictionary<string, IFieldSymbol>(StringComparer.Ordinal);
        var sets = new List<string>();
        foreach (var clause in falseClauses)
        {
            var current = record.KnownMember(clause.Property);
            if (clause.Negated || clause.Members.Length != 1 || current is null)
            {
                return properties;
            }

            IFieldSymbol? target = null;
            foreach (var member in current.ContainingType.GetMembers(clause.Members[0]))
            {
                target ??= member as IFieldSymbol;
            }

            if (target is null)
            {
                return properties;
            }

            overrides[clause.Property] = target;
            sets.Add(clause.Property + "=" + target.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + target.Name);
        }

        var alsoRemove = new List<string>();
        foreach (var other in record.Assignments)
        {
            var name = other.Property.Name;
            if (name != field.Name
                && !alsoRemove.Contains(name)
                && other.Presence == Presence.Present
                && record.Shape.Fields.TryGetValue(name, out var otherField)
                && otherField is { IsConditional: true, When: not null }
                && record.Evaluate(otherField.When, null, overrides) == Truth.False)
            {
                alsoRemove.Add(name);
            }
        }

        properties = properties.Add(FixProperties.Set, string.Join(FixProperties.Separator.ToString(), sets));
        return alsoRemove.Count == 0 ? properties : properties.Add(FixProperties.AlsoRemove, string.Join(FixProperties.Separator.ToString(), alsoRemove));
    }

    /// <summary>Rule 2: an exactly-one group with two or more fields set, or (all known) none.</summary>
    private static void CheckExactlyOne(OperationAnalysisContext context, RecordInitializer record)
    {
        foreach (var group in record.Shape.ExactlyOne)
        {
            var present = new List<MemberAssignment>();
            var allAbsent = true;
            foreach (var assignment in record.Assignments)
            {
                if (group.Contains(assignment.Property.Name) && assignment.Presence == Presence.Present)
                {
                    present.Add(assignment);
                }
            }

            foreach (var name in group)
            {
                allAbsent &= record.PresenceOf(name) == Presence.Absent;
            }

            if (present.Count > 1)
            {
                // Reported on the last one set (the extra one), with the others as additional locations; each may be removed.
                var extra = present[present.Count - 1];
                var others = new List<Location>();
                var names = new List<string> { extra.Property.Name };
                for (var i = 0; i < present.Count - 1; i++)
                {
                    others.Add(present[i].Assignment.Syntax.GetLocation());
                    names.Add(present[i].Property.Name);
                }

                var setNames = new List<string>();
                foreach (var assignment in present)
                {
                    setNames.Add(assignment.Property.Name);
                }

                context.ReportDiagnostic(Diagnostic.Create(
                    AnalyzerDiagnostics.ExactlyOneViolated,
                    extra.Assignment.Syntax.GetLocation(),
                    others,
                    ImmutableDictionary<string, string?>.Empty.Add(FixProperties.Remove, string.Join(FixProperties.Separator.ToString(), names)),
                    Quote(group),
                    present.Count == 2 && group.Length == 2 ? "both are set" : Quote(setNames) + " are set"));
            }
            else if (allAbsent)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    AnalyzerDiagnostics.ExactlyOneViolated,
                    record.RecordLocation,
                    Quote(group),
                    group.Length == 2 ? "neither is set" : "none is set"));
            }
        }
    }

    /// <summary>Rule 4: a not-all-absent group whose fields are all absent.</summary>
    private static void CheckNotAllAbsent(OperationAnalysisContext context, RecordInitializer record)
    {
        foreach (var group in record.Shape.NotAllAbsent)
        {
            var allAbsent = true;
            foreach (var name in group)
            {
                allAbsent &= record.PresenceOf(name) == Presence.Absent;
            }

            if (allAbsent)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    AnalyzerDiagnostics.NoRecordWhenAllAbsent,
                    record.RecordLocation,
                    record.Shape.Name,
                    Quote(group) + (group.Length == 2 ? " are both absent" : " are all absent")));
            }
        }
    }

    /// <summary>Rule 3: enum values outside the variants or partner values their <c>[AuditValue]</c> names.</summary>
    private static void CheckValueHints(OperationAnalysisContext context, SchemaMetadata metadata, RecordInitializer record, HashSet<string> flagged)
    {
        foreach (var assignment in record.Assignments)
        {
            var name = assignment.Property.Name;
            if (flagged.Contains(name) || assignment.Presence != Presence.Present || assignment.KnownMember is not { } member)
            {
                continue;
            }

            var hint = metadata.GetHint(member);
            var location = assignment.Assignment.Value.Syntax.GetLocation();
            if (record.Shape.Fields.TryGetValue(name, out var field) && !field.Values.IsEmpty && !field.Values.Contains(member.Name))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    AnalyzerDiagnostics.ValueDoesNotFit,
                    location,
                    name,
                    member.Name,
                    "other records (" + record.Shape.Name + " takes " + string.Join(" or ", field.Values) + ")",
                    "this is " + record.Shape.Name));
                continue;
            }

            if (!hint.OnlyIn.IsEmpty && !hint.OnlyIn.Contains(record.Shape.Name))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    AnalyzerDiagnostics.ValueDoesNotFit,
                    location,
                    name,
                    member.Name,
                    string.Join(" or ", hint.OnlyIn) + " records",
                    "this is " + record.Shape.Name));
                continue;
            }

            var falseClauses = new List<AuditClause>();
            if (hint.OnlyWith is not null && record.Evaluate(hint.OnlyWith, falseClauses) == Truth.False)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    AnalyzerDiagnostics.ValueDoesNotFit,
                    location,
                    name,
                    member.Name,
                    "records where " + hint.OnlyWith.Describe(),
                    record.DescribeValues(falseClauses)));
            }
        }
    }

    /// <summary>Rule 5: constant MACs, UUIDs, device numbers and patterned text that libvirt could not have written.</summary>
    private static void CheckConstants(OperationAnalysisContext context, SchemaMetadata metadata, RecordInitializer record)
    {
        foreach (var assignment in record.Assignments)
        {
            if (!record.Shape.Fields.TryGetValue(assignment.Property.Name, out var field))
            {
                continue;
            }

            // A closed enum, or a field whose variant writes only some values: every text written there is listed.
            var listed = WrittenTexts(metadata, field, assignment.Property.Type);
            if (!listed.IsEmpty && assignment.EnumMember is { Name: "Other" } other)
            {
                // The member a value the schema does not list reads as: never written in such a field.
                context.ReportDiagnostic(Diagnostic.Create(
                    AnalyzerDiagnostics.MalformedConstant,
                    assignment.Assignment.Value.Syntax.GetLocation(),
                    field.Name,
                    other.ContainingType.Name + ".Other",
                    NotOneOf(listed, field, record.Shape.Name)));
                continue;
            }

            if (!ConstantShapes.TryGetConstant(assignment.Assignment.Value, out var constant))
            {
                continue;
            }

            var problem = ConstantShapes.CheckKind(constant, field);
            if (problem is null && constant.Kind == ConstantKind.EnumText && !listed.IsEmpty && !listed.Contains(constant.Text))
            {
                problem = NotOneOf(listed, field, record.Shape.Name);
            }

            var isText = constant.Kind == ConstantKind.Text;
            if (problem is null && isText && field.Pattern is { } pattern && metadata.GetPattern(pattern) is { } utf8 && !ConstantShapes.IsMatch(utf8, constant.Text))
            {
                problem = "does not match the pattern " + pattern;
            }

            if (problem is null
                && isText
                && field.PatternField is { } selectorName
                && record.KnownMember(selectorName) is { } selector
                && field.PatternsByValue.TryGetValue(selector.Name, out var selectedPattern)
                && metadata.GetPattern(selectedPattern) is { } selectedUtf8
                && !ConstantShapes.IsMatch(selectedUtf8, constant.Text))
            {
                problem = "does not match the pattern for " + selectorName + " = " + selector.Name + ": " + selectedPattern;
            }

            if (problem is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    AnalyzerDiagnostics.MalformedConstant,
                    constant.Operation.Syntax.GetLocation(),
                    field.Name,
                    constant.Text,
                    problem));
            }
        }
    }

    /// <summary>The enum of an <c>AuditEnum&lt;TEnum&gt;</c> property.</summary>
    private static INamedTypeSymbol? EnumOf(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic
        && SymbolFacts.Is(generic.OriginalDefinition, "VirtAudit", "AuditEnum")
        && generic.TypeArguments[0] is INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType
            ? enumType
            : null;

    /// <summary>
    /// The texts that may be written in an enum field when they are listed: all of a closed enum's, or those of the
    /// field's <c>Values</c>; empty when any text may be (an open enum).
    /// </summary>
    private static ImmutableArray<string> WrittenTexts(SchemaMetadata metadata, FieldShape field, ITypeSymbol propertyType)
    {
        if ((!field.Closed && field.Values.IsEmpty) || EnumOf(propertyType) is not { } enumType)
        {
            return ImmutableArray<string>.Empty;
        }

        return metadata.GetAuditTexts(enumType)
            .Where(m => field.Values.IsEmpty || field.Values.Contains(m.Member))
            .Select(m => m.Text)
            .ToImmutableArray();
    }

    /// <summary>The problem of a value outside the listed ones, worded as the generated <c>IsValid</c> words it.</summary>
    private static string NotOneOf(ImmutableArray<string> texts, FieldShape field, string variant)
    {
        var last = texts.Length - 1;
        var list = last == 0 ? texts[0] : string.Join(", ", texts.Take(last)) + " or " + texts[last];
        return field.Values.IsEmpty ? "must be " + list + ": the schema lists every value written there" : "must be " + list + " in " + variant + " records";
    }

    /// <summary><c>'A' and 'B'</c>, <c>'A', 'B' and 'C'</c>.</summary>
    private static string Quote(IReadOnlyList<string> names)
    {
        if (names.Count == 1)
        {
            return "'" + names[0] + "'";
        }

        var parts = new string[names.Count - 1];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = "'" + names[i] + "'";
        }

        return string.Join(", ", parts) + " and '" + names[names.Count - 1] + "'";
    }
}
