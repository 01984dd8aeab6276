using System;
using System.IO;
using System.Threading;
using VirtAudit.Cli.Output;

namespace VirtAudit.Cli;

/// <summary>
/// <c>virtaudit follow FILE</c>: like <c>tail -F</c>. Reads FILE (from its end, or from the start with
/// <c>--from-start</c>), then waits for more, printing records as <c>parse</c> does. Follows rotation: when FILE is
/// renamed (logrotate's default, auditd's own rotation) the rest of the old file is read, then the new FILE from its
/// start; when FILE is truncated in place (logrotate's <c>copytruncate</c>) it is read again from its start. Ctrl-C
/// stops it cleanly (exit 0). Line numbers and offsets count across the whole followed stream.
/// </summary>
internal static class FollowCommand
{
    public static int Run(string path, OutputFormat format, RecordFilter filter, bool fromStart, bool noColor, CliConsole console)
    {
        FollowStream stream;
        try
        {
            stream = FollowStream.Open(path, fromStart, console.Cancellation);
        }
        catch (InputException ex)
        {
            console.Error.WriteLine("virtaudit: " + ex.Message);
            return ExitCodes.ReadFailure;
        }

        long errors = 0;
        using var sink = RecordSink.Create(format, console, console.UseColor(noColor));
        stream.Idle = sink.Flush;
        using var reader = new AuditLogReader(stream);
        try
        {
            while (reader.Read(console.Cancellation))
            {
                errors += ParseCommand.Handle(reader.Current, path, filter, sink, console) ? 0 : 1;
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C: stop cleanly.
        }
        catch (IOException ex)
        {
            sink.Flush();
            console.Error.WriteLine($"virtaudit: {path}: read failed: {ex.Message}");
            return ExitCodes.ReadFailure;
        }

        sink.Flush();
        return ExitCodes.Ok;
    }
}

/// <summary>
/// An endless stream over a log file that waits at its end, and follows it across rotation by rename and by
/// copytruncate. <see cref="Stream.Read(byte[], int, int)"/> returns 0 only when cancelled.
/// </summary>
internal sealed class FollowStream : ReadOnlyStream
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private readonly string _path;
    private readonly string _fullPath;
    private readonly CancellationToken _cancellation;
    private FileStream _file;

    private FollowStream(string path, FileStream file, CancellationToken cancellation)
    {
        _path = path;
        _fullPath = System.IO.Path.GetFullPath(path);
        _file = file;
        _cancellation = cancellation;
    }

    /// <summary>Called when the stream is about to wait for more data (the sink flushes its output).</summary>
    public Action? Idle { get; set; }

    /// <summary>Opens <paramref name="path"/>, positioned at its end unless <paramref name="fromStart"/>.</summary>
    /// <exception cref="InputException">The file is missing, a directory, or not readable.</exception>
    public static FollowStream Open(string path, bool fromStart, CancellationToken cancellation)
    {
        var file = OpenFile(path);
        if (!fromStart)
        {
            file.Seek(0, SeekOrigin.End);
        }

        return new FollowStream(path, file, cancellation);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (!_cancellation.IsCancellationRequested)
        {
            var n = _file.Read(buffer);
            if (n > 0)
            {
                return n;
            }

            if (Rotated())
            {
                continue;
            }

            Idle?.Invoke();
            _cancellation.WaitHandle.WaitOne(Poll);
        }

        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }

        base.Dispose(disposing);
    }

    private static FileStream OpenFile(string path)
    {
        if (Directory.Exists(path))
        {
            throw new InputException($"{path}: is a directory");
        }

        try
        {
            return new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                BufferSize = 0,
            });
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputException($"{path}: no such file");
        }
        catch (UnauthorizedAccessException)
        {
            throw new InputException($"{path}: permission denied");
        }
    }

    /// <summary>
    /// At the end of the current file: true (and switched) when the path now names another file (the old one was
    /// renamed or deleted and a new one created) or when the file was truncated below the read position.
    /// </summary>
    private bool Rotated()
    {
        long length;
        try
        {
            length = _file.Length;
        }
        catch (IOException)
        {
            length = _file.Position;
        }

        if (length < _file.Position)
        {
            _file.Seek(0, SeekOrigin.Begin);
            return true;
        }

        if (!File.Exists(_path) || IsStillThePath())
        {
            return false;
        }

        FileStream next;
        try
        {
            next = OpenFile(_path);
        }
        catch (InputException)
        {
            return false;
        }

        // The old file is read to its end (Read returned 0): go on with the new one from its start.
        _file.Dispose();
        _file = next;
        return true;
    }

    /// <summary>
    /// True when the open file is still the one the path names. On Linux /proc/self/fd tells the open file's current
    /// name (after a rename it is the new name; after a delete it ends in " (deleted)"); elsewhere a new file is
    /// noticed when it is shorter than the read position.
    /// </summary>
    private bool IsStillThePath()
    {
        var link = "/proc/self/fd/" + _file.SafeFileHandle.DangerousGetHandle().ToInt64();
        try
        {
            var target = File.ResolveLinkTarget(link, returnFinalTarget: false)?.FullName;
            return target is null || string.Equals(target, _fullPath, StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }
}
