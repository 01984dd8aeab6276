using System;
using System.Collections.Generic;
using System.Globalization;

namespace VirtAudit;

/// <summary>Why an <see cref="AuditEvent"/> was complete.</summary>
public enum AuditEventCompletion : byte
{
    /// <summary>Not complete (<c>default</c>).</summary>
    None = 0,

    /// <summary>Its <c>EOE</c> record arrived (the kernel's end of a multi-record event).</summary>
    EndOfEvent = 1,

    /// <summary>Its <c>PROCTITLE</c> record arrived: the last record the kernel writes for a syscall before <c>EOE</c> (auditd does not log <c>EOE</c>).</summary>
    LastRecord = 2,

    /// <summary>
    /// Its record is of a type that is always alone (every user-space message: 1100–1299 and 2100–2999, so every
    /// VIRT_* record), and the next record belongs to another event.
    /// </summary>
    Single = 3,

    /// <summary>The record has no stamp (journald): it cannot share an event with another one.</summary>
    Unstamped = 4,

    /// <summary>The bounded window passed without a record of the event (<see cref="AuditEventOptions"/>).</summary>
    Window = 5,

    /// <summary>The input ended (<see cref="AuditEventBuilder.Complete"/>).</summary>
    EndOfInput = 6,
}

/// <summary>What was unusual about how an event's records arrived.</summary>
[Flags]
public enum AuditEventIssues
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Records of other events arrived between this event's records.</summary>
    Interleaved = 1,

    /// <summary>The event began after an event of the same origin with a higher serial (serials went backwards).</summary>
    SerialOutOfOrder = 2,

    /// <summary>
    /// These records have the origin and stamp of an event that was already complete: they arrived after its window,
    /// or after its <c>EOE</c> / <c>PROCTITLE</c>, and form a fragment of it.
    /// </summary>
    Late = 4,

    /// <summary>
    /// Records are missing: fewer <c>PATH</c> records than the <c>SYSCALL</c>'s <c>items=</c>, or records that follow a
    /// <c>SYSCALL</c> (<c>CWD</c>, <c>PATH</c>, <c>EXECVE</c>, <c>PROCTITLE</c>) without one.
    /// </summary>
    MissingRecords = 8,

    /// <summary>
    /// The records are not in the order the kernel writes them: a <c>SYSCALL</c> after the records that follow it, or
    /// <c>PATH</c> items not numbered 0, 1, 2, ….
    /// </summary>
    RecordsOutOfOrder = 16,
}

/// <summary>
/// The records of one audit event: they share origin (<c>node=</c> or syslog host) and stamp. Every record is a copy
/// (<see cref="AuditLogRecord.ToOwned"/>) and stays valid.
/// </summary>
public sealed class AuditEvent
{
    internal AuditEvent(ReadOnlyMemory<byte> origin, bool hasStamp, AuditStamp stamp, IReadOnlyList<AuditLogRecord> records, AuditEventCompletion completion, AuditEventIssues issues)
    {
        Origin = origin;
        HasStamp = hasStamp;
        Stamp = stamp;
        Records = records;
        Completion = completion;
        Issues = issues;
    }

    /// <summary>The <c>node=</c> name, else the syslog / journald host, else empty.</summary>
    public ReadOnlyMemory<byte> Origin { get; }

    /// <summary>False for a journald record, which has no stamp.</summary>
    public bool HasStamp { get; }

    /// <summary>The stamp every record of the event has; <c>default</c> when <see cref="HasStamp"/> is false.</summary>
    public AuditStamp Stamp { get; }

    /// <summary>The records, in the order they were read.</summary>
    public IReadOnlyList<AuditLogRecord> Records { get; }

    /// <summary>Why the event was complete.</summary>
    public AuditEventCompletion Completion { get; }

    /// <summary>What was unusual about how the records arrived.</summary>
    public AuditEventIssues Issues { get; }

    /// <summary>A one-line summary (allocates): stamp, record types and issues.</summary>
    /// <returns>The summary, e.g. <c>1715510880.307:5025 SYSCALL,CWD,PATH,PROCTITLE (LastRecord)</c>.</returns>
    public override string ToString()
    {
        var types = new string[Records.Count];
        for (int i = 0; i < types.Length; i++)
        {
            types[i] = AuditRecordTypes.GetName(Records[i].TypeNumber);
        }

        string stamp = HasStamp ? Stamp.ToString() : "(no stamp)";
        string issues = Issues == AuditEventIssues.None ? string.Empty : " " + Issues.ToString();
        return string.Create(CultureInfo.InvariantCulture, $"{stamp} {string.Join(',', types)} ({Completion}){issues}");
    }
}

/// <summary>The bounded window of an <see cref="AuditEventBuilder"/>.</summary>
public sealed class AuditEventOptions
{
    private int _windowRecords = 64;
    private TimeSpan _windowTime = TimeSpan.FromSeconds(2);

    /// <summary>The options every builder gets unless given others.</summary>
    public static AuditEventOptions Default { get; } = new();

    /// <summary>
    /// An open event is complete once this many records of other events have been read since its last record
    /// (default 64). This bounds the number of open events, and so the memory.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or above 65536.</exception>
    public int WindowRecords
    {
        get => _windowRecords;
        init => _windowRecords = value is >= 1 and <= 65536 ? value : throw new ArgumentOutOfRangeException(nameof(WindowRecords), value, "Use 1 to 65536.");
    }

    /// <summary>
    /// An open event is complete once a record stamped this much later than the event has been read (default 2 s,
    /// as auparse's end-of-event timeout).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan WindowTime
    {
        get => _windowTime;
        init => _windowTime = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(WindowTime), value, "Use a positive time.");
    }
}
