using System.Text;
using VirtAudit.Cli;

namespace VirtAudit.Cli.Tests;

/// <summary>What a command wrote and returned.</summary>
public sealed record CliResult(int Code, string Stdout, string Stderr);

/// <summary>Runs <c>virtaudit</c> in-process on a <see cref="CliConsole"/> over memory streams.</summary>
public static class Cli
{
    /// <summary>Runs with standard input a terminal (nothing piped in).</summary>
    public static CliResult Run(params string[] args) => Run(stdin: null, args);

    /// <summary>Runs with <paramref name="stdin"/> piped in (null: standard input is a terminal).</summary>
    public static CliResult Run(byte[]? stdin, params string[] args) => Run(new Options { Stdin = stdin }, args);

    /// <summary>Runs with everything set.</summary>
    public static CliResult Run(Options options, params string[] args)
    {
        var stdout = new SyncStream();
        var stderr = new SyncStream();
        var opened = 0;
        var console = new CliConsole(
            () =>
            {
                opened++;
                return new MemoryStream(options.Stdin ?? Array.Empty<byte>(), writable: false);
            },
            stdout,
            stderr,
            name => options.Environment.GetValueOrDefault(name))
        {
            IsInputTerminal = options.Stdin is null,
            IsOutputTerminal = options.OutputTerminal,
            IsErrorTerminal = options.ErrorTerminal,
            Width = options.OutputTerminal ? options.Width : 0,
            Cancellation = options.Cancellation,
        };
        options.Console?.Invoke(console, stdout, stderr);
        var code = Program.Run(args, console);
        return new CliResult(code, stdout.Text, stderr.Text);
    }

    /// <summary>How to run.</summary>
    public sealed class Options
    {
        public byte[]? Stdin { get; init; }

        public bool OutputTerminal { get; init; }

        public bool ErrorTerminal { get; init; }

        public int Width { get; init; } = 100;

        public Dictionary<string, string> Environment { get; init; } = new();

        public CancellationToken Cancellation { get; init; }

        /// <summary>Sees the console and its output streams before the command runs (to watch output live).</summary>
        public Action<global::VirtAudit.Cli.CliConsole, SyncStream, SyncStream>? Console { get; init; }
    }

    /// <summary>The repository's root (the folder of VirtAuditSdk.sln).</summary>
    public static string RepoRoot() => global::VirtAudit.Testing.Repository.Root;

    /// <summary>corpus/libvirt-9.0/audit.log, the real capture (also the embedded sample).</summary>
    public static string Corpus => global::VirtAudit.Testing.Repository.Libvirt90AuditLog;
}

/// <summary>A write-only memory stream that another thread may read while it is written.</summary>
public sealed class SyncStream : Stream
{
    private readonly MemoryStream _inner = new();

    public string Text
    {
        get
        {
            lock (_inner)
            {
                return Encoding.UTF8.GetString(_inner.GetBuffer(), 0, (int)_inner.Length);
            }
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_inner)
        {
            _inner.Write(buffer, offset, count);
        }
    }
}
