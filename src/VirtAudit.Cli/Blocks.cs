using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace VirtAudit.Cli;

/// <summary>
/// How <c>check</c> and <c>parse --format checksum</c> share a plain file between cores: how many readers, and how
/// large a block (<see cref="AuditLogRange.Cut"/>). Set by <c>VIRTAUDIT_WORKERS</c> and <c>VIRTAUDIT_BLOCK_BYTES</c>.
/// </summary>
/// <param name="Workers">Readers at once; 1 reads every input in one pass on one thread.</param>
/// <param name="BlockBytes">The size of a block; a block ends at the first line start at or after it that may start one.</param>
internal readonly record struct BlockSettings(int Workers, long BlockBytes)
{
    /// <summary>Readers at once (default: the processor count, at most 64); 1 reads every input in one pass.</summary>
    public const string WorkersVariable = "VIRTAUDIT_WORKERS";

    /// <summary>The size of a block in bytes (default 8 MiB).</summary>
    public const string BlockBytesVariable = "VIRTAUDIT_BLOCK_BYTES";

    private const int MaxWorkers = 64;
    private const long DefaultBlockBytes = 8L << 20;

    /// <summary>The settings of the environment; a value that is not a whole number in range is said on stderr and ignored.</summary>
    public static BlockSettings From(CliConsole console) =>
        new(
            Setting(console, WorkersVariable, Math.Clamp(Environment.ProcessorCount, 1, MaxWorkers), 1, MaxWorkers),
            Setting(console, BlockBytesVariable, DefaultBlockBytes, 1, long.MaxValue));

    /// <summary>
    /// The blocks to read <paramref name="input"/> in, or null to read it in one pass: standard input, the sample, a
    /// .gz file, a named pipe or a device, one worker, a file that makes one block, a file that cannot be opened (the
    /// one pass says why).
    /// </summary>
    public IReadOnlyList<AuditLogRange>? Cut(InputSource input)
    {
        // A file no longer than a block is one block; a pipe or a device has no length (0) and is never opened twice
        // (a named pipe's writer would lose its reader).
        if (Workers < 2 || input.Path is not { } path || input.Length <= BlockBytes || Directory.Exists(path))
        {
            return null;
        }

        try
        {
            var ranges = AuditLogRange.Cut(path, BlockBytes);
            return ranges.Count > 1 ? ranges : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads every input into <paramref name="whole"/>: a plain file in blocks on <see cref="Workers"/> threads, each
    /// block into a fresh <paramref name="create"/>() merged into the whole in file order; any other input (or with
    /// one worker) in one pass straight into the whole. Per-line messages go to <paramref name="messages"/> in line
    /// order either way. An input that cannot be opened or read is said on stderr (<see cref="Inputs.ForEach"/>).
    /// </summary>
    /// <param name="bytes">The bytes the readers read.</param>
    /// <returns>False when an input could not be read (exit code 3).</returns>
    public bool ReadInputs<T>(List<InputSource> inputs, CliConsole console, TextWriter messages, T whole, Func<T> create, ReadInto<T> read, Action<T, InputSource, AuditLogRange> merge, out long bytes)
    {
        long total = 0;
        var readable = true;
        foreach (var input in inputs)
        {
            if (Cut(input) is { } ranges)
            {
                var run = new BlockRun<T>(input, ranges, Workers, console, messages, create, (reader, block, output, cancel) => read(input, reader, block, output, null, cancel), (block, range) => merge(block, input, range));
                readable &= run.Run();
                total += run.BytesRead;
                continue;
            }

            readable &= Inputs.ForEach([input], console, (input, reader, progress) =>
            {
                try
                {
                    read(input, reader, whole, new DirectOutput(messages), progress, console.Cancellation);
                }
                finally
                {
                    total += reader.BytesRead;
                }
            });
        }

        bytes = total;
        return readable;
    }

    private static long Setting(CliConsole console, string name, long fallback, long min, long max)
    {
        var text = console.GetEnvironmentVariable(name);
        if (text is null)
        {
            return fallback;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value >= min && value <= max)
        {
            return value;
        }

        console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"virtaudit: ignoring {name}={text}: expected a whole number from {min} to {max}"));
        return fallback;
    }

    private static int Setting(CliConsole console, string name, int fallback, int min, int max) =>
        (int)Setting(console, name, (long)fallback, min, max);
}

/// <summary>Reads an input (or a block of it) into <paramref name="into"/>; messages go to <paramref name="output"/>.</summary>
internal delegate void ReadInto<T>(InputSource input, AuditLogReader reader, T into, LineOutput output, Progress? progress, CancellationToken cancellation);

/// <summary>
/// Where a command writes its per-line messages: <c>BEFORE</c>, the line number, <c>AFTER</c>. A reader of a block
/// numbers its lines from 1; the block's output adds the lines before it once they are known.
/// </summary>
internal abstract class LineOutput
{
    /// <summary>Writes <c>{before}{lineNumber}{after}</c> and a line end.</summary>
    public abstract void WriteLine(string before, long lineNumber, string after);
}

/// <summary>Writes each message as it comes (one pass over an input).</summary>
internal sealed class DirectOutput(TextWriter writer) : LineOutput
{
    public override void WriteLine(string before, long lineNumber, string after) =>
        writer.WriteLine(string.Concat(before, lineNumber.ToString(CultureInfo.InvariantCulture), after));
}

/// <summary>
/// Reads a file's blocks (<see cref="AuditLogRange.Cut"/>) on several threads and puts their results back together in
/// file order, so that what is written is what one pass writes. Each block gets a fresh <typeparamref name="TBlock"/>
/// and a reader that numbers its lines from 1; its messages (<see cref="LineOutput"/>) are held until the blocks
/// before it are merged, then written with the right line numbers; once every block before it is merged (it is the
/// head), they are written at once. The merge callback runs in block order, one block at a time. Memory is bounded:
/// at most <c>2 × workers</c> blocks are taken and not yet merged, and a block that holds more than
/// <see cref="HeldChars"/> characters of messages waits until it is the head.
/// </summary>
/// <typeparam name="TBlock">What a block collects (counts, a fold).</typeparam>
internal sealed class BlockRun<TBlock>
{
    /// <summary>The most characters of messages a block holds before it waits to be the head.</summary>
    internal const int HeldChars = 256 * 1024;

    private readonly object _gate = new();
    private readonly InputSource _input;
    private readonly IReadOnlyList<AuditLogRange> _ranges;
    private readonly CliConsole _console;
    private readonly TextWriter _writer;
    private readonly Func<TBlock> _create;
    private readonly Action<AuditLogReader, TBlock, LineOutput, CancellationToken> _read;
    private readonly CancellationTokenSource _cancel;
    private readonly Action<TBlock, AuditLogRange> _merge;
    private readonly Dictionary<int, Block> _finished = new();
    private readonly int _window;
    private Progress? _progress;
    private int _next;
    private int _head;
    private long _linesBefore;
    private long _bytes;
    private bool _stop;
    private bool _failed;
    private ExceptionDispatchInfo? _fatal;

    /// <param name="input">The input (a plain file).</param>
    /// <param name="ranges">Its blocks.</param>
    /// <param name="workers">Readers at once.</param>
    /// <param name="console">For the read failure message and the progress bar.</param>
    /// <param name="writer">Where the blocks' messages go.</param>
    /// <param name="create">A block's fresh state.</param>
    /// <param name="read">Reads one block into its state (on a worker thread); messages go to the output given; the token stops it.</param>
    /// <param name="merge">
    /// Adds a block's state to the whole (in block order, one at a time; also for a block whose reading failed), with
    /// the part of the block that was read.
    /// </param>
    public BlockRun(InputSource input, IReadOnlyList<AuditLogRange> ranges, int workers, CliConsole console, TextWriter writer, Func<TBlock> create, Action<AuditLogReader, TBlock, LineOutput, CancellationToken> read, Action<TBlock, AuditLogRange> merge)
    {
        _input = input;
        _ranges = ranges;
        _console = console;
        _writer = writer;
        _create = create;
        _read = read;
        _merge = merge;
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(console.Cancellation);
        Workers = Math.Clamp(workers, 1, ranges.Count);
        _window = 2 * Workers;
    }

    /// <summary>Threads reading at once.</summary>
    public int Workers { get; }

    /// <summary>The bytes the merged blocks' readers read.</summary>
    public long BytesRead => _bytes;

    /// <summary>Reads every block; false when reading failed (said on stderr: what one pass says, at the file's offset).</summary>
    /// <exception cref="OperationCanceledException">The console's cancellation was requested.</exception>
    public bool Run()
    {
        using (_cancel)
        using (_progress = Progress.Create(_console, _input))
        {
            var threads = new Thread[Workers - 1];
            for (int i = 0; i < threads.Length; i++)
            {
                threads[i] = new Thread(Work) { IsBackground = true, Name = "virtaudit block reader" };
                threads[i].Start();
            }

            Work();
            foreach (var thread in threads)
            {
                thread.Join();
            }
        }

        _fatal?.Throw();
        return !_failed;
    }

    private void Work()
    {
        while (true)
        {
            int index;
            lock (_gate)
            {
                while (!_stop && _next < _ranges.Count && _next >= _head + _window)
                {
                    Monitor.Wait(_gate);
                }

                if (_stop || _next >= _ranges.Count)
                {
                    return;
                }

                index = _next++;
            }

            Block block;
            try
            {
                block = new Block(this, index, _create());
                ReadBlock(block);
            }
            catch (StoppedException)
            {
                return;
            }
            catch (OperationCanceledException) when (_stop && !_console.Cancellation.IsCancellationRequested)
            {
                return; // stopped by an earlier block's failure
            }
            catch (Exception ex)
            {
                Stop(ExceptionDispatchInfo.Capture(ex));
                return;
            }

            lock (_gate)
            {
                _finished.Add(index, block);
                try
                {
                    MergeReady();
                }
                catch (Exception ex)
                {
                    Stop(ExceptionDispatchInfo.Capture(ex));
                    return;
                }

                Monitor.PulseAll(_gate);
            }
        }
    }

    private void ReadBlock(Block block)
    {
        var range = _ranges[block.Index];
        try
        {
            using var reader = AuditLogReader.OpenRange(_input.Path!, range with { FirstLineNumber = 1 });
            try
            {
                _read(reader, block.State, block, _cancel.Token);
            }
            finally
            {
                block.Lines = reader.LinesRead;
                block.Bytes = reader.BytesRead;
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            block.Failure = ex; // merged like the others, then said and the rest of the file left: as one pass does
        }
    }

    // Under the lock: merges the finished blocks that follow the merged ones, in order.
    private void MergeReady()
    {
        while (!_stop && _finished.Remove(_head, out Block? block))
        {
            var range = _ranges[_head] with { Length = block.Bytes };
            block.Flush();
            try
            {
                _merge(block.State, range);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                block.Failure ??= ex; // check counts a block's types again from the file
            }

            _linesBefore += block.Lines;
            _bytes += block.Bytes;
            _head++;
            if (block.Failure is { } failure)
            {
                _console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"virtaudit: {_input.Name}: read failed after {range.Offset + block.Bytes} bytes: {failure.Message}"));
                _failed = true;
                _stop = true;
                _cancel.Cancel();
            }

            _progress?.Update(range.Offset + block.Bytes, lines: (int)Math.Min(block.Lines, int.MaxValue));
        }
    }

    private void Stop(ExceptionDispatchInfo error)
    {
        lock (_gate)
        {
            _fatal ??= error;
            _stop = true;
            _cancel.Cancel();
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>A block being read or waiting to be merged: its state, and the messages it holds.</summary>
    private sealed class Block(BlockRun<TBlock> run, int index, TBlock state) : LineOutput
    {
        private readonly List<(string Before, long Line, string After)> _held = new();
        private long _heldChars;

        public int Index => index;

        public TBlock State => state;

        public long Lines { get; set; }

        public long Bytes { get; set; }

        public Exception? Failure { get; set; }

        public override void WriteLine(string before, long lineNumber, string after)
        {
            lock (run._gate)
            {
                if (run._stop)
                {
                    throw new StoppedException();
                }

                if (run._head != index)
                {
                    _held.Add((before, lineNumber, after));
                    _heldChars += before.Length + after.Length + 20;
                    if (_heldChars <= HeldChars)
                    {
                        return;
                    }

                    while (run._head != index && !run._stop)
                    {
                        Monitor.Wait(run._gate);
                    }

                    if (run._stop)
                    {
                        throw new StoppedException();
                    }

                    Flush();
                    return;
                }

                Flush();
                Write(before, lineNumber, after);
            }
        }

        // Under the lock, with this block the head: writes the held messages.
        public void Flush()
        {
            foreach (var (before, line, after) in _held)
            {
                Write(before, line, after);
            }

            _held.Clear();
            _heldChars = 0;
        }

        private void Write(string before, long lineNumber, string after) =>
            run._writer.WriteLine(string.Concat(before, (run._linesBefore + lineNumber).ToString(CultureInfo.InvariantCulture), after));
    }

    // Unwinds a worker whose output is no longer wanted (an earlier block failed, or the run was stopped).
    private sealed class StoppedException : Exception;
}
