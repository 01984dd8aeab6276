using System;
using System.Buffers;
using System.IO;

namespace VirtAudit;

/// <summary>
/// Splits an audit log into lines with one pooled buffer: memory stays flat whatever the input's size, and a line
/// is handed out as a slice of the buffer, valid until the next read. Every byte of the input belongs to exactly one
/// line: a missing last newline still ends a line, and CR before LF is dropped from the line.
/// </summary>
public sealed class AuditLogReader : IDisposable
{
    private const int InitialBufferSize = 64 * 1024;
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private long _lineNumber;
    private long _offset;

    /// <summary>Reads lines from <paramref name="stream"/>.</summary>
    public AuditLogReader(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    }

    /// <summary>Opens the file at <paramref name="path"/> for sequential reading.</summary>
    public static AuditLogReader Open(string path) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan));

    /// <summary>How many lines have been handed out.</summary>
    public long LinesRead => _lineNumber;

    /// <summary>
    /// Reads the next line. <paramref name="line"/> excludes the LF (and a CR before it) and stays valid until the
    /// next call; <paramref name="lineNumber"/> is 1-based and <paramref name="offset"/> is the byte offset of the
    /// line's first byte in the input.
    /// </summary>
    public bool TryReadLine(out ReadOnlyMemory<byte> line, out long lineNumber, out long offset)
    {
        while (true)
        {
            var span = _buffer.AsSpan(_start, _end - _start);
            var lf = span.IndexOf((byte)'\n');
            if (lf >= 0 || (_eof && span.Length > 0))
            {
                var length = lf >= 0 ? lf : span.Length;
                var content = length;
                if (content > 0 && span[content - 1] == (byte)'\r')
                {
                    content--;
                }

                line = new ReadOnlyMemory<byte>(_buffer, _start, content);
                lineNumber = ++_lineNumber;
                offset = _offset;
                var consumed = lf >= 0 ? length + 1 : length;
                _start += consumed;
                _offset += consumed;
                return true;
            }

            if (_eof)
            {
                line = default;
                lineNumber = _lineNumber;
                offset = _offset;
                return false;
            }

            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            // A line longer than the buffer: grow (a 1 MB line is legal input, if unusual).
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }

        var buffer = _buffer;
        _buffer = Array.Empty<byte>();
        _start = _end = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
