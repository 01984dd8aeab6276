using System;

namespace VirtAudit;

/// <content>The renderings other than auditd's own line: journald / syslog, kernel printk, <c>ausearch -i</c>.</content>
public readonly partial struct AuditLine
{
    /// <summary>How the record was printed; <see cref="AuditRendering.Raw"/> or <see cref="AuditRendering.Enriched"/> for auditd's own lines.</summary>
    public AuditRendering Rendering => _prefix.Rendering;

    /// <summary>
    /// True when the line has an <c>audit(…)</c> stamp. A journald line has none: its time and serial are not in the
    /// text, so <see cref="Stamp"/> is <c>default</c>.
    /// </summary>
    public bool HasStamp => (_flags & Flags.NoStamp) == 0;

    /// <summary>
    /// True for an <c>ausearch -i</c> stamp: <see cref="Stamp"/> holds the printed local wall-clock time read as if
    /// it were UTC (the time zone of the machine that ran ausearch is not in the text).
    /// </summary>
    public bool IsStampLocalTime => (_flags & Flags.LocalTime) != 0;

    /// <summary>True when a syslog / journald prefix named the host the line came from.</summary>
    public bool HasHost => _prefix.HostLength > 0;

    /// <summary>The host name of a syslog / journald prefix, raw; empty when <see cref="HasHost"/> is false.</summary>
    public ReadOnlyMemory<byte> Host => _line.Slice(_prefix.HostStart, _prefix.HostLength);

    /// <summary>
    /// The time stamp of a syslog / journald / dmesg prefix as printed (<c>May 12 12:48:00</c>, <c>21:32:21</c>,
    /// <c>2024-05-12T12:48:00+02:00</c>, <c>[ 12.345678]</c>); empty when the line has no such prefix.
    /// </summary>
    public ReadOnlyMemory<byte> SyslogTimestamp => _line.Slice(_prefix.TimeStart, _prefix.TimeLength);

    /// <summary>
    /// Parses one audit record in any rendering of <see cref="AuditRendering"/>, without allocating: auditd's RAW or
    /// ENRICHED line (also <c>ausearch --raw</c>), a journald or syslog line (<c>MMM DD HH:MM:SS host audit[PID]: TYPE
    /// BODY</c>, the short <c>HH:MM:SS host audit[PID]:</c> form, ISO 8601 time stamps, a syslog <c>&lt;PRI&gt;</c>
    /// priority, the RFC 5424 form, auditd lines forwarded after a syslog prefix, and the bare <c>TYPE BODY</c> of
    /// <c>journalctl -o cat</c>), the kernel's printk (<c>audit: type=N audit(S.mmm:SERIAL): BODY</c>, after an
    /// optional dmesg <c>[seconds]</c> or syslog <c>kernel:</c> prefix) and <c>ausearch -i</c> output
    /// (<c>msg=audit(MM/DD/YYYY HH:MM:SS.mmm:SERIAL) :</c>; also <c>MM/DD/YY</c>, <c>YYYY-MM-DD</c> and
    /// <c>DD.MM.YYYY</c> dates). Accepts a trailing LF or CRLF; bytes are not decoded.
    /// </summary>
    /// <param name="line">The line, with or without its LF / CRLF line end.</param>
    /// <param name="result">The parsed line; <c>default</c> on failure.</param>
    /// <param name="error">Where and why parsing failed; <c>default</c> on success.</param>
    /// <returns>True when the line is an audit record in one of the renderings.</returns>
    public static bool TryParseAny(ReadOnlyMemory<byte> line, out AuditLine result, out AuditLineError error)
    {
        result = default;
        if (!TryTrimLine(ref line, out error))
        {
            return false;
        }

        ReadOnlySpan<byte> s = line.Span;
        if (s.StartsWith("type="u8) || s.StartsWith("node="u8))
        {
            return IsPrintkType(s, 0)
                ? TryParsePrintk(line, 0, default, out result, out error)
                : TryParseAuditd(line, 0, default, interpreted: true, out result, out error);
        }

        if (s.StartsWith("audit: type="u8))
        {
            return TryParsePrintk(line, 7, new PrefixInfo(AuditRendering.Printk, 0, 0, 0, 0), out result, out error);
        }

        if (!TryParseSyslogPrefix(s, out PrefixInfo prefix, out int start, out bool auditTag))
        {
            if (IsJournalMessage(s))
            {
                // journalctl -o cat (or a MESSAGE= field): the record as journald stores it, with no prefix at all.
                return TryParseJournal(line, 0, new PrefixInfo(AuditRendering.Syslog, 0, 0, 0, 0), out result, out error);
            }

            return Fail(out error, 0, "not an audit record: expected type=, node=, audit: type=, a syslog / journald prefix or a record type name", Parts.Rendering);
        }

        ReadOnlySpan<byte> rest = s.Slice(start);
        if (rest.StartsWith("audit: type="u8))
        {
            return TryParsePrintk(line, start + 7, prefix.WithRendering(AuditRendering.Printk), out result, out error);
        }

        if (rest.StartsWith("type="u8) || rest.StartsWith("node="u8))
        {
            return IsPrintkType(s, start)
                ? TryParsePrintk(line, start, prefix.WithRendering(AuditRendering.Printk), out result, out error)
                : TryParseAuditd(line, start, prefix, interpreted: true, out result, out error);
        }

        if (!auditTag)
        {
            return Fail(out error, start, "a syslog line from a program other than audit", Parts.Syslog);
        }

        return TryParseJournal(line, start, prefix, out result, out error);
    }

    // "type=DIGITS audit(": the printk form, whose type is a number (as some syslog daemons cut "audit: " off).
    private static bool IsPrintkType(ReadOnlySpan<byte> s, int start)
    {
        ReadOnlySpan<byte> rest = s.Slice(start);
        if (!rest.StartsWith("type="u8))
        {
            return false;
        }

        LineSyntax.TryParseDigits(rest.Slice(5), out _, out int digits);
        return digits > 0 && rest.Slice(5 + digits).StartsWith(" audit("u8);
    }

    // "TYPE key=…" where TYPE is a record type name (or journald's AUDITnnnn): journald's MESSAGE of an audit record.
    private static bool IsJournalMessage(ReadOnlySpan<byte> s)
    {
        int space = s.IndexOf((byte)' ');
        if (space <= 0 || s.Slice(space + 1).IndexOf((byte)'=') <= 0)
        {
            return false;
        }

        ReadOnlySpan<byte> typeName = s.Slice(0, space);
        return AuditRecordTypes.TryGetNumber(typeName, out _)
            || (typeName.StartsWith("AUDIT"u8) && typeName.Length > 5 && IsDigits(typeName.Slice(5)));
    }

    // At `start`: type=DIGITS audit(S.mmm:SERIAL): BODY
    private static bool TryParsePrintk(ReadOnlyMemory<byte> line, int start, PrefixInfo prefix, out AuditLine result, out AuditLineError error)
    {
        result = default;
        ReadOnlySpan<byte> s = line.Span;
        int typeStart = start + 5;
        if (!LineSyntax.TryParseDigits(s.Slice(typeStart), out ulong number, out int digits) || number > int.MaxValue)
        {
            return Fail(out error, typeStart, "expected a record type number", Parts.Type);
        }

        int position = typeStart + digits;
        if (!s.Slice(position).StartsWith(" audit("u8))
        {
            return Fail(out error, position, "expected ' audit('", Parts.Msg);
        }

        position += 7;
        if (!TryParseStamp(s, ref position, out AuditStamp stamp, out error))
        {
            return false;
        }

        return TryParseBody(line, position, 0, 0, typeStart, digits, (int)number, stamp, 0, prefix, AuditRendering.Printk, out result, out error);
    }

    // At `start`: TYPE BODY, as journald prints an audit record it read from the kernel (no stamp).
    private static bool TryParseJournal(ReadOnlyMemory<byte> line, int start, PrefixInfo prefix, out AuditLine result, out AuditLineError error)
    {
        result = default;
        ReadOnlySpan<byte> s = line.Span;
        int typeLength = s.Slice(start).IndexOf((byte)' ');
        if (typeLength < 0)
        {
            typeLength = s.Length - start;
        }

        ReadOnlySpan<byte> typeName = s.Slice(start, typeLength);
        if (typeLength == 0 || typeName.IndexOfAnyExcept(JournalTypeBytes) >= 0)
        {
            return Fail(out error, start, "expected an audit record type after the journald prefix", Parts.Type);
        }

        if (!AuditRecordTypes.TryGetNumber(typeName, out int typeNumber) && typeName.StartsWith("AUDIT"u8))
        {
            // journald's name for a type it does not know: AUDIT1420.
            if (LineSyntax.TryParseDigits(typeName.Slice(5), out ulong number, out int digits) && digits == typeLength - 5 && number <= int.MaxValue)
            {
                typeNumber = (int)number;
            }
        }

        return TryParseBody(line, start + typeLength, 0, 0, start, typeLength, typeNumber, default, Flags.NoStamp, prefix, AuditRendering.Syslog, out result, out error);
    }

    private static ReadOnlySpan<byte> JournalTypeBytes => "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_[]"u8;

    // ausearch -i: "MM/DD/YYYY HH:MM:SS.mmm:SERIAL) :" (strftime %x %T in the en_US locale; MM/DD/YY in the C locale;
    // YYYY-MM-DD and DD.MM.YYYY in others). On success `position` is after ") :".
    private static bool TryParseInterpretedStamp(ReadOnlySpan<byte> s, ref int position, out AuditStamp stamp)
    {
        stamp = default;
        int p = position;
        if (!ReadNumber(s, ref p, 4, out int first, out int firstDigits) || p >= s.Length)
        {
            return false;
        }

        byte separator = s[p];
        if (separator is not ((byte)'/' or (byte)'-' or (byte)'.'))
        {
            return false;
        }

        p++;
        if (!ReadNumber(s, ref p, 2, out int second, out _) || p >= s.Length || s[p] != separator)
        {
            return false;
        }

        p++;
        if (!ReadNumber(s, ref p, 4, out int third, out int thirdDigits))
        {
            return false;
        }

        int year;
        int month;
        int day;
        switch (separator)
        {
            case (byte)'/':
                (month, day, year) = (first, second, ExpandYear(third, thirdDigits));
                break;
            case (byte)'-':
                (year, month, day) = (firstDigits == 4 ? first : -1, second, third);
                break;
            default:
                (day, month, year) = (first, second, ExpandYear(third, thirdDigits));
                break;
        }

        if (!Expect(s, ref p, (byte)' ')
            || !ReadNumber(s, ref p, 2, out int hour, out _) || !Expect(s, ref p, (byte)':')
            || !ReadNumber(s, ref p, 2, out int minute, out _) || !Expect(s, ref p, (byte)':')
            || !ReadNumber(s, ref p, 2, out int second2, out _) || !Expect(s, ref p, (byte)'.'))
        {
            return false;
        }

        if (!LineSyntax.TryParseDigits(s.Slice(p), out ulong milliseconds, out int msDigits) || msDigits != 3)
        {
            return false;
        }

        p += 3;
        if (!Expect(s, ref p, (byte)':') || !LineSyntax.TryParseDigits(s.Slice(p), out ulong serial, out int serialDigits))
        {
            return false;
        }

        p += serialDigits;
        if (!s.Slice(p).StartsWith(") :"u8))
        {
            return false;
        }

        if (year < 1970 || year > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second2 > 60)
        {
            return false;
        }

        long days = (new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).Days;
        long seconds = (days * 86400) + (hour * 3600) + (minute * 60) + second2;
        stamp = new AuditStamp(seconds, (int)milliseconds, serial);
        position = p + 3;
        return true;
    }

    // strftime %y: 69-99 are 1969-1999, 00-68 are 2000-2068.
    private static int ExpandYear(int year, int digits) => digits == 4 ? year : digits == 2 ? (year >= 69 ? 1900 + year : 2000 + year) : -1;

    private static bool ReadNumber(ReadOnlySpan<byte> s, ref int position, int maxDigits, out int value, out int digits)
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

    private static bool Expect(ReadOnlySpan<byte> s, ref int position, byte expected)
    {
        if (position < s.Length && s[position] == expected)
        {
            position++;
            return true;
        }

        return false;
    }

    // A syslog / journald / dmesg prefix: TIME [HOST TAG: ] where TIME is "MMM DD HH:MM:SS[.f]", "HH:MM:SS[.f]",
    // ISO 8601 "YYYY-MM-DD[T ]HH:MM:SS[.f][Z|±HH[:]MM]", "SECONDS.f" (journalctl -o short-unix) or "[ SECONDS.f]"
    // (dmesg, journalctl -o short-monotonic). dmesg has no host and tag; after a tag, a "[ SECONDS.f] " of the
    // kernel's own clock may follow. `start` is where the record begins. A line a syslog daemon forwarded may begin
    // with its priority, "<PRI>" (RFC 3164), or be in the RFC 5424 form "<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG".
    private static bool TryParseSyslogPrefix(ReadOnlySpan<byte> s, out PrefixInfo prefix, out int start, out bool auditTag)
    {
        int origin = PriorityEnd(s);
        if (origin > 0 && s.Slice(origin).StartsWith("1 "u8))
        {
            return TryParseRfc5424(s, origin + 2, out prefix, out start, out auditTag);
        }

        if (!TryParseSyslogPrefixAt(s.Slice(origin), out prefix, out start, out auditTag))
        {
            return false;
        }

        prefix = prefix.Shift(origin);
        start += origin;
        return true;
    }

    // "<PRI>" with PRI 0–191: the index after '>', or 0.
    private static int PriorityEnd(ReadOnlySpan<byte> s)
    {
        if (s.Length < 3 || s[0] != (byte)'<' || !LineSyntax.TryParseDigits(s.Slice(1), out ulong priority, out int digits)
            || digits > 3 || priority > 191 || 1 + digits >= s.Length || s[1 + digits] != (byte)'>')
        {
            return 0;
        }

        return digits + 2;
    }

    // After "<PRI>1 ": TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [BOM]MSG, each "-" when absent.
    private static bool TryParseRfc5424(ReadOnlySpan<byte> s, int position, out PrefixInfo prefix, out int start, out bool auditTag)
    {
        prefix = default;
        start = 0;
        auditTag = false;
        int timeStart = position;
        int timeLength = s.Slice(position).StartsWith("- "u8) ? 0 : IsoTimeEnd(s.Slice(position));
        if (timeLength < 0 || position + Math.Max(timeLength, 1) >= s.Length || s[position + Math.Max(timeLength, 1)] != (byte)' ')
        {
            return false;
        }

        position += Math.Max(timeLength, 1) + 1;
        int hostStart = position;
        if (!NextWord(s, ref position, out int hostLength)
            || !NextWord(s, ref position, out int appLength)
            || !NextWord(s, ref position, out _)
            || !NextWord(s, ref position, out _))
        {
            return false;
        }

        int appStart = hostStart + hostLength + 1;
        if (s.Slice(position).StartsWith("- "u8))
        {
            position += 2;
        }
        else
        {
            while (position < s.Length && s[position] == (byte)'[')
            {
                // An SD-ELEMENT: "]" ends it unless escaped.
                int p = position + 1;
                while (p < s.Length && s[p] != (byte)']')
                {
                    p += s[p] == (byte)'\\' ? 2 : 1;
                }

                if (p >= s.Length)
                {
                    return false;
                }

                position = p + 1;
            }

            if (position >= s.Length || s[position] != (byte)' ')
            {
                return false;
            }

            position++;
        }

        if (s.Slice(position).StartsWith("\uFEFF"u8))
        {
            position += 3;
        }

        ReadOnlySpan<byte> host = s.Slice(hostStart, hostLength);
        prefix = new PrefixInfo(AuditRendering.Syslog, timeStart, timeLength, host.SequenceEqual("-"u8) ? 0 : hostStart, host.SequenceEqual("-"u8) ? 0 : hostLength);
        auditTag = s.Slice(appStart, appLength).SequenceEqual("audit"u8);
        start = position;
        return true;
    }

    // A word ended by one space: its length, and `position` moved after the space.
    private static bool NextWord(ReadOnlySpan<byte> s, ref int position, out int length)
    {
        length = s.Slice(position).IndexOf((byte)' ');
        if (length <= 0)
        {
            return false;
        }

        position += length + 1;
        return true;
    }

    private static bool TryParseSyslogPrefixAt(ReadOnlySpan<byte> s, out PrefixInfo prefix, out int start, out bool auditTag)
    {
        prefix = default;
        start = 0;
        auditTag = false;
        int timeEnd;
        bool bracket = false;
        if (s.Length > 0 && s[0] == (byte)'[')
        {
            timeEnd = BracketTimeEnd(s, 0);
            bracket = true;
        }
        else
        {
            timeEnd = MonthDayTimeEnd(s);
            if (timeEnd < 0)
            {
                timeEnd = IsoTimeEnd(s);
            }

            if (timeEnd < 0)
            {
                timeEnd = ClockEnd(s, 0);
            }

            if (timeEnd < 0)
            {
                timeEnd = UnixTimeEnd(s);
            }
        }

        if (timeEnd < 0 || timeEnd >= s.Length || s[timeEnd] != (byte)' ')
        {
            return false;
        }

        int position = timeEnd + 1;
        if (bracket && s.Slice(position).StartsWith("audit: type="u8))
        {
            prefix = new PrefixInfo(AuditRendering.Syslog, 0, timeEnd, 0, 0);
            start = position;
            return true;
        }

        int hostLength = s.Slice(position).IndexOf((byte)' ');
        if (hostLength <= 0)
        {
            return false;
        }

        int hostStart = position;
        position += hostLength + 1;
        int tagLength = s.Slice(position).IndexOfAny((byte)':', (byte)' ');
        if (tagLength <= 0 || s[position + tagLength] != (byte)':')
        {
            return false;
        }

        ReadOnlySpan<byte> tag = s.Slice(position, tagLength);
        int open = tag.IndexOf((byte)'[');
        ReadOnlySpan<byte> tagName = open < 0 ? tag : tag.Slice(0, open);
        if (open >= 0 && (tag[tag.Length - 1] != (byte)']' || !LineSyntax.TryParseDigits(tag.Slice(open + 1), out _, out int pidDigits) || open + 1 + pidDigits != tag.Length - 1))
        {
            return false;
        }

        auditTag = tagName.SequenceEqual("audit"u8);
        position += tagLength + 1;
        if (position < s.Length && s[position] == (byte)' ')
        {
            position++;
        }

        if (position < s.Length && s[position] == (byte)'[')
        {
            // kernel: [  123.456789] audit: type=…
            int end = BracketTimeEnd(s, position);
            if (end > 0 && end < s.Length && s[end] == (byte)' ')
            {
                position = end + 1;
            }
        }

        prefix = new PrefixInfo(AuditRendering.Syslog, 0, timeEnd, hostStart, hostLength);
        start = position;
        return true;
    }

    // "[ 1234.567890]": the index after ']' or -1.
    private static int BracketTimeEnd(ReadOnlySpan<byte> s, int start)
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

    // "May 12 12:48:00" or "May  2 12:48:00[.123456]".
    private static int MonthDayTimeEnd(ReadOnlySpan<byte> s)
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

    private static bool IsMonth(ReadOnlySpan<byte> name)
    {
        int at = "JanFebMarAprMayJunJulAugSepOctNovDec"u8.IndexOf(name);
        return at >= 0 && at % 3 == 0;
    }

    // "HH:MM:SS[.fraction]" at start: the index after it or -1.
    private static int ClockEnd(ReadOnlySpan<byte> s, int start)
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

    // "YYYY-MM-DDTHH:MM:SS[.f][Z|+HH:MM|+HHMM]" (or a space for T): the index after it or -1.
    private static int IsoTimeEnd(ReadOnlySpan<byte> s)
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

    // "1715510880.123456" (journalctl -o short-unix): the index after it or -1.
    private static int UnixTimeEnd(ReadOnlySpan<byte> s)
    {
        if (!LineSyntax.TryParseDigits(s, out _, out int digits) || digits < 9 || digits >= s.Length || s[digits] != (byte)'.')
        {
            return -1;
        }

        LineSyntax.TryParseDigits(s.Slice(digits + 1), out _, out int fraction);
        return fraction > 0 ? digits + 1 + fraction : -1;
    }

    private static bool IsDigits(ReadOnlySpan<byte> s) => s.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;

    /// <summary>Where a syslog / journald / dmesg prefix put its parts, and the rendering of the line.</summary>
    private readonly struct PrefixInfo
    {
        public PrefixInfo(AuditRendering rendering, int timeStart, int timeLength, int hostStart, int hostLength)
        {
            Rendering = rendering;
            TimeStart = timeStart;
            TimeLength = timeLength;
            HostStart = hostStart;
            HostLength = hostLength;
        }

        public AuditRendering Rendering { get; }

        public int TimeStart { get; }

        public int TimeLength { get; }

        public int HostStart { get; }

        public int HostLength { get; }

        public PrefixInfo WithRendering(AuditRendering rendering) => new(rendering, TimeStart, TimeLength, HostStart, HostLength);

        /// <summary>The same parts, <paramref name="offset"/> bytes further into the line.</summary>
        public PrefixInfo Shift(int offset) =>
            offset == 0 ? this : new(Rendering, TimeStart + offset, TimeLength, HostLength > 0 ? HostStart + offset : 0, HostLength);
    }
}
