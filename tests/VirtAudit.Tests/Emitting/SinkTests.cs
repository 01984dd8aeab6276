using System.Text;

namespace VirtAudit.Tests.Emitting;

public class SinkTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_732_200);

    private static readonly AuditLineHeader Header = new() { Pid = 2817, Uid = 0, Auid = AuditLineHeader.Unset, Ses = AuditLineHeader.Unset };

    [Fact]
    public void The_file_sink_writes_enriched_lines_as_auditd_does()
    {
        var stream = new MemoryStream();
        using (var emitter = new AuditEmitter(AuditLogFileSink.ForStream(stream, ownsStream: false, AuditLogFormat.Enriched, Header, new FixedClock(Now), firstSerial: 41), identity: EmitSamples.Identity))
        {
            emitter.Emit(EmitSamples.Start());
            emitter.Emit(EmitSamples.MachineId(), success: false);
        }

        string[] lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal("", lines[2]);
        Assert.Equal(
            "type=VIRT_CONTROL msg=audit(1764000732.200:41): pid=2817 uid=0 auid=4294967295 ses=4294967295 msg='virt=kvm op=start reason=booted vm=\"rhel9\" uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 vm-pid=4242 exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success'\u001DUID=\"root\" AUID=\"unset\"",
            lines[0]);
        Assert.StartsWith("type=VIRT_MACHINE_ID msg=audit(1764000732.200:42): ", lines[1]);
    }

    [Fact]
    public void What_the_file_sink_writes_the_reader_types_back()
    {
        string path = Path.Combine(Path.GetTempPath(), "virtaudit-emit-" + Guid.NewGuid().ToString("N") + ".log");
        try
        {
            using (var emitter = new AuditEmitter(new AuditLogFileSink(path, AuditLogFormat.Raw), identity: EmitSamples.Identity))
            {
                emitter.Emit(EmitSamples.Start("audit-vm2 \"test\""));
                emitter.Emit(EmitSamples.Disk(), success: false);
            }

            using var reader = AuditLogReader.Open(path);
            var records = new List<AuditLogRecord>();
            while (reader.Read())
            {
                Assert.False(reader.Current.IsError, reader.Current.IsError ? reader.Current.Error.ToString() : null);
                records.Add(reader.Current.Record.ToOwned());
            }

            Assert.Equal(2, records.Count);
            Assert.All(records, r => Assert.Equal(AuditRendering.Raw, r.Rendering));
            Assert.True(records[0].TryGet(out VirtControl start));
            Assert.Equal("audit-vm2 \"test\"", start.Vm.ToString());
            Assert.Equal(Environment.ProcessId, records[0].Line.KernelHeader.Pid);
            Assert.True(records[1].TryGet(out VirtResourceDisk disk));
            Assert.Equal(EmitSamples.Disk().NewDisk.ToString(), disk.NewDisk.ToString());
            Assert.False(records[1].Virt.Trailer.Success);
            Assert.Equal(records[0].Stamp.Serial + 1, records[1].Stamp.Serial);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_file_sink_appends_to_an_existing_log()
    {
        string path = Path.Combine(Path.GetTempPath(), "virtaudit-emit-" + Guid.NewGuid().ToString("N") + ".log");
        try
        {
            File.WriteAllText(path, "type=DAEMON_START msg=audit(1764000000.000:1): op=start\n");
            using (var sink = new AuditLogFileSink(path, AuditLogFormat.Raw, Header))
            {
                Assert.True(sink.Send(2500, "virt=kvm op=stop reason=shutdown vm=\"a\" uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 vm-pid=0"u8).IsSuccess);
            }

            string[] lines = File.ReadAllLines(path);
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("type=DAEMON_START", lines[0]);
            Assert.StartsWith("type=VIRT_CONTROL msg=audit(", lines[1]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_closed_sink_says_so()
    {
        var sink = AuditLogFileSink.ForStream(new MemoryStream(), ownsStream: true);
        sink.Dispose();
        AuditSendResult result = sink.Send(2500, "x=1"u8);
        Assert.Equal(AuditSendError.Closed, result.Error);
        Assert.Equal("the sink is closed", result.Reason);
    }

    [Fact]
    public void The_writer_sink_writes_the_message_alone_or_a_whole_line()
    {
        var messages = new StringWriter();
        var lines = new StringWriter();
        using (var alone = new AuditEmitter(new TextWriterAuditSink(messages), identity: EmitSamples.Identity))
        using (var line = new AuditEmitter(new TextWriterAuditSink(lines, AuditTextForm.RawLine, header: Header, clock: new FixedClock(Now)), identity: EmitSamples.Identity))
        {
            alone.Emit(EmitSamples.Start());
            line.Emit(EmitSamples.Start());
        }

        string message = "virt=kvm op=start reason=booted vm=\"rhel9\" uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 vm-pid=4242 exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success";
        Assert.Equal(message + "\n", messages.ToString());
        Assert.Equal("type=VIRT_CONTROL msg=audit(1764000732.200:1): pid=2817 uid=0 auid=4294967295 ses=4294967295 msg='" + message + "'\n", lines.ToString());
    }

    [Fact]
    public void The_memory_sink_keeps_messages_in_order_and_refuses_when_told()
    {
        var sink = new MemoryAuditSink();
        sink.Send(2501, "a=1"u8);
        sink.Failure = AuditSendResult.FromErrno(105);
        Assert.Equal(AuditSendError.BacklogOverflow, sink.Send(2502, "b=2"u8).Error);
        Assert.Equal("2501 a=1", Assert.Single(sink.Messages).ToString());
        sink.Clear();
        Assert.Empty(sink.Messages);
    }
}
