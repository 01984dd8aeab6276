using System;
using System.IO;
using System.Text;

namespace VirtAudit;

/// <summary>
/// What <see cref="AuditLogFileSink"/> and <see cref="TextWriterAuditSink"/> share: under one lock, the message alone
/// or as an audit.log line (<see cref="AuditLineFormatter"/>) goes to a stream or a writer in one write, and a failed
/// or closed output becomes an <see cref="AuditSendResult"/>. Allocates nothing per message.
/// </summary>
internal sealed class LineSink : IDisposable
{
    private readonly object _gate = new();
    private readonly AuditLineFormatter? _formatter;
    private readonly Stream? _stream;
    private readonly TextWriter? _writer;
    private readonly bool _owns;
    private readonly byte[] _bytes;
    private readonly char[]? _chars;
    private bool _disposed;

    private LineSink(AuditLineFormatter? formatter, Stream? stream, TextWriter? writer, bool owns)
    {
        _formatter = formatter;
        _stream = stream;
        _writer = writer;
        _owns = owns;
        _bytes = new byte[formatter?.MaxLineLength ?? AuditEmitter.MaxMessageLength + 1];
        _chars = writer is null ? null : new char[_bytes.Length];
    }

    public static LineSink ToStream(Stream stream, bool owns, AuditLineFormatter formatter)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new LineSink(formatter, stream, null, owns);
    }

    public static LineSink ToWriter(TextWriter writer, bool owns, AuditLineFormatter? formatter)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return new LineSink(formatter, null, writer, owns);
    }

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

            try
            {
                if (_stream is not null)
                {
                    _stream.Write(_bytes, 0, length);
                }
                else
                {
                    int chars = Encoding.UTF8.GetChars(_bytes.AsSpan(0, length), _chars);
                    _writer!.Write(_chars.AsSpan(0, chars));
                }

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

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            IDisposable output = (IDisposable?)_stream ?? _writer!;
            if (_owns)
            {
                output.Dispose();
            }
            else
            {
                _stream?.Flush();
                _writer?.Flush();
            }
        }
    }
}
