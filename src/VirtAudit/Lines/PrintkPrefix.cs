using System;

namespace VirtAudit;

/// <summary>
/// The kernel's printk form of a record when no auditd runs (<c>dmesg</c>, <c>journalctl -k</c>):
/// <c>[audit: ]type=NUMBER audit(</c>, before the stamp. The type is a number, not a name.
/// </summary>
internal static class PrintkPrefix
{
    /// <summary>True when <paramref name="s"/> has <c>type=DIGITS audit(</c> at <paramref name="start"/> (some syslog daemons cut <c>audit: </c> off).</summary>
    public static bool IsAt(ReadOnlySpan<byte> s, int start)
    {
        ReadOnlySpan<byte> rest = s.Slice(start);
        if (!rest.StartsWith("type="u8))
        {
            return false;
        }

        LineSyntax.TryParseDigits(rest.Slice(5), out _, out int digits);
        return digits > 0 && rest.Slice(5 + digits).StartsWith(" audit("u8);
    }

    /// <summary>
    /// Reads <c>type=NUMBER audit(</c> at <paramref name="start"/>: where the number is and its value;
    /// <paramref name="position"/> is then at the stamp.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> s, int start, out int typeStart, out int typeLength, out int typeNumber, out int position, out AuditLineError error)
    {
        typeStart = start + 5;
        typeNumber = 0;
        position = 0;
        if (!LineSyntax.TryParseDigits(s.Slice(typeStart), out ulong number, out typeLength) || number > int.MaxValue)
        {
            return AuditLineError.Fail(out error, typeStart, "expected a record type number", LineParts.Type);
        }

        position = typeStart + typeLength;
        if (!s.Slice(position).StartsWith(" audit("u8))
        {
            return AuditLineError.Fail(out error, position, "expected ' audit('", LineParts.Msg);
        }

        position += 7;
        typeNumber = (int)number;
        error = default;
        return true;
    }
}
