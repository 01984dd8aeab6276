using System;

namespace VirtAudit;

/// <summary>
/// The stamp <c>ausearch -i</c> prints inside <c>msg=audit(…) :</c>: <c>MM/DD/YYYY HH:MM:SS.mmm:SERIAL</c> (strftime
/// <c>%x %T</c> in the en_US locale), <c>MM/DD/YY</c> (C locale), <c>YYYY-MM-DD</c> and <c>DD.MM.YYYY</c> (other
/// locales). The time zone of the machine that ran ausearch is not in the text: the wall-clock time is read as UTC.
/// </summary>
internal static class InterpretedStamp
{
    /// <summary>Reads the stamp at <paramref name="position"/>; on success <paramref name="position"/> is after <c>) :</c>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> s, ref int position, out AuditStamp stamp)
    {
        stamp = default;
        int p = position;
        if (!TimeSyntax.ReadNumber(s, ref p, 4, out int first, out int firstDigits) || p >= s.Length)
        {
            return false;
        }

        byte separator = s[p];
        if (separator is not ((byte)'/' or (byte)'-' or (byte)'.'))
        {
            return false;
        }

        p++;
        if (!TimeSyntax.ReadNumber(s, ref p, 2, out int second, out _) || p >= s.Length || s[p] != separator)
        {
            return false;
        }

        p++;
        if (!TimeSyntax.ReadNumber(s, ref p, 4, out int third, out int thirdDigits))
        {
            return false;
        }

        int year;
        int month;
        int day;
        switch (separator)
        {
            case (byte)'/':
                (month, day, year) = (first, second, TimeSyntax.ExpandYear(third, thirdDigits));
                break;
            case (byte)'-':
                (year, month, day) = (firstDigits == 4 ? first : -1, second, third);
                break;
            default:
                (day, month, year) = (first, second, TimeSyntax.ExpandYear(third, thirdDigits));
                break;
        }

        if (!TimeSyntax.Expect(s, ref p, (byte)' ')
            || !TimeSyntax.ReadNumber(s, ref p, 2, out int hour, out _) || !TimeSyntax.Expect(s, ref p, (byte)':')
            || !TimeSyntax.ReadNumber(s, ref p, 2, out int minute, out _) || !TimeSyntax.Expect(s, ref p, (byte)':')
            || !TimeSyntax.ReadNumber(s, ref p, 2, out int second2, out _) || !TimeSyntax.Expect(s, ref p, (byte)'.'))
        {
            return false;
        }

        if (!LineSyntax.TryParseDigits(s.Slice(p), out ulong milliseconds, out int msDigits) || msDigits != 3)
        {
            return false;
        }

        p += 3;
        if (!TimeSyntax.Expect(s, ref p, (byte)':') || !LineSyntax.TryParseDigits(s.Slice(p), out ulong serial, out int serialDigits))
        {
            return false;
        }

        p += serialDigits;
        if (!s.Slice(p).StartsWith(") :"u8))
        {
            return false;
        }

        if (!TimeSyntax.IsValidDate(year, month, day) || hour > 23 || minute > 59 || second2 > 60)
        {
            return false;
        }

        stamp = new AuditStamp(TimeSyntax.ToUnixSeconds(year, month, day, hour, minute, second2), (int)milliseconds, serial);
        position = p + 3;
        return true;
    }
}
