using System;
using System.Globalization;
using System.Text;

namespace VirtAudit;

/// <summary>The priority of a line of libvirt's own log (<c>virLogPriority</c>).</summary>
public enum DaemonLogLevel : byte
{
    /// <summary>Not a daemon log line, or a level this library does not know.</summary>
    Unknown = 0,

    /// <summary><c>debug</c>.</summary>
    Debug = 1,

    /// <summary><c>info</c>: libvirt logs a successful operation's audit message here (<c>success=yes</c>).</summary>
    Info = 2,

    /// <summary><c>warning</c>: a failed operation's audit message (<c>success=no</c>), and a failed send to the kernel.</summary>
    Warning = 3,

    /// <summary><c>error</c>.</summary>
    Error = 4,
}

/// <summary>
/// An audit message libvirt could not hand to the kernel: <c>virAuditSend</c> logged
/// <c>Failed to send audit message PAYLOAD: ERROR</c> (no <c>CAP_AUDIT_WRITE</c>, as in a KubeVirt pod; no audit in
/// the kernel). The kernel, and so auditd's audit.log, never saw that message. Its memory is the reader's buffer.
/// </summary>
public readonly struct AuditSendFailure
{
    internal AuditSendFailure(ReadOnlyMemory<byte> reason, ReadOnlyMemory<byte> caller, long lineNumber)
    {
        IsFailed = true;
        Reason = reason;
        Caller = caller;
        LineNumber = lineNumber;
    }

    /// <summary>True when the send failed; false for <c>default</c> (no failure was logged).</summary>
    public bool IsFailed { get; }

    /// <summary>Why, as libvirt printed it after the payload (<c>strerror</c>, e.g. <c>Operation not permitted</c>).</summary>
    public ReadOnlyMemory<byte> Reason { get; }

    /// <summary>Where libvirt logged it, <c>FUNCTION:LINE</c> (<c>virAuditSend:126</c>); empty when not printed.</summary>
    public ReadOnlyMemory<byte> Caller { get; }

    /// <summary>
    /// The 1-based line number of the <c>Failed to send</c> line in the reader's input (the record's own line when the
    /// message had no <c>success=</c> line of its own); 0 when parsed outside a reader.
    /// </summary>
    public long LineNumber { get; }

    /// <summary>The reason as text (allocates); empty when the send did not fail.</summary>
    /// <returns>The reason.</returns>
    public override string ToString() => IsFailed ? Encoding.UTF8.GetString(Reason.Span) : string.Empty;

    internal AuditSendFailure Copy() =>
        IsFailed ? new AuditSendFailure(Reason.ToArray(), Caller.ToArray(), LineNumber) : default;

    internal AuditSendFailure AtLine(long lineNumber) =>
        IsFailed ? new AuditSendFailure(Reason, Caller, lineNumber) : default;
}

/// <summary>
/// What libvirt's own log said about an audit message (<c>audit_logging = 1</c>; spec §3.7): the daemon's time stamp,
/// thread, level and caller, whether the operation succeeded, and whether the message reached the kernel. Present on
/// records of <see cref="AuditRendering.LibvirtLog"/> and <see cref="AuditRendering.KubeVirtLog"/> lines. Every part
/// is a slice of the line as printed (JSON escapes of these parts are not decoded; libvirt prints none).
/// </summary>
public readonly struct DaemonLogInfo
{
    private readonly byte _success;

    internal DaemonLogInfo(
        ReadOnlyMemory<byte> timestamp,
        ReadOnlyMemory<byte> thread,
        DaemonLogLevel level,
        ReadOnlyMemory<byte> caller,
        bool? success,
        AuditSendFailure sendFailure)
    {
        IsPresent = true;
        Timestamp = timestamp;
        Thread = thread;
        Level = level;
        Caller = caller;
        _success = success is null ? (byte)0 : success.Value ? (byte)1 : (byte)2;
        SendFailure = sendFailure;
    }

    /// <summary>True for a record read from a daemon log; false (<c>default</c>) for every other record.</summary>
    public bool IsPresent { get; }

    /// <summary>
    /// The daemon's time stamp as printed: <c>2026-11-24 17:52:12.200+0000</c> (libvirt) or
    /// <c>2026-11-24T17:52:12.200000Z</c> (KubeVirt).
    /// </summary>
    public ReadOnlyMemory<byte> Timestamp { get; }

    /// <summary>The thread that logged the message, as printed (libvirt's thread id, e.g. <c>2817</c>).</summary>
    public ReadOnlyMemory<byte> Thread { get; }

    /// <summary>The level of the message's line.</summary>
    public DaemonLogLevel Level { get; }

    /// <summary>
    /// The <c>virDomainAudit*</c> function and source line that built the message, <c>FUNCTION:LINE</c>
    /// (<c>virDomainAuditDisk:95</c>); for a message known only from its <c>Failed to send</c> line,
    /// <c>virAuditSend:LINE</c>. Empty when not printed.
    /// </summary>
    public ReadOnlyMemory<byte> Caller { get; }

    /// <summary>
    /// <c>success=yes</c> (true) or <c>success=no</c> (false); null when only the <c>Failed to send</c> line of the
    /// message was logged (<c>audit_logging = 0</c>), which does not say.
    /// </summary>
    public bool? Success => _success switch { 1 => true, 2 => false, _ => null };

    /// <summary>Whether and why the send to the kernel failed; <c>default</c> when it did not (or was not logged).</summary>
    public AuditSendFailure SendFailure { get; }

    /// <summary>True when libvirt logged that the message never reached the kernel.</summary>
    public bool IsNotSent => SendFailure.IsFailed;

    /// <summary>The function part of <see cref="Caller"/> (before the last <c>:</c>).</summary>
    public ReadOnlyMemory<byte> Function
    {
        get
        {
            int colon = Caller.Span.LastIndexOf((byte)':');
            return colon < 0 ? Caller : Caller.Slice(0, colon);
        }
    }

    /// <summary>The source line number of <see cref="Caller"/>; 0 when there is none.</summary>
    public int SourceLine
    {
        get
        {
            ReadOnlySpan<byte> caller = Caller.Span;
            int colon = caller.LastIndexOf((byte)':');
            return colon >= 0 && LineSyntax.TryParseDigits(caller.Slice(colon + 1), out ulong line, out int digits)
                && digits == caller.Length - colon - 1 && line <= int.MaxValue ? (int)line : 0;
        }
    }

    /// <summary>The time stamp as a point in time; false when it is not one (see <see cref="Timestamp"/>).</summary>
    /// <param name="time">The time, with the offset printed (libvirt prints <c>+0000</c>, KubeVirt <c>Z</c>).</param>
    /// <returns>True when the time stamp was read.</returns>
    public bool TryGetTime(out DateTimeOffset time)
    {
        time = default;
        ReadOnlySpan<byte> text = Timestamp.Span;
        return TimeSyntax.IsoTimeEnd(text) == text.Length && TimeSyntax.TryReadIsoTime(text, out time);
    }

    /// <summary>
    /// The message as libvirt's log showed it, for people (allocates): time, thread, level, caller, success and the
    /// send failure.
    /// </summary>
    /// <returns>A one-line description; empty when <see cref="IsPresent"/> is false.</returns>
    public override string ToString()
    {
        if (!IsPresent)
        {
            return string.Empty;
        }

        string success = Success is null ? "?" : Success.Value ? "yes" : "no";
        string text = string.Create(
            CultureInfo.InvariantCulture,
            $"{Encoding.UTF8.GetString(Timestamp.Span)} thread {Encoding.UTF8.GetString(Thread.Span)} {Level} {Encoding.UTF8.GetString(Caller.Span)} success={success}");
        return IsNotSent ? text + " not sent: " + SendFailure.ToString() : text;
    }

    internal DaemonLogInfo WithSendFailure(AuditSendFailure failure) =>
        new(Timestamp, Thread, Level, Caller, Success, failure);
}
