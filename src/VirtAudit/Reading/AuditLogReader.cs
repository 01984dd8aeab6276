// Over 500 lines: the reader's public surface (constructors, Open/OpenGzip, Read/ReadAsync, events, counters) in one
// file; the input-failure handling is in AuditLogReader.InputFailure.cs.
using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace VirtAudit;

/// <summary>
/// Reads audit records from a stream, a <see cref="PipeReader"/> or a file, in every rendering of
/// <see cref="AuditRendering"/>, line by line with one pooled buffer: memory stays flat whatever the input's size,
/// and reading a RAW, ENRICHED or daemon-log record allocates nothing. Every line becomes one item, a record or an
/// error item, except in a daemon log: its lines that are not audit messages are skipped, and a
/// <c>Failed to send audit message</c> line joins the record of its message (lines read = records + errors + skipped +
/// joined); the reader never throws on the input's bytes.
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
public sealed partial class AuditLogReader : IDisposable, IAsyncDisposable
{
    private readonly Stream? _stream;
    private readonly PipeReader? _pipe;
    private readonly bool _leaveOpen;
    private readonly VirtAuditRegistry? _registry;
    private readonly int _maxLineLength;
    private readonly LineBuffer _lines;
    private bool _disposed;
    private long _lineNumber;

    // Added to the line numbers and byte offsets of items: a reader of a range of a file (OpenRange) numbers its
    // lines and offsets as in the whole file.
    private long _lineBase;
    private long _offsetBase;
    private long _records;
    private long _errors;
    private long _skipped;
    private long _joined;
    private readonly DecodeScratch _scratch = new();
    private readonly ParsedRecords _parsed = new();
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
        _lines = new LineBuffer((int)Math.Min(options.BufferSize, Math.Max(64L * 1024, 4L * options.MaxLineLength)), options.MaxLineLength);
    }

    /// <summary>The item read last; <c>default</c> before the first read and after the end.</summary>
    public ref readonly AuditLogItem Current => ref _current;

    /// <summary>
    /// How many lines have been read: <see cref="RecordsRead"/> + <see cref="ErrorsRead"/> + <see cref="LinesSkipped"/>
    /// + <see cref="LinesJoined"/>.
    /// </summary>
    public long LinesRead => _lineNumber;

    /// <summary>How many records have been read.</summary>
    public long RecordsRead => _records;

    /// <summary>How many error items have been read (skippable ones included).</summary>
    public long ErrorsRead => _errors;

    /// <summary>
    /// How many lines were skipped without an item: the lines of libvirt's daemon log (and of KubeVirt's virt-launcher
    /// log) that are not audit messages (<c>debug : qemuDomainObjBeginJobInternal…</c>, <c>libvirt version: …</c>).
    /// </summary>
    public long LinesSkipped => _skipped;

    /// <summary>
    /// How many <c>Failed to send audit message</c> lines were joined to the record of the message they are about (the
    /// <c>success=</c> line right before them, same thread and payload): they are part of that record
    /// (<see cref="AuditLogRecord.DaemonLog"/>), not items of their own.
    /// </summary>
    public long LinesJoined => _joined;

    /// <summary>How many bytes of the input the lines read so far span, line ends included.</summary>
    public long BytesRead => _lines.Offset;

    /// <summary>The size of the read buffer now (for tests of the memory bound).</summary>
    internal int BufferCapacity => _lines.Capacity;

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
                stream = new GzipInput(file);
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
    /// A reader of gzip-compressed input that is not a file (a pipe: <c>zcat</c>'s input, <c>virtaudit check - &lt; audit.log.1.gz</c>),
    /// decompressed with the checks <see cref="Open(string)"/> makes on a <c>.gz</c> file: input cut short or without
    /// its trailer, and corrupt data, end the reading with an <see cref="InvalidDataException"/> (after the line held
    /// then is handed out as an error item).
    /// </summary>
    /// <param name="compressed">The gzip data.</param>
    /// <param name="options">The settings; null for <see cref="AuditLogReaderOptions.Default"/>.</param>
    /// <param name="leaveOpen">Whether disposing the reader leaves <paramref name="compressed"/> open.</param>
    /// <returns>The reader.</returns>
    public static AuditLogReader OpenGzip(Stream compressed, AuditLogReaderOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(compressed);
        return new AuditLogReader(new GzipInput(compressed, leaveOpen), options, leaveOpen: false);
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

            if (_lines.IsInputEnded)
            {
                _current = default;
                ThrowInputFailure();
                return false;
            }

            cancellationToken.ThrowIfCancellationRequested();
            Memory<byte> free = _lines.PrepareFill();
            int read;
            try
            {
                read = _stream is not null
                    ? _stream.Read(free.Span)
                    : PipeInput.Read(_pipe!, free.Span, cancellationToken);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException)
            {
                read = InputFailed(ex);
            }

            _lines.Filled(read);
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

        if (_lines.IsInputEnded)
        {
            _current = default;
            ThrowInputFailure();
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
        _current = default;
        _lines.Release();
        _scratch.Release();
    }

    private async ValueTask<bool> ReadSlowAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Memory<byte> free = _lines.PrepareFill();
            int read;
            try
            {
                read = _stream is not null
                    ? await _stream.ReadAsync(free, cancellationToken).ConfigureAwait(false)
                    : await PipeInput.ReadAsync(_pipe!, free, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException)
            {
                read = InputFailed(ex);
            }

            _lines.Filled(read);
            if (TryProduce())
            {
                return true;
            }

            if (_lines.IsInputEnded)
            {
                _current = default;
                ThrowInputFailure();
                return false;
            }
        }
    }

    // Hands out the next item if the buffer holds all of its lines (or the input ended); false when more input is needed.
    private bool TryProduce()
    {
        while (true)
        {
            if (!_lines.TryTake(out BufferedLine taken))
            {
                return false;
            }

            long lineNumber = ++_lineNumber;
            if (_inputFailure is not null)
            {
                HeldLineError(lineNumber, taken);
                return true;
            }

            ReadOnlyMemory<byte> line = taken.Bytes;
            if (taken.IsTooLong)
            {
                Error(AuditLogErrorKind.LineTooLong, lineNumber, taken, _maxLineLength, "line longer than the reader's MaxLineLength", "line");
                return true;
            }

            ReadOnlySpan<byte> span = line.Span;
            if (span.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0)
            {
                Error(AuditLogErrorKind.Blank, lineNumber, taken, 0, "blank line", "line");
                return true;
            }

            if (span.StartsWith("time->"u8) || (span.Length >= 4 && span.IndexOfAnyExcept((byte)'-') < 0))
            {
                Error(AuditLogErrorKind.Separator, lineNumber, taken, 0, "ausearch separator line", "line");
                return true;
            }

            // The line is parsed straight into the current item's storage: no copy of the record through the stack.
            _current.KindSlot = AuditLogItemKind.None;
            ref AuditLogRecord slot = ref _current.RecordSlot;
            ref AuditLine parsed = ref slot.LineSlot;
            if (!AuditLine.TryParseAnyInto(line, _scratch.ForLine(span), out parsed, out AuditLineError parseError))
            {
                if (parseError.Part == LineParts.Daemon)
                {
                    _skipped++;
                    continue;
                }

                AuditLogErrorKind kind = parseError.Part is LineParts.Rendering or LineParts.Syslog ? AuditLogErrorKind.NotAuditRecord : AuditLogErrorKind.Malformed;
                Error(kind, lineNumber, taken, parseError.Offset, parseError.Reason, parseError.Part);
                return true;
            }

            AuditSendFailure failure = default;
            if (parsed.IsDaemonMessage)
            {
                // libvirt logs success= first, then tries the kernel; a failed send follows on the next line.
                switch (_lines.Peek(out BufferedLine next))
                {
                    case PeekResult.NeedMore:
                        _lines.Untake(taken);
                        _lineNumber--;
                        return false;
                    case PeekResult.Line when IsSendFailureOf(parsed, next, out failure):
                        _lines.TakePeeked(next);
                        _joined++;
                        failure = failure.AtLine(_lineBase + ++_lineNumber);
                        break;
                }
            }
            else if (parsed.IsDaemonSendFailure)
            {
                failure = parsed.DaemonLog.SendFailure.AtLine(_lineBase + lineNumber);
            }

            _records++;
            slot.VirtSlot = RecordTyping.Match(_registry, parsed, out AuditRecordNotes notes, _parsed);
            slot.SetRest(_lineBase + lineNumber, _offsetBase + taken.Offset, notes, _registry, failure);
            _current.KindSlot = AuditLogItemKind.Record;
            return true;
        }
    }

    // The "Failed to send audit message" line of `message`: same rendering, thread and payload.
    private bool IsSendFailureOf(in AuditLine message, in BufferedLine next, out AuditSendFailure failure)
    {
        failure = default;
        if (!AuditLine.TryParseAnyInto(next.Bytes, _scratch.ForNextLine(next.Bytes.Span), out AuditLine candidate, out _)
            || !candidate.IsDaemonSendFailure
            || candidate.Rendering != message.Rendering
            || !candidate.DaemonThread.Span.SequenceEqual(message.DaemonThread.Span)
            || !candidate.Message.Span.SequenceEqual(message.Message.Span))
        {
            return false;
        }

        failure = candidate.DaemonLog.SendFailure;
        return true;
    }

    private void Error(AuditLogErrorKind kind, long lineNumber, in BufferedLine line, int position, string reason, string part)
    {
        _errors++;
        _current.ErrorSlot = new AuditLogError(kind, _lineBase + lineNumber, _offsetBase + line.Offset, position, reason, part, line.Bytes, line.Length);
        _current.KindSlot = AuditLogItemKind.Error;
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
