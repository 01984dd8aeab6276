using System;

namespace VirtAudit;

/// <summary>
/// Where an <see cref="AuditEmitter"/> delivers a user message: the kernel (<see cref="KernelAuditSink"/>), an
/// audit.log-format file (<see cref="AuditLogFileSink"/>), a <see cref="System.IO.TextWriter"/>
/// (<see cref="TextWriterAuditSink"/>) or memory (<see cref="MemoryAuditSink"/>). Implementations are thread-safe.
/// </summary>
public interface IAuditSink : IDisposable
{
    /// <summary>
    /// Delivers one message: <paramref name="message"/> is the text libaudit hands the kernel, the libvirt payload
    /// followed by its trailer (<c>… exe="…" hostname=? addr=? terminal=? res=success</c>), without the kernel header.
    /// </summary>
    /// <param name="recordType">The record type, e.g. 2500 (VIRT_CONTROL).</param>
    /// <param name="message">The payload and trailer, UTF-8.</param>
    /// <returns>Whether the message was delivered, and why not.</returns>
    AuditSendResult Send(int recordType, ReadOnlySpan<byte> message);
}
