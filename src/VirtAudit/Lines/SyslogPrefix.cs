using System;

namespace VirtAudit;

/// <summary>
/// The prefix a syslog daemon, journald or dmesg puts before a record: <c>TIME [HOST TAG: ]</c> where TIME is one of
/// <see cref="TimeSyntax"/>'s shapes (dmesg has no host and tag; after a tag, a <c>[ SECONDS.f] </c> of the kernel's
/// own clock may follow). A line a syslog daemon forwarded may begin with its priority, <c>&lt;PRI&gt;</c> (RFC 3164),
/// or be in the RFC 5424 form <c>&lt;PRI&gt;1 TIMESTAMP HOST APP PROCID MSGID SD MSG</c>.
/// </summary>
internal static class SyslogPrefix
{
    /// <summary>
    /// Reads the prefix; <paramref name="start"/> is where the record begins, <paramref name="auditTag"/> tells whether
    /// the tag (or RFC 5424 app name) is <c>audit</c>.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out LinePrefix prefix, out int start, out bool auditTag)
    {
        int origin = PriorityEnd(s);
        if (origin > 0 && s.Slice(origin).StartsWith("1 "u8))
        {
            return TryParseRfc5424(s, origin + 2, out prefix, out start, out auditTag);
        }

        if (!TryParseRfc3164(s.Slice(origin), out prefix, out start, out auditTag))
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
    private static bool TryParseRfc5424(ReadOnlySpan<byte> s, int position, out LinePrefix prefix, out int start, out bool auditTag)
    {
        prefix = default;
        start = 0;
        auditTag = false;
        int timeStart = position;
        int timeLength = s.Slice(position).StartsWith("- "u8) ? 0 : TimeSyntax.IsoTimeEnd(s.Slice(position));
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

        bool noHost = s.Slice(hostStart, hostLength).SequenceEqual("-"u8);
        prefix = new LinePrefix(AuditRendering.Syslog, timeStart, timeLength, noHost ? 0 : hostStart, noHost ? 0 : hostLength);
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

    // TIME HOST TAG[PID]: (RFC 3164, journalctl's short forms) or [MONOTONIC] (dmesg).
    private static bool TryParseRfc3164(ReadOnlySpan<byte> s, out LinePrefix prefix, out int start, out bool auditTag)
    {
        prefix = default;
        start = 0;
        auditTag = false;
        int timeEnd;
        bool bracket = false;
        if (s.Length > 0 && s[0] == (byte)'[')
        {
            timeEnd = TimeSyntax.BracketTimeEnd(s, 0);
            bracket = true;
        }
        else
        {
            timeEnd = TimeSyntax.MonthDayTimeEnd(s);
            if (timeEnd < 0)
            {
                timeEnd = TimeSyntax.IsoTimeEnd(s);
            }

            if (timeEnd < 0)
            {
                timeEnd = TimeSyntax.ClockEnd(s, 0);
            }

            if (timeEnd < 0)
            {
                timeEnd = TimeSyntax.UnixTimeEnd(s);
            }
        }

        if (timeEnd < 0 || timeEnd >= s.Length || s[timeEnd] != (byte)' ')
        {
            return false;
        }

        int position = timeEnd + 1;
        if (bracket && s.Slice(position).StartsWith("audit: type="u8))
        {
            prefix = new LinePrefix(AuditRendering.Syslog, 0, timeEnd, 0, 0);
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
            int end = TimeSyntax.BracketTimeEnd(s, position);
            if (end > 0 && end < s.Length && s[end] == (byte)' ')
            {
                position = end + 1;
            }
        }

        prefix = new LinePrefix(AuditRendering.Syslog, 0, timeEnd, hostStart, hostLength);
        start = position;
        return true;
    }
}
