namespace VirtAudit.Tests.Emitting;

/// <summary>
/// Emitting allocates nothing per record on the file and writer paths (logging off); the kernel path is measured in
/// VirtAudit.IntegrationTests, against a private auditd, so that no unit test writes into a system's audit log.
/// </summary>
public class EmitAllocationTests
{
    private const int Records = 200;

    [Fact]
    public void Emitting_to_a_file_allocates_nothing_per_record()
    {
        string path = Path.Combine(Path.GetTempPath(), "virtaudit-alloc-" + Guid.NewGuid().ToString("N") + ".log");
        try
        {
            using var emitter = new AuditEmitter(new AuditLogFileSink(path), identity: EmitSamples.Identity);
            Assert.Equal(0, AssertNoAllocation(emitter));
            Assert.True(new FileInfo(path).Length > Records * 100);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Emitting_to_a_text_writer_line_allocates_nothing_per_record()
    {
        using var emitter = new AuditEmitter(new TextWriterAuditSink(TextWriter.Null, AuditTextForm.EnrichedLine), identity: EmitSamples.Identity);
        Assert.Equal(0, AssertNoAllocation(emitter));
    }

    private static long AssertNoAllocation(AuditEmitter emitter)
    {
        VirtControl start = EmitSamples.Start();
        VirtResourceDisk disk = EmitSamples.Disk();
        emitter.Emit(start);
        emitter.Emit(disk, success: false);
        var (allocated, sum, _) = AllocationProbe.Measure(() =>
        {
            long ok = 0;
            for (int i = 0; i < Records; i++)
            {
                ok += emitter.Emit(start).IsSuccess ? 1 : 0;
                ok += emitter.Emit(disk, success: false).IsSuccess ? 1 : 0;
            }

            return ok;
        });
        Assert.True(sum >= 2 * Records, $"only {sum} records were sent");
        return allocated;
    }
}
