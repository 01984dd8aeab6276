using System;
using System.IO;
using System.IO.Compression;
using System.Threading;
using System.Threading.Tasks;

namespace VirtAudit;

/// <summary>
/// Decompresses a gzip file or pipe and reports what <see cref="GZipStream"/> does not (issue 12, finding 8): input
/// that ends before its deflate data and trailer do (a <c>.gz</c> cut short, or without its 8-byte trailer) is
/// detected at the end by the trailer's ISIZE (the decompressed length modulo 2^32, the input's last four bytes, kept
/// as they pass), and corrupt data (zlib's bad CRC, length or deflate block) is reported as such instead of
/// "unsupported compression method". The ISIZE check reads the last member's size, so it assumes one member, which is
/// what gzip and logrotate write.
/// </summary>
internal sealed class GzipInput : ReadOnlyInput
{
    private readonly TailStream _source;
    private readonly GZipStream _gzip;
    private long _decompressed;

    public GzipInput(Stream source, bool leaveOpen = false)
    {
        _source = new TailStream(source, leaveOpen);
        _gzip = new GZipStream(_source, CompressionMode.Decompress, leaveOpen: false);
    }

    public override long Position { get => _decompressed; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = _gzip.Read(buffer);
        }
        catch (InvalidDataException ex)
        {
            throw Corrupt(ex);
        }

        return Count(read);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await _gzip.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw Corrupt(ex);
        }

        return Count(read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gzip.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        if (read > 0)
        {
            _decompressed += read;
            return read;
        }

        if (!_source.EndsWithSize((uint)_decompressed))
        {
            throw new InvalidDataException(
                $"gzip: the compressed data ends early (a truncated .gz, or one without its trailer) after {_decompressed} decompressed bytes");
        }

        return 0;
    }

    private InvalidDataException Corrupt(InvalidDataException inner) =>
        new($"gzip: corrupt compressed data (bad CRC, length or deflate data) after {_decompressed} decompressed bytes", inner);
}

/// <summary>The compressed input as it passes to <see cref="GZipStream"/>: its length and its last four bytes kept.</summary>
internal sealed class TailStream(Stream inner, bool leaveOpen) : ReadOnlyInput
{
    private readonly byte[] _tail = new byte[4];
    private long _length;

    public override long Position { get => _length; set => throw new NotSupportedException(); }

    /// <summary>Whether the input was a whole gzip member: at least 18 bytes, ending with <paramref name="size"/> (ISIZE).</summary>
    public bool EndsWithSize(uint size) =>
        _length >= 18 && System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(_tail) == size;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Keep(buffer, inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Keep(buffer.Span, read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Keep(ReadOnlySpan<byte> buffer, int read)
    {
        if (read >= 4)
        {
            buffer.Slice(read - 4, 4).CopyTo(_tail);
        }
        else if (read > 0)
        {
            // Shift the kept bytes left by read and append the new ones.
            _tail.AsSpan(read).CopyTo(_tail);
            buffer.Slice(0, read).CopyTo(_tail.AsSpan(4 - read));
        }

        _length += read;
        return read;
    }
}

/// <summary>A read-only, forward-only stream: what the input wrappers above share.</summary>
internal abstract class ReadOnlyInput : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
