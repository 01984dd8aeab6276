using System;
using System.IO;

namespace VirtAudit;

/// <summary>What a <see cref="TextWriterAuditSink"/> writes for each message.</summary>
public enum AuditTextForm
{
    /// <summary>The message alone (the libvirt payload and libaudit's trailer), one per line.</summary>
    Message,

    /// <summary>A RAW audit.log line.</summary>
    RawLine,

    /// <summary>An ENRICHED audit.log line.</summary>
    EnrichedLine,
}

/// <summary>
/// Writes each message to a <see cref="TextWriter"/>, alone or as an audit.log line (header made from this process
/// and the clock, or one you supply). Thread-safe; the sink itself allocates nothing per record.
/// </summary>
public sealed class TextWriterAuditSink : IAuditSink
{
    private readonly LineSink _sink;

    /// <summary>Creates the sink.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="form">The message alone, or a RAW or ENRICHED line.</param>
    /// <param name="ownsWriter">Whether <see cref="Dispose"/> closes the writer.</param>
    /// <param name="header">For lines: the header to write, or <see langword="null"/> for this process's own.</param>
    /// <param name="clock">For lines: the clock; <see langword="null"/> for the system clock.</param>
    public TextWriterAuditSink(TextWriter writer, AuditTextForm form = AuditTextForm.Message, bool ownsWriter = false, AuditLineHeader? header = null, TimeProvider? clock = null)
    {
        AuditLineFormatter? formatter = form switch
        {
            AuditTextForm.Message => null,
            AuditTextForm.RawLine => new AuditLineFormatter(AuditLogFormat.Raw, header, clock, 1),
            AuditTextForm.EnrichedLine => new AuditLineFormatter(AuditLogFormat.Enriched, header, clock, 1),
            _ => throw new ArgumentOutOfRangeException(nameof(form), form, "Message, RawLine or EnrichedLine"),
        };
        _sink = LineSink.ToWriter(writer, ownsWriter, formatter);
    }

    /// <inheritdoc/>
    public AuditSendResult Send(int recordType, ReadOnlySpan<byte> message) => _sink.Send(recordType, message);

    /// <inheritdoc/>
    public void Dispose() => _sink.Dispose();
}
