using VirtAudit.LogGenerator;
using VirtAudit.Tests.Lines;

namespace VirtAudit.Tests.Reading;

/// <summary>Measurements of memory run alone: other tests allocating meanwhile would blur them.</summary>
[CollectionDefinition(nameof(MemoryMeasurements), DisableParallelization = true)]
public class MemoryMeasurements
{
}

/// <summary>Zero allocations per RAW / ENRICHED record, and flat memory on a large log.</summary>
[Collection(nameof(MemoryMeasurements))]
public class ReaderMemoryTests
{
    [Fact]
    public void Reading_raw_and_enriched_records_allocates_nothing_per_record()
    {
        // The capture (ENRICHED and RAW lines) and a generated RAW log, replayed for as long as the batches need:
        // 2,000 records of warm-up, then up to five batches of 200,000 records, each read in full.
        byte[] capture = File.ReadAllBytes(Corpus.FindFile("libvirt-9.0/audit.log"));
        byte[] generated = GeneratedLogs.Create(5000, 3, LogFormat.Raw).Log;
        byte[] block = [.. capture, .. generated];
        const long Warm = 2000;
        const long Batch = 200_000;

        using var reader = new AuditLogReader(new RepeatingStream(block, long.MaxValue));
        long checksum = Walk(reader, Warm);
        (long measured, int runs) = AllocationProbe.AssertAllocatesNothing($"reading {Batch:N0} RAW and ENRICHED records", () => Walk(reader, Batch));

        Assert.Equal(Warm + (runs * Batch), reader.LinesRead);
        Assert.Equal(0, reader.ErrorsRead);
        Assert.True(measured > 0);
        Assert.Equal(reader.LinesRead, reader.RecordsRead + reader.ErrorsRead);
        Assert.True(checksum > 0);
    }

    [Fact]
    public void Reading_daemon_log_and_virt_launcher_records_allocates_nothing_per_record()
    {
        // libvirt's own log (other lines skipped) and KubeVirt's JSON log (escapes decoded into the reader's pooled
        // scratch, each message joined with its failed send), replayed: 2,000 records of warm-up, then up to five
        // batches of 100,000 records, each typed, with its daemon information read.
        byte[] block =
        [
            .. File.ReadAllBytes(DaemonLogTests.DaemonFile("libvirtd.log")),
            .. File.ReadAllBytes(DaemonLogTests.DaemonFile("virt-launcher.log")),
        ];
        const long Warm = 2000;
        const long Batch = 100_000;

        using var reader = new AuditLogReader(new RepeatingStream(block, long.MaxValue));
        long checksum = WalkDaemon(reader, Warm);
        (long allocated, long measured, int runs) = AllocationProbe.Measure(() => WalkDaemon(reader, Batch));

        Assert.True(allocated == 0, $"reading daemon log records allocated {allocated} bytes in the best of {runs} batches");
        Assert.Equal(Warm + (runs * Batch), reader.RecordsRead);
        Assert.Equal(0, reader.ErrorsRead);
        Assert.True(reader.LinesSkipped > 0 && reader.LinesJoined > 0);
        Assert.True(measured > 0 && checksum > 0);
    }

    [Fact]
    public void Memory_stays_flat_on_a_log_of_hundreds_of_megabytes()
    {
        // 300 MB of generated log (RAW and ENRICHED, every VIRT variant), replayed from a 30 MB block.
        byte[] block = GeneratedLogs.Create(100_000, 5).Log;
        long total = 10L * block.Length;
        using var reader = new AuditLogReader(new RepeatingStream(block, total));
        int capacity = reader.BufferCapacity;
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long typed = 0;
        int grew = 0;
        while (reader.Read())
        {
            ref readonly AuditLogItem item = ref reader.Current;
            typed += item.Record.IsTyped ? 1 : 0;
            grew += reader.BufferCapacity != capacity ? 1 : 0;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        long heapAfter = GC.GetTotalMemory(forceFullCollection: true);

        Assert.Equal(0, grew);
        Assert.Equal(total, reader.BytesRead);
        Assert.Equal(0, reader.ErrorsRead);
        Assert.True(typed > 400_000);

        // Measured: about 15 KB in all (the runtime's own, while methods are promoted). One allocation per record
        // would be at least 24 bytes x 1,000,000 lines.
        Assert.Equal(1_000_000, reader.LinesRead);
        Assert.True(allocated < 256 * 1024, $"allocated {allocated} bytes");
        Assert.True(heapAfter - heapBefore < 8 * 1024 * 1024, $"heap grew by {heapAfter - heapBefore} bytes");
    }

    private static long Walk(AuditLogReader reader, long records)
    {
        long checksum = 0;
        Span<byte> scratch = stackalloc byte[512];
        for (long i = 0; i < records && reader.Read(); i++)
        {
            ref readonly AuditLogItem item = ref reader.Current;
            if (!item.IsRecord)
            {
                checksum -= 1_000_000;
                continue;
            }

            AuditLogRecord record = item.Record;
            checksum += record.TypeNumber + record.Stamp.Milliseconds + (long)record.Rendering + record.Bytes.Length;
            foreach (AuditField field in record.Fields)
            {
                checksum += field.Value.Length;
                if (field.IsEncoded && record.Line.TryGetInterpretedValue(field, scratch, out int written))
                {
                    checksum += written;
                }
            }

            foreach (AuditField field in record.EnrichmentFields)
            {
                checksum += field.Name.Length;
            }

            if (record.IsTyped && record.TryGet(out VirtResourceDisk disk))
            {
                checksum += disk.NewDisk.GetDecodedLength();
            }
        }

        return checksum;
    }

    private static long WalkDaemon(AuditLogReader reader, long records)
    {
        long checksum = 0;
        for (long i = 0; i < records && reader.Read(); i++)
        {
            AuditLogRecord record = reader.Current.Record;
            Assert.True(record.IsTyped);
            DaemonLogInfo daemon = record.DaemonLog;
            checksum += record.TypeNumber + record.Line.Message.Length + daemon.Caller.Length + daemon.Thread.Length + daemon.SourceLine;
            checksum += (daemon.Success == true ? 1 : 0) + (daemon.IsNotSent ? daemon.SendFailure.Reason.Length : 0);
            checksum += daemon.TryGetTime(out DateTimeOffset time) ? time.Millisecond : -1_000_000;
            foreach (AuditField field in record.Fields)
            {
                checksum += field.Value.Length;
            }
        }

        return checksum;
    }
}
