using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;

namespace VirtAudit;

// Reading one range of a file (AuditLogRange), for callers that share a large file between cores.
public sealed partial class AuditLogReader
{
    /// <summary>
    /// Opens a reader of one <paramref name="range"/> of the file at <paramref name="path"/> (see
    /// <see cref="AuditLogRange.Split"/>): its items carry the line numbers and byte offsets of the whole file, and
    /// <see cref="LinesRead"/> and <see cref="BytesRead"/> count the range's. The range of a gzip file must be the
    /// whole file (<see cref="AuditLogRange.Split"/> gives that); it is decompressed as <see cref="Open(string, AuditLogReaderOptions?)"/> does.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="range">Where to start and stop, and the number of the first line.</param>
    /// <param name="options">The settings; null for <see cref="AuditLogReaderOptions.Default"/>.</param>
    /// <returns>A reader that owns its file handle.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range has a negative offset or length, or a first line number below 1.</exception>
    public static AuditLogReader OpenRange(string path, AuditLogRange range, AuditLogReaderOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(range.Offset, nameof(range));
        ArgumentOutOfRangeException.ThrowIfNegative(range.Length, nameof(range));
        ArgumentOutOfRangeException.ThrowIfLessThan(range.FirstLineNumber, 1L, nameof(range));
        if (range.Offset == 0 && range.FirstLineNumber == 1 && range.Length >= new FileInfo(path).Length)
        {
            return Open(path, options);
        }

        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        return new AuditLogReader(new RangeStream(handle, range.Offset, range.Length), options, leaveOpen: false)
        {
            _lineBase = range.FirstLineNumber - 1,
            _offsetBase = range.Offset,
        };
    }

    // Reads [start, start + length) of a file by position (no shared file position), and closes the handle.
    private sealed class RangeStream(SafeFileHandle handle, long start, long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int want = (int)Math.Min(buffer.Length, length - _position);
            if (want <= 0)
            {
                return 0;
            }

            int read = RandomAccess.Read(handle, buffer.Slice(0, want), start + _position);
            _position += read;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int want = (int)Math.Min(buffer.Length, length - _position);
            if (want <= 0)
            {
                return 0;
            }

            int read = await RandomAccess.ReadAsync(handle, buffer.Slice(0, want), start + _position, cancellationToken).ConfigureAwait(false);
            _position += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                handle.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
