using System.Diagnostics;
using System.Text;
using VirtAudit.Tests.Lines;

namespace VirtAudit.Tests.Reading;

/// <summary>What one item of a reader was, copied out so that it outlives the next read.</summary>
internal sealed record ItemCopy(AuditLogItemKind Kind, long LineNumber, long Offset, AuditLogRecord Record, AuditLogErrorKind ErrorKind, int Position, string Reason, byte[] Line, long LineLength)
{
    public override string ToString() => Kind == AuditLogItemKind.Record
        ? $"record line {LineNumber}: {Record}"
        : $"error line {LineNumber} ({ErrorKind}, {Reason}): {Corpus.Text(Line)}";
}

internal static class ReadingSupport
{
    /// <summary>Every item of <paramref name="input"/>, read synchronously (optionally a few bytes per read).</summary>
    public static List<ItemCopy> ReadAll(byte[] input, AuditLogReaderOptions? options = null, int chunk = 0) =>
        ReadAll(input, options, chunk, out _, out _);

    /// <summary>Every item of <paramref name="input"/>, and the lines a daemon log skipped and joined.</summary>
    public static List<ItemCopy> ReadAll(byte[] input, AuditLogReaderOptions? options, int chunk, out long skipped, out long joined)
    {
        Stream stream = chunk > 0 ? new ChunkedStream(input, chunk) : new MemoryStream(input);
        using var reader = new AuditLogReader(stream, options);
        var items = new List<ItemCopy>();
        while (reader.Read())
        {
            items.Add(Copy(reader.Current));
        }

        Assert.Equal(reader.LinesRead, reader.RecordsRead + reader.ErrorsRead + reader.LinesSkipped + reader.LinesJoined);
        Assert.Equal(items.Count, reader.RecordsRead + reader.ErrorsRead);
        Assert.Equal(input.Length, reader.BytesRead);
        skipped = reader.LinesSkipped;
        joined = reader.LinesJoined;
        return items;
    }

    public static ItemCopy Copy(in AuditLogItem item) => item.IsRecord
        ? new ItemCopy(item.Kind, item.LineNumber, item.Offset, item.Record.ToOwned(), AuditLogErrorKind.None, 0, string.Empty, item.Record.Bytes.ToArray(), item.Record.Bytes.Length)
        : new ItemCopy(item.Kind, item.LineNumber, item.Offset, default, item.Error.Kind, item.Error.Position, item.Error.Reason, item.Error.Line.ToArray(), item.Error.LineLength);

    /// <summary>A single record line, read through the reader.</summary>
    public static AuditLogRecord Record(string line)
    {
        List<ItemCopy> items = ReadAll(Corpus.Bytes(line + "\n"));
        ItemCopy item = Assert.Single(items);
        Assert.True(item.Kind == AuditLogItemKind.Record, item.ToString());
        return item.Record;
    }

    public static string Text(ReadOnlyMemory<byte> bytes) => Corpus.Text(bytes);

    /// <summary>The fields of a record as name=value strings (raw values), inner ones prefixed with "msg.".</summary>
    public static List<string> Fields(in AuditLogRecord record)
    {
        var fields = new List<string>();
        foreach (AuditField field in record.Fields)
        {
            fields.Add((field.IsInner ? "msg." : string.Empty) + Text(field.Name) + "=" + Text(field.Value));
        }

        return fields;
    }

    public static string Interpreted(in AuditLogRecord record, string name)
    {
        foreach (AuditField field in record.Fields)
        {
            if (Text(field.Name) == name)
            {
                byte[] buffer = new byte[record.Line.GetInterpretedValueLength(field)];
                Assert.True(record.Line.TryGetInterpretedValue(field, buffer, out int written));
                Assert.Equal(buffer.Length, written);
                return Encoding.UTF8.GetString(buffer);
            }
        }

        throw new InvalidOperationException("no field " + name);
    }

    /// <summary>The folder that holds VirtAuditSdk.sln.</summary>
    public static string RepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "VirtAuditSdk.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("VirtAuditSdk.sln not found above " + AppContext.BaseDirectory);
    }

    public static string SharedFile(params string[] parts) =>
        Path.GetFullPath(Path.Combine([RepoRoot(), "..", "shared", .. parts]));
}

/// <summary>The example lines of spec §14, read from the spec itself (<c>\x1d</c> becomes the byte 0x1D).</summary>
internal static class SpecExamples
{
    private static readonly Lazy<Dictionary<string, string>> Lines = new(Load);

    public static string Get(string label) => Lines.Value[label];

    private static Dictionary<string, string> Load()
    {
        string[] text = File.ReadAllLines(ReadingSupport.SharedFile("spec", "libvirt-audit-records.md"));
        var lines = new Dictionary<string, string>();
        for (int i = 0; i < text.Length; i++)
        {
            int dot = text[i].IndexOf(". ", StringComparison.Ordinal);
            if (dot is < 2 or > 3 || (text[i][0] != 'R' && text[i][0] != 'C') || !char.IsDigit(text[i][1]))
            {
                continue;
            }

            int fence = Array.FindIndex(text, i + 1, l => l.StartsWith("```", StringComparison.Ordinal));
            lines[text[i].Substring(0, dot)] = text[fence + 1].Replace("\\x1d", "\u001d", StringComparison.Ordinal);
        }

        Assert.Equal(30, lines.Count);
        return lines;
    }
}

/// <summary>gen_corpus.py of ../shared/bench, run at test time.</summary>
internal static class GenCorpus
{
    public sealed record Output(byte[] Log, Dictionary<string, long> ByType, long Lines, long Enriched);

    public static Output Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ReadingSupport.SharedFile("bench", "gen_corpus.py"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--stats");
        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var log = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(log);
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr.Result);

        // "lines=N bytes=N virt_lines=N (f) enriched_lines=N (f)", then "  TYPE   N" per type.
        var byType = new Dictionary<string, long>();
        long lines = 0;
        long enriched = 0;
        foreach (string line in stderr.Result.Split('\n'))
        {
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (line.StartsWith("lines=", StringComparison.Ordinal))
            {
                lines = long.Parse(words[0].Substring(6));
                enriched = long.Parse(words[4].Substring("enriched_lines=".Length));
            }
            else if (line.StartsWith("  ", StringComparison.Ordinal) && words.Length == 2)
            {
                byType[words[0]] = long.Parse(words[1]);
            }
        }

        return new Output(log.ToArray(), byType, lines, enriched);
    }

    public static Output Run(int lines, int seed, params string[] more) =>
        Run(["--lines", lines.ToString(), "--seed", seed.ToString(), .. more]);
}

/// <summary>A read-only stream that hands out at most a few bytes per read.</summary>
internal sealed class ChunkedStream(byte[] data, int chunk) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => data.Length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = Math.Min(Math.Min(count, chunk), data.Length - _position);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>A read-only stream that repeats a block of bytes until a total length (a large log in constant memory).</summary>
internal sealed class RepeatingStream(byte[] block, long length) : Stream
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
        int n = (int)Math.Min(buffer.Length, length - _position);
        int inBlock = (int)(_position % block.Length);
        n = Math.Min(n, block.Length - inBlock);
        block.AsSpan(inBlock, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
