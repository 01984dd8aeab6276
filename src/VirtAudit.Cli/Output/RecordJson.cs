using System;
using System.Text.Json;

namespace VirtAudit.Cli.Output;

/// <summary>
/// The parts of a record as JSON, shared by <c>--format jsonl</c> and <c>--format ecs</c>. A typed VIRT record's
/// fields are an object keyed by the audit names as written, with decoded values (quotes removed, hex decoded,
/// integers as numbers, <c>?</c> as null); any other record's fields are <c>[name, value]</c> pairs, raw, in order.
/// </summary>
internal static class RecordJson
{
    private static readonly string[] RenderingNames = BuildRenderingNames();

    /// <summary>The rendering's name in lower case (<c>raw</c>, <c>enriched</c>, <c>syslog</c>, …).</summary>
    public static string RenderingName(AuditRendering rendering) =>
        (int)rendering < RenderingNames.Length ? RenderingNames[(int)rendering] : rendering.ToString().ToLowerInvariant();

    /// <summary>Writes one record as the <c>jsonl</c> object of the output contract.</summary>
    public static void WriteRecord(Utf8JsonWriter w, in AuditLogRecord record)
    {
        w.WriteStartObject();
        w.WriteNumber("line"u8, record.LineNumber);
        w.WriteNumber("offset"u8, record.Offset);
        w.WriteString("rendering"u8, RenderingName(record.Rendering));
        WriteOrigin(w, "node"u8, record);
        JsonValues.WriteString(w, "type"u8, record.TypeName.Span);
        WriteTime(w, "time"u8, record);
        if (record.HasStamp)
        {
            w.WriteNumber("serial"u8, record.Stamp.Serial);
        }
        else
        {
            w.WriteNull("serial"u8);
        }

        var virt = record.Virt;
        if (virt.IsTyped)
        {
            w.WriteString("variant"u8, virt.Variant!.Name);
            if (virt.IsAmbiguous)
            {
                // Only on an ambiguous record (issue 12): the raw field, where its key text is, and the other reading.
                w.WriteStartObject("ambiguous"u8);
                w.WriteString("field"u8, virt.AmbiguousField);
                w.WriteNumber("offset"u8, virt.AmbiguityOffset);
                w.WriteString("description"u8, virt.AmbiguityDescription);
                w.WriteEndObject();
            }
        }
        else
        {
            w.WriteNull("variant"u8);
        }

        w.WritePropertyName("header"u8);
        WriteHeader(w, record.Line);
        w.WritePropertyName("fields"u8);
        WriteFields(w, record);
        w.WritePropertyName("trailer"u8);
        WriteTrailer(w, record);
        w.WritePropertyName("enriched"u8);
        WriteEnrichment(w, record);
        w.WriteEndObject();
    }

    /// <summary>The origin (<c>node=</c>, else the syslog host) as a string property, null when there is none.</summary>
    public static void WriteOrigin(Utf8JsonWriter w, ReadOnlySpan<byte> name, in AuditLogRecord record)
    {
        var origin = record.Origin.Span;
        if (origin.IsEmpty)
        {
            w.WriteNull(name);
        }
        else
        {
            JsonValues.WriteString(w, name, origin);
        }
    }

    /// <summary>The stamp's time in UTC with milliseconds (<c>2026-11-24T17:52:13.180Z</c>), null without a stamp.</summary>
    public static void WriteTime(Utf8JsonWriter w, ReadOnlySpan<byte> name, in AuditLogRecord record)
    {
        if (!record.HasStamp)
        {
            w.WriteNull(name);
            return;
        }

        Span<byte> text = stackalloc byte[32];
        FormatTime(record.Stamp, text, out var n);
        w.WriteString(name, text.Slice(0, n));
    }

    /// <summary>A stamp as ISO 8601 UTC text with milliseconds (<c>2026-11-24T17:52:13.180Z</c>).</summary>
    public static string Iso(AuditStamp stamp)
    {
        Span<byte> text = stackalloc byte[32];
        FormatTime(stamp, text, out var n);
        return System.Text.Encoding.ASCII.GetString(text.Slice(0, n));
    }

    /// <summary>Formats a stamp as ISO 8601 UTC with milliseconds.</summary>
    public static void FormatTime(in AuditStamp stamp, Span<byte> destination, out int written)
    {
        var time = stamp.ToDateTimeOffset().UtcDateTime;
        System.Buffers.Text.Utf8Formatter.TryFormat(time, destination, out written, new System.Buffers.StandardFormat('O'));
        // 'O' writes 2026-11-24T17:52:13.1800000Z: keep milliseconds.
        destination[23] = (byte)'Z';
        written = 24;
    }

    /// <summary>The kernel header of a user-space message (<c>pid uid auid ses subj</c>), else null.</summary>
    public static void WriteHeader(Utf8JsonWriter w, in AuditLine line)
    {
        if (!line.HasKernelHeader)
        {
            w.WriteNullValue();
            return;
        }

        var header = line.KernelHeader;
        w.WriteStartObject();
        w.WriteNumber("pid"u8, header.Pid);
        w.WriteNumber("uid"u8, header.Uid);
        w.WriteNumber("auid"u8, header.Auid);
        if (header.HasSes)
        {
            w.WriteNumber("ses"u8, header.Ses);
        }
        else
        {
            w.WriteNull("ses"u8);
        }

        if (header.HasSubj)
        {
            JsonValues.WriteString(w, "subj"u8, header.Subj.Span);
        }
        else
        {
            w.WriteNull("subj"u8);
        }

        w.WriteEndObject();
    }

    /// <summary>A typed record's decoded fields as an object; any other record's raw <c>[name, value]</c> pairs.</summary>
    public static void WriteFields(Utf8JsonWriter w, in AuditLogRecord record)
    {
        if (record.Virt.IsTyped)
        {
            WriteTypedFields(w, record.Virt);
            return;
        }

        w.WriteStartArray();
        foreach (var field in record.Fields)
        {
            w.WriteStartArray();
            JsonValues.WriteString(w, field.Name.Span);
            JsonValues.WriteString(w, field.Value.Span);
            w.WriteEndArray();
        }

        w.WriteEndArray();
    }

    /// <summary>
    /// The libvirt fields of a typed payload as an object keyed by their audit names, in libvirt's order: <c>?</c> and
    /// <c>"?"</c> are null (absent), quoted and hex values are decoded text, raw decimal integers are numbers, the
    /// cgroup's hex byte <c>maj=88</c> is the number it stands for (136), and everything else (MACs, UUIDs, device
    /// numbers, enum values) is a string as written: the object <c>JsonSerializer.Serialize</c> gives for the record
    /// (a test holds the two together on every record of the corpus), written here without typing it a second time.
    /// </summary>
    public static void WriteTypedFields(Utf8JsonWriter w, in VirtAuditRecord virt)
    {
        w.WriteStartObject();
        foreach (var field in new AuditFieldEnumerator(virt.LibvirtPart))
        {
            var role = AmbiguousFields.Of(virt, field);
            if (role == AmbiguousFields.Role.Inside)
            {
                continue;
            }

            JsonValues.WritePropertyName(w, field.Name.Span);
            if (role == AmbiguousFields.Role.Ambiguous)
            {
                JsonValues.WriteString(w, virt.AmbiguousValue.Span);
                continue;
            }

            WriteTypedValue(w, field);
        }

        w.WriteEndObject();
    }

    /// <summary>One value of a typed payload (see <see cref="WriteTypedFields"/>).</summary>
    public static void WriteTypedValue(Utf8JsonWriter w, in AuditField field)
    {
        var value = field.Value.Span;
        if (value.SequenceEqual("?"u8) || value.SequenceEqual("\"?\""u8) || value.SequenceEqual("'?'"u8))
        {
            w.WriteNullValue();
        }
        else if (value.Length > 1 && value[0] is (byte)'"' or (byte)'\'' && value[^1] == value[0])
        {
            JsonValues.WriteString(w, value.Slice(1, value.Length - 2));
        }
        else if (field.IsEncoded)
        {
            JsonValues.WriteDecoded(w, value);
        }
        else if (field.NameEquals("maj"u8) && value.Length == 2 && byte.TryParse(value, System.Globalization.NumberStyles.AllowHexSpecifier, null, out var hexByte))
        {
            w.WriteNumberValue(hexByte);
        }
        else if (JsonValues.IsInteger(value, out var number))
        {
            w.WriteNumberValue(number);
        }
        else
        {
            JsonValues.WriteString(w, value);
        }
    }

    /// <summary>libaudit's trailer of a VIRT record (<c>exe hostname addr terminal res</c>, decoded, <c>?</c> as null), else null.</summary>
    public static void WriteTrailer(Utf8JsonWriter w, in AuditLogRecord record)
    {
        var virt = record.Virt;
        if (!record.IsVirt || (virt.Variant is null && virt.Error is null) || virt.Trailer.IsMissing)
        {
            w.WriteNullValue();
            return;
        }

        var trailer = virt.Trailer;
        w.WriteStartObject();
        w.WritePropertyName("exe"u8);
        JsonValues.WriteText(w, trailer.Exe);
        w.WritePropertyName("hostname"u8);
        JsonValues.WriteText(w, trailer.Hostname);
        w.WritePropertyName("addr"u8);
        JsonValues.WriteText(w, trailer.Addr);
        w.WritePropertyName("terminal"u8);
        JsonValues.WriteText(w, trailer.Terminal);
        w.WritePropertyName("res"u8);
        JsonValues.WriteText(w, trailer.Result);
        w.WriteEndObject();
    }

    /// <summary>The ENRICHED tail as an object (<c>{"UID":"root","AUID":"unset"}</c>, quotes removed), else null.</summary>
    public static void WriteEnrichment(Utf8JsonWriter w, in AuditLogRecord record)
    {
        if (!record.Line.HasEnrichment)
        {
            w.WriteNullValue();
            return;
        }

        w.WriteStartObject();
        foreach (var field in record.EnrichmentFields)
        {
            JsonValues.WritePropertyName(w, field.Name.Span);
            var value = field.Value.Span;
            if (value.Length > 1 && value[0] == (byte)'"' && value[^1] == (byte)'"')
            {
                value = value.Slice(1, value.Length - 2);
            }

            JsonValues.WriteString(w, value);
        }

        w.WriteEndObject();
    }

    private static string[] BuildRenderingNames()
    {
        var values = Enum.GetValues<AuditRendering>();
        var max = 0;
        foreach (var v in values)
        {
            max = Math.Max(max, (int)v);
        }

        var names = new string[max + 1];
        foreach (var v in values)
        {
            names[(int)v] = v.ToString().ToLowerInvariant();
        }

        return names;
    }
}
