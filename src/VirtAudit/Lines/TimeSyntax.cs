using System;

namespace VirtAudit;

/// <summary>
/// The time stamps printed in front of audit records, recognized on bytes without allocating: the syslog
/// <c>MMM DD HH:MM:SS</c>, a bare clock, ISO 8601, Unix seconds, the dmesg <c>[ SECONDS.f]</c>, and the calendar
/// arithmetic of the <c>ausearch -i</c> and daemon-log stamps. The <c>…End</c> methods return the index after the
/// time stamp, or -1 when the text does not start with one.
/// </summary>
internal static class TimeSyntax
{
    /// <summary>"[ 1234.567890]" at <paramref name="start"/>: the index after ']' or -1.</summary>
    public static int BracketTimeEnd(ReadOnlySpan<byte> s, int start)
    {
        int p = start + 1;
        while (p < s.Length && s[p] == (byte)' ')
        {
            p++;
        }

        if (!LineSyntax.TryParseDigits(s.Slice(p), out _, out int digits))
        {
            return -1;
        }

        p += digits;
        if (p < s.Length && s[p] == (byte)'.')
        {
            p++;
            LineSyntax.TryParseDigits(s.Slice(p), out _, out digits);
            p += digits;
        }

        return p < s.Length && s[p] == (byte)']' ? p + 1 : -1;
    }

    /// <summary>"May 12 12:48:00" or "May  2 12:48:00[.123456]": the index after it or -1.</summary>
    public static int MonthDayTimeEnd(ReadOnlySpan<byte> s)
    {
        if (s.Length < 15 || !IsMonth(s.Slice(0, 3)) || s[3] != (byte)' ')
        {
            return -1;
        }

        int p = 4;
        if (s[p] == (byte)' ')
        {
            p++;
        }

        int dayStart = p;
        while (p < s.Length && p - dayStart < 2 && (uint)(s[p] - '0') <= 9)
        {
            p++;
        }

        if (p == dayStart || p >= s.Length || s[p] != (byte)' ')
        {
            return -1;
        }

        return ClockEnd(s, p + 1);
    }

    /// <summary>"HH:MM:SS[.fraction]" at <paramref name="start"/>: the index after it or -1.</summary>
    public static int ClockEnd(ReadOnlySpan<byte> s, int start)
    {
        if (s.Length < start + 8
            || !IsDigits(s.Slice(start, 2)) || s[start + 2] != (byte)':'
            || !IsDigits(s.Slice(start + 3, 2)) || s[start + 5] != (byte)':'
            || !IsDigits(s.Slice(start + 6, 2)))
        {
            return -1;
        }

        int p = start + 8;
        if (p < s.Length && s[p] == (byte)'.')
        {
            LineSyntax.TryParseDigits(s.Slice(p + 1), out _, out int digits);
            p = digits > 0 ? p + 1 + digits : p;
        }

        return p;
    }

    /// <summary>"YYYY-MM-DDTHH:MM:SS[.f][Z|+HH:MM|+HHMM]" (or a space for T): the index after it or -1.</summary>
    public static int IsoTimeEnd(ReadOnlySpan<byte> s)
    {
        if (s.Length < 19 || !IsDigits(s.Slice(0, 4)) || s[4] != (byte)'-' || !IsDigits(s.Slice(5, 2)) || s[7] != (byte)'-'
            || !IsDigits(s.Slice(8, 2)) || (s[10] != (byte)'T' && s[10] != (byte)' '))
        {
            return -1;
        }

        int p = ClockEnd(s, 11);
        if (p < 0)
        {
            return -1;
        }

        if (p < s.Length && s[p] == (byte)'Z')
        {
            return p + 1;
        }

        if (p < s.Length && (s[p] == (byte)'+' || s[p] == (byte)'-') && s.Length >= p + 5 && IsDigits(s.Slice(p + 1, 2)))
        {
            int q = p + 3;
            if (s[q] == (byte)':')
            {
                q++;
            }

            return s.Length >= q + 2 && IsDigits(s.Slice(q, 2)) ? q + 2 : -1;
        }

        return p;
    }

    /// <summary>"1715510880.123456" (journalctl -o short-unix): the index after it or -1.</summary>
    public static int UnixTimeEnd(ReadOnlySpan<byte> s)
    {
        if (!LineSyntax.TryParseDigits(s, out _, out int digits) || digits < 9 || digits >= s.Length || s[digits] != (byte)'.')
        {
            return -1;
        }

        LineSyntax.TryParseDigits(s.Slice(digits + 1), out _, out int fraction);
        return fraction > 0 ? digits + 1 + fraction : -1;
    }

    /// <summary>
    /// Reads an ISO 8601 time stamp that <see cref="IsoTimeEnd"/> accepted (the whole of <paramref name="s"/>) as a
    /// point in time: the fraction is cut to milliseconds, a missing offset is UTC. False for a date or time out of
    /// range (month 13, 25 o'clock).
    /// </summary>
    public static bool TryReadIsoTime(ReadOnlySpan<byte> s, out DateTimeOffset time)
    {
        time = default;
        int p = 0;
        if (!ReadNumber(s, ref p, 4, out int year, out _) || !Expect(s, ref p, (byte)'-')
            || !ReadNumber(s, ref p, 2, out int month, out _) || !Expect(s, ref p, (byte)'-')
            || !ReadNumber(s, ref p, 2, out int day, out _) || p >= s.Length)
        {
            return false;
        }

        p++;
        if (!ReadNumber(s, ref p, 2, out int hour, out _) || !Expect(s, ref p, (byte)':')
            || !ReadNumber(s, ref p, 2, out int minute, out _) || !Expect(s, ref p, (byte)':')
            || !ReadNumber(s, ref p, 2, out int second, out _))
        {
            return false;
        }

        int milliseconds = 0;
        if (Expect(s, ref p, (byte)'.'))
        {
            int scale = 100;
            while (p < s.Length && (uint)(s[p] - '0') <= 9)
            {
                milliseconds += (s[p] - '0') * scale;
                scale /= 10;
                p++;
            }
        }

        int offsetMinutes = 0;
        if (p < s.Length && (s[p] == (byte)'+' || s[p] == (byte)'-'))
        {
            int sign = s[p] == (byte)'-' ? -1 : 1;
            p++;
            if (!ReadNumber(s, ref p, 2, out int offsetHours, out _))
            {
                return false;
            }

            Expect(s, ref p, (byte)':');
            if (!ReadNumber(s, ref p, 2, out int offsetRest, out _) || offsetHours > 14 || offsetRest > 59)
            {
                return false;
            }

            offsetMinutes = sign * ((offsetHours * 60) + offsetRest);
        }

        if (!IsValidDate(year, month, day) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        time = new DateTimeOffset(year, month, day, hour, minute, second, milliseconds, TimeSpan.FromMinutes(offsetMinutes));
        return true;
    }

    /// <summary>True when the date exists (years 1970 to 9999).</summary>
    public static bool IsValidDate(int year, int month, int day) =>
        year is >= 1970 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);

    /// <summary>Seconds since the Unix epoch of a valid UTC date and time (<see cref="IsValidDate"/>).</summary>
    public static long ToUnixSeconds(int year, int month, int day, int hour, int minute, int second)
    {
        long days = (new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).Days;
        return (days * 86400) + (hour * 3600) + (minute * 60) + second;
    }

    /// <summary>strftime %y: 69-99 are 1969-1999, 00-68 are 2000-2068; a four-digit year as it is; -1 otherwise.</summary>
    public static int ExpandYear(int year, int digits) => digits == 4 ? year : digits == 2 ? (year >= 69 ? 1900 + year : 2000 + year) : -1;

    /// <summary>Up to <paramref name="maxDigits"/> digits at <paramref name="position"/>, moving past them; false when none.</summary>
    public static bool ReadNumber(ReadOnlySpan<byte> s, ref int position, int maxDigits, out int value, out int digits)
    {
        value = 0;
        digits = 0;
        while (position < s.Length && digits < maxDigits && (uint)(s[position] - '0') <= 9)
        {
            value = (value * 10) + (s[position] - '0');
            position++;
            digits++;
        }

        return digits > 0;
    }

    /// <summary>Moves past <paramref name="expected"/> at <paramref name="position"/>; false when another byte is there.</summary>
    public static bool Expect(ReadOnlySpan<byte> s, ref int position, byte expected)
    {
        if (position < s.Length && s[position] == expected)
        {
            position++;
            return true;
        }

        return false;
    }

    /// <summary>True when every byte is an ASCII digit (and for an empty span).</summary>
    public static bool IsDigits(ReadOnlySpan<byte> s) => s.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;

    private static bool IsMonth(ReadOnlySpan<byte> name)
    {
        int at = "JanFebMarAprMayJunJulAugSepOctNovDec"u8.IndexOf(name);
        return at >= 0 && at % 3 == 0;
    }
}
