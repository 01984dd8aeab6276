using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace VirtAudit.Generators.Analyzers;

/// <summary>Whether a field is in a record, as far as the code tells.</summary>
internal enum Presence
{
    /// <summary>Not known: a non-constant value that may be absent, or a member a <c>with</c> leaves as it was.</summary>
    Maybe,

    /// <summary>Not set, set to <c>null</c>/<c>default</c>, or an absent constant.</summary>
    Absent,

    /// <summary>A constant, or a value of a type that cannot be absent.</summary>
    Present,
}

/// <summary>One <c>Property = value</c> of an object or <c>with</c> initializer.</summary>
internal sealed class MemberAssignment
{
    public MemberAssignment(ISimpleAssignmentOperation assignment, IPropertySymbol property)
    {
        Assignment = assignment;
        Property = property;
        Presence = GetPresence(assignment.Value, property.Type);
        EnumMember = FindEnumMember(assignment.Value);
    }

    public ISimpleAssignmentOperation Assignment { get; }

    public IPropertySymbol Property { get; }

    public Presence Presence { get; }

    /// <summary>The constant enum member assigned (through <c>AuditEnum&lt;T&gt;</c>'s conversion), if any.</summary>
    public IFieldSymbol? EnumMember { get; }

    /// <summary>The member, unless it is the generated <c>Other</c> (a value the schema does not list): nothing to judge.</summary>
    public IFieldSymbol? KnownMember => EnumMember is { Name: not "Other" } ? EnumMember : null;

    private static Presence GetPresence(IOperation value, ITypeSymbol propertyType)
    {
        var inner = Unwrap(value);
        if (inner.ConstantValue.HasValue)
        {
            return inner.ConstantValue.Value is null ? Presence.Absent : Presence.Present;
        }

        if (inner is IDefaultValueOperation)
        {
            return CanBeAbsent(propertyType) ? Presence.Absent : Presence.Present;
        }

        return inner.Type is null || CanBeAbsent(inner.Type) ? Presence.Maybe : Presence.Present;
    }

    /// <summary>Reference types, <c>Nullable&lt;T&gt;</c>, and the runtime's <c>AuditText</c>/<c>AuditEnum&lt;T&gt;</c> (default: absent).</summary>
    private static bool CanBeAbsent(ITypeSymbol type)
    {
        if (!type.IsValueType || type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
        {
            return true;
        }

        return type.Name is "AuditText" or "AuditEnum" && SymbolFacts.IsInNamespace(type, "VirtAudit");
    }

    private static IFieldSymbol? FindEnumMember(IOperation value)
    {
        for (IOperation? operation = value; operation is not null; operation = (operation as IConversionOperation)?.Operand)
        {
            if (operation is IFieldReferenceOperation { Field: { HasConstantValue: true, ContainingType.TypeKind: TypeKind.Enum } field })
            {
                return field;
            }

            if (operation.Type is INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType && operation.ConstantValue.HasValue)
            {
                foreach (var member in enumType.GetMembers())
                {
                    if (member is IFieldSymbol { HasConstantValue: true } candidate && Equals(candidate.ConstantValue, operation.ConstantValue.Value))
                    {
                        return candidate;
                    }
                }

                return null;
            }
        }

        return null;
    }

    /// <summary>The value under its implicit and user-defined conversions (<c>string</c> → <c>AuditText</c>, <c>T</c> → <c>T?</c>, …).</summary>
    public static IOperation Unwrap(IOperation value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        return value;
    }
}

/// <summary>
/// What one object creation (<c>new T { … }</c>) or <c>with</c> expression says about the record it makes: which
/// schema properties it assigns, and which constant values they get.
/// </summary>
internal sealed class RecordInitializer
{
    private readonly Dictionary<string, MemberAssignment> _assignments;
    private readonly List<MemberAssignment> _inSourceOrder;

    private RecordInitializer(IOperation operation, VariantShape shape, bool unassignedAreAbsent, List<MemberAssignment> inSourceOrder)
    {
        Operation = operation;
        Shape = shape;
        UnassignedAreAbsent = unassignedAreAbsent;
        _inSourceOrder = inSourceOrder;
        _assignments = new Dictionary<string, MemberAssignment>(StringComparer.Ordinal);
        foreach (var assignment in inSourceOrder)
        {
            _assignments[assignment.Property.Name] = assignment;
        }
    }

    public IOperation Operation { get; }

    public VariantShape Shape { get; }

    /// <summary>True for <c>new T { … }</c> without constructor arguments: what it does not assign is absent. False for <c>with</c>.</summary>
    public bool UnassignedAreAbsent { get; }

    /// <summary>The assignments in source order.</summary>
    public IReadOnlyList<MemberAssignment> Assignments => _inSourceOrder;

    public static RecordInitializer Create(
        IOperation operation,
        VariantShape shape,
        IObjectOrCollectionInitializerOperation? initializer,
        bool unassignedAreAbsent)
    {
        var assignments = new List<MemberAssignment>();
        if (initializer is not null)
        {
            foreach (var item in initializer.Initializers)
            {
                if (item is ISimpleAssignmentOperation
                    {
                        Target: IPropertyReferenceOperation
                        {
                            Instance: IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver },
                            Property: var property,
                        },
                    } assignment)
                {
                    assignments.Add(new MemberAssignment(assignment, property));
                }
            }
        }

        return new RecordInitializer(operation, shape, unassignedAreAbsent, assignments);
    }

    public MemberAssignment? GetAssignment(string property) => _assignments.TryGetValue(property, out var assignment) ? assignment : null;

    public Presence PresenceOf(string property)
    {
        var assignment = GetAssignment(property);
        return assignment is not null ? assignment.Presence : UnassignedAreAbsent ? Presence.Absent : Presence.Maybe;
    }

    /// <summary>The known constant enum member of <paramref name="property"/>, or the one <paramref name="overrides"/> gives it.</summary>
    public IFieldSymbol? KnownMember(string property, IReadOnlyDictionary<string, IFieldSymbol>? overrides = null)
    {
        if (overrides is not null && overrides.TryGetValue(property, out var overridden))
        {
            return overridden;
        }

        return GetAssignment(property)?.KnownMember;
    }

    /// <summary>
    /// Evaluates <paramref name="condition"/> on the constant values; a clause on a property without a known constant
    /// value is unknown. Adds the clauses that are false to <paramref name="falseClauses"/> when given.
    /// </summary>
    public Truth Evaluate(AuditCondition condition, List<AuditClause>? falseClauses = null, IReadOnlyDictionary<string, IFieldSymbol>? overrides = null)
    {
        var result = Truth.True;
        foreach (var clause in condition.Clauses)
        {
            var member = KnownMember(clause.Property, overrides);
            if (member is null)
            {
                if (result == Truth.True)
                {
                    result = Truth.Unknown;
                }
            }
            else if (!clause.HoldsFor(member.Name))
            {
                result = Truth.False;
                falseClauses?.Add(clause);
            }
        }

        return result;
    }

    /// <summary>What the clauses' properties actually are, e.g. <c>Op is Start and Virt is Kvm</c>.</summary>
    public string DescribeValues(IEnumerable<AuditClause> clauses)
    {
        var parts = new List<string>();
        foreach (var clause in clauses)
        {
            var member = KnownMember(clause.Property);
            parts.Add(clause.Property + " is " + (member?.Name ?? "unknown"));
        }

        return string.Join(" and ", parts);
    }

    /// <summary>Where a diagnostic about the whole record goes: the type of <c>new T</c>, <c>new</c> of <c>new()</c>, or <c>with</c>.</summary>
    public Location RecordLocation => Operation.Syntax switch
    {
        ObjectCreationExpressionSyntax creation => creation.Type.GetLocation(),
        ImplicitObjectCreationExpressionSyntax implicitCreation => implicitCreation.NewKeyword.GetLocation(),
        WithExpressionSyntax with => with.WithKeyword.GetLocation(),
        var syntax => syntax.GetLocation(),
    };
}

/// <summary>Small symbol tests.</summary>
internal static class SymbolFacts
{
    /// <summary>Whether <paramref name="symbol"/> is declared directly in the top-level namespace <paramref name="name"/>.</summary>
    public static bool IsInNamespace(ISymbol symbol, string name) =>
        symbol.ContainingNamespace is { } ns && ns.Name == name && ns.ContainingNamespace is { IsGlobalNamespace: true };

    /// <summary>Whether <paramref name="type"/> is <c>name</c> in the top-level namespace <paramref name="ns"/>.</summary>
    public static bool Is(ITypeSymbol? type, string ns, string name) => type is not null && type.Name == name && IsInNamespace(type, ns);
}
