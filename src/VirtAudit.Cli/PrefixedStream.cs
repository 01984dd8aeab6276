using System;
using System.IO;

namespace VirtAudit.Cli;

/// <summary>A read-only stream that yields one byte already read, then the rest of an inner stream.</summary>
internal sealed class PrefixedStream(byte first, Stream inner) : ReadOnlyStream
{
    private bool _firstPending = true;

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (count == 0)
        {
            return 0;
        }

        if (_firstPending)
        {
            _firstPending = false;
            buffer[offset] = first;
            return 1 + inner.Read(buffer, offset + 1, count - 1);
        }

        return inner.Read(buffer, offset, count);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>A forward-only, read-only stream: everything but reading is not supported.</summary>
internal abstract class ReadOnlyStream : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
