using System.Text;

namespace VirtAudit.LogGenerator;

/// <summary>One record before it is rendered: its type, stamp, body (after <c>): </c>) and optional ENRICHED tail.</summary>
internal sealed class GeneratedRecord
{
    public required string Type { get; init; }

    public required long TimeMs { get; set; }

    public required long Serial { get; init; }

    /// <summary>Everything after the stamp's <c>): </c>.</summary>
    public required string Body { get; init; }

    /// <summary>The interpreted fields after the 0x1D byte, or null for a RAW record.</summary>
    public string? Tail { get; init; }

    public string? Node { get; init; }

    /// <summary>The <c>pid=</c> of the record's sender (journald's <c>audit[PID]</c>), or 0 for none.</summary>
    public long Pid { get; init; }

    /// <summary>For VIRT records: the schema variant (and legacy shape) the record is an instance of.</summary>
    public string? Variant { get; init; }

    public int EncodedValues { get; init; }

    public int HexValues { get; init; }
}

/// <summary>Builds a libvirt payload and counts the values that went through <c>virAuditEncode</c>.</summary>
internal sealed class PayloadBuilder
{
    private readonly StringBuilder _text = new(256);

    public int Encoded { get; private set; }

    public int Hex { get; private set; }

    public int Length => _text.Length;

    /// <summary><c>name="value"</c>, or <c>name=HEX</c> when a byte is <c>"</c>, below 0x21 or above 0x7E (null: <c>"?"</c>).</summary>
    public PayloadBuilder Enc(string name, string? value)
    {
        Separate();
        Encoded++;
        if (AuditText.NeedsHex(value ?? "?"))
        {
            Hex++;
        }

        _text.Append(name).Append('=');
        AuditText.AppendEncoded(_text, value ?? "?");
        return this;
    }

    /// <summary><c>name=value</c> as it stands.</summary>
    public PayloadBuilder Raw(string name, string value)
    {
        Separate();
        _text.Append(name).Append('=').Append(value);
        return this;
    }

    public PayloadBuilder Raw(string name, long value) => Raw(name, value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public override string ToString() => _text.ToString();

    private void Separate()
    {
        if (_text.Length > 0)
        {
            _text.Append(' ');
        }
    }
}

/// <summary>libaudit's value encoding (<c>audit_encode_nv_string</c>), written here independently of the runtime.</summary>
internal static class AuditText
{
    public static bool NeedsHex(string value)
    {
        foreach (char c in value)
        {
            if (c == '"' || c < 0x21 || c > 0x7E)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The value quoted, or as upper-case hex of its UTF-8 bytes.</summary>
    public static void AppendEncoded(StringBuilder text, string value)
    {
        if (NeedsHex(value))
        {
            text.Append(Convert.ToHexString(Encoding.UTF8.GetBytes(value)));
        }
        else
        {
            text.Append('"').Append(value).Append('"');
        }
    }

    public static string Encode(string value)
    {
        var text = new StringBuilder(value.Length + 2);
        AppendEncoded(text, value);
        return text.ToString();
    }
}
