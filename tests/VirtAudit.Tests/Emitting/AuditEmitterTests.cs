using System.Text;
using Microsoft.Extensions.Logging;

namespace VirtAudit.Tests.Emitting;

public class AuditEmitterTests
{
    private const string StartPayload = "virt=kvm op=start reason=booted vm=\"rhel9\" uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 vm-pid=4242";
    private const string Trailer = " exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=";

    [Fact]
    public void A_record_reaches_the_sink_with_its_type_and_libaudits_trailer()
    {
        var sink = new MemoryAuditSink();
        using var emitter = new AuditEmitter(sink, identity: EmitSamples.Identity);

        Assert.True(emitter.Emit(EmitSamples.Start()).IsSuccess);
        Assert.True(emitter.Emit(EmitSamples.Disk(), success: false).IsSuccess);
        Assert.True(emitter.Emit(EmitSamples.MachineId()).IsSuccess);

        var sent = sink.Messages;
        Assert.Equal(new[] { 2500, 2501, 2502 }, sent.Select(m => m.RecordType));
        Assert.Equal(StartPayload + Trailer + "success", sent[0].Text);
        Assert.EndsWith(Trailer + "failed", sent[1].Text);
        Assert.Contains("new-disk=2F7661722F6C69622F6C6962766972742F696D616765732F7268656C3920646174612E71636F7732 ", sent[1].Text);
        Assert.True(sent[1].Parse().TryGet(out VirtResourceDisk disk));
        Assert.Equal("/var/lib/libvirt/images/rhel9 data.qcow2", disk.NewDisk.ToString());
        Assert.False(sent[1].Parse().Trailer.Success);
        Assert.Equal(EmitSamples.MachineId(), sent[2].Parse().Get<VirtMachineId>());
    }

    [Fact]
    public void A_record_libvirt_could_not_write_is_refused_with_the_field_named_and_nothing_is_sent_or_logged()
    {
        var sink = new MemoryAuditSink();
        var logger = new ListLogger();
        using var emitter = new AuditEmitter(sink, logger, auditLogging: true, EmitSamples.Identity);
        var initOnKvmStart = EmitSamples.Start() with { InitPid = 17 };

        var error = Assert.Throws<AuditFormatException>(() => emitter.Emit(initOnKvmStart));

        Assert.Contains("init-pid", error.Message);
        Assert.Empty(sink.Messages);
        Assert.Empty(logger.Entries);
    }

    [Fact]
    public void Audit_logging_logs_every_message_as_libvirt_does_information_for_success_warning_for_failure()
    {
        var logger = new ListLogger();
        using var emitter = new AuditEmitter(new MemoryAuditSink(), logger, auditLogging: true, EmitSamples.Identity);

        emitter.Emit(EmitSamples.Start());
        emitter.Emit(EmitSamples.Start(), success: false);

        Assert.Equal(
            new[] { (LogLevel.Information, "success=yes " + StartPayload), (LogLevel.Warning, "success=no " + StartPayload) },
            logger.Entries.Select(e => (e.Level, e.Message)));
    }

    [Fact]
    public void Without_audit_logging_nothing_is_logged_but_a_failed_send_always_is()
    {
        var sink = new MemoryAuditSink();
        var logger = new ListLogger();
        using var emitter = new AuditEmitter(sink, logger, auditLogging: false, EmitSamples.Identity);

        emitter.Emit(EmitSamples.Start());
        Assert.Empty(logger.Entries);

        sink.Failure = AuditSendResult.FromErrno(1);
        AuditSendResult result = emitter.Emit(EmitSamples.Start());

        Assert.Equal(AuditSendError.PermissionDenied, result.Error);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal(
            "Failed to send audit message " + StartPayload + ": Operation not permitted (EPERM): this process lacks CAP_AUDIT_WRITE (rootless or containerized)",
            entry.Message);
    }

    [Fact]
    public void With_audit_logging_a_failed_send_gives_the_success_line_then_the_failure_line()
    {
        var sink = new MemoryAuditSink { Failure = AuditSendResult.FromErrno(111) };
        var logger = new ListLogger();
        using var emitter = new AuditEmitter(sink, logger, auditLogging: true, EmitSamples.Identity);

        emitter.Emit(EmitSamples.Start());

        Assert.Equal(
            new[]
            {
                "success=yes " + StartPayload,
                "Failed to send audit message " + StartPayload + ": Connection refused (ECONNREFUSED): the kernel has no audit support, or this process is in a user namespace other than the initial one",
            },
            logger.Entries.Select(e => e.Message));
    }

    [Fact]
    public void Without_a_sink_records_are_only_logged_and_reported_not_sent()
    {
        var logger = new ListLogger();
        using var emitter = new AuditEmitter(null, logger, auditLogging: true, EmitSamples.Identity);

        AuditSendResult result = emitter.Emit(EmitSamples.Start());

        Assert.Equal(AuditSendError.NotSent, result.Error);
        Assert.Equal("success=yes " + StartPayload, Assert.Single(logger.Entries).Message);
    }

    [Fact]
    public void Level_disabled_never_opens_the_kernel_socket()
    {
        var logger = new ListLogger();
        using var emitter = AuditEmitter.Create(new VirtAuditOptions { AuditLevel = AuditLevel.Disabled, AuditLogging = true }, logger);

        Assert.Null(emitter.Sink);
        Assert.Equal(AuditSendError.NotSent, emitter.Emit(EmitSamples.Start()).Error);
        Assert.StartsWith("success=yes ", Assert.Single(logger.Entries).Message);
    }

    [Fact]
    public void An_undefined_level_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => AuditEmitter.Create(new VirtAuditOptions { AuditLevel = (AuditLevel)3 }));
        Assert.Contains("0 (Disabled), 1 (IfAvailable) or 2 (Required)", error.Message);
    }

    [Fact]
    public void Emitting_from_many_threads_keeps_every_message_whole()
    {
        var sink = new MemoryAuditSink();
        using var emitter = new AuditEmitter(sink, identity: EmitSamples.Identity);

        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            if (i % 2 == 0)
            {
                emitter.Emit(EmitSamples.Start("vm-" + i));
            }
            else
            {
                emitter.Emit(EmitSamples.Disk("vm-" + i), success: false);
            }
        });

        var sent = sink.Messages;
        Assert.Equal(4000, sent.Count);
        var names = new HashSet<string>();
        foreach (var message in sent)
        {
            VirtAuditRecord record = message.Parse();
            Assert.True(record.IsTyped, message.Text);
            int i = int.Parse(message.Text.Split("vm=\"vm-")[1].Split('"')[0]);
            Assert.Equal(i % 2 == 0 ? 2500 : 2501, message.RecordType);
            Assert.Equal(i % 2 == 0, record.Trailer.Success);
            names.Add("vm-" + i);
        }

        Assert.Equal(4000, names.Count);
    }

    [Fact]
    public void A_payload_longer_than_libaudits_buffer_is_cut_as_snprintf_cuts_it()
    {
        var sink = new MemoryAuditSink();
        using var emitter = new AuditEmitter(sink, identity: EmitSamples.Identity);
        var disk = EmitSamples.Disk() with { NewDisk = "/" + new string('a', 9000) };

        emitter.Emit(disk);

        var text = Assert.Single(sink.Messages).Text;
        Assert.Equal(AuditEmitter.MaxMessageLength, Encoding.UTF8.GetByteCount(text));
        Assert.StartsWith("virt=kvm resrc=disk reason=attach vm=\"rhel9\"", text);
        Assert.DoesNotContain(" exe=", text);
    }

    [Fact]
    public void The_process_trailer_is_libaudits_for_a_daemon_without_a_terminal()
    {
        var identity = new AuditProcessIdentity("/usr/sbin/libvirtd (deleted)");
        Assert.Equal(
            " exe=2F7573722F7362696E2F6C69627669727464202864656C6574656429 hostname=? addr=? terminal=? res=success",
            identity.GetTrailer(true).ToString());
        Assert.Equal(" exe=\"?\" hostname=? addr=? terminal=? res=failed", new AuditProcessIdentity(null).GetTrailer(false).ToString());
        Assert.Equal(
            " exe=\"/usr/bin/sudo\" hostname=build addr=10.0.0.7 terminal=pts/0 res=success",
            new AuditProcessIdentity("/usr/bin/sudo", "build", "10.0.0.7", "pts/0").GetTrailer(true).ToString());
    }

    [SkippableFact]
    public void The_current_process_trailer_names_this_executable()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "/proc/self/exe exists only on Linux");
        AuditProcessIdentity current = AuditProcessIdentity.Current;
        Assert.Equal(Environment.ProcessPath, current.Exe);
        Assert.Equal(current.Terminal is null, current.Hostname is null);
    }

    [Theory]
    [InlineData(1, AuditSendError.PermissionDenied, "Operation not permitted (EPERM): this process lacks CAP_AUDIT_WRITE")]
    [InlineData(111, AuditSendError.KernelWithoutAudit, "Connection refused (ECONNREFUSED): the kernel has no audit support")]
    [InlineData(93, AuditSendError.KernelWithoutAudit, "Protocol not supported (EPROTONOSUPPORT): the kernel has no audit support")]
    [InlineData(105, AuditSendError.BacklogOverflow, "No buffer space available (ENOBUFS): the audit backlog overflowed")]
    [InlineData(22, AuditSendError.Other, "Invalid argument (EINVAL): the kernel refused the message")]
    public void Errors_are_told_apart_in_words(int errno, AuditSendError error, string reason)
    {
        AuditSendResult result = AuditSendResult.FromErrno(errno);
        Assert.Equal(error, result.Error);
        Assert.Equal(errno, result.Errno);
        Assert.False(result.IsSuccess);
        Assert.StartsWith(reason, result.Reason);
    }
}
