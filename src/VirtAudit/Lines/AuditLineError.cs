using System.Globalization;

namespace VirtAudit;

/// <summary>
/// Why an audit line could not be parsed: the byte offset within the line, a short reason and the part of the
/// line that was being read. Creating one allocates nothing (the texts are static).
/// </summary>
public readonly struct AuditLineError
{
    private readonly string? _reason;
    private readonly string? _part;

    internal AuditLineError(int offset, string reason, string part)
    {
        Offset = offset;
        _reason = reason;
        _part = part;
    }

    /// <summary>True when this describes an error; false for <c>default</c> (no error).</summary>
    public bool IsError => _reason is not null;

    /// <summary>The offset, in bytes from the start of the line as given, where the problem was found.</summary>
    public int Offset { get; }

    /// <summary>A short English reason, e.g. <c>expected ' msg=audit('</c>; empty when there is no error.</summary>
    public string Reason => _reason ?? string.Empty;

    /// <summary>
    /// The part of the line being read: <c>line</c>, <c>node</c>, <c>type</c>, <c>msg</c>, <c>seconds</c>,
    /// <c>milliseconds</c>, <c>serial</c>, <c>stamp</c>, <c>pid</c>, <c>uid</c>, <c>auid</c>, <c>ses</c>,
    /// <c>ssid</c>, <c>header</c> (the kernel header as a whole), <c>rendering</c> (no rendering of
    /// <see cref="AuditLine.TryParseAny"/> matched), <c>syslog</c> (a syslog line from another program), and for the
    /// daemon logs <c>thread</c>, <c>level</c>, <c>caller</c>, <c>success</c>, <c>payload</c>, <c>json</c> (a JSON line
    /// that is not well-formed) or <c>daemon</c> (a line of the daemon's log that is not an audit message, which the
    /// reader skips); empty when there is no error.
    /// </summary>
    public string Part => _part ?? string.Empty;

    /// <summary>The error as one sentence (allocates), e.g. <c>serial at byte 40: expected digits</c>.</summary>
    /// <returns>The description, or an empty string when there is no error.</returns>
    public override string ToString() =>
        IsError ? string.Create(CultureInfo.InvariantCulture, $"{Part} at byte {Offset}: {Reason}") : string.Empty;

    /// <summary>Sets <paramref name="error"/> and returns false: the one-line failure of every line parser.</summary>
    internal static bool Fail(out AuditLineError error, int offset, string reason, string part)
    {
        error = new AuditLineError(offset, reason, part);
        return false;
    }
}

/// <summary>The names of the parts of a line an <see cref="AuditLineError"/> points at (<see cref="AuditLineError.Part"/>).</summary>
internal static class LineParts
{
    public const string Line = "line";
    public const string Node = "node";
    public const string Type = "type";
    public const string Msg = "msg";
    public const string Seconds = "seconds";
    public const string Milliseconds = "milliseconds";
    public const string Serial = "serial";
    public const string Stamp = "stamp";
    public const string Pid = "pid";
    public const string Uid = "uid";
    public const string Auid = "auid";
    public const string Ses = "ses";
    public const string Ssid = "ssid";
    public const string Header = "header";
    public const string Rendering = "rendering";
    public const string Syslog = "syslog";
    public const string Thread = "thread";
    public const string Level = "level";
    public const string Caller = "caller";
    public const string Success = "success";
    public const string Payload = "payload";
    public const string Json = "json";
    public const string Daemon = DaemonMessage.OtherLinePart;
}
