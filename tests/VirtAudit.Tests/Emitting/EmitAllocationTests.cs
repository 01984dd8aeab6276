namespace VirtAudit.Tests.Emitting;

/// <summary>Emitting allocates nothing per record on the file and kernel paths (logging off).</summary>
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

    [SkippableFact]
    public void Emitting_to_the_kernel_allocates_nothing_per_record()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new SkipException("the kernel audit subsystem exists only on Linux");
        }

        Skip.IfNot(KernelAuditSink.TryOpen(out KernelAuditSink? sink, out AuditSendResult failure), "needs CAP_AUDIT_WRITE and a kernel with audit: " + failure.Reason);
        Skip.If(sink.KernelAuditEnabled, "kernel auditing is on: this unit test does not write records into the system's audit log (the integration tests do)");

        // With auditing off the kernel checks and ACKs every message and discards it: the whole path runs.
        using var emitter = new AuditEmitter(sink, identity: EmitSamples.Identity);
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
