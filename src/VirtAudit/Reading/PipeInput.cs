using System;
using System.Buffers;
using System.IO.Pipelines;
using System.Threading;
using System.Threading.Tasks;

namespace VirtAudit;

/// <summary>
/// Reading a <see cref="PipeReader"/> into the reader's buffer: what fits is copied, and only that is marked consumed
/// and examined, so the rest stays readable at once.
/// </summary>
internal static class PipeInput
{
    public static int Read(PipeReader pipe, Span<byte> free, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!pipe.TryRead(out ReadResult result))
            {
                ValueTask<ReadResult> pending = pipe.ReadAsync(cancellationToken);
                result = pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
            }

            int read = CopyFrom(pipe, result, free);
            if (read >= 0)
            {
                return read;
            }
        }
    }

    public static async ValueTask<int> ReadAsync(PipeReader pipe, Memory<byte> free, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
            int read = CopyFrom(pipe, result, free.Span);
            if (read >= 0)
            {
                return read;
            }
        }
    }

    // Copies what fits from a pipe's read result into the buffer: the count, 0 at the end, -1 for an empty result.
    private static int CopyFrom(PipeReader pipe, ReadResult result, Span<byte> free)
    {
        ReadOnlySequence<byte> data = result.Buffer;
        if (result.IsCanceled)
        {
            pipe.AdvanceTo(data.Start);
            throw new OperationCanceledException("the pipe's pending read was cancelled");
        }

        int count = (int)Math.Min(data.Length, free.Length);
        data.Slice(0, count).CopyTo(free);

        // Examined = consumed: what was left stays readable at once.
        pipe.AdvanceTo(data.GetPosition(count));
        return count > 0 ? count : result.IsCompleted ? 0 : -1;
    }
}
