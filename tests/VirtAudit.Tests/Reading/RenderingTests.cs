using VirtAudit.Tests.Records;
using static VirtAudit.Tests.Reading.ReadingSupport;

namespace VirtAudit.Tests.Reading;

/// <summary>Every rendering the reader accepts, from the real and constructed lines of spec §14.</summary>
public class RenderingTests
{
    private static string Body(string label)
    {
        // What follows "): " in a §14 audit.log line, without its ENRICHED tail.
        string line = SpecExamples.Line(label);
        int start = line.IndexOf("): ", StringComparison.Ordinal) + 3;
        int tail = line.IndexOf('\u001d');
        return tail < 0 ? line.Substring(start) : line.Substring(start, tail - start);
    }

    [Fact]
    public void Raw_and_enriched_lines_with_and_without_node()
    {
        AuditLogRecord raw = Record(SpecExamples.Line("C1"));
        Assert.Equal(AuditRendering.Raw, raw.Rendering);
        Assert.False(raw.Line.HasNode);
        Assert.True(raw.TryGet(out VirtMachineId machine));
        Assert.Equal(SecurityModel.SELinux, machine.Model);

        AuditLogRecord enriched = Record(SpecExamples.Line("C14"));
        Assert.Equal(AuditRendering.Enriched, enriched.Rendering);
        Assert.Equal(["UID=\"root\"", "AUID=\"unset\""], Pairs(enriched));
        Assert.Equal("root", Interpreted(enriched, "uid"));
        Assert.Equal("unset", Interpreted(enriched, "auid"));
        Assert.True(enriched.TryGet(out VirtControl control));
        Assert.Equal(24811, control.VmPid);

        AuditLogRecord node = Record(SpecExamples.Line("C18"));
        Assert.Equal("kvmhost01.example.com", Text(node.Line.Node));
        Assert.Equal("kvmhost01.example.com", Text(node.Origin));
        Assert.Equal(new AuditStamp(1715514000, 44, 5220), node.Stamp);
        Assert.True(node.IsTyped);
        Assert.Equal(AuditRecordNotes.None, node.Notes);

        // ENRICHED with node=, as audisp-remote forwards it.
        AuditLogRecord both = Record("node=kvmhost01 " + SpecExamples.Line("C14"));
        Assert.Equal(AuditRendering.Enriched, both.Rendering);
        Assert.Equal("kvmhost01", Text(both.Origin));
        Assert.True(both.IsTyped);
    }

    [Theory]
    [InlineData("R1", "May 12 12:48:00", "tbowling", typeof(VirtResourceDisk))]
    [InlineData("R2", "May 12 12:48:00", "tbowling", typeof(VirtResourceNet))]
    [InlineData("R3", "May 12 12:48:00", "tbowling", typeof(VirtResourceDev))]
    [InlineData("R4", "May 12 12:47:59", "tbowling", typeof(VirtResourceCgroup))]
    [InlineData("R5", "May 12 12:47:59", "tbowling", typeof(VirtResourceCgroup))]
    [InlineData("R6", "21:32:21", "HOST", typeof(VirtResourceCgroup))]
    public void Journald_lines_have_a_host_and_no_stamp(string label, string time, string host, Type variant)
    {
        AuditLogRecord record = Record(SpecExamples.Line(label));
        Assert.Equal(AuditRendering.Syslog, record.Rendering);
        Assert.False(record.HasStamp);
        Assert.Equal(default, record.Stamp);
        Assert.Equal(time, Text(record.Line.SyslogTimestamp));
        Assert.Equal(host, Text(record.Line.Host));
        Assert.Equal(host, Text(record.Origin));
        Assert.Equal("VIRT_RESOURCE", Text(record.TypeName));
        Assert.Equal(AuditRecordTypes.VirtResource, record.TypeNumber);
        Assert.True(record.Line.HasKernelHeader);
        Assert.Equal(0u, record.Line.KernelHeader.Uid);
        Assert.Equal(label != "R6", record.Line.KernelHeader.HasSubj);
        Assert.Equal(AuditRecordNotes.NoStamp, record.Notes);
        Assert.True(record.IsTyped, record.Virt.Error);
        Assert.Equal(variant.Name, record.Virt.Variant!.Name);
    }

    [Theory]
    [InlineData("May  2 12:48:00.123456 tbowling audit[385946]: ", "May  2 12:48:00.123456")]
    [InlineData("2024-05-12T12:48:00+02:00 tbowling audit[385946]: ", "2024-05-12T12:48:00+02:00")]
    [InlineData("2024-05-12T12:48:00.123456+0200 tbowling audit[385946]: ", "2024-05-12T12:48:00.123456+0200")]
    [InlineData("2024-05-12 12:48:00Z tbowling audit: ", "2024-05-12 12:48:00Z")]
    [InlineData("1715510880.123456 tbowling audit[385946]: ", "1715510880.123456")]
    [InlineData("[ 1234.567890] tbowling audit[385946]: ", "[ 1234.567890]")]
    public void Other_journald_time_stamps(string prefix, string time)
    {
        string r1 = SpecExamples.Line("R1");
        AuditLogRecord record = Record(prefix + r1.Substring(r1.IndexOf("]: ", StringComparison.Ordinal) + 3));
        Assert.Equal(AuditRendering.Syslog, record.Rendering);
        Assert.Equal(time, Text(record.Line.SyslogTimestamp));
        Assert.Equal("tbowling", Text(record.Line.Host));
        Assert.True(record.IsTyped);
    }

    [Theory]
    [InlineData("<14>May 12 12:48:00 tbowling audit[385946]: ", "May 12 12:48:00", "tbowling")]
    [InlineData("<14>1 2024-05-12T12:48:00.123456+02:00 tbowling audit 385946 - - ", "2024-05-12T12:48:00.123456+02:00", "tbowling")]
    [InlineData("<14>1 2024-05-12T12:48:00Z tbowling audit - - [meta sequenceId=\"7\" note=\"a \\] b\"] ", "2024-05-12T12:48:00Z", "tbowling")]
    [InlineData("<14>1 - - audit - - - \u00EF\u00BB\u00BF", "", "")]
    public void Syslog_priority_and_rfc5424_lines(string prefix, string time, string host)
    {
        string r1 = SpecExamples.Line("R1");
        AuditLogRecord record = Record(prefix + r1.Substring(r1.IndexOf("]: ", StringComparison.Ordinal) + 3));
        Assert.Equal(AuditRendering.Syslog, record.Rendering);
        Assert.Equal(time, Text(record.Line.SyslogTimestamp));
        Assert.Equal(host, Text(record.Line.Host));
        Assert.Equal(host.Length > 0, record.Line.HasHost);
        Assert.Equal("VIRT_RESOURCE", Text(record.TypeName));
        Assert.True(record.TryGet(out VirtResourceDisk disk), record.Virt.Error);
        Assert.Equal("rhel-10-beta", disk.Vm.Value);
    }

    [Fact]
    public void An_auditd_line_forwarded_in_rfc5424_keeps_its_stamp()
    {
        AuditLogRecord record = Record("<14>1 2024-05-12T12:48:00Z kvmhost01 audisp-syslog 812 - - " + SpecExamples.Line("C18"));
        Assert.Equal(AuditRendering.Syslog, record.Rendering);
        Assert.Equal(5220UL, record.Stamp.Serial);
        Assert.Equal("kvmhost01", Text(record.Line.Host));
        Assert.True(record.TryGet(out VirtControl control));
        Assert.Equal(VirtOp.Stop, control.Op);
    }

    [Fact]
    public void Journalctl_cat_prints_the_bare_record()
    {
        string r6 = SpecExamples.Line("R6");
        AuditLogRecord record = Record(r6.Substring(r6.IndexOf("]: ", StringComparison.Ordinal) + 3));
        Assert.Equal(AuditRendering.Syslog, record.Rendering);
        Assert.False(record.HasStamp);
        Assert.False(record.Line.HasHost);
        Assert.Equal(AuditRecordTypes.VirtResource, record.TypeNumber);
        Assert.True(record.TryGet(out VirtResourceCgroup cgroup), record.Virt.Error);
        Assert.Equal("/dev/kvm", cgroup.Path.Value);

        AuditLogRecord unknown = Record("AUDIT1420 subj_apparmor=unconfined");
        Assert.Equal(1420, unknown.TypeNumber);
    }

    [Fact]
    public void Journald_names_a_type_it_does_not_know_AUDITnnnn()
    {
        AuditLogRecord record = Record("May 12 12:48:00 tbowling audit: AUDIT1420 subj_apparmor=unconfined subj_selinux=system_u:system_r:virtqemud_t:s0");
        Assert.Equal(1420, record.TypeNumber);
        Assert.Equal(["subj_apparmor=unconfined", "subj_selinux=system_u:system_r:virtqemud_t:s0"], Fields(record));
    }

    [Fact]
    public void An_auditd_line_forwarded_by_syslog_keeps_its_stamp_and_gets_the_host()
    {
        AuditLogRecord record = Record("May 12 12:48:00 kvmhost01 audisp-syslog: " + SpecExamples.Line("C18"));
        Assert.Equal(AuditRendering.Syslog, record.Rendering);
        Assert.True(record.HasStamp);
        Assert.Equal(5220UL, record.Stamp.Serial);
        Assert.Equal("kvmhost01", Text(record.Line.Host));
        Assert.Equal("kvmhost01.example.com", Text(record.Origin));
        Assert.True(record.IsTyped);
    }

    [Theory]
    [InlineData("audit: type=2500 audit(1715510880.307:5025): ", "")]
    [InlineData("[  123.456789] audit: type=2500 audit(1715510880.307:5025): ", "[  123.456789]")]
    [InlineData("May 12 12:48:00 kvmhost01 kernel: audit: type=2500 audit(1715510880.307:5025): ", "May 12 12:48:00")]
    [InlineData("May 12 12:48:00 kvmhost01 kernel: [  123.456789] audit: type=2500 audit(1715510880.307:5025): ", "May 12 12:48:00")]
    [InlineData("May 12 12:48:00 kvmhost01 audit: type=2500 audit(1715510880.307:5025): ", "May 12 12:48:00")]
    public void Kernel_printk_lines_have_a_numeric_type(string prefix, string time)
    {
        AuditLogRecord record = Record(prefix + Body("C14"));
        Assert.Equal(AuditRendering.Printk, record.Rendering);
        Assert.Equal("2500", Text(record.TypeName));
        Assert.Equal(AuditRecordTypes.VirtControl, record.TypeNumber);
        Assert.Equal(new AuditStamp(1715510880, 307, 5025), record.Stamp);
        Assert.Equal(time, Text(record.Line.SyslogTimestamp));
        Assert.Equal(time.StartsWith("May", StringComparison.Ordinal), record.Line.HasHost);
        Assert.Equal(1187, record.Line.KernelHeader.Pid);
        Assert.True(record.TryGet(out VirtControl control));
        Assert.Equal(VirtOp.Start, control.Op);
        Assert.Equal(AuditRecordNotes.None, record.Notes);
    }

    [Fact]
    public void Ausearch_interpreted_lines_are_recognized_not_typed()
    {
        AuditLogRecord record = Record(SpecExamples.Line("R7"));
        Assert.Equal(AuditRendering.Interpreted, record.Rendering);
        Assert.True(record.Line.IsStampLocalTime);
        Assert.Equal(new DateTimeOffset(2014, 8, 5, 17, 1, 5, 891, TimeSpan.Zero), record.Stamp.ToDateTimeOffset());
        Assert.Equal(6471UL, record.Stamp.Serial);
        Assert.Equal(AuditRecordTypes.VirtControl, record.TypeNumber);
        Assert.True(record.IsVirt);
        Assert.False(record.IsTyped);
        Assert.Equal(AuditRecordNotes.Interpreted, record.Notes);

        // uid=root: the header is not numeric; it stays a list of fields.
        Assert.False(record.Line.HasKernelHeader);
        List<string> fields = Fields(record);
        Assert.Equal(["pid=1265", "uid=root", "auid=unset", "ses=unset", "subj=system_u:system_r:virtd_t:s0-s0:c0.c1023"], fields.Take(5));
        Assert.Equal(["msg.virt=kvm", "msg.op=start", "msg.reason=booted", "msg.vm=vm1"], fields.Skip(5).Take(4));
        Assert.Equal("msg.res=success", fields[^1]);
    }

    [Theory]
    [InlineData("08/05/2014 17:01:05.891", 2014, 8, 5)]
    [InlineData("08/05/14 17:01:05.891", 2014, 8, 5)]
    [InlineData("2014-08-05 17:01:05.891", 2014, 8, 5)]
    [InlineData("05.08.2014 17:01:05.891", 2014, 8, 5)]
    [InlineData("12/31/99 23:59:59.999", 1999, 12, 31)]
    public void Ausearch_dates_in_other_locales(string date, int year, int month, int day)
    {
        AuditLogRecord record = Record("type=SYSCALL msg=audit(" + date + ":77) : arch=x86_64 syscall=openat success=yes exit=3 a0=AT_FDCWD items=1 comm=cat exe=/usr/bin/cat key=(null)");
        Assert.Equal(AuditRendering.Interpreted, record.Rendering);
        Assert.Equal(new DateTime(year, month, day), record.Stamp.ToDateTimeOffset().Date);
        Assert.Equal(77UL, record.Stamp.Serial);
        Assert.Equal("arch=x86_64", Fields(record)[0]);
        Assert.Equal(AuditRecordNotes.None, record.Notes);
    }

    [Fact]
    public void Ausearch_raw_output_is_raw_and_its_separators_are_skippable()
    {
        string c14 = SpecExamples.Line("C14");
        string text = "----\ntime->Sun May 12 12:48:00 2024\n" + c14 + "\n----\n" + SpecExamples.Line("C1") + "\n\n";
        List<ItemCopy> items = ReadAll(Lines.Corpus.Bytes(text));
        Assert.Equal(
            [AuditLogErrorKind.Separator, AuditLogErrorKind.Separator, AuditLogErrorKind.None, AuditLogErrorKind.Separator, AuditLogErrorKind.None, AuditLogErrorKind.Blank],
            items.Select(i => i.ErrorKind));
        Assert.Equal(AuditRendering.Enriched, items[2].Record.Rendering);
        Assert.Equal(AuditRendering.Raw, items[4].Record.Rendering);
        Assert.True(items[2].Record.IsTyped && items[4].Record.IsTyped);
    }

    [Fact]
    public void Legacy_user_prefix_and_colon_before_exe()
    {
        AuditLogRecord record = Record(SpecExamples.Line("C22"));
        Assert.True(record.Line.KernelHeader.HasUserPrefix);
        Assert.Equal(2000, record.Line.KernelHeader.Pid);
        Assert.True(record.IsTyped, record.Virt.Error);
        Assert.True((record.Virt.Legacy & LegacyShape.ColonBeforeExe) != 0);
        Assert.Equal("=user", Fields(record)[0]);
    }

    [Fact]
    public void Ssid_instead_of_subj()
    {
        AuditLogRecord record = Record(Lines.SpecLines.Ssid);
        Assert.True(record.Line.KernelHeader.HasSsid);
        Assert.Equal(42u, record.Line.KernelHeader.Ssid);
        Assert.True(record.IsTyped);
    }

    [Fact]
    public void Subj_with_spaces_AppArmor()
    {
        string line = SpecExamples.Line("C14").Replace("subj=system_u:system_r:virtqemud_t:s0", "subj=libvirtd (enforce)", StringComparison.Ordinal);
        AuditLogRecord record = Record(line);
        Assert.Equal("libvirtd (enforce)", Text(record.Line.KernelHeader.Subj));
        Assert.Contains("subj=libvirtd (enforce)", Fields(record));
        Assert.True(record.IsTyped);
    }

    [Fact]
    public void No_subj_at_all()
    {
        AuditLogRecord record = Record(Lines.SpecLines.NoSubj);
        Assert.False(record.Line.KernelHeader.HasSubj);
        Assert.True(record.IsTyped);
    }

    [Fact]
    public void Apostrophe_inside_a_quoted_value()
    {
        AuditLogRecord record = Record(Lines.SpecLines.Apostrophe);
        Assert.True(record.TryGet(out VirtResourceDisk disk));
        Assert.Equal("it's", disk.Vm.Value);
        Assert.Equal("/var/lib/libvirt/images/it's.qcow2", disk.NewDisk.Value);
        Assert.Equal("it's", Interpreted(record, "vm"));
    }

    [Fact]
    public void Truncated_payload_without_trailer()
    {
        AuditLogRecord record = Record(Lines.SpecLines.Truncated);
        Assert.True(record.Line.IsMessageTruncated);
        Assert.True((record.Notes & AuditRecordNotes.Truncated) != 0);
        Assert.True(record.Virt.Trailer.IsMissing);
    }

    [Fact]
    public void Docker_virt_control_is_kept_generic_with_a_note()
    {
        AuditLogRecord record = Record(SpecExamples.Line("R8"));
        Assert.True(record.IsVirt);
        Assert.False(record.IsTyped);
        Assert.Equal(AuditRecordNotes.NotLibvirt, record.Notes);
        Assert.StartsWith("not a libvirt payload", record.Virt.Error, StringComparison.Ordinal);

        // Fields in order, duplicates kept, inner ones apart from the header's.
        List<string> fields = Fields(record);
        Assert.Equal("auid=4294967295", fields[2]);
        Assert.Contains("msg.auid=1000", fields);
        Assert.Equal(2, fields.Count(f => f.StartsWith("msg.exe=", StringComparison.Ordinal)));
        Assert.Equal(2, fields.Count(f => f.StartsWith("msg.hostname=", StringComparison.Ordinal)));
        Assert.Equal("msg.exe=sleep", fields.First(f => f.StartsWith("msg.exe=", StringComparison.Ordinal)));

        // The same record after a journald prefix and in ausearch -i output.
        string body = Body("R8");
        Assert.Equal(AuditRecordNotes.NotLibvirt | AuditRecordNotes.NoStamp, Record("Sep 25 06:45:23 node1 audit[1182]: VIRT_CONTROL " + body).Notes);
        Assert.Equal(AuditRecordNotes.NotLibvirt | AuditRecordNotes.Interpreted, Record("type=VIRT_CONTROL msg=audit(09/25/2017 06:45:23.246:470) : " + body).Notes);
    }

    [Fact]
    public void Virt_types_libvirt_does_not_write_are_noted()
    {
        AuditLogRecord record = Record("type=VIRT_CREATE msg=audit(1715510880.307:6000): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='op=create vm=\"x\" exe=\"/usr/bin/tool\" hostname=? addr=? terminal=? res=success'");
        Assert.Equal(2504, record.TypeNumber);
        Assert.Equal(AuditRecordNotes.OtherVirtType, record.Notes);
        Assert.False(record.IsTyped);
    }

    [Fact]
    public void Other_records_are_generic_with_fields_in_order_and_hex_decoding_per_field()
    {
        AuditLogRecord syscall = Record("type=SYSCALL msg=audit(1700000001.234:1001): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=7ffd items=1 ppid=1 pid=4242 auid=1000 uid=0 tty=pts0 ses=3 comm=\"cat\" exe=6D7920746F6F6C key=(null)\u001dARCH=x86_64 SYSCALL=openat AUID=\"alice\" UID=\"root\"");
        Assert.Equal(1300, syscall.TypeNumber);
        Assert.False(syscall.IsVirt);
        Assert.Equal(default, syscall.Virt);
        List<string> fields = Fields(syscall);
        Assert.Equal("arch=c000003e", fields[0]);
        Assert.Equal("key=(null)", fields[^1]);
        Assert.DoesNotContain(fields, f => f.StartsWith("msg.", StringComparison.Ordinal));
        Assert.Equal("x86_64", Interpreted(syscall, "arch"));
        Assert.Equal("openat", Interpreted(syscall, "syscall"));
        Assert.Equal("alice", Interpreted(syscall, "auid"));
        Assert.Equal("my tool", Interpreted(syscall, "exe"));
        Assert.Equal("cat", Interpreted(syscall, "comm"));
        Assert.Equal("3", Interpreted(syscall, "exit"));
        foreach (AuditField field in syscall.Fields)
        {
            Assert.Equal(Text(field.Name) is "comm" or "exe" or "key", field.IsEncoded);
        }

        AuditLogRecord proctitle = Record("type=PROCTITLE msg=audit(1700000001.234:1001): proctitle=636174002F6574632F706173737764");
        Assert.Equal("cat /etc/passwd", Interpreted(proctitle, "proctitle"));
        AuditField title = proctitle.Fields.GetEnumerator() is var e && e.MoveNext() ? e.Current : default;
        byte[] decoded = new byte[title.GetDecodedValueLength()];
        Assert.True(title.TryDecodeValue(decoded, out _));
        Assert.Equal("cat\0/etc/passwd"u8.ToArray(), decoded);

        AuditLogRecord avc = Record("type=AVC msg=audit(1700000001.300:1002): avc:  denied  { read write } for  pid=4242 comm=\"qemu-kvm\" name=\"disk.img\" dev=\"dm-0\" ino=123 scontext=system_u:system_r:svirt_t:s0:c1,c2 tcontext=system_u:object_r:default_t:s0 tclass=file permissive=0");
        Assert.Equal(["=avc:  denied  { read write } for", "pid=4242"], Fields(avc).Take(2));

        AuditLogRecord login = Record("type=USER_LOGIN msg=audit(1700000002.000:1003): pid=777 uid=0 auid=1000 ses=5 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=login id=1000 exe=\"/usr/sbin/sshd\" hostname=10.0.0.1 addr=10.0.0.1 terminal=/dev/pts/0 res=success'\u001dUID=\"root\" AUID=\"alice\" ID=\"alice\"");
        Assert.Equal(["pid=777", "uid=0", "auid=1000", "ses=5", "subj=system_u:system_r:sshd_t:s0-s0:c0.c1023", "msg.op=login", "msg.id=1000"], Fields(login).Take(7));
        Assert.Equal("alice", Interpreted(login, "id"));
        Assert.False(login.IsVirt);

        AuditLogRecord unknown = Record(Lines.SpecLines.Unknown1420);
        Assert.Equal(1420, unknown.TypeNumber);
        Assert.Equal("UNKNOWN[1420]", Text(unknown.TypeName));
    }

    [Theory]
    [InlineData("Accepted password for alice from 10.0.0.1 port 22 ssh2", AuditLogErrorKind.NotAuditRecord)]
    [InlineData("SYSCALL happened at noon", AuditLogErrorKind.NotAuditRecord)]
    [InlineData("WIDGET pid=1 msg='x'", AuditLogErrorKind.NotAuditRecord)]
    [InlineData("<14>1 2024-05-12T12:48:00Z host sshd 1 - - Accepted password", AuditLogErrorKind.NotAuditRecord)]
    [InlineData("<14>1 2024-05-12T12:48:00Z host audit 1 - [unclosed VIRT_RESOURCE pid=1", AuditLogErrorKind.NotAuditRecord)]
    [InlineData("<999>May 12 12:48:00 host audit[1]: VIRT_RESOURCE pid=1", AuditLogErrorKind.NotAuditRecord)]
    [InlineData("May 12 12:48:00 host sshd[123]: Accepted password for alice", AuditLogErrorKind.NotAuditRecord)]
    [InlineData("May 12 12:48:00 host audit[1]: lower case", AuditLogErrorKind.Malformed)]
    [InlineData("type=VIRT_CONTROL msg=audit(1715510880.307:): pid=1", AuditLogErrorKind.Malformed)]
    [InlineData("type=VIRT_CONTROL msg=audit(13/45/2014 17:01:05.891:6471) : pid=1", AuditLogErrorKind.Malformed)]
    [InlineData("audit: type=25x0 audit(1715510880.307:5025): x=1", AuditLogErrorKind.Malformed)]
    [InlineData("type=VIRT_CONTROL msg=audit(1715510880.307:5025): pid=x uid=0 auid=0 ses=0 msg='a=b'", AuditLogErrorKind.Malformed)]
    public void Lines_in_no_rendering_are_error_items(string line, AuditLogErrorKind kind)
    {
        ItemCopy item = Assert.Single(ReadAll(Lines.Corpus.Bytes(line)));
        Assert.Equal(AuditLogItemKind.Error, item.Kind);
        Assert.Equal(kind, item.ErrorKind);
        Assert.NotEmpty(item.Reason);
        Assert.Equal(line, Text(item.Line));
    }

    private static List<string> Pairs(in AuditLogRecord record)
    {
        var pairs = new List<string>();
        foreach (AuditField field in record.EnrichmentFields)
        {
            pairs.Add(Text(field.Name) + "=" + Text(field.Value));
        }

        return pairs;
    }
}
