using System;
using System.IO;
using System.Text;

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
    private readonly object _gate = new();
    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;
    private readonly AuditLineFormatter? _formatter;
    private readonly byte[] _bytes;
    private readonly char[] _chars;
    private bool _disposed;

    /// <summary>Creates the sink.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="form">The message alone, or a RAW or ENRICHED line.</param>
    /// <param name="ownsWriter">Whether <see cref="Dispose"/> closes the writer.</param>
    /// <param name="header">For lines: the header to write, or <see langword="null"/> for this process's own.</param>
    /// <param name="clock">For lines: the clock; <see langword="null"/> for the system clock.</param>
    public TextWriterAuditSink(TextWriter writer, AuditTextForm form = AuditTextForm.Message, bool ownsWriter = false, AuditLineHeader? header = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _ownsWriter = ownsWriter;
        _formatter = form switch
        {
            AuditTextForm.Message => null,
            AuditTextForm.RawLine => new AuditLineFormatter(AuditLogFormat.Raw, header, clock, 1),
            AuditTextForm.EnrichedLine => new AuditLineFormatter(AuditLogFormat.Enriched, header, clock, 1),
            _ => throw new ArgumentOutOfRangeException(nameof(form), form, "Message, RawLine or EnrichedLine"),
        };
        _bytes = new byte[_formatter?.MaxLineLength ?? AuditEmitter.MaxMessageLength + 1];
        _chars = new char[_bytes.Length];
    }

    /// <inheritdoc/>
    public AuditSendResult Send(int recordType, ReadOnlySpan<byte> message)
    {
        if (message.Length > AuditEmitter.MaxMessageLength)
        {
            message = message.Slice(0, AuditEmitter.MaxMessageLength);
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return new AuditSendResult(AuditSendError.Closed, 0);
            }

            int length;
            if (_formatter is null)
            {
                message.CopyTo(_bytes);
                _bytes[message.Length] = (byte)'\n';
                length = message.Length + 1;
            }
            else
            {
                length = _formatter.Format(recordType, message, _bytes);
            }

            int chars = Encoding.UTF8.GetChars(_bytes.AsSpan(0, length), _chars);
            try
            {
                _writer.Write(_chars.AsSpan(0, chars));
                return AuditSendResult.Success;
            }
            catch (IOException e)
            {
                return new AuditSendResult(AuditSendError.WriteFailed, e.HResult & 0xFFFF);
            }
            catch (ObjectDisposedException)
            {
                return new AuditSendResult(AuditSendError.Closed, 0);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_ownsWriter)
            {
                _writer.Dispose();
            }
            else
            {
                _writer.Flush();
            }
        }
    }
}
