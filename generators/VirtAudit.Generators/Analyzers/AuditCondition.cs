using System;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace VirtAudit.Generators.Analyzers;

/// <summary>Whether a condition holds for a record, as far as its constant values tell.</summary>
internal enum Truth
{
    Unknown,
    False,
    True,
}

/// <summary>One clause of a condition: <c>Prop=Member</c>, <c>Prop=Member|Member</c> or <c>Prop!=Member</c>.</summary>
internal sealed class AuditClause
{
    public AuditClause(string property, bool negated, ImmutableArray<string> members)
    {
        Property = property;
        Negated = negated;
        Members = members;
    }

    /// <summary>The C# property the clause tests.</summary>
    public string Property { get; }

    /// <summary>True for <c>!=</c>: the clause holds when the value is none of <see cref="Members"/>.</summary>
    public bool Negated { get; }

    /// <summary>Enum member names.</summary>
    public ImmutableArray<string> Members { get; }

    /// <summary>Whether the clause holds for a property whose value is the member <paramref name="member"/>.</summary>
    public bool HoldsFor(string member) => Members.IndexOf(member, 0, StringComparer.Ordinal) >= 0 != Negated;

    /// <summary>The clause in words, e.g. <c>Op is Init</c>, <c>Class is Major or Path</c>, <c>Op is not Init</c>.</summary>
    public string Describe() => Property + (Negated ? " is not " : " is ") + string.Join(" or ", Members);
}

/// <summary>
/// A condition of <c>AuditField.When</c> or <c>AuditValue.OnlyWith</c>: clauses joined by <c>;</c>, all of which must hold.
/// </summary>
internal sealed class AuditCondition
{
    private AuditCondition(ImmutableArray<AuditClause> clauses) => Clauses = clauses;

    public ImmutableArray<AuditClause> Clauses { get; }

    /// <summary>The condition in words, e.g. <c>Op is Init and Virt is Lxc</c>.</summary>
    public string Describe()
    {
        var parts = new string[Clauses.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = Clauses[i].Describe();
        }

        return string.Join(" and ", parts);
    }

    /// <summary>
    /// Parses <paramref name="text"/>; null when it is empty or any clause is malformed (the analyzer then judges
    /// nothing rather than something wrong: the generator reports a broken schema).
    /// </summary>
    public static AuditCondition? Parse(string? text)
    {
        if (text is null || text.Trim().Length == 0)
        {
            return null;
        }

        var clauses = ImmutableArray.CreateBuilder<AuditClause>();
        foreach (var rawClause in text.Split(';'))
        {
            var clause = rawClause.Trim();
            if (clause.Length == 0)
            {
                continue;
            }

            var negated = false;
            var operatorIndex = clause.IndexOf("!=", StringComparison.Ordinal);
            int valueStart;
            if (operatorIndex >= 0)
            {
                negated = true;
                valueStart = operatorIndex + 2;
            }
            else
            {
                operatorIndex = clause.IndexOf('=');
                valueStart = operatorIndex + 1;
            }

            if (operatorIndex <= 0)
            {
                return null;
            }

            var property = clause.Substring(0, operatorIndex).Trim();
            var members = new List<string>();
            foreach (var rawMember in clause.Substring(valueStart).Split('|'))
            {
                var member = rawMember.Trim();
                if (member.Length > 0)
                {
                    members.Add(member);
                }
            }

            if (property.Length == 0 || members.Count == 0)
            {
                return null;
            }

            clauses.Add(new AuditClause(property, negated, members.ToImmutableArray()));
        }

        return clauses.Count == 0 ? null : new AuditCondition(clauses.ToImmutable());
    }
}
