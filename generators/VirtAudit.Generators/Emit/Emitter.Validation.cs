using System.Collections.Generic;
using System.Linq;
using VirtAudit.Generators.Model;

namespace VirtAudit.Generators.Emit;

// The generated IsValid: every rule of the schema checked on a constructed value.
internal static partial class Emitter
{
    private static void EmitIsValid(SourceWriter w, SchemaModel schema, VariantModel v, List<FieldModel> props)
    {
        w.Doc("Checks that libvirt could have written this record: required fields set, conditional fields present exactly when their condition holds, raw values printable, and the variant's constraints.", "Returns false with a message that names the field and the reason.");
        w.Line("public bool IsValid([global::System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error) => Validate(out _, out error);");
        w.Line();
        w.Open("private bool Validate(out global::System.ReadOnlySpan<byte> field, [global::System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)");
        foreach (var f in props)
        {
            var label = $"{f.Name} ({f.Audit})";
            var absent = PresenceTest(f, holds: false);
            if (f.Presence == Presence.Required && !f.Nullable && absent is not null)
            {
                if (f.LegacyAbsent)
                {
                    w.Open($"if ({absent} && (Legacy & {Rt}LegacyShape.MissingField) == 0)");
                    w.Line($"field = {SourceWriter.Utf8(f.Audit)};");
                    w.Line($"error = {SourceWriter.Literal(label + " is required; only records parsed from old libvirt versions may lack it")};");
                }
                else
                {
                    w.Open($"if ({absent})");
                    w.Line($"field = {SourceWriter.Utf8(f.Audit)};");
                    w.Line($"error = {SourceWriter.Literal(label + " is required")};");
                }

                w.Line("return false;");
                w.Close();
            }
            else if (f.Presence == Presence.Conditional)
            {
                var text = ConditionText(f.When);
                w.Open($"if ({All(PresenceTest(f, holds: true), Condition(f.When, holds: false, operand: true))})");
                w.Line($"field = {SourceWriter.Utf8(f.Audit)};");
                w.Line($"error = {SourceWriter.Literal(label + " is only written when " + text)};");
                w.Line("return false;");
                w.Close();
                if (!f.Nullable && absent is not null)
                {
                    w.Open($"if ({All(absent, Condition(f.When, holds: true, operand: true))})");
                    w.Line($"field = {SourceWriter.Utf8(f.Audit)};");
                    w.Line($"error = {SourceWriter.Literal(label + " is required when " + text)};");
                    w.Line("return false;");
                    w.Close();
                }
            }

            if (f.Pattern is not null)
            {
                w.Open($"if (!{Cs}GeneratedValidation.Matches({f.Name}, {SourceWriter.Utf8(f.Pattern)}))");
                w.Line($"field = {SourceWriter.Utf8(f.Audit)};");
                w.Line($"error = {SourceWriter.Literal(label + " does not match the pattern " + f.Pattern)};");
                w.Line("return false;");
                w.Close();
            }

            foreach (var c in f.PatternBy?.Cases ?? EquatableArray<PatternCase>.Empty)
            {
                w.Open($"if ({f.PatternBy!.Property} == {f.PatternBy.EnumFullName}.{c.Member} && !{Cs}GeneratedValidation.Matches({f.Name}, {SourceWriter.Utf8(c.Pattern)}))");
                w.Line($"field = {SourceWriter.Utf8(f.Audit)};");
                w.Line($"error = {SourceWriter.Literal(label + " does not match the pattern for " + f.PatternBy.Property + " = " + c.Member + ": " + c.Pattern)};");
                w.Line("return false;");
                w.Close();
            }

            if (f.Type == FieldType.Text && f.Token)
            {
                w.Open($"if (!{f.Name}.CanWriteAsToken)");
                w.Line($"field = {SourceWriter.Utf8(f.Audit)};");
                w.Line($"error = {SourceWriter.Literal(label + " is written raw as one word and cannot be empty or hold a space, a control byte or DEL")};");
                w.Line("return false;");
                w.Close();
            }
            else if (f.Type == FieldType.Text && !f.Encoded)
            {
                w.Open($"if (!{f.Name}.CanWriteRaw)");
                w.Line($"field = {SourceWriter.Utf8(f.Audit)};");
                w.Line($"error = {SourceWriter.Literal(label + " is written raw and cannot be empty or hold a control byte or DEL")};");
                w.Line("return false;");
                w.Close();
            }
            else if (f.Type == FieldType.Enum)
            {
                // A required enum returned above when unset: no IsSet test then.
                var set = f.Presence == Presence.Required && !f.LegacyAbsent ? null : $"{f.Name}.IsSet";
                var e = EnumOf(schema, f);
                if (e is { Closed: true })
                {
                    // Every value a producer writes is listed: another one (Other, or unknown text) is not its record.
                    w.Open($"if ({All(set, $"!{f.Name}.IsKnown")})");
                    w.Line($"field = {SourceWriter.Utf8(f.Audit)};");
                    w.Line($"error = {SourceWriter.Literal(label + " must be " + OneOf(e.Values.Select(x => x.Audit).ToList()) + ": the schema lists every value written there")};");
                }
                else
                {
                    w.Open($"if ({All(set, $"!{f.Name}.IsKnown", $"!{f.Name}.Text.CanWriteAsToken")})");
                    w.Line($"field = {SourceWriter.Utf8(f.Audit)};");
                    w.Line($"error = {SourceWriter.Literal(label + " is written raw and cannot hold a space, a control byte or DEL")};");
                }

                w.Line("return false;");
                w.Close();
                if (f.Values.Count > 0)
                {
                    // The variant writes only some of the enum's values here (cgroup: allow, deny); text the enum
                    // does not list is not one of them either.
                    w.Open($"if ({All(set, "!(" + string.Join(" || ", f.Values.Select(x => $"{f.Name} == {f.EnumFullName}.{x.Name}")) + ")")})");
                    w.Line($"field = {SourceWriter.Utf8(f.Audit)};");
                    w.Line($"error = {SourceWriter.Literal(label + " must be " + OneOf(f.Values.Select(x => x.Audit).ToList()) + " in " + v.Name + " records")};");
                    w.Line("return false;");
                    w.Close();
                }

                EmitValueRules(w, v, props, f, e, label);
            }
        }

        foreach (var c in v.Constraints)
        {
            var fields = c.Properties.Select(p => props.First(f => f.Name == p)).ToList();
            var names = string.Join(", ", fields.Select(f => $"{f.Name} ({f.Audit})"));
            if (c.Kind == "exactly-one")
            {
                w.Open($"if ({string.Join(" + ", fields.Select(f => $"({PresenceTest(f, holds: true) ?? "true"} ? 1 : 0)"))} != 1)");
                w.Line($"field = {SourceWriter.Utf8(string.Join(",", c.AuditNames))};");
                w.Line($"error = {SourceWriter.Literal("exactly one of " + names + " must be set")};");
            }
            else
            {
                w.Open($"if ({All(fields.Select(f => PresenceTest(f, holds: false) ?? "false").ToArray())})");
                w.Line($"field = {SourceWriter.Utf8(string.Join(",", c.AuditNames))};");
                w.Line($"error = {SourceWriter.Literal("libvirt writes no record when " + names + " are all absent")};");
            }

            w.Line("return false;");
            w.Close();
        }

        w.Line("field = default;");
        w.Line("error = null;");
        w.Line("return true;");
        w.Close();
        w.Line();
    }

    /// <summary>
    /// The enum values of <paramref name="f"/> that do not fit this variant (<c>only-in</c> names other variants) or
    /// its other fields (<c>only-with</c>), as one switch on the known value: such a record is not one the producer
    /// writes (the analyzer's VA2003 on a record built in code). A rule whose partner field this variant lacks
    /// cannot be judged and is left out, as the analyzer leaves it.
    /// </summary>
    private static void EmitValueRules(SourceWriter w, VariantModel v, List<FieldModel> props, FieldModel f, EnumModel? e, string label)
    {
        var rules = new List<(EnumValueModel Value, string? Guard, string Text)>();
        foreach (var value in f.Values.Count > 0 ? f.Values : e?.Values ?? EquatableArray<EnumValueModel>.Empty)
        {
            if (value.OnlyIn.Count > 0 && !value.OnlyIn.Contains(v.Name))
            {
                rules.Add((value, null, $"{label} = {value.Audit} is only written in {string.Join(" or ", value.OnlyIn)} records"));
            }
            else if (value.OnlyWith.Count > 0 && value.OnlyWith.All(c => props.Any(p => p.Name == c.Property && p.EnumFullName == c.EnumFullName)))
            {
                rules.Add((value, Condition(value.OnlyWith, holds: false), $"{label} = {value.Audit} is only written when {ConditionText(value.OnlyWith)}"));
            }
        }

        if (rules.Count == 0)
        {
            return;
        }

        w.Open($"if ({f.Name}.IsKnown)");
        w.Open($"switch ({f.Name}.Value)");
        foreach (var (value, guard, text) in rules)
        {
            w.Line($"case {f.EnumFullName}.{value.Name}{(guard is null ? string.Empty : " when " + guard)}:");
            w.Indent();
            w.Line($"field = {SourceWriter.Utf8(f.Audit)};");
            w.Line($"error = {SourceWriter.Literal(text)};");
            w.Line("return false;");
            w.Outdent();
        }

        w.Close();
        w.Close();
    }

    private static string OneOf(List<string> values) =>
        values.Count == 1 ? values[0] : string.Join(", ", values.Take(values.Count - 1)) + " or " + values[values.Count - 1];

    /// <summary>The enum of an enum field (the schema's own, or a built-in one an extending schema uses).</summary>
    private static EnumModel? EnumOf(SchemaModel schema, FieldModel f) =>
        f.Type == FieldType.Enum ? schema.Enums.FirstOrDefault(e => e.FullName == f.EnumFullName) : null;
}
