using System;
using System.Collections;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;

namespace VirtAudit;

/// <summary>
/// The state an <see cref="AuditEmitter"/> logs with: the message text as libvirt logs it, and as structured values
/// <c>Payload</c>, <c>Success</c>, <c>RecordType</c>, <c>Caller</c>, <c>Line</c> and, for a failed send,
/// <c>Reason</c>. <see cref="LibvirtLogLoggerProvider"/> takes the caller and line from it.
/// </summary>
internal readonly struct AuditLogState : IReadOnlyList<KeyValuePair<string, object?>>
{
    public static readonly EventId SentEvent = new(1, "AuditMessage");
    public static readonly EventId FailedOperationEvent = new(2, "AuditMessageFailed");
    public static readonly EventId SendFailedEvent = new(3, "AuditSendFailed");

    public static readonly Func<AuditLogState, Exception?, string> Formatter = static (state, _) => state.ToString();

    private readonly Kind _kind;

    public AuditLogState(Kind kind, int recordType, bool success, string payload, string caller, int line, string? reason)
    {
        _kind = kind;
        RecordType = recordType;
        Success = success;
        Payload = payload;
        Caller = caller;
        Line = line;
        Reason = reason;
    }

    public enum Kind
    {
        Message,
        SendFailed,
    }

    public int RecordType { get; }

    public bool Success { get; }

    public string Payload { get; }

    public string Caller { get; }

    public int Line { get; }

    public string? Reason { get; }

    public int Count => _kind == Kind.SendFailed ? 7 : 6;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("Payload", Payload),
        1 => new("Success", Success),
        2 => new("RecordType", RecordType),
        3 => new("Caller", Caller),
        4 => new("Line", Line),
        5 when _kind == Kind.SendFailed => new("Reason", Reason),
        5 or 6 => new("{OriginalFormat}", _kind == Kind.SendFailed ? "Failed to send audit message {Payload}: {Reason}" : Success ? "success=yes {Payload}" : "success=no {Payload}"),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => _kind == Kind.SendFailed
        ? "Failed to send audit message " + Payload + ": " + Reason
        : (Success ? "success=yes " : "success=no ") + Payload;
}
