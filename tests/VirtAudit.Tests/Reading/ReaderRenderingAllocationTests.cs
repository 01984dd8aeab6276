using System.IO.Compression;
using System.Text;
using VirtAudit.LogGenerator;

namespace VirtAudit.Tests.Reading;

/// <summary>
/// Zero bytes allocated per record on every path the reader takes: each rendering of audit.log (RAW, ENRICHED,
/// syslog, RFC 5424, journald, printk, <c>ausearch -i</c>), libvirt's daemon log, KubeVirt's JSON log, and a gzip file.
/// Each record is read, its fields enumerated, its VIRT payload typed, taken with <c>TryGet</c> and re-encoded: the
/// typed struct the reader kept is used, and nothing of it allocates.
/// </summary>
[Collection(nameof(MemoryMeasurements))]
public class ReaderRenderingAllocationTests
{
    private const long Warm = 3000;
    private const long Batch = 30_000;

    public static TheoryData<string> Renderings() =>
        ["raw", "enriched", "syslog", "rfc5424", "journald", "printk", "interpreted", "libvirtd", "virt-launcher"];

    [Theory]
    [MemberData(nameof(Renderings))]
    public void Reading_a_rendering_allocates_nothing_per_record(string rendering)
    {
        (byte[] block, AuditRendering expected) = Block(rendering);
        using var reader = new AuditLogReader(new RepeatingStream(block, long.MaxValue));
        var seen = new Seen();
        Walk(reader, Warm, seen);
        (long sum, int runs) = AllocationProbe.AssertAllocatesNothing($"reading {Batch:N0} {rendering} records", () => Walk(reader, Batch, seen));

        Assert.True(sum > 0);
        Assert.True(seen.Records >= Warm + (runs * Batch) - seen.Errors, $"{seen.Records} records");
        Assert.True((seen.Renderings & (1 << (int)expected)) != 0, $"no {expected} record was read");
        Assert.Equal(reader.LinesRead, reader.RecordsRead + reader.ErrorsRead + reader.LinesSkipped + reader.LinesJoined);
        if (rendering != "interpreted")
        {
            Assert.True(seen.Typed > 0 && seen.Reencoded > 0, $"{seen.Typed} typed, {seen.Reencoded} re-encoded");
        }
    }

    [Fact]
    public void Reading_a_gzip_file_allocates_nothing_per_record()
    {
        // One gzip member of a generated log of 150,000 lines (what logrotate writes), read through AuditLogReader.Open.
        byte[] log = GeneratedLogs.Create(150_000, 11).Log;
        string path = Path.Combine(Path.GetTempPath(), $"virtaudit-alloc-{Guid.NewGuid():N}.log.gz");
        try
        {
            using (FileStream file = File.Create(path))
            using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            {
                gzip.Write(log);
            }

            using AuditLogReader reader = AuditLogReader.Open(path);
            var seen = new Seen();
            Walk(reader, Warm, seen);
            (long sum, int runs) = AllocationProbe.AssertAllocatesNothing("reading 30,000 records of a gzip file", () => Walk(reader, Batch, seen));

            Assert.True(sum > 0 && seen.Typed > 0);
            Assert.Equal(Warm + (runs * Batch), reader.LinesRead);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (byte[] Block, AuditRendering Expected) Block(string rendering)
    {
        switch (rendering)
        {
            case "raw": return (GeneratedLogs.Create(20_000, 3, LogFormat.Raw).Log, AuditRendering.Raw);
            case "enriched": return (GeneratedLogs.Create(20_000, 4, LogFormat.Enriched).Log, AuditRendering.Enriched);
            case "syslog": return (GeneratedLogs.Create(20_000, 5, rendering: LogRendering.Syslog).Log, AuditRendering.Syslog);
            case "journald": return (GeneratedLogs.Create(20_000, 6, rendering: LogRendering.Journald).Log, AuditRendering.Syslog);
            case "printk": return (GeneratedLogs.Create(20_000, 7, rendering: LogRendering.Printk).Log, AuditRendering.Printk);
            case "interpreted": return (GeneratedLogs.Create(20_000, 8, rendering: LogRendering.Interpreted).Log, AuditRendering.Interpreted);
            case "rfc5424":
                // auditd's RAW lines forwarded by a syslog daemon in RFC 5424 form.
                var lines = new StringBuilder();
                foreach (string line in Encoding.UTF8.GetString(GeneratedLogs.Create(20_000, 9, LogFormat.Raw).Log).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    lines.Append("<14>1 2024-05-12T12:48:00.123456+02:00 kvmhost01 audisp-syslog 812 - - ").Append(line).Append('\n');
                }

                return (Encoding.UTF8.GetBytes(lines.ToString()), AuditRendering.Syslog);
            case "libvirtd": return (File.ReadAllBytes(DaemonLogTests.DaemonFile("libvirtd.log")), AuditRendering.LibvirtLog);
            default: return (File.ReadAllBytes(DaemonLogTests.DaemonFile("virt-launcher.log")), AuditRendering.KubeVirtLog);
        }
    }

    private static long Walk(AuditLogReader reader, long items, Seen seen)
    {
        long checksum = 0;
        Span<byte> scratch = stackalloc byte[AuditLimits.MaxMessageLength * 2];
        for (long i = 0; i < items && reader.Read(); i++)
        {
            ref readonly AuditLogItem item = ref reader.Current;
            if (!item.IsRecord)
            {
                seen.Errors++;
                checksum += item.Error.Position + 1;
                continue;
            }

            ref readonly AuditLogRecord record = ref item.Record;
            seen.Records++;
            seen.Renderings |= 1 << (int)record.Rendering;
            checksum += record.TypeNumber + record.Bytes.Length + record.Line.Message.Length + record.Origin.Length;
            foreach (AuditField field in record.Fields)
            {
                checksum += field.Value.Length;
            }

            ref readonly VirtAuditRecord virt = ref record.Virt;
            if (!virt.IsTyped)
            {
                continue;
            }

            seen.Typed++;
            checksum += virt.Trailer.Exe.Token.Length;
            if (record.TryGet(out VirtResourceDisk disk))
            {
                checksum += disk.Vm.Token.Length + 1;
            }
            else if (record.TryGet(out VirtControl control))
            {
                checksum += control.Vm.Token.Length + 1;
            }

            if (virt.TryReencode(scratch, out int written))
            {
                seen.Reencoded++;
                checksum += written;
            }
        }

        return checksum;
    }

    private sealed class Seen
    {
        public long Records;
        public long Errors;
        public long Typed;
        public long Reencoded;
        public int Renderings;
    }
}
