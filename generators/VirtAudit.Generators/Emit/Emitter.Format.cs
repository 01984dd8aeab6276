using System.Collections.Generic;
using VirtAudit.Generators.Model;

namespace VirtAudit.Generators.Emit;

// The generated TryFormat: the byte-exact UTF-8 encoder of a variant.
internal static partial class Emitter
{
    private static void EmitTryFormat(SourceWriter w, VariantModel v)
    {
        w.DocXml("Writes the libvirt payload (without libaudit's <c>exe=… res=…</c> trailer) byte for byte as libvirt does.", "Returns false when <paramref name=\"destination\"/> is too small. Throws <see cref=\"global::VirtAudit.AuditFormatException\"/> when the record is not one libvirt could write (see <see cref=\"IsValid\"/>).");
        w.Open("public bool TryFormat(global::System.Span<byte> destination, out int bytesWritten)");
        w.Open("if (!Validate(out var field, out var error))");
        w.Line($"throw new {Rt}AuditFormatException(global::System.Text.Encoding.UTF8.GetString(field), {SourceWriter.Literal(v.Name + ": ")} + error);");
        w.Close();
        w.Line();
        w.Line("bytesWritten = 0;");
        w.Line($"var w = new {Cs}PayloadWriter(destination);");
        foreach (var f in v.Fields)
        {
            var key = SourceWriter.Utf8(f.Audit);
            var write = WriteCall(f, key);
            string? guard = null;
            if (!f.IsConstant)
            {
                if (f.Presence == Presence.Conditional)
                {
                    guard = f.Nullable ? Condition(f.When, holds: true, operand: true) : PresenceTest(f, holds: true);
                }
                else if (f.Presence == Presence.Optional || f.LegacyAbsent)
                {
                    guard = PresenceTest(f, holds: true);
                }
            }

            if (guard is null)
            {
                w.Open($"if (!{write})");
            }
            else
            {
                w.Open($"if ({guard} && !{write})");
            }

            w.Line("return false;");
            w.Close();
        }

        w.Line();
        w.Line("bytesWritten = w.BytesWritten;");
        w.Line("return true;");
        w.Close();
        w.Line();
        w.DocXml("Writes the libvirt payload to <paramref name=\"writer\"/>; nothing is written when the record is invalid.", "Throws <see cref=\"global::VirtAudit.AuditFormatException\"/> when the record is not one libvirt could write.");
        w.Line($"public void WriteTo(global::System.Buffers.IBufferWriter<byte> writer) => {Cs}VirtAuditVariants.WriteTo(this, writer);");
        w.Line();
    }

    private static string WriteCall(FieldModel f, string key)
    {
        if (f.IsConstant)
        {
            return $"w.WriteConstant({key}, {SourceWriter.Utf8(f.Constant!)})";
        }

        // A nullable value (`?` when absent) is passed as is; an optional one is only written when present.
        var value = IsStructWithNullable(f) && IsNullableValue(f) && !f.Nullable && f.Type is not (FieldType.Mac or FieldType.DevNum) ? f.Name + ".GetValueOrDefault()" : f.Name;
        return f.Type switch
        {
            FieldType.Text => f.BareAbsent ? $"w.WriteEncodedOrBareAbsent({key}, {value})" : f.Encoded ? $"w.WriteEncoded({key}, {value})" : $"w.WriteRaw({key}, {value})",
            FieldType.Enum => $"w.WriteEnum({key}, {value})",
            FieldType.Int64 => $"w.WriteInt64({key}, {value})",
            FieldType.UInt64 => $"w.WriteUInt64({key}, {value})",
            FieldType.Uuid => $"w.WriteUuid({key}, {value})",
            FieldType.Mac => $"w.WriteMac({key}, {value}, {(f.Encoded ? "true" : "false")})",
            FieldType.DevNum => $"w.WriteDeviceNumber({key}, {value})",
            _ => $"w.WriteHexByte({key}, {value})",
        };
    }
}
