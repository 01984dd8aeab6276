using System;
using System.IO;

namespace VirtAudit.Fuzz;

/// <summary>
/// The three fuzz targets. Each takes arbitrary bytes and throws <see cref="FuzzFinding"/> (a crash for afl) when
/// an invariant breaks; any other exception escaping is a crash too. The same code runs under afl-fuzz
/// (Program.cs) and in tests/VirtAudit.Tests (FuzzRegressionTests replays seeds and findings through it).
/// </summary>
public static class FuzzTargets
{
    /// <summary>The targets by the name scripts/fuzz.sh takes.</summary>
    public static readonly string[] Names = { "line", "dispatch", "reader" };

    /// <summary>Runs the target <paramref name="name"/> on <paramref name="data"/>.</summary>
    public static void Run(string name, byte[] data)
    {
        switch (name)
        {
            case "line":
                Line(data);
                break;
            case "dispatch":
                Dispatch(data);
                break;
            case "reader":
                Reader(data);
                break;
            default:
                throw new ArgumentException($"unknown target '{name}' (line, dispatch, reader)", nameof(name));
        }
    }

    /// <summary>
    /// One line through <c>AuditLine.TryParse</c> and <c>TryParseAny</c>: never throws; a failure names a part and
    /// a position inside the line; a success gives fields that lie inside the line (or inside the message decoded
    /// from a JSON line's escapes) and ENRICHED pairs inside the line, and every field interprets into a buffer.
    /// </summary>
    public static void Line(byte[] data)
    {
        var line = new ReadOnlyMemory<byte>(data);
        CheckLine(line, AuditLine.TryParse(line, out var parsed, out var error), parsed, error);
        CheckLine(line, AuditLine.TryParseAny(line, out var any, out var anyError), any, anyError);
    }

    /// <summary>
    /// A message through the registry: the first byte picks the record type (VIRT_CONTROL, VIRT_RESOURCE,
    /// VIRT_MACHINE_ID or another), the rest is the message. A typed record re-encodes; the re-encoding parses as the
    /// same variant and re-encodes to the same bytes (a fixed point), so what the parser accepts the writer can say.
    /// </summary>
    public static void Dispatch(byte[] data)
    {
        if (data.Length == 0)
        {
            return;
        }

        int number = (data[0] % 4) switch { 0 => 2500, 1 => 2501, 2 => 2502, _ => 1100 + data[0] };
        var message = new ReadOnlyMemory<byte>(data, 1, data.Length - 1);
        var registry = VirtAuditRegistry.Default;
        var record = registry.Parse(number, message);
        if (!record.IsTyped)
        {
            Require(record.Error is { Length: > 0 } || !registry.Handles(number), "an untyped record says why");
            Require(record.ErrorOffset >= 0 && record.ErrorOffset <= message.Length, $"error offset {record.ErrorOffset} outside the message of {message.Length} bytes");
            return;
        }

        var first = new byte[message.Length * 4 + 1024];
        Require(record.TryReencode(first, out int firstLength), $"{record.Variant} parsed but does not re-encode");
        var again = registry.Parse(number, first.AsMemory(0, firstLength));
        Require(again.IsTyped, $"{record.Variant} re-encoded is not typed: {again.Error}");
        Require(again.Variant == record.Variant, $"{record.Variant} re-encoded reads as {again.Variant}");
        var second = new byte[firstLength * 4 + 1024];
        Require(again.TryReencode(second, out int secondLength), $"{record.Variant} re-encoded does not re-encode again");
        Require(first.AsSpan(0, firstLength).SequenceEqual(second.AsSpan(0, secondLength)), $"{record.Variant}: re-encoding is not a fixed point");
    }

    /// <summary>
    /// The bytes as a log through <c>AuditLogReader</c> with a small buffer and a small line limit (so buffer growth
    /// and over-long lines are reached): never throws (a gzip input may end in <see cref="InvalidDataException"/>,
    /// as documented); items have positions inside the input; lines read = records + errors + skipped + joined;
    /// and the same bytes read again as events give the same record count.
    /// </summary>
    public static void Reader(byte[] data)
    {
        var options = new AuditLogReaderOptions { BufferSize = 256, MaxLineLength = 1024 };
        long records = 0;
        long lastLine = 0;
        using (var reader = new AuditLogReader(new MemoryStream(data, writable: false), options))
        {
            try
            {
                while (reader.Read())
                {
                    var item = reader.Current;
                    Require(item.LineNumber > lastLine, $"line number {item.LineNumber} after {lastLine}");
                    lastLine = item.LineNumber;
                    Require(item.Offset >= 0 && item.Offset <= data.Length, $"offset {item.Offset} outside {data.Length} bytes");
                    if (item.IsError)
                    {
                        var e = item.Error;
                        Require(e.Position >= 0 && e.ErrorOffset <= data.Length, $"error position {e.Position} outside the input");
                        Require(e.Reason.Length > 0, "an error says why");
                        continue;
                    }

                    records++;
                    var record = item.Record;
                    foreach (var field in record.Fields)
                    {
                        _ = field.Value.Length;
                    }

                    if (record.IsVirt && record.Virt.IsTyped)
                    {
                        var buffer = new byte[record.Virt.Message.Length * 4 + 1024];
                        Require(record.Virt.TryReencode(buffer, out _), $"{record.Virt.Variant} from the reader does not re-encode");
                    }
                }
            }
            catch (InvalidDataException) when (IsGzip(data))
            {
                return;
            }

            Require(reader.RecordsRead == records, $"RecordsRead {reader.RecordsRead} but {records} records handed out");
            Require(
                reader.LinesRead == reader.RecordsRead + reader.ErrorsRead + reader.LinesSkipped + reader.LinesJoined,
                $"lines {reader.LinesRead} != records {reader.RecordsRead} + errors {reader.ErrorsRead} + skipped {reader.LinesSkipped} + joined {reader.LinesJoined}");
        }

        using (var again = new AuditLogReader(new MemoryStream(data, writable: false), options))
        {
            long inEvents = 0;
            foreach (var e in again.ReadEvents())
            {
                inEvents += e.Records.Count;
            }

            Require(inEvents == records, $"events hold {inEvents} records, the reader gave {records}");
        }
    }

    private static void CheckLine(ReadOnlyMemory<byte> line, bool ok, AuditLine parsed, AuditLineError error)
    {
        if (!ok)
        {
            Require(error.IsError, "a failed parse has an error");
            Require(error.Offset >= 0 && error.Offset <= line.Length, $"error offset {error.Offset} outside the line of {line.Length} bytes");
            Require(error.Part.Length > 0 && error.Reason.Length > 0, "an error names its part and reason");
            return;
        }

        Span<byte> scratch = stackalloc byte[256];
        foreach (var field in parsed.Fields)
        {
            // a slice of the line, or of the message a JSON daemon-log line's escapes were decoded into
            Require(
                (Inside(line, field.Name) && Inside(line, field.Value)) || (Inside(parsed.Message, field.Name) && Inside(parsed.Message, field.Value)),
                "a field is a slice of the line or of its decoded message");
            byte[] value = new byte[field.Value.Length * 2 + 64];
            _ = parsed.TryGetInterpretedValue(field, value, out int written);
            Require(written <= value.Length, "interpreted value fits");
            if (field.IsEncoded)
            {
                _ = field.TryDecodeValue(scratch, out _);
            }
        }

        foreach (var pair in parsed.EnrichmentFields)
        {
            Require(Inside(line, pair.Name) && Inside(line, pair.Value), "an ENRICHED pair is a slice of the line");
        }
    }

    private static bool Inside(ReadOnlyMemory<byte> line, ReadOnlyMemory<byte> part) =>
        part.Length == 0 || line.Span.Overlaps(part.Span, out int offset) && offset >= 0 && offset + part.Length <= line.Length;

    private static bool IsGzip(byte[] data) => data.Length >= 2 && data[0] == 0x1f && data[1] == 0x8b;

    /// <summary>Throws a <see cref="FuzzFinding"/> when <paramref name="condition"/> is false.</summary>
    public static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new FuzzFinding(what);
        }
    }
}

/// <summary>An invariant a fuzz target checks did not hold.</summary>
public sealed class FuzzFinding : Exception
{
    /// <summary>Creates the finding.</summary>
    public FuzzFinding(string message)
        : base(message)
    {
    }
}
