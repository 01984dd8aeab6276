using System;
using System.Buffers;

namespace VirtAudit;

/// <summary>
/// Where the reader decodes a JSON line's message (KubeVirt's virt-launcher log): two pooled arrays, one for the line
/// handed out and one for the line after it (a message's failed send, looked at before the message is handed out),
/// each at least as long as the line and kept for the next ones, so decoding allocates nothing per record.
/// </summary>
internal sealed class DecodeScratch
{
    private byte[] _line = Array.Empty<byte>();
    private byte[] _next = Array.Empty<byte>();

    /// <summary>Memory for the message of <paramref name="line"/>; empty unless it is a JSON line.</summary>
    public Memory<byte> ForLine(ReadOnlySpan<byte> line) => For(line, ref _line);

    /// <summary>Memory for the message of the line after the one handed out; empty unless it is a JSON line.</summary>
    public Memory<byte> ForNextLine(ReadOnlySpan<byte> line) => For(line, ref _next);

    /// <summary>Returns both arrays to the pool.</summary>
    public void Release()
    {
        Return(ref _line);
        Return(ref _next);
    }

    private static Memory<byte> For(ReadOnlySpan<byte> line, ref byte[] scratch)
    {
        if (line.IsEmpty || line[0] != (byte)'{')
        {
            return default;
        }

        if (scratch.Length < line.Length)
        {
            Return(ref scratch);
            scratch = ArrayPool<byte>.Shared.Rent(Math.Max(line.Length, 4096));
        }

        return scratch;
    }

    private static void Return(ref byte[] scratch)
    {
        if (scratch.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(scratch);
            scratch = Array.Empty<byte>();
        }
    }
}
