using System.Diagnostics;
using System.Reflection;
using System.Text;
using Xunit.Abstractions;

namespace VirtAudit.IntegrationTests;

/// <summary>
/// Records sent through <see cref="KernelAuditSink"/> reach auditd's log as libvirt's do: typed back by our reader,
/// found by ausearch, none lost under load; and each <see cref="AuditLevel"/> against a kernel that refuses.
/// </summary>
[Collection(AuditdCollection.Name)]
public sealed class KernelAuditTests
{
    private const string VirtTypes = "VIRT_CONTROL,VIRT_RESOURCE,VIRT_MACHINE_ID";
    private static readonly Guid Uuid = Guid.Parse("0d6a37c2-91f4-4b8e-a5d3-7c2e1f9b8a64");

    private readonly AuditdFixture _auditd;
    private readonly ITestOutputHelper _output;

    public KernelAuditTests(AuditdFixture auditd, ITestOutputHelper output)
    {
        _auditd = auditd;
        _output = output;
        foreach (string note in auditd.Notes)
        {
            output.WriteLine(note);
        }
    }

    [SkippableFact]
    public void One_record_of_every_variant_reaches_auditds_log_typed_as_sent_and_ausearch_finds_each()
    {
        Skip.If(_auditd.SkipReason is not null, _auditd.SkipReason);
        long from = LogLength();
        var sent = new List<(string Variant, string Payload, bool Success, Func<AuditLogRecord, bool> Matches)>();
        using (var emitter = AuditEmitter.Create(new VirtAuditOptions { AuditLevel = AuditLevel.Required }))
        {
            Assert.IsType<KernelAuditSink>(emitter.Sink);
            foreach (VirtAuditRecord record in Samples())
            {
                var send = typeof(KernelAuditTests).GetMethod(nameof(Send), BindingFlags.NonPublic | BindingFlags.Static)!
                    .MakeGenericMethod(TypeOf(record.Variant!));
                sent.Add(((string, string, bool, Func<AuditLogRecord, bool>))send.Invoke(null, new object[] { emitter, record })!);
            }
        }

        var notCovered = VirtAuditRegistry.Default.Variants.Where(v => !v.IsLegacy).Select(v => v.Name).Except(sent.Select(s => s.Variant)).ToList();
        Assert.True(notCovered.Count == 0, "variants not sent: " + string.Join(", ", notCovered));
        Assert.Contains(sent, s => s.Payload.Contains("vm=61756469742D766D3220227465737422 ", StringComparison.Ordinal));

        List<AuditLogRecord> logged = WaitForOurRecords(from, Environment.ProcessId, sent.Count);
        for (int i = 0; i < sent.Count; i++)
        {
            AuditLogRecord record = logged[i];
            Assert.True(record.IsTyped, $"{sent[i].Variant}: {record.Virt.Error} in {record}");
            Assert.True(sent[i].Matches(record), $"{sent[i].Variant}: sent {sent[i].Payload}, logged {record}");
            Assert.Equal(sent[i].Success, record.Virt.Trailer.Success);
            Assert.Equal(Environment.ProcessPath, record.Virt.Trailer.Exe.ToString());
            Assert.Equal(0, (int)record.Virt.Legacy);
        }

        string found = AuditdFixture.Run("ausearch", "-if", _auditd.LogPath, "-m", VirtTypes, "--raw", "-p", Environment.ProcessId.ToString());
        string[] lines = found.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains(" msg=audit(", StringComparison.Ordinal)).ToArray();
        foreach (var (variant, payload, _, _) in sent)
        {
            Assert.True(lines.Any(l => l.Contains("msg='" + payload + " exe=", StringComparison.Ordinal)), $"ausearch did not find the {variant} record: {payload}");
        }

        _output.WriteLine($"{sent.Count} records of {sent.Select(s => s.Variant).Distinct().Count()} variants sent, typed back and found by ausearch");
    }

    [SkippableFact]
    public void A_hundred_thousand_records_all_reach_the_log()
    {
        Skip.If(_auditd.SkipReason is not null, _auditd.SkipReason);
        const int Count = 100_000;
        long from = LogLength();
        long lostBefore = AuditdFixture.Status()["lost"];
        var flood = new VirtControl { Virt = VirtType.Kvm, Op = VirtOp.Start, Reason = VirtControlReason.Booted, Vm = "flood", Uuid = Uuid, VmPid = 0 };
        var clock = Stopwatch.StartNew();
        using (var emitter = AuditEmitter.Create(new VirtAuditOptions { AuditLevel = AuditLevel.Required }))
        {
            for (int i = 0; i < Count; i++)
            {
                AuditSendResult result = emitter.Emit(flood with { VmPid = i });
                Assert.True(result.IsSuccess, result.Reason);
            }
        }

        TimeSpan sending = clock.Elapsed;
        List<AuditLogRecord> logged = WaitForOurRecords(from, Environment.ProcessId, Count);
        TimeSpan logged_ = clock.Elapsed;
        long lost = AuditdFixture.Status()["lost"] - lostBefore;

        var pids = new bool[Count];
        foreach (AuditLogRecord record in logged)
        {
            Assert.True(record.TryGet(out VirtControl start), record.ToString());
            pids[(int)start.VmPid!.Value] = true;
        }

        Assert.All(pids, seen => Assert.True(seen));
        Assert.Equal(0, lost);
        _output.WriteLine(
            $"{Count} records sent in {sending.TotalSeconds:F2} s ({Count / sending.TotalSeconds:F0} records/s, each ACKed); " +
            $"all {Count} in auditd's log after {logged_.TotalSeconds:F2} s ({Count / logged_.TotalSeconds:F0} records/s end to end); " +
            $"kernel lost {lost}; backlog_limit {AuditdFixture.Backlog}");
    }

    [SkippableFact]
    public void Sending_to_the_kernel_allocates_nothing_per_record()
    {
        Skip.If(_auditd.SkipReason is not null, _auditd.SkipReason);
        const int Records = 200;
        long from = LogLength();
        var stop = new VirtControl { Virt = VirtType.Kvm, Op = VirtOp.Stop, Reason = VirtControlReason.Shutdown, Vm = "alloc", Uuid = Uuid, VmPid = 0 };
        var disk = new VirtResourceDisk { Virt = VirtType.Kvm, Reason = VirtResourceReason.Detach, Vm = "alloc", Uuid = Uuid, OldDisk = "/var/lib/a b.qcow2", NewDisk = null };
        using var emitter = AuditEmitter.Create(new VirtAuditOptions { AuditLevel = AuditLevel.Required });
        emitter.Emit(stop);
        emitter.Emit(disk, success: false);

        var (allocated, sent, runs) = VirtAudit.Tests.AllocationProbe.Measure(() =>
        {
            long ok = 0;
            for (int i = 0; i < Records; i++)
            {
                ok += emitter.Emit(stop).IsSuccess ? 1 : 0;
                ok += emitter.Emit(disk, success: false).IsSuccess ? 1 : 0;
            }

            return ok;
        });

        Assert.Equal(0, allocated);
        Assert.Equal(runs * 2 * Records, sent);
        Assert.Equal(2 + runs * 2 * Records, WaitForOurRecords(from, Environment.ProcessId, 2 + runs * 2 * Records).Count);
    }

    [SkippableFact]
    public void Virtaudit_emit_to_kernel_puts_a_record_into_the_log_that_ausearch_finds()
    {
        Skip.If(_auditd.SkipReason is not null, _auditd.SkipReason);
        long from = LogLength();
        var (code, stdout, stderr, pid) = Cli(withoutAuditWrite: false, "--to", "kernel");
        Assert.True(code == 0, stderr);
        Assert.StartsWith("virt=kvm op=start reason=booted vm=\"rhel9\" ", stdout);

        AuditLogRecord record = Assert.Single(WaitForOurRecords(from, pid, 1));
        Assert.True(record.TryGet(out VirtControl start));
        Assert.Equal(4242, start.VmPid);
        string found = AuditdFixture.Run("ausearch", "-if", _auditd.LogPath, "-m", VirtTypes, "--raw", "-p", pid.ToString());
        Assert.Contains("vm-pid=4242 exe=", found);
    }

    [SkippableTheory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Each_audit_level_against_a_kernel_that_refuses(int level)
    {
        Skip.If(_auditd.SkipReason is not null, _auditd.SkipReason);
        Skip.If(!File.Exists("/usr/bin/setpriv"), "needs setpriv (util-linux) to run a child without CAP_AUDIT_WRITE");
        long from = LogLength();

        var (code, _, stderr, pid) = Cli(withoutAuditWrite: true, "--to", "kernel", "--audit-level", level.ToString(), "--audit-logging", "--repeat", "3");
        _output.WriteLine(stderr);
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        const string Refused = "Operation not permitted (EPERM): this process lacks CAP_AUDIT_WRITE (rootless or containerized)";
        switch (level)
        {
            case 0:
                Assert.Equal(0, code);
                Assert.Equal(3, lines.Count(l => l.Contains(": info : virtaudit.emit:0 : success=yes virt=kvm op=start", StringComparison.Ordinal)));
                Assert.DoesNotContain(lines, l => l.Contains("EPERM", StringComparison.Ordinal));
                break;
            case 1:
                Assert.Equal(0, code);
                string once = Assert.Single(lines, l => l.Contains("EPERM", StringComparison.Ordinal));
                Assert.Contains(": warning : ", once);
                Assert.EndsWith("The kernel audit subsystem refuses this process, records are not sent to it (AuditLevel 1): " + Refused, once);
                Assert.Equal(3, lines.Count(l => l.Contains(": info : virtaudit.emit:0 : success=yes virt=kvm op=start", StringComparison.Ordinal)));
                break;
            default:
                Assert.Equal(1, code);
                Assert.Equal("virtaudit: emit: The kernel audit subsystem is unavailable: " + Refused + " (--audit-level 2)", Assert.Single(lines));
                break;
        }

        // Nothing from the child reached the kernel: a record of ours sent after it shows the log is up to date.
        using (var marker = AuditEmitter.Create(new VirtAuditOptions { AuditLevel = AuditLevel.Required }))
        {
            marker.Emit(new VirtControl { Virt = VirtType.Kvm, Op = VirtOp.Stop, Reason = VirtControlReason.Shutdown, Vm = "marker", Uuid = Uuid, VmPid = 0 });
        }

        WaitForOurRecords(from, Environment.ProcessId, 1);
        Assert.Empty(ReadRecords(from, pid));
    }

    private static (string Variant, string Payload, bool Success, Func<AuditLogRecord, bool> Matches) Send<T>(AuditEmitter emitter, VirtAuditRecord source)
        where T : struct, IVirtAuditVariant<T>
    {
        T record = source.Get<T>();
        AuditSendResult result = emitter.Emit(record, source.Trailer.Success);
        Assert.True(result.IsSuccess, result.Reason);
        var payload = new System.Buffers.ArrayBufferWriter<byte>();
        record.WriteTo(payload);
        return (T.Variant.Name, Encoding.UTF8.GetString(payload.WrittenSpan), source.Trailer.Success, logged => logged.TryGet(out T back) && back.Equals(record));
    }

    /// <summary>
    /// The first record of each current variant in the real capture (corpus/libvirt-9.0/audit.log), the variants it
    /// lacks (hostdev, tpm, evdev, tpm-external), and names that need hex (a space and quotes; a non-ASCII byte).
    /// </summary>
    private static IEnumerable<VirtAuditRecord> Samples()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using (var reader = AuditLogReader.Open(Path.Combine(AppContext.BaseDirectory, "corpus", "audit.log")))
        {
            while (reader.Read())
            {
                if (reader.Current.IsRecord && reader.Current.Record.IsTyped && !reader.Current.Record.Virt.Variant!.IsLegacy
                    && seen.Add(reader.Current.Record.Virt.Variant.Name))
                {
                    yield return Own(reader.Current.Record.Virt);
                }
            }
        }

        string uuid = Uuid.ToString();
        yield return Parse(2501, $"virt=lxc resrc=hostdev reason=attach vm=\"ct1\" uuid={uuid} disk=\"/dev/sdb\" exe=\"/x\" hostname=? addr=? terminal=? res=success");
        yield return Parse(2501, $"virt=kvm resrc=tpm reason=start vm=\"tpm-guest\" uuid={uuid} device=\"/dev/tpm0\" exe=\"/x\" hostname=? addr=? terminal=? res=success");
        yield return Parse(2501, $"virt=kvm resrc=evdev reason=attach vm=\"input-guest\" uuid={uuid} path=/dev/input/event3 exe=\"/x\" hostname=? addr=? terminal=? res=failed");
        yield return Parse(2501, $"virt=kvm resrc=tpm-external reason=start vm=\"tpm-guest\" uuid={uuid} device=\"/run/swtpm/sock\" exe=\"/x\" hostname=? addr=? terminal=? res=success");
        yield return Parse(2500, $"virt=kvm op=start reason=booted vm=61756469742D766D3220227465737422 uuid={uuid} vm-pid=7 exe=\"/x\" hostname=? addr=? terminal=? res=failed");
        yield return Parse(2502, $"virt=kvm vm=67C3A47374 uuid={uuid} vm-ctx=+0:+0 img-ctx=+0:+0 model=dac exe=\"/x\" hostname=? addr=? terminal=? res=success");
    }

    private static VirtAuditRecord Own(VirtAuditRecord record) => VirtAuditRegistry.Default.Parse(record.RecordNumber, record.Message.ToArray());

    private static VirtAuditRecord Parse(int type, string message)
    {
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(type, Encoding.UTF8.GetBytes(message));
        Assert.True(record.IsTyped, record.Error);
        return record;
    }

    private static Type TypeOf(VirtAuditVariantInfo variant) => typeof(VirtControl).Assembly.GetType("VirtAudit." + variant.Name, throwOnError: true)!;

    private long LogLength() => File.Exists(_auditd.LogPath) ? new FileInfo(_auditd.LogPath).Length : 0;

    private List<AuditLogRecord> WaitForOurRecords(long from, int pid, int count) =>
        AuditdFixture.WaitFor(() => ReadRecords(from, pid), r => r.Count >= count, TimeSpan.FromSeconds(30), $"{count} records of pid {pid} in {_auditd.LogPath}");

    private List<AuditLogRecord> ReadRecords(long from, int pid)
    {
        var records = new List<AuditLogRecord>();
        if (!File.Exists(_auditd.LogPath))
        {
            return records;
        }

        using var stream = new FileStream(_auditd.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(from, SeekOrigin.Begin);
        using var reader = new AuditLogReader(stream);
        while (reader.Read())
        {
            if (reader.Current.IsRecord && reader.Current.Record.IsVirt && reader.Current.Record.Line.KernelHeader.Pid == pid)
            {
                records.Add(reader.Current.Record.ToOwned());
            }
        }

        return records;
    }

    private static (int Code, string Out, string Err, int Pid) Cli(bool withoutAuditWrite, params string[] extra)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? Environment.ProcessPath!;
        string cli = typeof(VirtAudit.Cli.Program).Assembly.Location;
        var args = new List<string>();
        if (withoutAuditWrite)
        {
            args.AddRange(new[] { "--inh-caps=-all", "--bounding-set=-audit_write", "--", dotnet });
        }

        args.AddRange(new[] { cli, "emit", "control", "--virt", "kvm", "--op", "start", "--reason", "booted", "--vm", "rhel9", "--uuid", Uuid.ToString(), "--vm-pid", "4242" });
        args.AddRange(extra);
        return AuditdFixture.Run(withoutAuditWrite ? "/usr/bin/setpriv" : dotnet, args.ToArray(), expectSuccess: false);
    }
}
