using System.Text;
using VirtAudit.Tests.Lines;

namespace VirtAudit.Tests.Reading;

/// <summary>
/// libvirt's own log and KubeVirt's virt-launcher log (spec §3.7): the capture's 315 messages in both framings
/// (corpus/libvirt-9.0/daemon-logs), typed by their payload, joined with their failed sends, and the malformed cases.
/// </summary>
public class DaemonLogTests
{
    private const string Uuid = "6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8";
    private const string Disk = "virt=qemu resrc=disk reason=start vm=\"auditvm1\" uuid=" + Uuid + " old-disk=\"?\" new-disk=\"/var/lib/libvirt/images/test/disk1.qcow2\"";
    private const string Start = "virt=qemu op=start reason=booted vm=\"auditvm1\" uuid=" + Uuid + " vm-pid=4242";
    private const string Label = "virt=qemu vm=\"auditvm1\" uuid=" + Uuid + " vm-ctx=+0:+0 img-ctx=+0:+0 model=dac";

    public static TheoryData<string> DaemonLogs => new() { "libvirtd.log", "virt-launcher.log" };

    [Theory]
    [MemberData(nameof(DaemonLogs))]
    public void Every_message_of_the_capture_is_one_record_whose_type_and_success_agree_with_expected_tsv(string file)
    {
        List<Expected> expected = ReadExpected();
        Assert.Equal(315, expected.Count);
        byte[] input = File.ReadAllBytes(DaemonFile(file));
        bool kubeVirt = file == "virt-launcher.log";

        // Whole, a few bytes per read, and through a buffer smaller than two lines: the same records.
        foreach ((AuditLogReaderOptions? options, int chunk) in new (AuditLogReaderOptions?, int)[] { (null, 0), (null, 7), (new AuditLogReaderOptions { BufferSize = 256, MaxLineLength = 1024 }, 0) })
        {
            List<ItemCopy> items = ReadAll(input, options, chunk, out long skipped, out long joined);
            Assert.All(items, item => Assert.True(item.Kind == AuditLogItemKind.Record, item.ToString()));
            Assert.Equal(expected.Count, items.Count);
            Assert.Equal(kubeVirt ? 0 : 47, skipped);
            Assert.Equal(kubeVirt ? 315 : 0, joined);
            for (int i = 0; i < expected.Count; i++)
            {
                AuditLogRecord record = items[i].Record;
                string at = $"message {i + 1} (line {record.LineNumber})";
                Assert.True(record.Rendering == (kubeVirt ? AuditRendering.KubeVirtLog : AuditRendering.LibvirtLog), at);
                Assert.True(expected[i].Type == AuditRecordTypes.GetName(record.TypeNumber), $"{at}: {AuditRecordTypes.GetName(record.TypeNumber)}, expected {expected[i].Type}");
                Assert.True(record.IsTyped, $"{at}: {record.Virt.Error}");
                Assert.Equal(expected[i].Type, record.Virt.Variant!.RecordType);
                Assert.True(expected[i].Payload == Text(record.Line.Message), at);

                DaemonLogInfo daemon = record.DaemonLog;
                Assert.True(daemon.IsPresent, at);
                Assert.True(expected[i].Success == daemon.Success, at);
                Assert.Equal(expected[i].Success ? DaemonLogLevel.Info : DaemonLogLevel.Warning, daemon.Level);
                Assert.StartsWith("virDomainAudit", Text(daemon.Function), StringComparison.Ordinal);
                Assert.True(daemon.SourceLine > 0, at);
                Assert.True(daemon.TryGetTime(out DateTimeOffset time), at);
                Assert.Equal(new DateTime(2026, 11, 24), time.UtcDateTime.Date);
                Assert.Equal(kubeVirt, daemon.IsNotSent);
                if (kubeVirt)
                {
                    Assert.Equal("Operation not permitted", daemon.SendFailure.ToString());
                    Assert.Equal("virAuditSend:126", Text(daemon.SendFailure.Caller));
                    Assert.Equal(record.LineNumber + 1, daemon.SendFailure.LineNumber);
                }

                // The payload re-encodes byte for byte: there is no trailer, and its absence is not a legacy shape.
                Assert.False(record.Virt.IsLegacy, at);
                byte[] buffer = new byte[AuditLimits.MaxMessageLength];
                Assert.True(record.Virt.TryReencode(buffer, out int written), at);
                Assert.True(expected[i].Payload == Encoding.UTF8.GetString(buffer, 0, written), at);
            }
        }
    }

    [Fact]
    public async Task A_pipe_read_asynchronously_a_few_bytes_at_a_time_joins_the_same_messages()
    {
        byte[] input = File.ReadAllBytes(DaemonFile("virt-launcher.log"));
        var pipe = System.IO.Pipelines.PipeReader.Create(new ChunkedStream(input, 5), new System.IO.Pipelines.StreamPipeReaderOptions(bufferSize: 64));
        await using var reader = new AuditLogReader(pipe, null, leaveOpen: false);
        int records = 0;
        int notSent = 0;
        while (await reader.ReadAsync())
        {
            AuditLogRecord record = reader.Current.Record;
            Assert.True(record.IsTyped, record.Virt.Error);
            Assert.Equal((2 * records) + 1, record.LineNumber);
            records++;
            notSent += record.DaemonLog.IsNotSent ? 1 : 0;
        }

        Assert.Equal(315, records);
        Assert.Equal(315, notSent);
        Assert.Equal(630, reader.LinesRead);
        Assert.Equal(315, reader.LinesJoined);
        Assert.Equal(input.Length, reader.BytesRead);
    }

    [Fact]
    public void A_message_and_a_failed_send_too_long_to_be_held_together_stay_two_records()
    {
        // The message is 1,024 bytes, its failed send a little longer and the reader's longest line: the buffer (which
        // grows to MaxLineLength + 2, 2,048 bytes from the pool) holds either line with its line end, not both.
        const int Max = 1024;
        string head = "2026-11-24 17:52:13.222+0000: 2817: info : virDomainAuditShmem:917 : success=yes ";
        string payload = "virt=qemu resrc=shmem reason=start vm=\"a\" uuid=" + Uuid + " size=4194304 path=/dev/shm/";
        payload += new string('x', Max - head.Length - payload.Length);
        string failed = "2026-11-24 17:52:13.222+0000: 2817: warning : virAuditSend:126 : Failed to send audit message " + payload + ": Operation not permitted";
        string message = head + payload;
        Assert.Equal(Max, message.Length);

        var options = new AuditLogReaderOptions { BufferSize = 256, MaxLineLength = failed.Length };
        List<ItemCopy> items = ReadAll(Corpus.Bytes(message + "\n" + failed + "\n"), options, 0, out _, out long joined);
        Assert.Equal(2, items.Count);
        Assert.Equal(0, joined);
        Assert.True(items[0].Record.DaemonLog.Success);
        Assert.False(items[0].Record.DaemonLog.IsNotSent);
        Assert.Null(items[1].Record.DaemonLog.Success);
        Assert.True(items[1].Record.DaemonLog.IsNotSent);

        // With room for both, the same two lines are one record.
        ItemCopy one = Assert.Single(ReadAll(Corpus.Bytes(message + "\n" + failed + "\n"), null, 0, out _, out joined));
        Assert.Equal(1, joined);
        Assert.True(one.Record.DaemonLog.IsNotSent);
    }

    [Fact]
    public void In_events_each_message_is_its_own_and_keeps_its_daemon_information()
    {
        using AuditLogReader reader = AuditLogReader.Open(DaemonFile("virt-launcher.log"));
        List<AuditEvent> events = reader.ReadEvents().ToList();
        Assert.Equal(315, events.Count);
        Assert.All(events, e => Assert.Equal(AuditEventCompletion.Unstamped, e.Completion));
        AuditLogRecord last = Assert.Single(events[^1].Records);
        Assert.True(last.IsTyped);
        Assert.True(last.DaemonLog.IsNotSent);
        Assert.Equal("Operation not permitted", last.DaemonLog.SendFailure.ToString());
        Assert.Equal(630, last.DaemonLog.SendFailure.LineNumber);
    }

    [Fact]
    public void A_libvirt_line_gives_time_thread_level_caller_and_success()
    {
        AuditLogRecord record = ReadingSupport.Record("2026-11-24 17:53:23.182+0000: 2817: warning : virDomainAuditLifecycle:737 : success=no " + Start);
        DaemonLogInfo daemon = record.DaemonLog;
        Assert.Equal(AuditRendering.LibvirtLog, record.Rendering);
        Assert.Equal("2026-11-24 17:53:23.182+0000", Text(daemon.Timestamp));
        Assert.True(daemon.TryGetTime(out DateTimeOffset time));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 17, 53, 23, 182, TimeSpan.Zero), time);
        Assert.Equal("2817", Text(daemon.Thread));
        Assert.Equal(DaemonLogLevel.Warning, daemon.Level);
        Assert.Equal("virDomainAuditLifecycle:737", Text(daemon.Caller));
        Assert.Equal("virDomainAuditLifecycle", Text(daemon.Function));
        Assert.Equal(737, daemon.SourceLine);
        Assert.False(daemon.Success);
        Assert.False(daemon.IsNotSent);
        Assert.Equal(AuditRecordTypes.VirtControl, record.TypeNumber);
        Assert.True(record.Line.TypeName.IsEmpty);
        Assert.False(record.HasStamp);
        Assert.True(record.TryGet(out VirtControl control));
        Assert.Equal(VirtOp.Start, control.Op);
        Assert.Equal(4242, control.VmPid);
        Assert.Equal(["virt=qemu", "op=start", "reason=booted", "vm=\"auditvm1\"", "uuid=" + Uuid, "vm-pid=4242"], ReadingSupport.Fields(record).Select(f => f.Replace("msg.", string.Empty, StringComparison.Ordinal)));
        Assert.Equal(record.Line.Line.Span.IndexOf("virt="u8), record.Line.MessageOffset);
        Assert.Contains("success=no", daemon.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_and_its_failed_send_are_one_record_only_when_thread_and_payload_are_the_same()
    {
        string message = "2026-11-24 17:52:13.222+0000: 2817: info : virDomainAuditDisk:95 : success=yes " + Disk;
        string failedSame = "2026-11-24 17:52:13.222+0000: 2817: warning : virAuditSend:126 : Failed to send audit message " + Disk + ": Operation not permitted";
        string failedOtherThread = failedSame.Replace(": 2817: ", ": 2818: ", StringComparison.Ordinal);
        string failedOtherPayload = failedSame.Replace("disk1.qcow2", "disk2.qcow2", StringComparison.Ordinal);

        List<ItemCopy> joined = ReadAll(Corpus.Bytes(message + "\n" + failedSame + "\n"), null, 0, out _, out long joinedLines);
        ItemCopy one = Assert.Single(joined);
        Assert.Equal(1, joinedLines);
        Assert.True(one.Record.DaemonLog.Success);
        Assert.True(one.Record.DaemonLog.IsNotSent);
        Assert.Equal(2, one.Record.DaemonLog.SendFailure.LineNumber);
        Assert.Equal("virDomainAuditDisk:95", Text(one.Record.DaemonLog.Caller));

        foreach (string other in new[] { failedOtherThread, failedOtherPayload })
        {
            List<ItemCopy> two = ReadAll(Corpus.Bytes(message + "\n" + other + "\n"), null, 0, out _, out long none);
            Assert.Equal(0, none);
            Assert.Equal(2, two.Count);
            Assert.False(two[0].Record.DaemonLog.IsNotSent);
            Assert.True(two[0].Record.DaemonLog.Success);

            // A failed send alone (audit_logging = 0 logs only these): a record whose success is not known.
            DaemonLogInfo alone = two[1].Record.DaemonLog;
            Assert.Null(alone.Success);
            Assert.True(alone.IsNotSent);
            Assert.Equal("Operation not permitted", alone.SendFailure.ToString());
            Assert.Equal("virAuditSend:126", Text(alone.Caller));
            Assert.Equal(2, alone.SendFailure.LineNumber);
            Assert.True(two[1].Record.IsTyped, two[1].Record.Virt.Error);
        }
    }

    [Theory]
    [InlineData(Disk, AuditRecordTypes.VirtResource)]
    [InlineData(Start, AuditRecordTypes.VirtControl)]
    [InlineData(Label, AuditRecordTypes.VirtMachineId)]
    [InlineData("vm=\"old\" uuid=" + Uuid + " vm-ctx=system_u img-ctx=system_u", AuditRecordTypes.VirtMachineId)]
    public void The_record_type_is_inferred_from_the_payload(string payload, int type)
    {
        AuditLogRecord record = ReadingSupport.Record("2026-11-24 17:52:13.222+0000: 1: info : f:1 : success=yes " + payload);
        Assert.Equal(type, record.TypeNumber);
        Assert.True(record.IsVirt);
    }

    [Theory]
    [InlineData("virt=qemu vm=\"a\" uuid=" + Uuid, "none of")]
    [InlineData("virt=qemu resrc=disk op=start vm=\"a\" uuid=" + Uuid, "more than one")]
    public void A_payload_whose_type_cannot_be_inferred_is_an_untyped_record_with_the_reason(string payload, string reason)
    {
        AuditLogRecord record = ReadingSupport.Record("2026-11-24 17:52:13.222+0000: 1: info : f:1 : success=yes " + payload);
        Assert.Equal(0, record.TypeNumber);
        Assert.False(record.IsTyped);
        Assert.True((record.Notes & AuditRecordNotes.Untyped) != 0);
        Assert.Contains("the record type cannot be inferred", record.Virt.Error, StringComparison.Ordinal);
        Assert.Contains(reason, record.Virt.Error, StringComparison.Ordinal);
        Assert.Equal(payload, Text(record.Line.Message));
    }

    [Fact]
    public void The_daemons_other_lines_are_skipped_and_counted()
    {
        string input = string.Join(
            "\n",
            "2026-11-24 17:48:01.000+0000: 2817: info : libvirt version: 9.0.0, package: 4+deb12u2 (Debian)",
            "2026-11-24 17:52:13.222+0000: 2817: debug : qemuDomainObjBeginJobInternal:972 : Starting job: job=modify agentJob=none asyncJob=none",
            "2026-11-24 17:52:13.222+0000: 2817: error : virNetSocketReadWire:1791 : End of file while reading data: Input/output error",
            "{\"component\":\"virt-launcher\",\"level\":\"info\",\"msg\":\"Collected all requested hook sidecar sockets\",\"pos\":\"manager.go:86\",\"timestamp\":\"2026-11-24T17:52:12.000000Z\"}",
            "{\"component\":\"virt-launcher\",\"level\":\"info\",\"msg\":\"success=yes " + Label.Replace("\"", "\\\"", StringComparison.Ordinal) + "\",\"pos\":\"virDomainAuditSecurityLabel:857\",\"subcomponent\":\"libvirt\",\"thread\":\"17\",\"timestamp\":\"2026-11-24T17:52:12.200000Z\"}",
            "{\"level\":\"info\",\"msg\":\"some other program\"}") + "\n";
        List<ItemCopy> items = ReadAll(Corpus.Bytes(input), null, 0, out long skipped, out long joined);
        Assert.Equal(4, skipped);
        Assert.Equal(0, joined);
        Assert.Equal(2, items.Count);
        Assert.Equal(5, items[0].LineNumber);
        Assert.Equal(AuditRecordTypes.VirtMachineId, items[0].Record.TypeNumber);
        Assert.Equal(AuditLogErrorKind.NotAuditRecord, items[1].ErrorKind);
        Assert.Equal(6, items[1].LineNumber);
    }

    [Fact]
    public void Json_escapes_in_the_message_are_decoded()
    {
        // \" \\ \/ \u0041 and a surrogate pair: the payload as libvirt wrote it (vm's UTF-8 name is hex-encoded by libvirt,
        // but a path in a raw field may hold anything).
        string json = "{\"component\":\"virt-launcher\",\"level\":\"info\",\"msg\":\"success=yes virt=qemu resrc=shmem reason=start vm=\\\"a\\u0041\\\" uuid=" + Uuid
            + " size=4194304 path=\\/dev\\/shm\\\\x\\ud83d\\ude00\",\"pos\":\"virDomainAuditShmem:917\",\"subcomponent\":\"libvirt\",\"thread\":17,\"timestamp\":\"2026-11-24T17:52:12.200000Z\"}";
        AuditLogRecord record = ReadingSupport.Record(json);
        Assert.Equal("virt=qemu resrc=shmem reason=start vm=\"aA\" uuid=" + Uuid + " size=4194304 path=/dev/shm\\x\U0001F600", Encoding.UTF8.GetString(record.Line.Message.Span));
        Assert.Equal("17", Text(record.DaemonLog.Thread));
        Assert.Equal(AuditRecordTypes.VirtResource, record.TypeNumber);
        Assert.True(record.IsTyped, record.Virt.Error);

        // The public parser decodes into an array of its own; the copy keeps the decoded message.
        Assert.True(AuditLine.TryParseAny(Corpus.Bytes(json), out AuditLine line, out _));
        Assert.Equal(Encoding.UTF8.GetString(record.Line.Message.Span), Encoding.UTF8.GetString(line.Message.Span));
        AuditLogRecord owned = record.ToOwned();
        Assert.Equal(Encoding.UTF8.GetString(record.Line.Message.Span), Encoding.UTF8.GetString(owned.Line.Message.Span));
        Assert.True(owned.IsTyped);
    }

    [Theory]
    [InlineData("{\"component\":\"virt-launcher\",\"level\":\"info\",\"msg\":\"success=yes virt=qemu vm=\\\"audi", "json", "unterminated JSON string", -1)]
    [InlineData("{\"component\":\"virt-launcher\",\"level\":\"info\",\"msg\":\"success=yes virt=qemu\"", "json", "ends before its '}'", -1)]
    [InlineData("{\"component\":\"virt-launcher\",\"msg\":\"success=yes virt=\\x\"}", "json", "bad escape", 53)]
    [InlineData("{\"component\":\"virt-launcher\",\"msg\":\"success=yes virt=\\u00G1\"}", "json", "bad \\u escape", 53)]
    [InlineData("{\"component\":\"virt-launcher\",\"msg\":\"success=yes virt=\\ud83d\"}", "json", "unpaired", 53)]
    [InlineData("{\"component\":\"virt-launcher\",\"msg\":\"success=yes op=start\"} x", "json", "text after", 59)]
    [InlineData("{\"component\":\"virt-launcher\",\"msg\":\"success=maybe op=start\"}", "success", "expected 'yes ' or 'no '", 44)]
    [InlineData("2026-11-24 17:52:13.222+0000: 2817: inf", "level", "expected debug", 36)]
    [InlineData("2026-11-24 17:52:13.222+0000: 2817: info : virDomainAuditDisk:95 : success=yes ", "payload", "no payload", 79)]
    [InlineData("2026-11-24 17:52:13.222+0000: 2817: warning : virAuditSend:126 : Failed to send audit message virt=qemu op=start", "payload", "expected ': ERROR'", 112)]
    public void A_malformed_daemon_line_is_an_error_with_its_position(string line, string part, string reason, int position)
    {
        ItemCopy item = Assert.Single(ReadAll(Corpus.Bytes(line + "\n"), null, 0, out _, out _));
        Assert.Equal(AuditLogItemKind.Error, item.Kind);
        Assert.Equal(AuditLogErrorKind.Malformed, item.ErrorKind);
        Assert.Contains(reason, item.Reason, StringComparison.Ordinal);
        Assert.Equal(position < 0 ? line.Length : position, item.Position);
        Assert.False(AuditLine.TryParseAny(Corpus.Bytes(line), out _, out AuditLineError error));
        Assert.Equal(part, error.Part);
    }

    [Fact]
    public void Every_cut_and_every_damaged_byte_of_daemon_lines_gives_a_record_a_skip_or_an_error_never_an_exception()
    {
        string[] launcher = File.ReadAllLines(DaemonFile("virt-launcher.log"));
        string[] libvirtd = File.ReadAllLines(DaemonFile("libvirtd.log"));
        string[] lines = [launcher[0], launcher[1], libvirtd[2], libvirtd[6], libvirtd.First(l => l.Contains("success=no", StringComparison.Ordinal))];
        ReadOnlySpan<byte> damage = "\\\"{}:u \t0x\n"u8;
        var random = new Random(9);
        var inputs = new List<byte[]>();
        foreach (string line in lines)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(line);
            for (int cut = 1; cut < bytes.Length; cut++)
            {
                inputs.Add(bytes[..cut]);
            }

            for (int i = 0; i < 200; i++)
            {
                byte[] damaged = (byte[])bytes.Clone();
                damaged[random.Next(damaged.Length)] = damage[random.Next(damage.Length)];
                inputs.Add(damaged);
            }
        }

        foreach (byte[] input in inputs)
        {
            bool parsed = AuditLine.TryParseAny(input, out AuditLine line, out AuditLineError error);
            Assert.True(parsed || error.IsError);
            Assert.True(!error.IsError || error.Offset <= input.Length, error.ToString());

            // Two copies, the second after the first, through the reader: every line accounted for.
            ReadAll([.. input, (byte)'\n', .. input, (byte)'\n'], null, 0, out _, out _);
        }
    }

    [Fact]
    public void A_line_cut_in_the_middle_of_the_payload_is_an_untyped_record_not_an_exception()
    {
        AuditLogRecord record = ReadingSupport.Record("2026-11-24 17:52:13.222+0000: 2817: info : virDomainAuditDisk:95 : success=yes virt=qemu resrc=disk reason=start vm=\"auditvm1\" uu");
        Assert.Equal(AuditRecordTypes.VirtResource, record.TypeNumber);
        Assert.False(record.IsTyped);
        Assert.NotNull(record.Virt.Error);
    }

    internal static string DaemonFile(string name) =>
        VirtAudit.Testing.Repository.Corpus("libvirt-9.0/daemon-logs/" + name);

    private static List<ItemCopy> ReadAll(byte[] input, AuditLogReaderOptions? options, int chunk, out long skipped, out long joined)
    {
        List<ItemCopy> items = ReadingSupport.ReadAll(input, options, chunk, out skipped, out joined);
        Assert.Equal(input.Count(b => b == (byte)'\n'), items.Count + skipped + joined);
        return items;
    }

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    private static List<Expected> ReadExpected() =>
        File.ReadAllLines(DaemonFile("expected.tsv"))
            .Skip(1)
            .Select(line => line.Split('\t'))
            .Select(f => new Expected(f[0], f[1] == "yes", f[2]))
            .ToList();

    private sealed record Expected(string Type, bool Success, string Payload);
}
