using System;

namespace VirtAudit;

/// <summary>
/// The record as journald stores it in <c>MESSAGE=</c> (<c>journalctl -o cat</c>, or after journald's syslog-style
/// prefix): <c>TYPE BODY</c>, with no <c>audit(…)</c> stamp. TYPE is a record type name, or journald's
/// <c>AUDITnnnn</c> for a type it does not know.
/// </summary>
internal static class JournalPrefix
{
    private static ReadOnlySpan<byte> TypeBytes => "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_[]"u8;

    /// <summary>True for <c>TYPE key=…</c> where TYPE is a record type name (or <c>AUDITnnnn</c>): a journald message without any prefix.</summary>
    public static bool IsMessage(ReadOnlySpan<byte> s)
    {
        int space = s.IndexOf((byte)' ');
        if (space <= 0 || s.Slice(space + 1).IndexOf((byte)'=') <= 0)
        {
            return false;
        }

        ReadOnlySpan<byte> typeName = s.Slice(0, space);
        return AuditRecordTypes.TryGetNumber(typeName, out _)
            || (typeName.StartsWith("AUDIT"u8) && typeName.Length > 5 && TimeSyntax.IsDigits(typeName.Slice(5)));
    }

    /// <summary>Reads TYPE at <paramref name="start"/>: its length and number (0 for a name not in the table).</summary>
    public static bool TryParseType(ReadOnlySpan<byte> s, int start, out int typeLength, out int typeNumber, out AuditLineError error)
    {
        typeNumber = 0;
        typeLength = s.Slice(start).IndexOf((byte)' ');
        if (typeLength < 0)
        {
            typeLength = s.Length - start;
        }

        ReadOnlySpan<byte> typeName = s.Slice(start, typeLength);
        if (typeLength == 0 || typeName.IndexOfAnyExcept(TypeBytes) >= 0)
        {
            return AuditLineError.Fail(out error, start, "expected an audit record type after the journald prefix", LineParts.Type);
        }

        if (!AuditRecordTypes.TryGetNumber(typeName, out typeNumber) && typeName.StartsWith("AUDIT"u8))
        {
            // journald's name for a type it does not know: AUDIT1420.
            if (LineSyntax.TryParseDigits(typeName.Slice(5), out ulong number, out int digits) && digits == typeLength - 5 && number <= int.MaxValue)
            {
                typeNumber = (int)number;
            }
        }

        error = default;
        return true;
    }
}
