using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;

namespace VirtAudit;

/// <summary>
/// A part of a log file that starts at a line boundary: its byte <see cref="Offset"/> and <see cref="Length"/>, and
/// the number of its first line in the whole file. <see cref="Split"/> cuts a file into such parts, and
/// <see cref="AuditLogReader.OpenRange"/> reads one, numbering lines and offsets as in the whole file: so several
/// readers can share a large file between cores, and a caller who writes each part's output in part order writes
/// what one reader of the whole file would.
/// </summary>
/// <param name="Offset">The byte offset of the part's first line.</param>
/// <param name="Length">The part's length in bytes (line ends included).</param>
/// <param name="FirstLineNumber">The 1-based number of the part's first line in the whole file.</param>
public readonly record struct AuditLogRange(long Offset, long Length, long FirstLineNumber)
{
    private const int ScanBuffer = 1 << 20;

    /// <summary>
    /// Cuts the file at <paramref name="path"/> into at most <paramref name="parts"/> ranges of about equal size, each
    /// starting at a line boundary (never before libvirt's <c>Failed to send audit message</c> line, which the reader
    /// joins to the line before it), and numbers their first lines (the parts' line feeds are counted in parallel).
    /// A gzip file, or a file too small to share, is one range.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="parts">How many ranges at most (e.g. <see cref="Environment.ProcessorCount"/>).</param>
    /// <returns>The ranges, in file order, covering the whole file.</returns>
    public static IReadOnlyList<AuditLogRange> Split(string path, int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long length = RandomAccess.GetLength(file);
        Span<byte> magic = stackalloc byte[2];
        bool gzip = RandomAccess.Read(file, magic, 0) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        if (gzip || parts == 1 || length < 2L * ScanBuffer)
        {
            return [new AuditLogRange(0, length, 1)];
        }

        var starts = new List<long> { 0 };
        for (int i = 1; i < parts; i++)
        {
            long at = LineStartAfter(file, length, length * i / parts);
            if (at > starts[^1] && at < length)
            {
                starts.Add(at);
            }
        }

        starts.Add(length);
        var lines = new long[starts.Count - 1];
        Parallel.For(0, lines.Length, i => lines[i] = CountLineFeeds(file, starts[i], starts[i + 1]));
        var ranges = new AuditLogRange[lines.Length];
        long first = 1;
        for (int i = 0; i < ranges.Length; i++)
        {
            ranges[i] = new AuditLogRange(starts[i], starts[i + 1] - starts[i], first);
            first += lines[i];
        }

        return ranges;
    }

    // The start of the first line that begins after `from`, skipping a line the reader would join to the one before.
    private static long LineStartAfter(Microsoft.Win32.SafeHandles.SafeFileHandle file, long length, long from)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long at = from;
            while (at < length)
            {
                int read = RandomAccess.Read(file, buffer, at);
                if (read <= 0)
                {
                    return length;
                }

                int lf = buffer.AsSpan(0, read).IndexOf((byte)'\n');
                if (lf < 0)
                {
                    at += read;
                    continue;
                }

                long start = at + lf + 1;
                int next = RandomAccess.Read(file, buffer, start);
                ReadOnlySpan<byte> line = buffer.AsSpan(0, next);
                int end = line.IndexOf((byte)'\n');
                if (end >= 0 && line.Slice(0, end).IndexOf("Failed to send audit message"u8) >= 0)
                {
                    at = start; // keep a failed send with its message: cut after it
                    continue;
                }

                return start;
            }

            return length;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static long CountLineFeeds(Microsoft.Win32.SafeHandles.SafeFileHandle file, long start, long end)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ScanBuffer);
        try
        {
            long count = 0;
            for (long at = start; at < end;)
            {
                int read = RandomAccess.Read(file, buffer.AsSpan(0, (int)Math.Min(buffer.Length, end - at)), at);
                if (read <= 0)
                {
                    break;
                }

                count += buffer.AsSpan(0, read).Count((byte)'\n');
                at += read;
            }

            return count;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
