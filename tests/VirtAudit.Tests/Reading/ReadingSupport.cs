using System.Text;
using VirtAudit.LogGenerator;
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
}

/// <summary>Logs of the project's own generator (src/VirtAudit.LogGenerator), made at test time.</summary>
internal static class GeneratedLogs
{
    public static (byte[] Log, LogStatistics Stats) Create(long lines, long seed, LogFormat format = LogFormat.Mixed, double interleave = 0.01, LogRendering rendering = LogRendering.Auditd) =>
        AuditLogGenerator.Generate(new LogGeneratorOptions { Lines = lines, Seed = seed, Format = format, Interleave = interleave, Rendering = rendering });

    /// <summary>The schema variant a generator shape is an instance of: <c>VirtResourceNet (bare MAC)</c> is a VirtResourceNet.</summary>
    public static string VariantOf(string shape)
    {
        int space = shape.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? shape : shape[..space];
    }
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
