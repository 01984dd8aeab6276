using System.Collections.Generic;
using System.Linq;
using VirtAudit.Generators.Model;

namespace VirtAudit.Generators.Emit;

/// <summary>
/// The JSON and text forms of a generated record struct, written into the struct by <see cref="Emitter"/>:
/// <list type="bullet">
/// <item>a nested <c>JsonConverter</c> (attached with <c>[JsonConverter]</c>, so <c>JsonSerializer</c>, trimmed and AOT
/// builds and source-generated contexts use it without reflection): an object keyed by the audit field names in
/// libvirt's order, with decoded values (<c>VirtAudit.Json.AuditJson</c> spells every kind), a value written as
/// <c>?</c> as <c>null</c>, a field libvirt did not write (conditional, optional, missing in a legacy shape) left out,
/// constant fields included; reading accepts the same object (unknown properties are skipped, a constant with another
/// value is an error);</item>
/// <item><c>PrintMembers</c>, so that <c>ToString()</c> shows every absent value the same way, as <c>?</c> (what libvirt
/// writes for it), whatever the property's type.</item>
/// </list>
/// </summary>
internal static class JsonEmitter
{
    private const string Rt = "global::VirtAudit.";
    private const string Json = "global::System.Text.Json.";
    private const string Aj = "global::VirtAudit.Json.AuditJson.";

    /// <summary>The attribute that attaches the converter; written before the struct.</summary>
    public static void EmitAttribute(SourceWriter w, VariantModel v) =>
        w.Line($"[{Json}Serialization.JsonConverter(typeof({v.Name}.JsonConverter))]");

    /// <summary>The converter and <c>PrintMembers</c>; written inside the struct.</summary>
    public static void EmitMembers(SourceWriter w, VariantModel v, IReadOnlyList<FieldModel> props, System.Func<FieldModel, string> propertyType)
    {
        EmitPrintMembers(w, props);
        w.Line();
        w.DocXml($"Reads and writes a <see cref=\"{v.Name}\"/> as a JSON object keyed by its audit field names, with decoded values and <c>null</c> for absent ones.");
        w.Open($"public sealed class JsonConverter : {Json}Serialization.JsonConverter<{v.Name}>");
        EmitWrite(w, v);
        w.Line();
        EmitRead(w, v, props, propertyType);
        w.Close();
    }

    private static void EmitPrintMembers(SourceWriter w, IReadOnlyList<FieldModel> props)
    {
        w.DocXml("Writes the properties for <c>ToString()</c>: every absent value as <c>?</c>, as libvirt writes it.");
        w.Open("private bool PrintMembers(global::System.Text.StringBuilder builder)");
        var first = true;
        foreach (var f in props)
        {
            var value = f.Type switch
            {
                FieldType.Text => $"{f.Name}.ToString()",
                FieldType.Enum => $"({f.Name}.IsSet ? {f.Name}.ToString() : \"?\")",
                FieldType.Int64 or FieldType.UInt64 or FieldType.HexByte => Nullable(f)
                    ? $"({f.Name}.HasValue ? {f.Name}.GetValueOrDefault().ToString(global::System.Globalization.CultureInfo.InvariantCulture) : \"?\")"
                    : $"{f.Name}.ToString(global::System.Globalization.CultureInfo.InvariantCulture)",
                _ => Nullable(f) ? $"({f.Name}.HasValue ? {f.Name}.GetValueOrDefault().ToString() : \"?\")" : $"{f.Name}.ToString()",
            };
            w.Line($"builder.Append({SourceWriter.Literal((first ? string.Empty : ", ") + f.Name + " = ")}).Append({value});");
            first = false;
        }

        w.Line($"builder.Append({SourceWriter.Literal((first ? string.Empty : ", ") + "Legacy = ")}).Append(Legacy.ToString());");
        w.Line("return true;");
        w.Close();
    }

    private static void EmitWrite(SourceWriter w, VariantModel v)
    {
        w.DocXml("Writes the record as a JSON object.");
        w.Open($"public override void Write({Json}Utf8JsonWriter writer, {v.Name} value, {Json}JsonSerializerOptions options)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(writer);");
        w.Line("writer.WriteStartObject();");
        foreach (var f in v.Fields)
        {
            var key = SourceWriter.Utf8(f.Audit);
            if (f.IsConstant)
            {
                w.Line($"writer.WriteString({key}, {SourceWriter.Utf8(f.Constant!)});");
                continue;
            }

            // A field libvirt did not write (a conditional, optional or legacy-missing one) is left out; a field written
            // as ? is null.
            var omittable = f.Presence != Presence.Required || (f.LegacyAbsent && !f.Nullable);
            if (omittable)
            {
                // A nullable conditional field whose condition holds was written as ?: null.
                var written = f.Nullable && f.When.Count > 0 ? $"{Present(f)} || ({Condition(f.When)})" : Present(f);
                w.Open($"if ({written})");
            }

            w.Line($"writer.WritePropertyName({key});");
            w.Line(f.Type switch
            {
                FieldType.Text => $"{Aj}WriteText(writer, value.{f.Name});",
                FieldType.Enum => $"global::VirtAudit.Json.AuditEnumJsonConverter<{f.EnumFullName}>.Instance.Write(writer, value.{f.Name}, options);",
                FieldType.Int64 => $"{Aj}WriteInt64(writer, value.{f.Name});",
                FieldType.UInt64 => $"{Aj}WriteUInt64(writer, value.{f.Name});",
                FieldType.Uuid => $"{Aj}WriteUuid(writer, value.{f.Name});",
                FieldType.Mac => $"{Aj}WriteMac(writer, value.{f.Name});",
                FieldType.DevNum => $"{Aj}WriteDeviceNumber(writer, value.{f.Name});",
                _ => $"{Aj}WriteHexByte(writer, value.{f.Name});",
            });
            if (omittable)
            {
                w.Close();
            }
        }

        w.Line("writer.WriteEndObject();");
        w.Close();
    }

    private static void EmitRead(SourceWriter w, VariantModel v, IReadOnlyList<FieldModel> props, System.Func<FieldModel, string> propertyType)
    {
        var name = SourceWriter.Literal(v.Name);
        w.DocXml("Reads the record from a JSON object; unknown properties are skipped.");
        w.Open($"public override {v.Name} Read(ref {Json}Utf8JsonReader reader, global::System.Type typeToConvert, {Json}JsonSerializerOptions options)");
        w.Open($"if (reader.TokenType != {Json}JsonTokenType.StartObject)");
        w.Line($"throw {Aj}NotAnObject({name}, reader.TokenType);");
        w.Close();
        w.Line();
        foreach (var f in props)
        {
            w.Line($"{propertyType(f)} f{f.Name} = default;");
        }

        w.Open($"while (reader.Read() && reader.TokenType == {Json}JsonTokenType.PropertyName)");
        var first = true;
        foreach (var f in v.Fields)
        {
            w.Open($"{(first ? string.Empty : "else ")}if (reader.ValueTextEquals({SourceWriter.Utf8(f.Audit)}))");
            first = false;
            w.Line("reader.Read();");
            if (f.IsConstant)
            {
                w.Open($"if (!reader.ValueTextEquals({SourceWriter.Utf8(f.Constant!)}))");
                w.Line($"throw {Aj}WrongConstant({name}, {SourceWriter.Literal(f.Audit)}, {SourceWriter.Literal(f.Constant!)});");
                w.Close();
            }
            else
            {
                w.Line($"f{f.Name} = {ReadExpression(f, name)};");
            }

            w.Close();
        }

        w.Open("else");
        w.Line("reader.Read();");
        w.Line("reader.Skip();");
        w.Close();
        w.Close();
        w.Line();
        w.Open($"if (reader.TokenType != {Json}JsonTokenType.EndObject)");
        w.Line($"throw new {Json}JsonException({SourceWriter.Literal(v.Name + ": the JSON object is not closed")});");
        w.Close();
        w.Line();
        w.Open($"return new {v.Name}");
        foreach (var f in props)
        {
            w.Line($"{f.Name} = f{f.Name},");
        }

        w.Close(";");
        w.Close();
    }

    private static string ReadExpression(FieldModel f, string record)
    {
        var read = f.Type switch
        {
            FieldType.Text => $"{Aj}ReadText(ref reader)",
            FieldType.Enum => $"global::VirtAudit.Json.AuditEnumJsonConverter<{f.EnumFullName}>.Instance.Read(ref reader, typeof({Rt}AuditEnum<{f.EnumFullName}>), options)",
            FieldType.Int64 => $"{Aj}ReadInt64(ref reader)",
            FieldType.UInt64 => $"{Aj}ReadUInt64(ref reader)",
            FieldType.Uuid => $"{Aj}ReadUuid(ref reader)",
            FieldType.Mac => $"{Aj}ReadMac(ref reader)",
            FieldType.DevNum => $"{Aj}ReadDeviceNumber(ref reader)",
            _ => $"{Aj}ReadHexByte(ref reader)",
        };
        return f.Type is FieldType.Text or FieldType.Enum || Nullable(f)
            ? read
            : $"{read} ?? throw {Aj}Missing({record}, {SourceWriter.Literal(f.Audit)})";
    }

    /// <summary>True (as C# over <c>value</c>) when every clause of <paramref name="when"/> holds.</summary>
    private static string Condition(EquatableArray<ConditionModel> when) => string.Join(" && ", when.Select(c => "(" + (c.Negated
        ? string.Join(" && ", c.Members.Select(m => $"value.{c.Property} != {c.EnumFullName}.{m}"))
        : string.Join(" || ", c.Members.Select(m => $"value.{c.Property} == {c.EnumFullName}.{m}"))) + ")"));

    private static string Present(FieldModel f) => f.Type switch
    {
        FieldType.Text => $"!value.{f.Name}.IsAbsent",
        FieldType.Enum => $"value.{f.Name}.IsSet",
        _ => $"value.{f.Name}.HasValue",
    };

    private static bool Nullable(FieldModel f) => f.Nullable || f.Presence != Presence.Required || f.LegacyAbsent;
}
