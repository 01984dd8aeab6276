using System.Collections.Generic;
using System.Linq;
using VirtAudit.Generators.Model;

namespace VirtAudit.Generators.Emit;

// Properties of a variant struct: their types, presence tests, `when` conditions and the attributes the analyzer reads.
internal static partial class Emitter
{
    private static void EmitProperty(SourceWriter w, FieldModel f, EnumModel? e)
    {
        var how = f.Encoded ? "encoded by the audit rule (quoted, or upper-case hex)" : f.Token ? "written as is, one word" : "written as is";
        var remarks = $"Audit field <c>{SourceWriter.Escape(f.Audit)}</c>, {how}";
        if (f.Presence == Presence.Conditional)
        {
            remarks += "; present only when " + SourceWriter.Escape(ConditionText(f.When));
        }
        else if (f.Presence == Presence.Optional)
        {
            remarks += "; may be missing";
        }

        if (f.Values.Count > 0)
        {
            remarks += "; only " + SourceWriter.Escape(OneOf(f.Values.Select(x => x.Audit).ToList())) + " in this record";
        }

        if (f.Nullable)
        {
            remarks += f.BareAbsent ? "; <c>\"?\"</c> when absent, or a bare <c>?</c> (kept as parsed)" : f.Encoded ? "; <c>\"?\"</c> when absent" : "; <c>?</c> when absent";
        }

        if (f.LegacyAbsent)
        {
            remarks += "; missing in logs from old libvirt versions";
        }

        w.Doc(f.Doc, remarks + ".");
        var args = SourceWriter.Literal(f.Audit);
        if (f.Presence != Presence.Required)
        {
            args += $", Presence = {Sch}AuditPresence.{f.Presence}";
        }

        if (f.When.Count > 0)
        {
            args += ", When = " + SourceWriter.Literal(WhenAttribute(f.When));
        }

        if (f.Pattern is not null)
        {
            args += ", Pattern = " + SourceWriter.Literal(f.Pattern);
        }

        if (f.PatternBy is { } by)
        {
            args += ", PatternField = " + SourceWriter.Literal(by.Property) + ", PatternsByValue = " + SourceWriter.Literal(string.Join("\n", by.Cases.Select(c => c.Member + "=" + c.Pattern)));
        }

        if (f.Type == FieldType.Text && !f.Encoded)
        {
            args += f.Token ? ", Token = true" : ", Raw = true";
        }

        if (f.Nullable)
        {
            args += ", Nullable = true";
        }

        if (e is { Closed: true })
        {
            args += ", Closed = true";
        }

        if (f.Values.Count > 0)
        {
            args += ", Values = " + SourceWriter.Literal(string.Join("|", f.Values.Select(x => x.Name)));
        }

        w.Line($"[{Sch}AuditField({args})]");
        var required = IsRequiredMember(f) ? "required " : string.Empty;
        w.Line($"public {required}{PropertyType(f)} {f.Name} {{ get; init; }}");
        w.Line();
    }

    private static bool IsRequiredMember(FieldModel f) => f.Presence == Presence.Required && !f.Nullable;

    private static bool IsNullableValue(FieldModel f) => f.Nullable || f.Presence != Presence.Required || f.LegacyAbsent;

    private static string BaseType(FieldModel f) => f.Type switch
    {
        FieldType.Text => Rt + "AuditText",
        FieldType.Enum => $"{Rt}AuditEnum<{f.EnumFullName}>",
        FieldType.Int64 => "long",
        FieldType.UInt64 => "ulong",
        FieldType.Uuid => "global::System.Guid",
        FieldType.Mac => Rt + "MacAddress",
        FieldType.DevNum => Rt + "DeviceNumber",
        _ => "byte",
    };

    private static bool IsStructWithNullable(FieldModel f) => f.Type is not (FieldType.Text or FieldType.Enum);

    private static string PropertyType(FieldModel f) => IsStructWithNullable(f) && IsNullableValue(f) ? BaseType(f) + "?" : BaseType(f);

    /// <summary>
    /// A C# test of whether the property holds a value (<paramref name="holds"/>) or not; null when the answer is
    /// always <paramref name="holds"/> (a non-nullable struct).
    /// </summary>
    private static string? PresenceTest(FieldModel f, bool holds) => f.Type switch
    {
        FieldType.Text => holds ? $"!{f.Name}.IsAbsent" : $"{f.Name}.IsAbsent",
        FieldType.Enum => holds ? $"{f.Name}.IsSet" : $"!{f.Name}.IsSet",
        _ => !IsNullableValue(f) ? null : holds ? $"{f.Name}.HasValue" : $"!{f.Name}.HasValue",
    };

    /// <summary>
    /// A C# test, built from the clauses, of whether <paramref name="when"/> holds (<paramref name="holds"/>) or not
    /// (De Morgan: each clause negated, joined by <c>||</c>); parenthesized when it is an <c>||</c> and
    /// <paramref name="operand"/> (it is joined to other tests by <c>&amp;&amp;</c>).
    /// </summary>
    private static string Condition(EquatableArray<ConditionModel> when, bool holds, bool operand = false)
    {
        // A clause holds when the property is one of the members (==, joined by ||), or for a negated clause none
        // of them (!=, joined by &&); its negation swaps the two.
        var clauses = when.Select(c =>
        {
            var equals = holds != c.Negated;
            var tests = c.Members.Select(m => $"{c.Property} {(equals ? "==" : "!=")} {c.EnumFullName}.{m}").ToList();
            return (Text: string.Join(equals ? " || " : " && ", tests), IsOr: equals && tests.Count > 1, IsAnd: !equals && tests.Count > 1);
        }).ToList();
        if (clauses.Count == 1)
        {
            return operand && clauses[0].IsOr ? $"({clauses[0].Text})" : clauses[0].Text;
        }

        var text = holds
            ? string.Join(" && ", clauses.Select(c => c.IsOr ? $"({c.Text})" : c.Text))
            : string.Join(" || ", clauses.Select(c => c.IsAnd ? $"({c.Text})" : c.Text));
        return operand && !holds ? $"({text})" : text;
    }

    /// <summary><paramref name="tests"/> joined by <c>&amp;&amp;</c>, leaving out the ones that are always true (null).</summary>
    private static string All(params string?[] tests)
    {
        var kept = tests.Where(t => t is not null).ToList();
        return kept.Count == 0 ? "true" : string.Join(" && ", kept);
    }

    internal static string ConditionText(EquatableArray<ConditionModel> when) => string.Join(" and ", when.Select(c =>
        c.Negated ? $"{c.Audit} is not {string.Join(" or ", c.AuditValues)}" : $"{c.Audit}={string.Join(" or ", c.AuditValues)}"));

    private static string WhenAttribute(EquatableArray<ConditionModel> when) => string.Join(";", when.Select(c =>
        c.Property + (c.Negated ? "!=" : "=") + string.Join("|", c.Members)));
}
