using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;

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
/// <param name="FirstLineNumber">
/// The 1-based number of the part's first line in the whole file; 0 when it was not counted (<see cref="Cut"/>).
/// </param>
public readonly record struct AuditLogRange(long Offset, long Length, long FirstLineNumber)
{
    private const int ScanBuffer = 1 << 20;

    // How much of the line after a cut is looked at to tell whether the reader would join it to the line before (a
    // libvirt "Failed to send" line is a few hundred bytes); a longer line is never cut before.
    private const int ProbeBytes = 64 * 1024;

    /// <summary>
    /// Cuts the file at <paramref name="path"/> into at most <paramref name="parts"/> ranges of about equal size, each
    /// starting at a line boundary (never before a line the reader joins to the line before it: libvirt's
    /// <c>Failed to send audit message</c> line after its message), and numbers their first lines (the parts' line
    /// feeds are counted in parallel). A gzip file, or a file too small to share (under 2 MiB), is one range.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="parts">How many ranges at most (e.g. <see cref="Environment.ProcessorCount"/>).</param>
    /// <returns>The ranges, in file order, covering the whole file.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parts"/> is below 1.</exception>
    public static IReadOnlyList<AuditLogRange> Split(string path, int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        using SafeFileHandle file = OpenHandle(path);
        long length = RandomAccess.GetLength(file);
        if (parts == 1 || length < 2L * ScanBuffer || IsGzip(file))
        {
            return [new AuditLogRange(0, length, 1)];
        }

        var starts = new List<long> { 0 };
        using (var probe = new LineProbe(file, length))
        {
            for (int i = 1; i < parts; i++)
            {
                long at = probe.CutAt(Math.Max(length * i / parts, starts[^1] + 1));
                if (at >= length)
                {
                    break;
                }

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

    /// <summary>
    /// Cuts the file at <paramref name="path"/> into ranges of about <paramref name="rangeBytes"/> bytes where
    /// <see cref="Split"/> would cut (line boundaries, never before a line the reader joins to the one before it),
    /// without reading the file through: only the first range's <see cref="FirstLineNumber"/> is known (1); the others
    /// are 0. Read a range with <see cref="AuditLogReader.OpenRange"/> and <c>range with { FirstLineNumber = n }</c>:
    /// <c>n</c> = 1 + the lines of the ranges before it (their readers' <see cref="AuditLogReader.LinesRead"/>) when
    /// those are known, or 1 to number the range's lines from 1 and add the lines before afterwards, as
    /// <c>virtaudit</c> does to read many ranges on a few cores in input order. A gzip file is one range. A line longer
    /// than 64 KiB is never cut before (the cut moves on to a later line).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="rangeBytes">The size of a range; a range ends at the first safe line boundary at or after it.</param>
    /// <returns>The ranges, in file order, covering the whole file.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rangeBytes"/> is below 1.</exception>
    public static IReadOnlyList<AuditLogRange> Cut(string path, long rangeBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rangeBytes, 1L);
        using SafeFileHandle file = OpenHandle(path);
        long length = RandomAccess.GetLength(file);
        if (rangeBytes >= length || IsGzip(file))
        {
            return [new AuditLogRange(0, length, 1)];
        }

        var ranges = new List<AuditLogRange>();
        using var probe = new LineProbe(file, length);
        long start = 0;
        while (start < length)
        {
            long end = rangeBytes >= length - start ? length : probe.CutAt(start + rangeBytes);
            ranges.Add(new AuditLogRange(start, end - start, start == 0 ? 1 : 0));
            start = end;
        }

        return ranges;
    }

    private static SafeFileHandle OpenHandle(string path) =>
        File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

    private static bool IsGzip(SafeFileHandle file)
    {
        Span<byte> magic = stackalloc byte[2];
        return RandomAccess.Read(file, magic, 0) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }

    private static long CountLineFeeds(SafeFileHandle file, long start, long end)
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

    /// <summary>
    /// Finds where a range may end: the start of a line at or after a target that the reader reads alone. The one
    /// line a reader joins to the line before it is libvirt's <c>Failed to send audit message</c> line (after the
    /// <c>success=</c> line of the same message), so a cut never falls before a line that parses as one (by the
    /// reader's own line parser, JSON escapes of KubeVirt's log decoded), nor before a line too long to look at.
    /// </summary>
    private sealed class LineProbe(SafeFileHandle file, long length) : IDisposable
    {
        private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(ProbeBytes);
        private readonly DecodeScratch _scratch = new();

        /// <summary>The first safe line start at or after <paramref name="target"/>; the file's length if none.</summary>
        public long CutAt(long target)
        {
            // A line starts at `target` when the byte before it is a line feed: look from there.
            long at = NextLineStart(target - 1);
            while (at < length && !StartsAlone(at, out long next))
            {
                at = next;
            }

            return Math.Min(at, length);
        }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _scratch.Release();
        }

        // The offset after the first line feed at or after `from`; the file's length if none.
        private long NextLineStart(long from)
        {
            for (long at = from; at < length;)
            {
                int size = at == from ? 4096 : _buffer.Length; // most lines are short: look a little first
                int read = RandomAccess.Read(file, _buffer.AsSpan(0, (int)Math.Min(size, length - at)), at);
                if (read <= 0)
                {
                    break;
                }

                int lf = _buffer.AsSpan(0, read).IndexOf((byte)'\n');
                if (lf >= 0)
                {
                    return at + lf + 1;
                }

                at += read;
            }

            return length;
        }

        // Whether the line at `start` is read alone (not joined to the line before it); `next` is where the line after it starts.
        private bool StartsAlone(long start, out long next)
        {
            int read = 0;
            int lf = -1;
            foreach (int size in (ReadOnlySpan<int>)[4096, ProbeBytes])
            {
                read = Math.Max(0, RandomAccess.Read(file, _buffer.AsSpan(0, (int)Math.Min(size, length - start)), start));
                lf = _buffer.AsSpan(0, read).IndexOf((byte)'\n');
                if (lf >= 0 || start + read >= length)
                {
                    break;
                }
            }

            if (lf < 0 && start + read < length)
            {
                next = NextLineStart(start + read); // too long to look at: not a place to cut
                return false;
            }

            int end = lf < 0 ? read : lf + 1;
            next = start + end;
            ReadOnlyMemory<byte> line = _buffer.AsMemory(0, end);
            return !AuditLine.TryParseAnyInto(line, _scratch.ForNextLine(line.Span), out AuditLine parsed, out _) || !parsed.IsDaemonSendFailure;
        }
    }
}
