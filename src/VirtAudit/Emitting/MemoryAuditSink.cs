using System;
using System.Collections.Generic;
using System.Text;

namespace VirtAudit;

/// <summary>One message a <see cref="MemoryAuditSink"/> received.</summary>
/// <param name="RecordType">The record type, e.g. 2501.</param>
/// <param name="Message">The libvirt payload and libaudit's trailer, as sent.</param>
public sealed record SentAuditMessage(int RecordType, byte[] Message)
{
    /// <summary>The message as text.</summary>
    public string Text => Encoding.UTF8.GetString(Message);

    /// <summary>Types the message with a registry (by default the built-in types).</summary>
    /// <param name="registry">The registry; <see langword="null"/> for <see cref="VirtAuditRegistry.Default"/>.</param>
    /// <returns>The typed record (see <see cref="VirtAuditRecord.IsTyped"/>).</returns>
    public VirtAuditRecord Parse(VirtAuditRegistry? registry = null) => (registry ?? VirtAuditRegistry.Default).Parse(RecordType, Message);

    /// <inheritdoc/>
    public override string ToString() => RecordType.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + Text;
}

/// <summary>
/// Keeps every message in memory, for tests of code that emits. <see cref="Failure"/> makes it refuse messages the
/// way the kernel would, to test how a program deals with a failed send. Thread-safe.
/// </summary>
public sealed class MemoryAuditSink : IAuditSink
{
    private readonly object _gate = new();
    private readonly List<SentAuditMessage> _messages = new();

    /// <summary>The messages received so far, in order (a copy).</summary>
    public IReadOnlyList<SentAuditMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return _messages.ToArray();
            }
        }
    }

    /// <summary>
    /// What <see cref="Send"/> answers, e.g. <c>AuditSendResult.FromErrno(1)</c> (EPERM); a refused message is not
    /// kept. Default: success.
    /// </summary>
    public AuditSendResult Failure { get; set; }

    /// <inheritdoc/>
    public AuditSendResult Send(int recordType, ReadOnlySpan<byte> message)
    {
        lock (_gate)
        {
            if (!Failure.IsSuccess)
            {
                return Failure;
            }

            _messages.Add(new SentAuditMessage(recordType, message.ToArray()));
            return AuditSendResult.Success;
        }
    }

    /// <summary>Forgets the messages received.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _messages.Clear();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
