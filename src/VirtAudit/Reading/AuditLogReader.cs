using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace VirtAudit;

/// <summary>
/// Reads audit records from a stream, a <see cref="PipeReader"/> or a file, in every rendering of
/// <see cref="AuditRendering"/>, line by line with one pooled buffer: memory stays flat whatever the input's size,
/// and reading a RAW or ENRICHED record allocates nothing. Every line becomes one item, a record or an error item
/// (lines read = records + errors); the reader never throws on the input's bytes.
/// </summary>
/// <remarks>
/// <para>
/// Use it with <see cref="Read"/> / <see cref="ReadAsync"/> and <see cref="Current"/>, with <c>foreach</c>, or with
/// <see cref="ReadAllAsync"/>. An item's memory is the reader's buffer: it stays valid until the next read;
/// <see cref="AuditLogRecord.ToOwned"/> copies a record out. A line ends at LF; a CR before it is dropped, a missing
/// last line feed still ends a line, and NUL bytes and invalid UTF-8 are kept as they are (bytes are never
/// decoded). A line longer than <see cref="AuditLogReaderOptions.MaxLineLength"/> becomes an error item.
/// </para>
/// <para>An instance is not thread-safe. Reading with both the synchronous and the asynchronous methods is allowed.</para>
/// </remarks>
public sealed class AuditLogReader : IDisposable, IAsyncDisposable
{
    // What an error item for a line that is too long keeps of it.
    private const int LongLinePrefix = 256;

    private readonly Stream? _stream;
    private readonly PipeReader? _pipe;
    private readonly bool _leaveOpen;
    private readonly VirtAuditRegistry? _registry;
    private readonly int _maxLineLength;
    private readonly int _bufferSize;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _scan;
    private bool _eof;
    private bool _disposed;
    private long _lineNumber;
    private long _offset;
    private long _records;
    private long _errors;
    private bool _skipping;
    private int _skipPrefix;
    private long _skipLength;
    private long _skipLineStart;
    private bool _skipLastWasCr;
    private AuditLogItem _current;

    /// <summary>Reads from <paramref name="stream"/> with the default options, and disposes it with the reader.</summary>
    /// <param name="stream">The input, read from its current position to its end.</param>
    public AuditLogReader(Stream stream)
        : this(stream, null, false)
    {
    }

    /// <summary>Reads from <paramref name="stream"/> with the default options.</summary>
    /// <param name="stream">The input, read from its current position to its end.</param>
    /// <param name="leaveOpen">True to leave the stream open when the reader is disposed.</param>
    public AuditLogReader(Stream stream, bool leaveOpen)
        : this(stream, null, leaveOpen)
    {
    }

    /// <summary>Reads from <paramref name="stream"/>, and disposes it with the reader.</summary>
    /// <param name="stream">The input, read from its current position to its end.</param>
    /// <param name="options">The settings; null for <see cref="AuditLogReaderOptions.Default"/>.</param>
    public AuditLogReader(Stream stream, AuditLogReaderOptions? options)
        : this(stream, options, false)
    {
    }

    /// <summary>Reads from <paramref name="stream"/>.</summary>
    /// <param name="stream">The input, read from its current position to its end.</param>
    /// <param name="options">The settings; null for <see cref="AuditLogReaderOptions.Default"/>.</param>
    /// <param name="leaveOpen">True to leave the stream open when the reader is disposed.</param>
    public AuditLogReader(Stream stream, AuditLogReaderOptions? options, bool leaveOpen)
        : this(options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
    }

    /// <summary>
    /// Reads from <paramref name="pipe"/>. The synchronous <see cref="Read"/> blocks on the pipe; prefer
    /// <see cref="ReadAsync"/>.
    /// </summary>
    /// <param name="pipe">The input, read to its completion.</param>
    public AuditLogReader(PipeReader pipe)
        : this(pipe, null, false)
    {
    }

    /// <summary>
    /// Reads from <paramref name="pipe"/>. The synchronous <see cref="Read"/> blocks on the pipe; prefer
    /// <see cref="ReadAsync"/>.
    /// </summary>
    /// <param name="pipe">The input, read to its completion.</param>
    /// <param name="options">The settings; null for <see cref="AuditLogReaderOptions.Default"/>.</param>
    /// <param name="leaveOpen">True to leave the pipe uncompleted when the reader is disposed.</param>
    public AuditLogReader(PipeReader pipe, AuditLogReaderOptions? options, bool leaveOpen)
        : this(options)
    {
        ArgumentNullException.ThrowIfNull(pipe);
        _pipe = pipe;
        _leaveOpen = leaveOpen;
    }

    private AuditLogReader(AuditLogReaderOptions? options)
    {
        options ??= AuditLogReaderOptions.Default;
        _registry = options.Registry;
        _maxLineLength = options.MaxLineLength;
        _buffer = ArrayPool<byte>.Shared.Rent(options.BufferSize);
        _bufferSize = _buffer.Length;
    }

    /// <summary>The item read last; <c>default</c> before the first read and after the end.</summary>
    public ref readonly AuditLogItem Current => ref _current;

    /// <summary>How many lines have been read (records + errors).</summary>
    public long LinesRead => _lineNumber;

    /// <summary>How many records have been read.</summary>
    public long RecordsRead => _records;

    /// <summary>How many error items have been read (skippable ones included).</summary>
    public long ErrorsRead => _errors;

    /// <summary>How many bytes of the input the lines read so far span, line ends included.</summary>
    public long BytesRead => _offset;

    /// <summary>The size of the read buffer now (for tests of the memory bound).</summary>
    internal int BufferCapacity => _buffer.Length;

    /// <summary>Opens the file at <paramref name="path"/> for sequential reading with the default options.</summary>
    /// <param name="path">The file, e.g. <c>/var/log/audit/audit.log</c>.</param>
    /// <returns>A reader that owns the file handle.</returns>
    public static AuditLogReader Open(string path) => Open(path, null);

    /// <summary>
    /// Opens the file at <paramref name="path"/> for sequential reading (shared with writers and log rotation). A
    /// gzip-compressed file (a rotated log compressed by logrotate, <c>audit.log.1.gz</c>) is recognized by its magic
    /// bytes and decompressed as it is read; byte offsets and <see cref="BytesRead"/> then count decompressed bytes.
    /// </summary>
    /// <param name="path">The file, e.g. <c>/var/log/audit/audit.log</c>.</param>
    /// <param name="options">The settings; null for <see cref="AuditLogReaderOptions.Default"/>.</param>
    /// <returns>A reader that owns the file handle.</returns>
    public static AuditLogReader Open(string path, AuditLogReaderOptions? options)
    {
        var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 0,
            Options = FileOptions.SequentialScan | FileOptions.Asynchronous,
        });
        Span<byte> magic = stackalloc byte[2];
        Stream stream = file;
        try
        {
            if (file.CanSeek && RandomAccess.Read(file.SafeFileHandle, magic, 0) == 2 && magic[0] == 0x1F && magic[1] == 0x8B)
            {
                stream = new GZipStream(file, CompressionMode.Decompress, leaveOpen: false);
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }

        return new AuditLogReader(stream, options, leaveOpen: false);
    }

    /// <summary>
    /// Reads the next line into <see cref="Current"/>. Blocks while the input has no complete line; the token is
    /// checked before every read from the input.
    /// </summary>
    /// <param name="cancellationToken">Stops the reading between reads from the input.</param>
    /// <returns>False at the end of the input.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public bool Read(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            if (TryProduce())
            {
                return true;
            }

            if (_eof)
            {
                _current = default;
                return false;
            }

            cancellationToken.ThrowIfCancellationRequested();
            int free = PrepareFill();
            int read = _stream is not null
                ? _stream.Read(_buffer, _end, free)
                : ReadPipe(_pipe!, free, cancellationToken);
            Filled(read);
        }
    }

    /// <summary>Reads the next line into <see cref="Current"/>; completes synchronously while the buffer holds one.</summary>
    /// <param name="cancellationToken">Cancels a pending read from the input.</param>
    /// <returns>False at the end of the input.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public ValueTask<bool> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (TryProduce())
        {
            return new ValueTask<bool>(true);
        }

        if (_eof)
        {
            _current = default;
            return new ValueTask<bool>(false);
        }

        return ReadSlowAsync(cancellationToken);
    }

    /// <summary>Every remaining item, asynchronously. Each item stays valid until the next one is requested.</summary>
    /// <param name="cancellationToken">Cancels a pending read from the input.</param>
    /// <returns>The items.</returns>
    public async IAsyncEnumerable<AuditLogItem> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return _current;
        }
    }

    /// <summary>
    /// Groups the remaining records into events (<see cref="AuditEventBuilder"/>). Error items are skipped; they are
    /// still counted in <see cref="ErrorsRead"/>. To see them, read items and feed an <see cref="AuditEventBuilder"/>.
    /// </summary>
    /// <param name="options">The window; null for <see cref="AuditEventOptions.Default"/>.</param>
    /// <param name="cancellationToken">Stops the reading between reads from the input.</param>
    /// <returns>The events, in the order of their first records.</returns>
    public IEnumerable<AuditEvent> ReadEvents(AuditEventOptions? options = null, CancellationToken cancellationToken = default)
    {
        var builder = new AuditEventBuilder(options);
        while (Read(cancellationToken))
        {
            if (_current.IsRecord)
            {
                builder.Add(_current.Record);
                while (builder.TryTake(out AuditEvent? ready))
                {
                    yield return ready;
                }
            }
        }

        builder.Complete();
        while (builder.TryTake(out AuditEvent? ready))
        {
            yield return ready;
        }
    }

    /// <summary>Groups the remaining records into events, asynchronously (see <see cref="ReadEvents"/>).</summary>
    /// <param name="options">The window; null for <see cref="AuditEventOptions.Default"/>.</param>
    /// <param name="cancellationToken">Cancels a pending read from the input.</param>
    /// <returns>The events, in the order of their first records.</returns>
    public async IAsyncEnumerable<AuditEvent> ReadEventsAsync(AuditEventOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var builder = new AuditEventBuilder(options);
        while (await ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_current.IsRecord)
            {
                builder.Add(_current.Record);
                while (builder.TryTake(out AuditEvent? ready))
                {
                    yield return ready;
                }
            }
        }

        builder.Complete();
        while (builder.TryTake(out AuditEvent? ready))
        {
            yield return ready;
        }
    }

    /// <summary>Returns an enumerator over the remaining items, for <c>foreach</c>.</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator() => new(this);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_leaveOpen)
        {
            _stream?.Dispose();
            _pipe?.Complete();
        }

        ReleaseBuffer();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_leaveOpen)
        {
            if (_stream is not null)
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
            }

            if (_pipe is not null)
            {
                await _pipe.CompleteAsync().ConfigureAwait(false);
            }
        }

        ReleaseBuffer();
    }

    private void ReleaseBuffer()
    {
        byte[] buffer = _buffer;
        _buffer = Array.Empty<byte>();
        _start = _end = _scan = 0;
        _current = default;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask<bool> ReadSlowAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int free = PrepareFill();
            int read = _stream is not null
                ? await _stream.ReadAsync(_buffer.AsMemory(_end, free), cancellationToken).ConfigureAwait(false)
                : await ReadPipeAsync(_pipe!, free, cancellationToken).ConfigureAwait(false);
            Filled(read);
            if (TryProduce())
            {
                return true;
            }

            if (_eof)
            {
                _current = default;
                return false;
            }
        }
    }

    private int ReadPipe(PipeReader pipe, int free, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!pipe.TryRead(out ReadResult result))
            {
                ValueTask<ReadResult> pending = pipe.ReadAsync(cancellationToken);
                result = pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
            }

            int read = CopyFromPipe(pipe, result, free);
            if (read >= 0)
            {
                return read;
            }
        }
    }

    private async ValueTask<int> ReadPipeAsync(PipeReader pipe, int free, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
            int read = CopyFromPipe(pipe, result, free);
            if (read >= 0)
            {
                return read;
            }
        }
    }

    // Copies what fits from a pipe's read result into the buffer: the count, 0 at the end, -1 for an empty result.
    private int CopyFromPipe(PipeReader pipe, ReadResult result, int free)
    {
        ReadOnlySequence<byte> data = result.Buffer;
        if (result.IsCanceled)
        {
            pipe.AdvanceTo(data.Start);
            throw new OperationCanceledException("the pipe's pending read was cancelled");
        }

        int count = (int)Math.Min(data.Length, free);
        data.Slice(0, count).CopyTo(_buffer.AsSpan(_end, count));

        // Examined = consumed: what was left stays readable at once.
        pipe.AdvanceTo(data.GetPosition(count));
        return count > 0 ? count : result.IsCompleted ? 0 : -1;
    }

    // Makes room at the end of the buffer and returns how much: compacts, shrinks after a long line, grows for one.
    private int PrepareFill()
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

        return _buffer.Length - _end;
    }

    private void Resize(int size)
    {
        byte[] resized = ArrayPool<byte>.Shared.Rent(size);
        Buffer.BlockCopy(_buffer, 0, resized, 0, _end);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = resized;
    }

    private void Filled(int read)
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

    // Hands out the next line if the buffer holds all of it (or the input ended); false when more input is needed.
    private bool TryProduce()
    {
        if (_skipping)
        {
            return TryFinishLongLine();
        }

        int found = _buffer.AsSpan(_scan, _end - _scan).IndexOf((byte)'\n');
        if (found >= 0)
        {
            int lineFeed = _scan + found;
            Produce(_start, lineFeed - _start, lineFeed + 1 - _start);
            return true;
        }

        _scan = _end;
        if (_eof)
        {
            if (_end == _start)
            {
                return false;
            }

            Produce(_start, _end - _start, _end - _start);
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

    private bool TryFinishLongLine()
    {
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

            FinishLongLine(lineEnd: 0);
            _start = _end;
            _scan = _end;
            return true;
        }

        _skipLength += found;
        if (found > 0)
        {
            _skipLastWasCr = _buffer[dataStart + found - 1] == (byte)'\r';
        }

        FinishLongLine(lineEnd: 1);
        _start = dataStart + found + 1;
        _scan = _start;
        return true;
    }

    private void FinishLongLine(int lineEnd)
    {
        long length = _skipLastWasCr && lineEnd == 1 ? _skipLength - 1 : _skipLength;
        var error = new AuditLogError(
            AuditLogErrorKind.LineTooLong,
            ++_lineNumber,
            _skipLineStart,
            _maxLineLength,
            "line longer than the reader's MaxLineLength",
            "line",
            new ReadOnlyMemory<byte>(_buffer, _start, _skipPrefix),
            length);
        _errors++;
        _current = new AuditLogItem(error);
        _offset = _skipLineStart + _skipLength + lineEnd;
        _skipping = false;
    }

    private void Produce(int start, int length, int consumed)
    {
        if (length > 0 && _buffer[start + length - 1] == (byte)'\r')
        {
            length--;
        }

        long lineNumber = ++_lineNumber;
        long offset = _offset;
        _offset += consumed;
        _start = start + consumed;
        _scan = _start;
        var line = new ReadOnlyMemory<byte>(_buffer, start, length);
        if (length > _maxLineLength)
        {
            _errors++;
            _current = new AuditLogItem(new AuditLogError(
                AuditLogErrorKind.LineTooLong, lineNumber, offset, _maxLineLength, "line longer than the reader's MaxLineLength", "line", line.Slice(0, LongLinePrefix), length));
            return;
        }

        ReadOnlySpan<byte> span = line.Span;
        if (span.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0)
        {
            _errors++;
            _current = new AuditLogItem(new AuditLogError(AuditLogErrorKind.Blank, lineNumber, offset, 0, "blank line", "line", line, length));
            return;
        }

        if (span.StartsWith("time->"u8) || (span.Length >= 4 && span.IndexOfAnyExcept((byte)'-') < 0))
        {
            _errors++;
            _current = new AuditLogItem(new AuditLogError(AuditLogErrorKind.Separator, lineNumber, offset, 0, "ausearch separator line", "line", line, length));
            return;
        }

        if (!AuditLine.TryParseAny(line, out AuditLine parsed, out AuditLineError parseError))
        {
            _errors++;
            AuditLogErrorKind kind = parseError.Part is "rendering" or "syslog" ? AuditLogErrorKind.NotAuditRecord : AuditLogErrorKind.Malformed;
            _current = new AuditLogItem(new AuditLogError(kind, lineNumber, offset, parseError.Offset, parseError.Reason, parseError.Part, line, length));
            return;
        }

        _records++;
        _current = new AuditLogItem(new AuditLogRecord(parsed, lineNumber, offset, MatchVirt(parsed, out AuditRecordNotes notes), notes, _registry));
    }

    private VirtAuditRecord MatchVirt(in AuditLine line, out AuditRecordNotes notes)
    {
        notes = line.HasStamp ? AuditRecordNotes.None : AuditRecordNotes.NoStamp;
        if (line.IsMessageTruncated)
        {
            notes |= AuditRecordNotes.Truncated;
        }

        int type = line.TypeNumber;
        if (type is < 2500 or > 2599)
        {
            return default;
        }

        if (line.Rendering == AuditRendering.Interpreted)
        {
            notes |= AuditRecordNotes.Interpreted;
            if (!VirtAuditRegistry.LooksLikeLibvirt(line.Message.Span))
            {
                notes |= AuditRecordNotes.NotLibvirt;
            }

            return default;
        }

        if (_registry is null)
        {
            return default;
        }

        if (!_registry.Handles(type))
        {
            notes |= AuditRecordNotes.OtherVirtType;
            return default;
        }

        VirtAuditRecord virt = _registry.Parse(type, line.Message);
        if (!virt.IsTyped)
        {
            notes |= VirtAuditRegistry.LooksLikeLibvirt(virt.LibvirtPart.Span) ? AuditRecordNotes.Untyped : AuditRecordNotes.NotLibvirt;
        }

        return virt;
    }

    /// <summary>Enumerates a reader's remaining items; <see cref="Current"/> is valid until the next move.</summary>
    public struct Enumerator
    {
        private readonly AuditLogReader _reader;

        internal Enumerator(AuditLogReader reader)
        {
            _reader = reader;
        }

        /// <summary>The current item.</summary>
        public readonly ref readonly AuditLogItem Current => ref _reader._current;

        /// <summary>Reads the next item.</summary>
        /// <returns>False at the end of the input.</returns>
        public readonly bool MoveNext() => _reader.Read();
    }
}
