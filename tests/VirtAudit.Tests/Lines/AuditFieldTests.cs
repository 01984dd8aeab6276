namespace VirtAudit.Tests.Lines;

using static Corpus;

public class AuditFieldTests
{
    private static List<(string Name, string Value, bool Inner)> Fields(AuditFieldEnumerator fields)
    {
        var list = new List<(string, string, bool)>();
        foreach (AuditField field in fields)
        {
            list.Add((Text(field.Name), Text(field.Value), field.IsInner));
        }

        return list;
    }

    private static List<(string Name, string Value)> Pairs(AuditEnrichmentEnumerator pairs)
    {
        var list = new List<(string, string)>();
        foreach (AuditField field in pairs)
        {
            Assert.False(field.IsInner);
            list.Add((Text(field.Name), Text(field.Value)));
        }

        return list;
    }

    [Fact]
    public void User_message_yields_header_fields_then_inner_fields_and_no_tail()
    {
        AuditLine line = AuditLine.Parse(Bytes(SpecLines.C14));

        Assert.Equal(
            [
                ("pid", "1187", false),
                ("uid", "0", false),
                ("auid", "4294967295", false),
                ("ses", "4294967295", false),
                ("subj", "system_u:system_r:virtqemud_t:s0", false),
                ("virt", "kvm", true),
                ("op", "start", true),
                ("reason", "booted", true),
                ("vm", "\"rhel9\"", true),
                ("uuid", "3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11", true),
                ("vm-pid", "24811", true),
                ("exe", "\"/usr/sbin/virtqemud\"", true),
                ("hostname", "?", true),
                ("addr", "?", true),
                ("terminal", "?", true),
                ("res", "success", true),
            ],
            Fields(line.Fields));
    }

    [Fact]
    public void R8_duplicates_and_order_are_kept()
    {
        AuditLine line = AuditLine.Parse(Bytes(SpecLines.R8));
        var inner = Fields(line.Fields).Where(f => f.Inner).Select(f => (f.Name, f.Value)).ToList();

        Assert.Equal(
            [
                ("reason", "api"),
                ("vm-pid", "10657"),
                ("hostname", "1235c5a6476b"),
                ("op", "resize"),
                ("vm", "centos:7"),
                ("user", "origin"),
                ("auid", "1000"),
                ("exe", "sleep"),
                ("exe", "\"/usr/bin/dockerd-current\""),
                ("hostname", "?"),
                ("addr", "?"),
                ("terminal", "?"),
                ("res", "success"),
            ],
            inner);
        Assert.Equal(5, Fields(line.Fields).Count(f => !f.Inner));
    }

    [Fact]
    public void Subj_with_a_space_is_one_header_field()
    {
        AuditLine line = AuditLine.Parse(Bytes(SpecLines.AppArmorSubj));
        var outer = Fields(line.Fields).Where(f => !f.Inner).ToList();

        Assert.Equal(("subj", "docker (enforce)", false), outer[^1]);
        Assert.Equal(5, outer.Count);
    }

    [Fact]
    public void Legacy_user_token_is_a_nameless_header_item()
    {
        AuditLine line = AuditLine.Parse(Bytes(SpecLines.C22));
        var fields = Fields(line.Fields);

        Assert.Equal(("", "user", false), fields[0]);
        Assert.Equal(("pid", "2000", false), fields[1]);
        Assert.Equal(("subj", "system_u:system_r:virtd_t:s0-s0:c0.c1023", false), fields[5]);
        Assert.Equal(("virt", "kvm", true), fields[6]);
        Assert.Contains(("new-net", "52:54:00:aa:bb:cc:", true), fields);
    }

    [Fact]
    public void Apostrophe_value_stays_inside_its_field()
    {
        AuditLine line = AuditLine.Parse(Bytes(SpecLines.Apostrophe));
        var fields = Fields(line.Fields);

        Assert.Contains(("vm", "\"it's\"", true), fields);
        Assert.Contains(("new-disk", "\"/var/lib/libvirt/images/it's.qcow2\"", true), fields);
        Assert.Equal(("res", "success", true), fields[^1]);
    }

    [Fact]
    public void Truncated_message_yields_what_is_there()
    {
        AuditLine line = AuditLine.Parse(Bytes(SpecLines.Truncated));
        var fields = Fields(line.Fields);

        Assert.Equal(("new-disk", "\"/var/lib/libvirt/images/a-very-long-na", true), fields[^1]);
    }

    [Fact]
    public void Flat_record_yields_every_field_in_order()
    {
        const string Syscall =
            "type=SYSCALL msg=audit(1795542501.612:3): arch=c000003e syscall=44 success=yes exit=60 a0=3 a1=7ffe4e8ae2f0 a2=3c a3=0 items=0 ppid=6932 pid=6950 auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm=\"auditctl\" exe=\"/usr/sbin/auditctl\" key=(null)\u001DARCH=x86_64 SYSCALL=sendto AUID=\"unset\" UID=\"root\" GID=\"root\" EUID=\"root\" SUID=\"root\" FSUID=\"root\" EGID=\"root\" SGID=\"root\" FSGID=\"root\"";
        AuditLine line = AuditLine.Parse(Bytes(Syscall));
        var fields = Fields(line.Fields);

        Assert.Equal(
            "arch syscall success exit a0 a1 a2 a3 items ppid pid auid uid gid euid suid fsuid egid sgid fsgid tty ses comm exe key",
            string.Join(' ', fields.Select(f => f.Name)));
        Assert.All(fields, f => Assert.False(f.Inner));
        Assert.Equal(("tty", "(none)", false), fields[20]);
        Assert.Equal(("key", "(null)", false), fields[^1]);
        Assert.Equal(
            "ARCH SYSCALL AUID UID GID EUID SUID FSUID EGID SGID FSGID",
            string.Join(' ', Pairs(line.EnrichmentFields).Select(p => p.Name)));
    }

    [Fact]
    public void Words_without_equals_continue_the_value_before_them()
    {
        AuditLine line = AuditLine.Parse(Bytes(
            "type=ADD_GROUP msg=audit(1795542564.600:4): pid=8191 uid=0 auid=4294967295 ses=4294967295 msg='op=adding group to /etc/group id=995 exe=\"/usr/sbin/groupadd\" hostname=? addr=? terminal=? res=success'\u001DUID=\"root\" AUID=\"unset\" ID=\"libvirt-qemu\""));
        var inner = Fields(line.Fields).Where(f => f.Inner).ToList();

        Assert.Equal(("op", "adding group to /etc/group", true), inner[0]);
        Assert.Equal(("id", "995", true), inner[1]);
        Assert.Equal(
            [("UID", "\"root\""), ("AUID", "\"unset\""), ("ID", "\"libvirt-qemu\"")],
            Pairs(line.EnrichmentFields));
    }

    [Fact]
    public void Empty_value_and_leading_text_without_equals()
    {
        AuditLine empty = AuditLine.Parse(Bytes("type=ADD_GROUP msg=audit(1.600:6): pid=8191 uid=0 auid=1 ses=2 msg='op= id=995'"));
        AuditLine avc = AuditLine.Parse(Bytes("type=AVC msg=audit(1.000:1): avc:  denied  { read } for  pid=42 comm=\"cat\" name=\"x\""));

        Assert.Equal([("op", "", true), ("id", "995", true)], Fields(empty.Fields).Where(f => f.Inner).ToList());
        Assert.Equal(
            [("", "avc:  denied  { read } for", false), ("pid", "42", false), ("comm", "\"cat\"", false), ("name", "\"x\"", false)],
            Fields(avc.Fields));
    }

    [Fact]
    public void Enumerator_over_a_body_matches_the_line_and_ignores_the_tail()
    {
        foreach (string text in new[] { SpecLines.C14, SpecLines.C22, SpecLines.R8, SpecLines.Truncated, SpecLines.Unknown1420 })
        {
            AuditLine line = AuditLine.Parse(Bytes(text));
            Assert.Equal(Fields(line.Fields), Fields(new AuditFieldEnumerator(line.Body)));
        }

        byte[] bodyWithTail = Bytes("a=1 msg='b=2 c=3'\u001DUID=\"root\"");
        Assert.Equal([("a", "1", false), ("b", "2", true), ("c", "3", true)], Fields(new AuditFieldEnumerator(bodyWithTail)));
    }

    [Fact]
    public void Enrichment_pairs_with_a_socket_address()
    {
        byte[] tail = Bytes("SADDR={ saddr_fam=inet laddr=127.0.0.1 lport=53 } UID=\"root\" SYSCALL=connect");

        Assert.Equal(
            [("SADDR", "{ saddr_fam=inet laddr=127.0.0.1 lport=53 }"), ("UID", "\"root\""), ("SYSCALL", "connect")],
            Pairs(new AuditEnrichmentEnumerator(tail)));
        Assert.Equal(
            [("SADDR", "{ fam=local path=/run/x")],
            Pairs(new AuditEnrichmentEnumerator(Bytes("SADDR={ fam=local path=/run/x"))));
        Assert.Empty(Pairs(new AuditEnrichmentEnumerator(default)));
    }

    [Theory]
    [InlineData("\"root\"", "root")]
    [InlineData("\"\"", "")]
    [InlineData("\"?\"", "?")]
    [InlineData("61756469742D766D3220227465737422", "audit-vm2 \"test\"")]
    [InlineData("555342207265646972646576", "USB redirdev")]
    [InlineData("'52:54:00:aa:bb:cc'", "52:54:00:aa:bb:cc")]
    [InlineData("6d79", "6d79")]
    [InlineData("ABC", "ABC")]
    [InlineData("A", "A")]
    [InlineData("\"", "\"")]
    [InlineData("\"open", "\"open")]
    [InlineData("?", "?")]
    [InlineData("", "")]
    [InlineData("/dev/shm/x", "/dev/shm/x")]
    public void Values_decode_by_their_form(string raw, string decoded)
    {
        byte[] value = Bytes(raw);
        byte[] destination = new byte[64];

        Assert.Equal(decoded.Length, AuditField.GetDecodedLength(value));
        Assert.True(AuditField.TryDecode(value, destination, out int written));
        Assert.Equal(decoded, Text(destination.AsMemory(0, written)));
    }

    [Fact]
    public void Hex_decodes_to_non_ascii_bytes()
    {
        byte[] destination = new byte[8];

        Assert.True(AuditField.TryDecode(Bytes("D0A2D0B5D181D182"), destination, out int written));
        Assert.Equal("Тест", System.Text.Encoding.UTF8.GetString(destination, 0, written));
    }

    [Fact]
    public void Decoding_into_a_short_span_fails_without_writing_a_count()
    {
        byte[] destination = new byte[3];

        Assert.False(AuditField.TryDecode(Bytes("\"root\""), destination, out int written));
        Assert.Equal(0, written);
        Assert.False(AuditField.TryDecode(Bytes("726F6F74"), destination, out written));
        Assert.Equal(0, written);
        Assert.True(AuditField.TryDecode(Bytes("726F6F"), destination, out written));
        Assert.Equal("roo", Text(destination.AsMemory(0, written)));
    }

    [Fact]
    public void Field_instance_helpers_use_its_value()
    {
        AuditLine line = AuditLine.Parse(Bytes(SpecLines.C14));
        AuditFieldEnumerator fields = line.Fields;
        AuditField vm = default;
        while (fields.MoveNext())
        {
            if (fields.Current.NameEquals("vm"u8))
            {
                vm = fields.Current;
            }
        }

        byte[] destination = new byte[16];
        Assert.Equal(5, vm.GetDecodedValueLength());
        Assert.True(vm.TryDecodeValue(destination, out int written));
        Assert.Equal("rhel9", Text(destination.AsMemory(0, written)));
        Assert.False(vm.NameEquals("v"u8));
    }
}
