using System.Collections.Generic;
using System.Linq;
using VirtAudit.Generators.Model;

namespace VirtAudit.Generators.Emit;

// The generated TryParse: the allocation-free parser of a variant over PayloadReader.
internal static partial class Emitter
{
    private static void EmitParse(SourceWriter w, VariantModel v)
    {
        w.DocXml($"Parses a <c>{SourceWriter.Escape(v.Name)}</c> payload: the text inside <c>msg='…'</c>, with or without libaudit's trailer. No bytes are copied: text values refer to <paramref name=\"message\"/>.", "False also for a payload that parses but that libvirt could not have written (see <see cref=\"IsValid\"/>): a record that parses is one <see cref=\"TryFormat\"/> writes.");
        w.Line($"public static bool TryParse(global::System.ReadOnlyMemory<byte> message, out {v.Name} record) => {Cs}VirtAuditVariants.TryParse(message, out record);");
        w.Line();
        w.DocXml($"Parses a <c>{SourceWriter.Escape(v.Name)}</c> payload, throwing <see cref=\"global::VirtAudit.AuditFormatException\"/> (with the byte offset and field) when it is not one, or not one libvirt could have written (see <see cref=\"IsValid\"/>).");
        w.Line($"public static {v.Name} Parse(global::System.ReadOnlyMemory<byte> message) => {Cs}VirtAuditVariants.Parse<{v.Name}>(message);");
        w.Line();
        w.Line($"static bool {Rt}IVirtAuditVariant<{v.Name}>.TryRead(ref {Cs}PayloadReader reader, out {v.Name} record) => TryRead(ref reader, out record);");
        w.Line();
        w.Open($"private static bool TryRead(ref {Cs}PayloadReader r, out {v.Name} record)");
        w.Line("record = default;");
        var fields = v.Fields.ToList();
        for (var i = 0; i < fields.Count; i++)
        {
            var f = fields[i];
            var key = SourceWriter.Utf8(f.Audit);
            if (f.IsConstant)
            {
                w.Open($"if (!r.TryReadConstant({key}, {SourceWriter.Utf8(f.Constant!)}))");
                w.Line($"return r.Fail({SourceWriter.Literal($"expected {f.Audit}={f.Constant}")});");
                w.Close();
                continue;
            }

            var local = "f" + f.Name;
            var stop = i + 1 < fields.Count ? SourceWriter.Utf8(fields[i + 1].Audit) : "default";
            var (call, outType) = ReadCall(f, key, stop, LaterKeys(fields, i));
            var optional = f.Presence != Presence.Required || f.LegacyAbsent;
            if (!optional)
            {
                // A MAC or device number read as "?" must be present unless the property is nullable: only then
                // does the value go through a temporary.
                var unwrap = f.Type is FieldType.Mac or FieldType.DevNum && !IsNullableValue(f);
                var target = unwrap ? "t" + f.Name : local;
                w.Open($"if (!{call}, out {outType} {target}))");
                w.Line($"return r.Fail({SourceWriter.Literal($"expected the field {f.Audit}")});");
                w.Close();
                if (unwrap)
                {
                    w.Open($"if (!{target}.HasValue)");
                    w.Line($"return r.Fail({SourceWriter.Literal($"{f.Audit} must not be ?")});");
                    w.Close();
                    w.Line($"var {local} = {target}.GetValueOrDefault();");
                }

                continue;
            }

            w.Line($"{PropertyType(f)} {local} = default;");
            w.Open($"if (r.IsNext({key}))");
            var temp = "t" + f.Name;
            w.Open($"if (!{call}, out {outType} {temp}))");
            w.Line($"return r.Fail({SourceWriter.Literal($"invalid value of {f.Audit}")});");
            w.Close();
            w.Line($"{local} = {temp};");
            w.Close();
            if (f.LegacyAbsent)
            {
                w.Open("else");
                w.Line($"r.Legacy |= {Rt}LegacyShape.MissingField;");
                w.Close();
            }
        }

        foreach (var f in fields.Where(f => f.LegacyValues.Count > 0))
        {
            var test = string.Join(" || ", f.LegacyValues.Select(value => $"f{f.Name} == {value}"));
            w.Open($"if ({test})");
            w.Line($"r.Legacy |= {Rt}LegacyShape.LegacyValue;");
            w.Close();
        }

        w.Open("if (!r.End)");
        w.Line($"return r.Fail(\"unexpected text after the last field of {v.Name}\");");
        w.Close();
        w.Line();
        w.Line($"record = new {v.Name}");
        w.Line("{");
        foreach (var f in fields.Where(f => !f.IsConstant))
        {
            w.Line($"    {f.Name} = f{f.Name},");
        }

        w.Line(v.Legacy ? $"    Legacy = r.Legacy | {Rt}LegacyShape.LegacyVariant," : "    Legacy = r.Legacy,");
        w.Line("};");
        w.Open("if (!record.Validate(out var field, out var error))");
        w.Line("record = default;");
        w.Line("return r.FailValidation(field, error);");
        w.Close();
        w.Line();
        w.Line("return true;");
        w.Close();
    }

    // A raw field's own key and the keys that may follow it in libvirt's order, as " key=" needles: text of one of them
    // inside the raw value gives the payload another reading (PayloadReader marks it ambiguous).
    private static string LaterKeys(List<FieldModel> fields, int index) =>
        SourceWriter.Utf8(string.Concat(fields.Skip(index).Select(f => f.Audit).Distinct().Select(k => " " + k + "=")));

    private static (string Call, string OutType) ReadCall(FieldModel f, string key, string stop, string laterKeys) => f.Type switch
    {
        // A required encoded text that is not nullable is never NULL in libvirt: "?" there is the text ? (vm="?").
        FieldType.Text when f.Encoded => (f.BareAbsent ? $"r.TryReadEncodedOrBareAbsent({key}" : f.Presence == Presence.Required && !f.Nullable ? $"r.TryReadEncodedText({key}" : $"r.TryReadEncoded({key}", Rt + "AuditText"),
        FieldType.Text when f.Token => ($"r.TryReadRawToken({key}", Rt + "AuditText"),
        FieldType.Text => ($"r.TryReadRaw({key}, {stop}, {laterKeys}", Rt + "AuditText"),
        FieldType.Enum => ($"r.TryReadEnum({key}", BaseType(f)),
        FieldType.Int64 => f.Nullable ? ($"r.TryReadNullableInt64({key}", "long?") : ($"r.TryReadInt64({key}", "long"),
        FieldType.UInt64 => f.Nullable ? ($"r.TryReadNullableUInt64({key}", "ulong?") : ($"r.TryReadUInt64({key}", "ulong"),
        FieldType.Uuid => f.Nullable ? ($"r.TryReadNullableUuid({key}", "global::System.Guid?") : ($"r.TryReadUuid({key}", "global::System.Guid"),
        FieldType.Mac => ($"r.TryReadMac({key}, {(f.Encoded ? "true" : "false")}", Rt + "MacAddress?"),
        FieldType.DevNum => ($"r.TryReadDeviceNumber({key}", Rt + "DeviceNumber?"),
        _ => f.Nullable ? ($"r.TryReadNullableHexByte({key}", "byte?") : ($"r.TryReadHexByte({key}", "byte"),
    };
}
