using VirtAudit.LogGenerator;
using VirtAudit.Tests.Lines;
using static VirtAudit.Tests.Reading.ReadingSupport;

namespace VirtAudit.Tests.Reading;

/// <summary>The reader on the real capture (every line) and on logs of the project's generator (every form it writes).</summary>
public class CorpusReadingTests
{
    [Fact]
    public void Every_line_of_the_capture_is_a_record_at_its_offset()
    {
        byte[] file = File.ReadAllBytes(Corpus.FindFile("libvirt-9.0/audit.log"));
        List<ItemCopy> items = ReadAll(file);
        byte[][] lines = Corpus.Libvirt90;
        Assert.Equal(lines.Length, items.Count);

        long offset = 0;
        int typed = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            ItemCopy item = items[i];
            Assert.True(item.Kind == AuditLogItemKind.Record, item.ToString());
            Assert.Equal(i + 1, item.LineNumber);
            Assert.Equal(offset, item.Offset);
            AuditLogRecord record = item.Record;
            Assert.Equal(lines[i].AsSpan(0, lines[i].Length - 1).ToArray(), record.Bytes.ToArray());

            // The same parts AuditLine.TryParse finds in the line.
            AuditLine line = AuditLine.Parse(lines[i]);
            Assert.Equal(line.TypeNumber, record.TypeNumber);
            Assert.Equal(line.Stamp, record.Stamp);
            Assert.Equal(line.HasEnrichment ? AuditRendering.Enriched : AuditRendering.Raw, record.Rendering);
            Assert.Equal(Fields(line), ReadingSupport.Fields(record));

            if (record.IsVirt)
            {
                Assert.True(record.IsTyped, record.Virt.Error);
                Assert.Equal(AuditRecordNotes.None, record.Notes);
                typed++;
            }
            else
            {
                Assert.Equal(default, record.Virt);
            }

            offset += lines[i].Length;
        }

        Assert.Equal(293, typed);
    }

    [Fact]
    public async Task The_capture_reads_the_same_in_every_chunking_sync_async_and_through_a_pipe()
    {
        byte[] file = File.ReadAllBytes(Corpus.FindFile("libvirt-9.0/audit.log"));
        string expected = Describe(ReadAll(file));
        Assert.Equal(expected, Describe(ReadAll(file, chunk: 1)));
        Assert.Equal(expected, Describe(ReadAll(file, chunk: 7)));
        Assert.Equal(expected, Describe(ReadAll(file, new AuditLogReaderOptions { BufferSize = 256, MaxLineLength = 4096 }, chunk: 333)));
        Assert.Equal(expected, Describe(await ReadAllAsync(new ChunkedStream(file, 1000))));

        var pipe = new System.IO.Pipelines.Pipe();
        Task writer = Task.Run(async () =>
        {
            for (int i = 0; i < file.Length; i += 4000)
            {
                await pipe.Writer.WriteAsync(file.AsMemory(i, Math.Min(4000, file.Length - i)));
            }

            await pipe.Writer.CompleteAsync();
        });
        var items = new List<ItemCopy>();
        using (var reader = new AuditLogReader(pipe.Reader))
        {
            while (reader.Read())
            {
                items.Add(Copy(reader.Current));
            }
        }

        await writer;
        Assert.Equal(expected, Describe(items));
    }

    [Fact]
    public void A_file_path_reads_the_same_as_its_bytes()
    {
        string path = Corpus.FindFile("libvirt-9.0/audit.log");
        using AuditLogReader reader = AuditLogReader.Open(path);
        var items = new List<ItemCopy>();
        foreach (ref readonly AuditLogItem item in reader)
        {
            items.Add(Copy(item));
        }

        Assert.Equal(Describe(ReadAll(File.ReadAllBytes(path))), Describe(items));
        Assert.Equal(new FileInfo(path).Length, reader.BytesRead);
    }

    [Fact]
    public async Task A_file_path_reads_the_same_asynchronously()
    {
        string path = Corpus.FindFile("libvirt-9.0/audit.log");
        await using AuditLogReader reader = AuditLogReader.Open(path);
        var items = new List<ItemCopy>();
        while (await reader.ReadAsync())
        {
            items.Add(Copy(reader.Current));
        }

        Assert.Equal(Describe(ReadAll(File.ReadAllBytes(path))), Describe(items));
        Assert.Equal(new FileInfo(path).Length, reader.BytesRead);
    }

    [Theory]
    [InlineData(LogFormat.Mixed)]
    [InlineData(LogFormat.Raw)]
    [InlineData(LogFormat.Enriched)]
    public void Generated_logs_every_line_read_every_libvirt_record_typed_as_generated(LogFormat format)
    {
        (byte[] log, LogStatistics stats) = GeneratedLogs.Create(20000, 7, format, interleave: 0.05);
        List<ItemCopy> items = ReadAll(log);
        Assert.Equal(stats.Lines, items.Count);
        Assert.All(items, i => Assert.True(i.Kind == AuditLogItemKind.Record, i.ToString()));

        var byType = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var byVariant = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long enriched = 0;
        long legacy = 0;
        foreach (ItemCopy item in items)
        {
            AuditLogRecord record = item.Record;
            string type = AuditRecordTypes.GetName(record.TypeNumber);
            byType[type] = byType.GetValueOrDefault(type) + 1;
            enriched += record.Rendering == AuditRendering.Enriched ? 1 : 0;
            Assert.True(record.Rendering is AuditRendering.Raw or AuditRendering.Enriched);
            Assert.True(record.HasStamp);
            if (!record.IsVirt)
            {
                continue;
            }

            Assert.True(record.IsTyped, $"line {item.LineNumber}: {record.Virt.Error}: {record}");
            Assert.Equal(AuditRecordNotes.None, record.Notes);
            string variant = record.Virt.Variant!.Name;
            byVariant[variant] = byVariant.GetValueOrDefault(variant) + 1;
            legacy += record.Virt.IsLegacy ? 1 : 0;
        }

        // Every record is typed as the very variant the generator wrote (its legacy shapes included).
        var generated = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach ((string shape, long count) in stats.ByVariant)
        {
            string variant = GeneratedLogs.VariantOf(shape);
            generated[variant] = generated.GetValueOrDefault(variant) + count;
        }

        Assert.Equal(generated, byVariant);
        Assert.Equal(stats.ByType, byType);
        Assert.Equal(stats.EnrichedLines, enriched);
        Assert.True(format != LogFormat.Raw || enriched == 0);
        Assert.True(format != LogFormat.Enriched || enriched > stats.Lines / 2);
        Assert.True(legacy > stats.VirtLines / 50 && legacy < stats.VirtLines / 5, $"{legacy} legacy records of {stats.VirtLines}");
    }

    [Fact]
    public void A_generated_log_holds_every_variant_of_the_schema_and_each_is_typed()
    {
        (byte[] log, LogStatistics stats) = GeneratedLogs.Create(100_000, 1);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using (var reader = new AuditLogReader(new MemoryStream(log)))
        {
            while (reader.Read())
            {
                ref readonly AuditLogItem item = ref reader.Current;
                Assert.True(item.IsRecord, item.Error.ToString());
                if (item.Record.IsVirt)
                {
                    Assert.True(item.Record.IsTyped, item.Record.ToString());
                    seen.Add(item.Record.Virt.Variant!.Name);
                }
            }
        }

        Assert.Equal(VirtAuditSchema.Variants.Select(v => v.Name).Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
        Assert.InRange((double)stats.HexValues / stats.EncodedValues, 0.07, 0.13);
        Assert.InRange((double)stats.VirtLines / stats.Lines, 0.49, 0.51);
    }

    [Theory]
    [InlineData(LogRendering.Journald, AuditRendering.Syslog, false)]
    [InlineData(LogRendering.Syslog, AuditRendering.Syslog, true)]
    [InlineData(LogRendering.Printk, AuditRendering.Printk, true)]
    [InlineData(LogRendering.Interpreted, AuditRendering.Interpreted, true)]
    public void Generated_logs_in_other_renderings_are_read_and_their_libvirt_records_recognized(LogRendering rendering, AuditRendering expected, bool stamped)
    {
        (byte[] log, LogStatistics stats) = GeneratedLogs.Create(5000, 13, rendering: rendering);
        List<ItemCopy> items = ReadAll(log);
        Assert.Equal(stats.Lines, items.Count);
        long records = 0;
        long virt = 0;
        foreach (ItemCopy item in items)
        {
            if (rendering == LogRendering.Interpreted && item.Kind == AuditLogItemKind.Error)
            {
                // ausearch's "----" between events: a line, not a record.
                Assert.True(item.ErrorKind == AuditLogErrorKind.Separator, item.ToString());
                continue;
            }

            Assert.True(item.Kind == AuditLogItemKind.Record, item.ToString());
            records++;
            Assert.Equal(expected, item.Record.Rendering);
            Assert.Equal(stamped, item.Record.HasStamp);
            if (!item.Record.IsVirt)
            {
                continue;
            }

            virt++;
            if (rendering == LogRendering.Interpreted)
            {
                // Values already decoded cannot be typed and re-encoded: recognized and noted, never an error.
                Assert.False(item.Record.IsTyped, item.ToString());
                Assert.True((item.Record.Notes & AuditRecordNotes.Interpreted) != 0, item.ToString());
            }
            else
            {
                Assert.True(item.Record.IsTyped, $"line {item.LineNumber}: {item.Record.Virt.Error}: {item.Record}");
            }
        }

        Assert.Equal(stats.ByType.Values.Sum(), records);
        Assert.Equal(stats.VirtLines, virt);
        Assert.InRange((double)virt / records, 0.45, 0.55);
        Assert.Equal(0, stats.EnrichedLines);
    }

    [Fact]
    public void Generated_logs_group_into_events_interleaved_ones_reported()
    {
        (byte[] log, LogStatistics stats) = GeneratedLogs.Create(20000, 11, interleave: 0.2);
        using var reader = new AuditLogReader(new MemoryStream(log));
        long records = 0;
        int interleaved = 0;
        int multi = 0;
        var completions = new Dictionary<AuditEventCompletion, int>();
        var seen = new HashSet<(long, int, ulong)>();
        long lastFirstLine = 0;
        List<AuditEvent> events = reader.ReadEvents().ToList();
        foreach (AuditEvent auditEvent in events)
        {
            records += auditEvent.Records.Count;
            completions[auditEvent.Completion] = completions.GetValueOrDefault(auditEvent.Completion) + 1;
            Assert.True(auditEvent.Records[0].LineNumber > lastFirstLine);
            lastFirstLine = auditEvent.Records[0].LineNumber;
            Assert.True(seen.Add((auditEvent.Stamp.Seconds, auditEvent.Stamp.Milliseconds, auditEvent.Stamp.Serial)), auditEvent.ToString());
            Assert.All(auditEvent.Records, r => Assert.Equal(auditEvent.Stamp, r.Stamp));
            if (auditEvent.Records.Count > 1)
            {
                multi++;
                Assert.Equal(1300, auditEvent.Records.First(r => r.TypeNumber != 1400).TypeNumber);
            }

            if (auditEvent.Records[0].IsVirt)
            {
                Assert.Single(auditEvent.Records);
                Assert.Equal(AuditEventCompletion.Single, auditEvent.Completion);
            }

            interleaved += (auditEvent.Issues & AuditEventIssues.Interleaved) != 0 ? 1 : 0;
            if (!ReferenceEquals(auditEvent, events[^1]))
            {
                // Only the last event may be cut short by --lines.
                Assert.Equal(AuditEventIssues.None, auditEvent.Issues & ~AuditEventIssues.Interleaved);
            }
        }

        Assert.Equal(stats.Lines, records);
        Assert.True(multi > 1000);
        Assert.True(interleaved > 10, $"interleaved={interleaved}");
        Assert.True(completions[AuditEventCompletion.LastRecord] >= multi - 1);
        Assert.Equal(0, completions.GetValueOrDefault(AuditEventCompletion.Window));
    }

    private static List<string> Fields(in AuditLine line)
    {
        var fields = new List<string>();
        foreach (AuditField field in line.Fields)
        {
            fields.Add((field.IsInner ? "msg." : string.Empty) + Text(field.Name) + "=" + Text(field.Value));
        }

        return fields;
    }

    private static async Task<List<ItemCopy>> ReadAllAsync(Stream stream)
    {
        var items = new List<ItemCopy>();
        await using var reader = new AuditLogReader(stream);
        await foreach (AuditLogItem item in reader.ReadAllAsync())
        {
            items.Add(Copy(item));
        }

        return items;
    }

    private static string Describe(List<ItemCopy> items) =>
        string.Join('\n', items.Select(i => $"{i.Kind} {i.LineNumber} {i.Offset} {i.ErrorKind} {i.Position} {Text(i.Line)} {(i.Kind == AuditLogItemKind.Record ? i.Record.Virt.Variant?.Name + i.Record.Rendering + i.Record.Notes : string.Empty)}"));
}
