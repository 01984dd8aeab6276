using System;
using System.Buffers;

namespace VirtAudit;

/// <summary>
/// The reader's one pooled buffer, cut into lines: it hands out complete lines (a slice of the buffer, valid until the
/// next fill), makes room for more input (compacts; grows by doubling for a line longer than the buffer, up to
/// <c>MaxLineLength</c> + 2; shrinks back afterwards), and drops a line longer than <c>MaxLineLength</c> as it
/// arrives, keeping only its first <see cref="LongLinePrefix"/> bytes. It knows nothing of audit records.
/// </summary>
internal sealed class LineBuffer
{
    /// <summary>What a line that is too long keeps of itself.</summary>
    public const int LongLinePrefix = 256;

    private readonly int _maxLineLength;
    private readonly int _bufferSize;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _scan;
    private bool _eof;
    private long _offset;
    private bool _skipping;
    private int _skipPrefix;
    private long _skipLength;
    private long _skipLineStart;
    private bool _skipLastWasCr;

    public LineBuffer(int bufferSize, int maxLineLength)
    {
        _maxLineLength = maxLineLength;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        _bufferSize = _buffer.Length;
    }

    /// <summary>True once the input has ended (a read returned nothing).</summary>
    public bool IsInputEnded => _eof;

    /// <summary>The byte offset in the input of the next line to take: the bytes of all lines taken, line ends included.</summary>
    public long Offset => _offset;

    /// <summary>The size of the buffer now.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>
    /// Takes the next line if the buffer holds all of it (or the input ended): its bytes without LF and the CR before
    /// it, or, for a line longer than <c>MaxLineLength</c>, its first bytes with <see cref="BufferedLine.IsTooLong"/>.
    /// False when more input is needed, or at the end.
    /// </summary>
    public bool TryTake(out BufferedLine line)
    {
        if (_skipping)
        {
            return TryFinishLongLine(out line);
        }

        int found = _buffer.AsSpan(_scan, _end - _scan).IndexOf((byte)'\n');
        if (found >= 0)
        {
            int lineFeed = _scan + found;
            line = Take(_start, lineFeed - _start, lineFeed + 1 - _start);
            return true;
        }

        _scan = _end;
        line = default;
        if (_eof)
        {
            if (_end == _start)
            {
                return false;
            }

            line = Take(_start, _end - _start, _end - _start);
            return true;
        }

        if (_end - _start > _maxLineLength + 1)
        {
            // Longer than allowed whatever comes: keep its first bytes for the error item, drop the rest as it comes.
            _skipping = true;
            _skipLineStart = _offset;
            _skipLength = _end - _start;
            _skipLastWasCr = _buffer[_end - 1] == (byte)'\r';
            _skipPrefix = LongLinePrefix;
            _end = _start + _skipPrefix;
            _scan = _end;
        }

        return false;
    }

    /// <summary>
    /// Looks at the line after the ones taken, without taking it. <see cref="PeekResult.NeedMore"/>: it is not complete
    /// yet and the buffer can still take more input (then <see cref="Untake"/> the line that wanted to look ahead and
    /// fill); <see cref="PeekResult.None"/>: there is no next line, or it cannot be held beside the current one.
    /// </summary>
    public PeekResult Peek(out BufferedLine next)
    {
        next = default;
        if (_skipping)
        {
            return PeekResult.None;
        }

        int found = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
        int length = found >= 0 ? found : _end - _start;
        if (found < 0 && !_eof)
        {
            bool full = _end == _buffer.Length && _buffer.Length >= _maxLineLength + 2;
            return full ? PeekResult.None : PeekResult.NeedMore;
        }

        if (length == 0 && found < 0)
        {
            return PeekResult.None;
        }

        next = Line(_start, length, found >= 0 ? length + 1 : length, _offset);
        return next.IsTooLong ? PeekResult.None : PeekResult.Line;
    }

    /// <summary>Takes the line <see cref="Peek"/> returned.</summary>
    public void TakePeeked(in BufferedLine next)
    {
        _start += next.Consumed;
        _scan = _start;
        _offset += next.Consumed;
    }

    /// <summary>Gives back the line taken last (a record that must wait for the line after it).</summary>
    public void Untake(in BufferedLine line)
    {
        _start -= line.Consumed;
        _scan = _start;
        _offset -= line.Consumed;
    }

    /// <summary>Makes room at the end of the buffer and returns it: compacts, shrinks after a long line, grows for one.</summary>
    public Memory<byte> PrepareFill()
    {
        if (_start > 0)
        {
            int pending = _end - _start;
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _scan -= _start;
            _end = pending;
            _start = 0;
        }

        if (_buffer.Length > _bufferSize && _end <= _bufferSize / 2)
        {
            Resize(_bufferSize);
        }
        else if (_end == _buffer.Length && _buffer.Length < _maxLineLength + 2)
        {
            // A line longer than the buffer: grow until a line of MaxLineLength and its CRLF fit.
            Resize((int)Math.Min((long)_buffer.Length * 2, (long)_maxLineLength + 2));
        }

        return _buffer.AsMemory(_end);
    }

    /// <summary>Records that <paramref name="read"/> bytes arrived in the memory <see cref="PrepareFill"/> returned (0: the input ended).</summary>
    public void Filled(int read)
    {
        if (read <= 0)
        {
            _eof = true;
        }
        else
        {
            _end += read;
        }
    }

    /// <summary>Returns the buffer to the pool; the instance is unusable afterwards.</summary>
    public void Release()
    {
        byte[] buffer = _buffer;
        _buffer = Array.Empty<byte>();
        _start = _end = _scan = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Resize(int size)
    {
        byte[] resized = ArrayPool<byte>.Shared.Rent(size);
        Buffer.BlockCopy(_buffer, 0, resized, 0, _end);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = resized;
    }

    private BufferedLine Take(int start, int length, int consumed)
    {
        BufferedLine line = Line(start, length, consumed, _offset);
        _offset += consumed;
        _start = start + consumed;
        _scan = _start;
        return line;
    }

    private BufferedLine Line(int start, int length, int consumed, long offset)
    {
        if (length > 0 && _buffer[start + length - 1] == (byte)'\r')
        {
            length--;
        }

        return length > _maxLineLength
            ? new BufferedLine(new ReadOnlyMemory<byte>(_buffer, start, LongLinePrefix), offset, length, consumed, tooLong: true)
            : new BufferedLine(new ReadOnlyMemory<byte>(_buffer, start, length), offset, length, consumed, tooLong: false);
    }

    private bool TryFinishLongLine(out BufferedLine line)
    {
        line = default;
        int dataStart = _start + _skipPrefix;
        int found = _buffer.AsSpan(dataStart, _end - dataStart).IndexOf((byte)'\n');
        if (found < 0)
        {
            if (_end > dataStart)
            {
                _skipLength += _end - dataStart;
                _skipLastWasCr = _buffer[_end - 1] == (byte)'\r';
                _end = dataStart;
                _scan = _end;
            }

            if (!_eof)
            {
                return false;
            }

            line = FinishLongLine(lineEnd: 0);
            _start = _end;
            _scan = _end;
            return true;
        }

        _skipLength += found;
        if (found > 0)
        {
            _skipLastWasCr = _buffer[dataStart + found - 1] == (byte)'\r';
        }

        line = FinishLongLine(lineEnd: 1);
        _start = dataStart + found + 1;
        _scan = _start;
        return true;
    }

    private BufferedLine FinishLongLine(int lineEnd)
    {
        long length = _skipLastWasCr && lineEnd == 1 ? _skipLength - 1 : _skipLength;
        var line = new BufferedLine(new ReadOnlyMemory<byte>(_buffer, _start, _skipPrefix), _skipLineStart, length, 0, tooLong: true);
        _offset = _skipLineStart + _skipLength + lineEnd;
        _skipping = false;
        return line;
    }
}

/// <summary>What <see cref="LineBuffer.Peek"/> found after the lines taken.</summary>
internal enum PeekResult : byte
{
    /// <summary>No next line to look at (end of input, or no room to hold it beside the current one).</summary>
    None,

    /// <summary>The next line is complete.</summary>
    Line,

    /// <summary>The next line is not complete yet; more input can come.</summary>
    NeedMore,
}

/// <summary>One line of a <see cref="LineBuffer"/>: its bytes (valid until the next fill) and where it was in the input.</summary>
internal readonly struct BufferedLine
{
    public BufferedLine(ReadOnlyMemory<byte> bytes, long offset, long length, int consumed, bool tooLong)
    {
        Bytes = bytes;
        Offset = offset;
        Length = length;
        Consumed = consumed;
        IsTooLong = tooLong;
    }

    /// <summary>The line without its line end; for a line that is too long, only its first bytes.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The byte offset of the line's first byte in the input.</summary>
    public long Offset { get; }

    /// <summary>The whole line's length without its line end.</summary>
    public long Length { get; }

    /// <summary>The bytes the line took from the buffer, line end included (0 for a long line dropped as it came).</summary>
    public int Consumed { get; }

    /// <summary>True when the line is longer than <c>MaxLineLength</c>.</summary>
    public bool IsTooLong { get; }
}
