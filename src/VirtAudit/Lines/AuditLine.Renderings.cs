using System;

namespace VirtAudit;

/// <content>
/// The renderings other than auditd's own line: journald / syslog, kernel printk, <c>ausearch -i</c>. This part only
/// dispatches: each rendering's prefix has its own parser (<see cref="SyslogPrefix"/>, <see cref="PrintkPrefix"/>,
/// <see cref="JournalPrefix"/>, <see cref="InterpretedStamp"/>); the record after the prefix is read by
/// <c>AuditLine.cs</c>.
/// </content>
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
    /// <c>DD.MM.YYYY</c> dates), and the audit messages of libvirt's own log and of KubeVirt's virt-launcher JSON log
    /// (<see cref="AuditRendering.LibvirtLog"/>, <see cref="AuditRendering.KubeVirtLog"/>; a JSON message with escapes
    /// is decoded into a new array, the one allocation). Accepts a trailing LF or CRLF; bytes are not decoded.
    /// A line of a daemon log that is not an audit message fails with <see cref="AuditLineError.Part"/>
    /// <c>daemon</c>.
    /// </summary>
    /// <param name="line">The line, with or without its LF / CRLF line end.</param>
    /// <param name="result">The parsed line; <c>default</c> on failure.</param>
    /// <param name="error">Where and why parsing failed; <c>default</c> on success.</param>
    /// <returns>True when the line is an audit record in one of the renderings.</returns>
    public static bool TryParseAny(ReadOnlyMemory<byte> line, out AuditLine result, out AuditLineError error) =>
        TryParseAnyInto(line, default, out result, out error);

    /// <summary>
    /// <see cref="TryParseAny"/>, decoding a JSON line's message into <paramref name="scratch"/> (at least the line's
    /// length, or a new array is allocated for it).
    /// </summary>
    internal static bool TryParseAnyInto(ReadOnlyMemory<byte> line, Memory<byte> scratch, out AuditLine result, out AuditLineError error)
    {
        result = default;
        if (!TryTrimLine(ref line, out error))
        {
            return false;
        }

        ReadOnlySpan<byte> s = line.Span;
        if (s.StartsWith("type="u8) || s.StartsWith("node="u8))
        {
            return PrintkPrefix.IsAt(s, 0)
                ? TryParsePrintk(line, 0, default, out result, out error)
                : TryParseAuditd(line, 0, default, interpreted: true, out result, out error);
        }

        if (s.StartsWith("audit: type="u8))
        {
            return TryParsePrintk(line, 7, LinePrefix.Bare(AuditRendering.Printk), out result, out error);
        }

        if (VirtLauncherJson.IsAt(s))
        {
            return TryParseKubeVirt(line, scratch, out result, out error);
        }

        if (LibvirtLogPrefix.IsAt(s))
        {
            return TryParseLibvirtLog(line, out result, out error);
        }

        if (!SyslogPrefix.TryParse(s, out LinePrefix prefix, out int start, out bool auditTag))
        {
            if (JournalPrefix.IsMessage(s))
            {
                // journalctl -o cat (or a MESSAGE= field): the record as journald stores it, with no prefix at all.
                return TryParseJournal(line, 0, LinePrefix.Bare(AuditRendering.Syslog), out result, out error);
            }

            return AuditLineError.Fail(out error, 0, "not an audit record: expected type=, node=, audit: type=, a syslog / journald prefix or a record type name", LineParts.Rendering);
        }

        ReadOnlySpan<byte> rest = s.Slice(start);
        if (rest.StartsWith("audit: type="u8))
        {
            return TryParsePrintk(line, start + 7, prefix.WithRendering(AuditRendering.Printk), out result, out error);
        }

        if (rest.StartsWith("type="u8) || rest.StartsWith("node="u8))
        {
            return PrintkPrefix.IsAt(s, start)
                ? TryParsePrintk(line, start, prefix.WithRendering(AuditRendering.Printk), out result, out error)
                : TryParseAuditd(line, start, prefix, interpreted: true, out result, out error);
        }

        if (!auditTag)
        {
            return AuditLineError.Fail(out error, start, "a syslog line from a program other than audit", LineParts.Syslog);
        }

        return TryParseJournal(line, start, prefix, out result, out error);
    }

    // At `start`: type=DIGITS audit(S.mmm:SERIAL): BODY
    private static bool TryParsePrintk(ReadOnlyMemory<byte> line, int start, LinePrefix prefix, out AuditLine result, out AuditLineError error)
    {
        result = default;
        ReadOnlySpan<byte> s = line.Span;
        if (!PrintkPrefix.TryParse(s, start, out int typeStart, out int typeLength, out int typeNumber, out int position, out error)
            || !AuditStamp.TryParseAt(s, ref position, out AuditStamp stamp, out error))
        {
            return false;
        }

        return TryParseBody(line, position, 0, 0, typeStart, typeLength, typeNumber, stamp, 0, prefix, AuditRendering.Printk, out result, out error);
    }

    // At `start`: TYPE BODY, as journald prints an audit record it read from the kernel (no stamp).
    private static bool TryParseJournal(ReadOnlyMemory<byte> line, int start, LinePrefix prefix, out AuditLine result, out AuditLineError error)
    {
        result = default;
        if (!JournalPrefix.TryParseType(line.Span, start, out int typeLength, out int typeNumber, out error))
        {
            return false;
        }

        return TryParseBody(line, start + typeLength, 0, 0, start, typeLength, typeNumber, default, Flags.NoStamp, prefix, AuditRendering.Syslog, out result, out error);
    }
}
