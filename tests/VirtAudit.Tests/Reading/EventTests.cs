using VirtAudit.Tests.Lines;
using VirtAudit.Tests.Records;

namespace VirtAudit.Tests.Reading;

/// <summary>Grouping records into events: completion, the bounded window, and what is reported about arrival.</summary>
public class EventTests
{
    private static string K(string type, int serial, string body, string stamp = "1715510880.300") =>
        $"type={type} msg=audit({stamp}:{serial}): {body}";

    private static string Syscall(int serial, int items, string stamp = "1715510880.300") =>
        K("SYSCALL", serial, $"arch=c000003e syscall=257 success=yes exit=3 items={items} pid=42", stamp);

    private static string PathRecord(int serial, int item) => K("PATH", serial, $"item={item} name=\"/etc/f{item}\" nametype=NORMAL");

    private static string Proctitle(int serial) => K("PROCTITLE", serial, "proctitle=\"cat\"");

    private static string Virt(int serial, string stamp = "1715510880.300") =>
        $"type=VIRT_CONTROL msg=audit({stamp}:{serial}): pid=1187 uid=0 auid=4294967295 ses=4294967295 msg='virt=kvm op=stop reason=destroyed vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-pid=0 exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success'";

    private static List<string> Events(AuditEventOptions? options, params string[] lines)
    {
        using var reader = new AuditLogReader(new MemoryStream(Corpus.Bytes(string.Join('\n', lines) + "\n")));
        return reader.ReadEvents(options).Select(e => e.ToString()).ToList();
    }

    private static List<string> Events(params string[] lines) => Events(null, lines);

    [Fact]
    public void A_syscall_event_ends_at_its_proctitle_and_each_libvirt_record_is_its_own_event()
    {
        Assert.Equal(
            [
                "1715510880.300:10 SYSCALL,CWD,PATH,PATH,PROCTITLE (LastRecord)",
                "1715510880.300:11 VIRT_CONTROL (Single)",
                "1715510880.300:12 VIRT_CONTROL (Single)",
            ],
            Events(Syscall(10, 2), K("CWD", 10, "cwd=\"/root\""), PathRecord(10, 0), PathRecord(10, 1), Proctitle(10), Virt(11), Virt(12)));
    }

    [Fact]
    public void Eoe_ends_an_event_and_records_after_it_are_a_late_fragment()
    {
        Assert.Equal(
            [
                "1715510880.300:10 SYSCALL,EOE (EndOfEvent)",
                "1715510880.300:10 PATH (EndOfInput) Late",
            ],
            Events(Syscall(10, 0), K("EOE", 10, string.Empty).TrimEnd(), PathRecord(10, 0)));
    }

    [Fact]
    public void Interleaved_records_are_grouped_and_reported()
    {
        Assert.Equal(
            [
                "1715510880.300:10 SYSCALL,PATH,PROCTITLE (LastRecord) Interleaved",
                "1715510880.300:11 VIRT_CONTROL (Single)",
            ],
            Events(Syscall(10, 1), Virt(11), PathRecord(10, 0), Proctitle(10)));
    }

    [Fact]
    public void Missing_and_misordered_records_are_reported()
    {
        Assert.Equal(
            [
                "1715510880.300:10 SYSCALL,PATH,PROCTITLE (LastRecord) MissingRecords",
                "1715510880.300:11 PATH,SYSCALL,PROCTITLE (LastRecord) RecordsOutOfOrder",
                "1715510880.300:12 SYSCALL,PATH,PATH,PROCTITLE (LastRecord) RecordsOutOfOrder",
                "1715510880.300:13 CWD,PATH,PROCTITLE (LastRecord) MissingRecords",
            ],
            Events(
                Syscall(10, 2), PathRecord(10, 0), Proctitle(10),
                PathRecord(11, 0), Syscall(11, 1), Proctitle(11),
                Syscall(12, 2), PathRecord(12, 1), PathRecord(12, 0), Proctitle(12),
                K("CWD", 13, "cwd=\"/\""), PathRecord(13, 0), Proctitle(13)));
    }

    [Fact]
    public void Serials_going_backwards_are_reported_per_origin()
    {
        Assert.Equal(
            [
                "1715510880.300:20 VIRT_CONTROL (Single)",
                "1715510880.300:5 VIRT_CONTROL (Single)",
                "1715510880.300:19 VIRT_CONTROL (Single) SerialOutOfOrder",
                "1715510880.300:21 VIRT_CONTROL (Single)",
            ],
            Events(Virt(20), "node=other " + Virt(5), Virt(19), Virt(21)));
    }

    [Fact]
    public void The_lsm_context_record_with_the_same_stamp_joins_a_user_message()
    {
        Assert.Equal(
            ["1715510880.300:30 VIRT_CONTROL,UNKNOWN[1420] (Single)", "1715510880.300:31 VIRT_CONTROL (Single)"],
            Events(Virt(30), K("UNKNOWN[1420]", 30, "subj_apparmor=unconfined subj_selinux=system_u:system_r:virtqemud_t:s0"), Virt(31)));
    }

    [Fact]
    public void The_window_bounds_open_events_in_records_and_in_time()
    {
        // A SYSCALL without PROCTITLE: complete after WindowRecords other records, or a record WindowTime later.
        string[] fiveOthers = Enumerable.Range(41, 5).Select(s => Virt(s)).ToArray();
        Assert.Equal(
            "1715510880.300:40 SYSCALL (Window)",
            Events(new AuditEventOptions { WindowRecords = 3 }, [Syscall(40, 0), .. fiveOthers])[0]);
        Assert.Equal(
            "1715510880.300:40 SYSCALL (EndOfInput)",
            Events([Syscall(40, 0), .. fiveOthers])[0]);
        Assert.Equal(
            ["1715510880.300:40 SYSCALL (Window)", "1715510883.000:41 VIRT_CONTROL (Single)", "1715510880.300:40 PROCTITLE (LastRecord) Late"],
            Events(Syscall(40, 0), Virt(41, "1715510883.000"), Proctitle(40)));
    }

    [Fact]
    public void Journald_records_are_events_of_their_own_in_order()
    {
        string r1 = SpecExamples.Line("R1");
        Assert.Equal(
            ["1715510880.300:10 SYSCALL,PROCTITLE (LastRecord) Interleaved", "(no stamp) VIRT_RESOURCE (Unstamped)"],
            Events(Syscall(10, 0), r1, Proctitle(10)));
    }

    [Fact]
    public void The_builder_keeps_its_own_copies_and_bounded_state()
    {
        var builder = new AuditEventBuilder(new AuditEventOptions { WindowRecords = 8 });
        byte[] block = Corpus.Bytes(string.Join('\n', Enumerable.Range(0, 200).Select(i => Syscall(1000 + i, 0))) + "\n");
        using var reader = new AuditLogReader(new ChunkedStream(block, 100), new AuditLogReaderOptions { BufferSize = 256 });
        int taken = 0;
        int most = 0;
        while (reader.Read())
        {
            builder.Add(reader.Current.Record);
            most = Math.Max(most, builder.Waiting);
            while (builder.TryTake(out AuditEvent? auditEvent))
            {
                Assert.Equal(1000UL + (ulong)taken, auditEvent.Stamp.Serial);
                Assert.StartsWith("type=SYSCALL", Corpus.Text(auditEvent.Records[0].Bytes), StringComparison.Ordinal);
                taken++;
            }
        }

        builder.Complete();
        while (builder.TryTake(out _))
        {
            taken++;
        }

        Assert.Equal(200, taken);
        Assert.True(most <= 10, $"{most} events waiting");
    }
}
