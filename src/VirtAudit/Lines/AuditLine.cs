using System;

namespace VirtAudit;

/// <summary>
/// One audit record line, split into its parts without copying. <see cref="TryParse"/> reads the audit.log line
/// auditd writes (RAW or ENRICHED, spec §3.1–§3.4):
/// <c>[node=NODE ]type=NAME msg=audit(SECONDS.mmm:SERIAL): BODY[\x1dENRICHMENT]</c>; <see cref="TryParseAny"/> also
/// reads the other renderings of a record (journald / syslog, kernel printk, <c>ausearch -i</c>, libvirt's and
/// KubeVirt's daemon logs; see <see cref="AuditRendering"/>). For a user-space message the body is the kernel header followed by
/// <c>msg='MESSAGE'</c>; for other records it is a flat list of fields. Every part is a slice of the bytes given to
/// the parser, which must stay unchanged while in use.
/// </summary>
public readonly partial struct AuditLine
{
    private readonly ReadOnlyMemory<byte> _line;
    private readonly int _nodeStart;
    private readonly int _nodeLength;
    private readonly int _typeStart;
    private readonly int _typeLength;
    private readonly int _bodyStart;
    private readonly int _bodyEnd;
    private readonly int _headerLength;
    private readonly int _messageStart;
    private readonly int _messageEnd;
    private readonly Flags _flags;
    private readonly LinePrefix _prefix;
    private readonly DaemonParts _daemon;

    private AuditLine(
        ReadOnlyMemory<byte> line,
        int nodeStart,
        int nodeLength,
        int typeStart,
        int typeLength,
        int typeNumber,
        AuditStamp stamp,
        int bodyStart,
        int bodyEnd,
        int headerLength,
        int messageStart,
        int messageEnd,
        AuditKernelHeader kernelHeader,
        Flags flags,
        LinePrefix prefix,
        DaemonParts daemon = default)
    {
        _line = line;
        _nodeStart = nodeStart;
        _nodeLength = nodeLength;
        _typeStart = typeStart;
        _typeLength = typeLength;
        TypeNumber = typeNumber;
        Stamp = stamp;
        _bodyStart = bodyStart;
        _bodyEnd = bodyEnd;
        _headerLength = headerLength;
        _messageStart = messageStart;
        _messageEnd = messageEnd;
        KernelHeader = kernelHeader;
        _flags = flags;
        _prefix = prefix;
        _daemon = daemon;
    }

    [Flags]
    private enum Flags : byte
    {
        Node = 1,
        Enrichment = 2,
        UserMessage = 4,
        KernelHeader = 8,
        Truncated = 16,
        NoStamp = 32,
        LocalTime = 64,
        Daemon = 128,
    }

    /// <summary>The line as parsed, without its line end (LF or CRLF).</summary>
    public ReadOnlyMemory<byte> Line => _line;

    /// <summary>True when the line starts with <c>node=NODE </c>.</summary>
    public bool HasNode => (_flags & Flags.Node) != 0;

    /// <summary>The node name of <c>node=NODE</c>, raw; empty when <see cref="HasNode"/> is false.</summary>
    public ReadOnlyMemory<byte> Node => HasNode ? _line.Slice(_nodeStart, _nodeLength) : default;

    /// <summary>The record type as printed, e.g. <c>VIRT_RESOURCE</c> or <c>UNKNOWN[1420]</c>.</summary>
    public ReadOnlyMemory<byte> TypeName => _line.Slice(_typeStart, _typeLength);

    /// <summary>
    /// The record type number: from <see cref="AuditRecordTypes"/> for a known name, the number of an
    /// <c>UNKNOWN[N]</c> name, 0 for a name this library does not know.
    /// </summary>
    public int TypeNumber { get; }

    /// <summary>
    /// The event stamp of <c>audit(SECONDS.mmm:SERIAL)</c>; <c>default</c> when <see cref="HasStamp"/> is false. For an
    /// <c>ausearch -i</c> line the seconds are the printed local wall-clock time read as if it were UTC
    /// (<see cref="IsStampLocalTime"/>).
    /// </summary>
    public AuditStamp Stamp { get; }

    /// <summary>Everything after <c>): </c> up to the 0x1D separator or the end of the line.</summary>
    public ReadOnlyMemory<byte> Body => _line.Slice(_bodyStart, _bodyEnd - _bodyStart);

    /// <summary>True when the line has the ENRICHED separator byte 0x1D.</summary>
    public bool HasEnrichment => (_flags & Flags.Enrichment) != 0;

    /// <summary>The ENRICHED tail after the 0x1D byte (e.g. <c>UID="root" AUID="unset"</c>); may be empty.</summary>
    public ReadOnlyMemory<byte> Enrichment => HasEnrichment ? _line.Slice(_bodyEnd + 1) : default;

    /// <summary>True when the body holds a user-space message: it starts with <c>msg='</c> or contains <c> msg='</c>.</summary>
    public bool IsUserMessage => (_flags & Flags.UserMessage) != 0;

    /// <summary>True when a user-space message has a kernel header before <c>msg='</c>.</summary>
    public bool HasKernelHeader => (_flags & Flags.KernelHeader) != 0;

    /// <summary>The kernel header of a user-space message; <c>default</c> when <see cref="HasKernelHeader"/> is false.</summary>
    public AuditKernelHeader KernelHeader { get; }

    /// <summary>
    /// The payload inside <c>msg='…'</c>, without the quotes; it may itself contain <c>'</c>. Empty for records that are
    /// not user-space messages. For a daemon log line (<see cref="DaemonLog"/>), the audit payload libvirt logged (no
    /// trailer), JSON escapes decoded.
    /// </summary>
    public ReadOnlyMemory<byte> Message =>
        (_flags & Flags.Daemon) != 0 ? DaemonPayload : IsUserMessage ? _line.Slice(_messageStart, _messageEnd - _messageStart) : default;

    /// <summary>
    /// The byte offset of <see cref="Message"/> within <see cref="Line"/> (0 when there is no message). In a JSON line
    /// whose message has escapes, offsets within the message count decoded bytes.
    /// </summary>
    public int MessageOffset => IsUserMessage || (_flags & Flags.Daemon) != 0 ? _messageStart : 0;

    /// <summary>
    /// True when a user-space message was cut: it has no closing <c>'</c> at the end of the body (the line was cut;
    /// <see cref="Message"/> then runs to the end of the body), or it is <see cref="AuditLimits.MaxMessageText"/>
    /// bytes long, the kernel's limit, and does not end in libaudit's <c>res=</c> (the kernel cut it and closed the
    /// quote, spec §3.6).
    /// </summary>
    public bool IsMessageTruncated => (_flags & Flags.Truncated) != 0;

    /// <summary>
    /// The fields of the body, in order, duplicates kept: for a user-space message the kernel header's fields, then
    /// the message's fields (<see cref="AuditField.IsInner"/>); never the ENRICHED tail.
    /// </summary>
    public AuditFieldEnumerator Fields => (_flags & Flags.Daemon) != 0
        ? new AuditFieldEnumerator(DaemonPayload, 0, 0, 0, _daemon.PayloadLength)
        : IsUserMessage
        ? new AuditFieldEnumerator(_line, _bodyStart, _bodyStart + _headerLength, _messageStart, _messageEnd)
        : new AuditFieldEnumerator(_line, _bodyStart, _bodyEnd, -1, -1);

    /// <summary>The <c>NAME=value</c> pairs of the ENRICHED tail, in order.</summary>
    public AuditEnrichmentEnumerator EnrichmentFields => new(Enrichment);

    /// <summary>Parses an audit.log line; throws when it is malformed.</summary>
    /// <param name="line">The line, with or without its LF / CRLF line end.</param>
    /// <returns>The parsed line.</returns>
    /// <exception cref="FormatException">The line is not an audit.log line; the message gives offset and reason.</exception>
    public static AuditLine Parse(ReadOnlyMemory<byte> line)
    {
        if (!TryParse(line, out AuditLine result, out AuditLineError error))
        {
            throw new FormatException("Not an audit.log line: " + error.ToString());
        }

        return result;
    }

    /// <summary>
    /// Parses an audit.log line without allocating. Accepts a trailing LF or CRLF. Bytes are not decoded: NUL bytes
    /// and invalid UTF-8 are kept as they are.
    /// </summary>
    /// <param name="line">The line, with or without its LF / CRLF line end.</param>
    /// <param name="result">The parsed line; <c>default</c> on failure.</param>
    /// <param name="error">Where and why parsing failed; <c>default</c> on success.</param>
    /// <returns>True when the line was parsed.</returns>
    public static bool TryParse(ReadOnlyMemory<byte> line, out AuditLine result, out AuditLineError error)
    {
        result = default;
        if (!TryTrimLine(ref line, out error))
        {
            return false;
        }

        return TryParseAuditd(line, 0, default, interpreted: false, out result, out error);
    }

    // Drops a trailing LF / CRLF; fails on an empty line or a line feed inside.
    private static bool TryTrimLine(ref ReadOnlyMemory<byte> line, out AuditLineError error)
    {
        ReadOnlySpan<byte> s = line.Span;
        int length = s.Length;
        if (length > 0 && s[length - 1] == (byte)'\n')
        {
            length--;
            if (length > 0 && s[length - 1] == (byte)'\r')
            {
                length--;
            }
        }

        line = line.Slice(0, length);
        if (length == 0)
        {
            return AuditLineError.Fail(out error, 0, "empty line", LineParts.Line);
        }

        int lineFeed = s.Slice(0, length).IndexOf((byte)'\n');
        if (lineFeed >= 0)
        {
            return AuditLineError.Fail(out error, lineFeed, "line feed inside the line", LineParts.Line);
        }

        error = default;
        return true;
    }

    // The auditd form from `start` on: [node=NODE ]type=NAME msg=audit(STAMP): BODY[\x1dTAIL]. With
    // `interpreted`, an ausearch -i stamp (MM/DD/YYYY HH:MM:SS.mmm:SERIAL) followed by ") :" is accepted too.
    private static bool TryParseAuditd(
        ReadOnlyMemory<byte> line,
        int start,
        LinePrefix prefix,
        bool interpreted,
        out AuditLine result,
        out AuditLineError error)
    {
        result = default;
        ReadOnlySpan<byte> s = line.Span;
        int length = s.Length;
        Flags flags = 0;
        int position = start;
        int nodeLength = 0;
        if (s.Slice(position).StartsWith("node="u8))
        {
            nodeLength = s.Slice(position + 5).IndexOf((byte)' ');
            if (nodeLength < 0)
            {
                return AuditLineError.Fail(out error, length, "expected a space after the node name", LineParts.Node);
            }

            if (nodeLength == 0)
            {
                return AuditLineError.Fail(out error, position + 5, "empty node name", LineParts.Node);
            }

            flags |= Flags.Node;
            position += 5 + nodeLength + 1;
        }

        int nodeStart = start + 5;
        if (!s.Slice(position).StartsWith("type="u8))
        {
            return AuditLineError.Fail(out error, position, "expected type=", LineParts.Type);
        }

        position += 5;
        int typeStart = position;
        int typeLength = s.Slice(typeStart).IndexOf((byte)' ');
        if (typeLength < 0)
        {
            typeLength = length - typeStart;
        }

        if (typeLength == 0)
        {
            return AuditLineError.Fail(out error, typeStart, "empty record type", LineParts.Type);
        }

        ReadOnlySpan<byte> typeName = s.Slice(typeStart, typeLength);
        if (!AuditRecordTypes.TryGetNumber(typeName, out int typeNumber))
        {
            int bad = typeName.IndexOfAnyExcept(TypeNameBytes);
            if (bad >= 0)
            {
                return AuditLineError.Fail(out error, typeStart + bad, "invalid byte in the record type", LineParts.Type);
            }
        }

        position = typeStart + typeLength;
        if (!s.Slice(position).StartsWith(" msg=audit("u8))
        {
            return AuditLineError.Fail(out error, position, "expected ' msg=audit('", LineParts.Msg);
        }

        position += 11;
        int stampStart = position;
        if (!AuditStamp.TryParseAt(s, ref position, out AuditStamp stamp, out error))
        {
            position = stampStart;
            if (!interpreted || !InterpretedStamp.TryParse(s, ref position, out stamp))
            {
                return false;
            }

            flags |= Flags.LocalTime;
        }

        AuditRendering rendering = (flags & Flags.LocalTime) != 0 ? AuditRendering.Interpreted : prefix.Rendering;
        return TryParseBody(line, position, nodeStart, nodeLength, typeStart, typeLength, typeNumber, stamp, flags, prefix, rendering, out result, out error);
    }

    // Everything after the stamp's "):" (or ") :"): the optional space, the body, the ENRICHED tail. A rendering of
    // 0 means auditd's own: RAW or ENRICHED by the presence of the tail.
    private static bool TryParseBody(
        ReadOnlyMemory<byte> line,
        int position,
        int nodeStart,
        int nodeLength,
        int typeStart,
        int typeLength,
        int typeNumber,
        AuditStamp stamp,
        Flags flags,
        LinePrefix prefix,
        AuditRendering rendering,
        out AuditLine result,
        out AuditLineError error)
    {
        result = default;
        ReadOnlySpan<byte> s = line.Span;
        int length = s.Length;
        int bodyStart;
        if (position == length || s[position] == LineSyntax.EnrichmentSeparator)
        {
            // auditd trims the trailing space of a record with an empty body (EOE).
            bodyStart = position;
        }
        else if (s[position] == (byte)' ')
        {
            bodyStart = position + 1;
        }
        else
        {
            return AuditLineError.Fail(out error, position, "expected a space after '):'", LineParts.Stamp);
        }

        int bodyEnd = length;
        int separator = LineSyntax.FindEnrichmentSeparator(s.Slice(bodyStart));
        if (separator >= 0)
        {
            bodyEnd = bodyStart + separator;
            flags |= Flags.Enrichment;
        }

        if (rendering == AuditRendering.Unknown)
        {
            rendering = separator >= 0 ? AuditRendering.Enriched : AuditRendering.Raw;
        }

        ReadOnlySpan<byte> body = s.Slice(bodyStart, bodyEnd - bodyStart);
        int headerLength = 0;
        int messageStart = 0;
        int messageEnd = 0;
        AuditKernelHeader kernelHeader = default;
        if (LineSyntax.TrySplitUserMessage(body, out headerLength, out messageStart, out messageEnd, out bool truncated))
        {
            flags |= Flags.UserMessage;
            if (truncated)
            {
                flags |= Flags.Truncated;
            }

            messageStart += bodyStart;
            messageEnd += bodyStart;
            if (headerLength > 0)
            {
                if (AuditKernelHeader.TryParse(line, bodyStart, headerLength, out kernelHeader, out error))
                {
                    flags |= Flags.KernelHeader;
                }
                else if (rendering != AuditRendering.Interpreted)
                {
                    return false;
                }

                // ausearch -i prints names for ids (uid=root): the header stays a list of fields.
            }
        }

        result = new AuditLine(
            line,
            nodeStart,
            nodeLength,
            typeStart,
            typeLength,
            typeNumber,
            stamp,
            bodyStart,
            bodyEnd,
            headerLength,
            messageStart,
            messageEnd,
            kernelHeader,
            flags,
            prefix.WithRendering(rendering));
        error = default;
        return true;
    }

    private static ReadOnlySpan<byte> TypeNameBytes => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"u8;
}
