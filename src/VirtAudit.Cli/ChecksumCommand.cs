using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Numerics;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;
using VirtAudit.Cli.Output;

namespace VirtAudit.Cli;

/// <summary>
/// <c>virtaudit parse --format checksum</c>: folds every record that passes the filters (<see cref="ChecksumFold"/>)
/// and prints one line, <c>records=N virt=N fields=N checksum=HEX</c>. A plain file is cut at line starts into blocks
/// (<see cref="FileBlocks"/>) read on every core, and the blocks' folds, line counts and error lines are put back
/// together in input order: output, line numbers and byte offsets are those of one reader going through the file.
/// Standard input, the embedded sample and .gz files are read in order on one thread.
/// </summary>
internal static class ChecksumCommand
{
    /// <summary>Readers at once (default: the processor count); 1 reads every input in order on one thread.</summary>
    internal const string WorkersVariable = "VIRTAUDIT_PARSE_WORKERS";

    /// <summary>The size of a block in bytes (default 8 MiB; a block ends at a line start, so it may be longer).</summary>
    internal const string BlockBytesVariable = "VIRTAUDIT_PARSE_BLOCK_BYTES";

    private const long DefaultBlockBytes = 8L << 20;

    public static int Run(IReadOnlyList<string> files, RecordFilter filter, CliConsole console)
    {
        var inputs = Inputs.Resolve(files, console);
        int workers = Setting(console, WorkersVariable, Environment.ProcessorCount, 1, 64);
        long blockBytes = Setting(console, BlockBytesVariable, DefaultBlockBytes, 1, long.MaxValue);
        var total = default(ChecksumFold);
        long errors = 0;
        var readable = true;
        foreach (var input in inputs)
        {
            FileBlocks? blocks = null;
            if (workers > 1 && input.Path is not null)
            {
                try
                {
                    blocks = FileBlocks.TryCut(input.Path, blockBytes);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    blocks = null; // opened again below, which says what is wrong
                }
            }

            if (blocks is null || blocks.Count < 2)
            {
                blocks?.Dispose();
                readable &= Inputs.ForEach([input], console, (input, reader, progress) =>
                {
                    var scratch = new ChecksumScratch();
                    while (reader.Read(console.Cancellation))
                    {
                        progress?.Update(reader.BytesRead);
                        ref readonly AuditLogItem item = ref reader.Current;
                        if (item.IsError)
                        {
                            errors += Report(console, input.Name, BlockError.Of(item.Error), 0, 0);
                        }
                        else if (filter.Matches(item.Record))
                        {
                            total.Add(item.Record, scratch);
                        }
                    }
                });
                continue;
            }

            using (blocks)
            {
                readable &= ReadBlocks(input, blocks, workers, filter, console, ref total, ref errors);
            }
        }

        console.Out.WriteLine(total.ToString());
        console.Out.Flush();
        return ParseCommand.Finish(readable, errors, console);
    }

    // Reads the blocks on `workers` threads, at most workers + 1 ahead of the one being put back in order.
    private static bool ReadBlocks(InputSource input, FileBlocks blocks, int workers, RecordFilter filter, CliConsole console, ref ChecksumFold total, ref long errors)
    {
        var pending = new Queue<Task<BlockResult>>();
        int next = 0;
        long lines = 0;
        using var progress = Progress.Create(console, input);
        for (int i = 0; i < blocks.Count; i++)
        {
            while (next < blocks.Count && next <= i + workers)
            {
                int b = next++;
                pending.Enqueue(Task.Run(() => ReadBlock(blocks, b, filter, console)));
            }

            BlockResult result;
            try
            {
                result = pending.Dequeue().GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                console.Error.WriteLine($"virtaudit: {input.Name}: read failed after {blocks.Start(i)} bytes: {ex.Message}");
                WaitQuietly(pending);
                return false;
            }

            foreach (BlockError? error in result.Errors)
            {
                errors += Report(console, input.Name, error, lines, blocks.Start(i));
            }

            total.Append(result.Fold);
            lines += result.Lines;
            progress?.Update(blocks.Start(i + 1));
        }

        return true;
    }

    private static BlockResult ReadBlock(FileBlocks blocks, int index, RecordFilter filter, CliConsole console)
    {
        var result = new BlockResult();
        var scratch = new ChecksumScratch();
        using var reader = new AuditLogReader(blocks.Open(index), null, leaveOpen: false);
        while (reader.Read(console.Cancellation))
        {
            ref readonly AuditLogItem item = ref reader.Current;
            if (item.IsError)
            {
                if (BlockError.Of(item.Error) is { } error)
                {
                    result.Errors.Add(error);
                }
            }
            else if (filter.Matches(item.Record))
            {
                result.Fold.Add(item.Record, scratch);
            }
        }

        result.Lines = reader.LinesRead;
        return result;
    }

    // One error line on stderr, its line number and byte offset moved by where its block starts; 1 if it counts.
    private static long Report(CliConsole console, string name, BlockError? error, long lineBase, long offsetBase)
    {
        if (error is not { } e)
        {
            return 0;
        }

        console.Error.WriteLine(ParseCommand.Describe(name, lineBase + e.LineNumber, e.Part, e.Reason, offsetBase + e.ErrorOffset));
        return 1;
    }

    private static void WaitQuietly(Queue<Task<BlockResult>> pending)
    {
        foreach (var task in pending)
        {
            try
            {
                task.Wait();
            }
            catch (AggregateException)
            {
                // already failed once: the first failure is the one reported
            }
        }
    }

    private static T Setting<T>(CliConsole console, string name, T fallback, T min, T max)
        where T : struct, IBinaryInteger<T>
    {
        var text = console.GetEnvironmentVariable(name);
        return text is not null && T.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out T value) && value >= min && value <= max
            ? value
            : fallback;
    }

    private sealed class BlockResult
    {
        public ChecksumFold Fold;

        public long Lines;

        public List<BlockError> Errors { get; } = new();
    }

    /// <summary>What the error line of an item says, apart from the reader's buffer.</summary>
    private readonly record struct BlockError(long LineNumber, long ErrorOffset, string Part, string Reason)
    {
        // Null for a blank line or an ausearch separator, which are not reported.
        public static BlockError? Of(in AuditLogError error) =>
            error.IsSkippable ? null : new BlockError(error.LineNumber, error.ErrorOffset, error.Part, error.Reason);
    }
}

/// <summary>
/// A plain file cut into blocks at line starts, for readers on several threads. A block starts only where a line
/// starts with <c>type=</c> or <c>node=</c> (an auditd line): no line is ever joined to the one before it there
/// (libvirt's <c>Failed to send audit message</c> line joins its message; it never starts so), so each block reads
/// alone exactly as its lines read in one pass. A file with no such line start near a cut is not cut there.
/// </summary>
internal sealed class FileBlocks : IDisposable
{
    private const int SearchBytes = 1 << 20;
    private readonly SafeFileHandle _file;
    private readonly List<long> _starts;

    private FileBlocks(SafeFileHandle file, List<long> starts)
    {
        _file = file;
        _starts = starts;
    }

    /// <summary>The number of blocks.</summary>
    public int Count => _starts.Count - 1;

    /// <summary>Cuts the file at <paramref name="path"/> into blocks of about <paramref name="blockBytes"/>; null for a .gz file or one that is not a regular file.</summary>
    public static FileBlocks? TryCut(string path, long blockBytes)
    {
        if (Directory.Exists(path))
        {
            return null;
        }

        var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            long length = RandomAccess.GetLength(file);
            Span<byte> magic = stackalloc byte[2];
            if (length < 2 || (RandomAccess.Read(file, magic, 0) == 2 && magic[0] == 0x1F && magic[1] == 0x8B))
            {
                file.Dispose();
                return null;
            }

            var starts = new List<long> { 0 };
            var window = new byte[64 * 1024];
            for (long target = blockBytes; target < length;)
            {
                long start = NextSafeStart(file, target, length, window);
                if (start < 0)
                {
                    target += SearchBytes;
                    continue;
                }

                if (start < length)
                {
                    starts.Add(start);
                }

                target = start + blockBytes;
            }

            starts.Add(length);
            return new FileBlocks(file, starts);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The byte offset where block <paramref name="index"/> starts (<see cref="Count"/>: the file's end).</summary>
    public long Start(int index) => _starts[index];

    /// <summary>A stream over block <paramref name="index"/>.</summary>
    public Stream Open(int index) => new RangeStream(_file, _starts[index], _starts[index + 1]);

    public void Dispose() => _file.Dispose();

    // The first line start at or after `target` whose line begins with "type=" or "node=", within SearchBytes; -1 if none.
    private static long NextSafeStart(SafeFileHandle file, long target, long length, byte[] window)
    {
        long position = target - 1; // a line feed right before target makes target a line start
        long limit = Math.Min(length, target + SearchBytes);
        while (position < limit)
        {
            int read = RandomAccess.Read(file, window, position);
            if (read <= 0)
            {
                return -1;
            }

            ReadOnlySpan<byte> span = window.AsSpan(0, read);
            int at = 0;
            while (true)
            {
                int lf = span.Slice(at).IndexOf((byte)'\n');
                if (lf < 0)
                {
                    break;
                }

                long start = position + at + lf + 1;
                if (start >= length)
                {
                    return length;
                }

                if (StartsSafely(file, start, span, at + lf + 1))
                {
                    return start;
                }

                at += lf + 1;
            }

            position += read;
        }

        return -1;
    }

    private static bool StartsSafely(SafeFileHandle file, long start, ReadOnlySpan<byte> window, int index)
    {
        Span<byte> head = stackalloc byte[5];
        if (window.Length - index >= 5)
        {
            window.Slice(index, 5).CopyTo(head);
        }
        else if (RandomAccess.Read(file, head, start) < 5)
        {
            return false;
        }

        return head.SequenceEqual("type="u8) || head.SequenceEqual("node="u8);
    }

    /// <summary>A read-only stream over [start, end) of a file, read with positional reads (shared handle).</summary>
    private sealed class RangeStream(SafeFileHandle file, long first, long end) : Stream
    {
        private readonly long _start = first;
        private long _position = first;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => end - _start;

        public override long Position
        {
            get => _position - _start;
            set => throw new NotSupportedException();
        }

        public override int Read(Span<byte> buffer)
        {
            int count = (int)Math.Min(buffer.Length, end - _position);
            if (count <= 0)
            {
                return 0;
            }

            int read = RandomAccess.Read(file, buffer.Slice(0, count), _position);
            _position += read;
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
