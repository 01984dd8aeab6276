using System.Diagnostics;
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
        // The capture (ENRICHED and RAW lines) and a generated RAW log, 40 times over: about 1.2 M records.
        byte[] capture = File.ReadAllBytes(Corpus.FindFile("libvirt-9.0/audit.log"));
        // gen_corpus's pre-3.4 shmem records say source= where libvirt wrote server=: they stay untyped, and the
        // registry's reason text for that allocates. Leave them out here.
        string raw = Corpus.Text(GenCorpus.Run(5000, 3, "--format", "raw").Log);
        byte[] generated = Corpus.Bytes(string.Concat(raw.Split('\n').Where(l => l.Length > 0 && !l.Contains(" source=", StringComparison.Ordinal)).Select(l => l + "\n")));
        byte[] block = [.. capture, .. generated];
        long total = (long)block.Length * 40;

        using var reader = new AuditLogReader(new RepeatingStream(block, total));
        long checksum = Walk(reader, 2000);
        (long allocated, long measured, _) = AllocationProbe.Measure(() => Walk(reader, 200_000));

        Assert.Equal(0, allocated);
        Assert.True(reader.RecordsRead >= 202_000);
        checksum += measured;
        Assert.Equal(reader.LinesRead, reader.RecordsRead + reader.ErrorsRead);
        Assert.True(checksum > 0);
    }

    [Fact]
    public void Memory_stays_flat_on_a_log_of_hundreds_of_megabytes()
    {
        // 300 MB of generated log (RAW and ENRICHED, every VIRT variant), replayed from a 30 MB block.
        byte[] block = GenCorpus.Run(100_000, 5).Log;
        long total = 10L * block.Length;
        var stopwatch = Stopwatch.StartNew();
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
        stopwatch.Stop();

        Assert.Equal(0, grew);
        Assert.Equal(total, reader.BytesRead);
        Assert.Equal(0, reader.ErrorsRead);
        Assert.True(typed > 400_000);

        // A few hundred bytes per untyped record (the registry's error text): gen_corpus's shmem source= records.
        Assert.True(allocated < 4 * 1024 * 1024, $"allocated {allocated} bytes");
        Assert.True(heapAfter - heapBefore < 8 * 1024 * 1024, $"heap grew by {heapAfter - heapBefore} bytes");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(60), $"took {stopwatch.Elapsed}");
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
}
