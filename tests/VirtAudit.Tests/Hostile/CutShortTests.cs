using VirtAudit.Tests.Reading;

namespace VirtAudit.Tests.Hostile;

/// <summary>Issue 12, findings 3 and 7: "cut short" means what the kernel (8560 bytes, spec §3.6) and forwarders do.</summary>
public class CutShortTests
{
    private const string Header = "type=VIRT_CONTROL msg=audit(1715510880.307:5025): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='";
    private const string BadUuid = "virt=kvm op=start reason=booted vm=\"rhel9\" uuid=not-a-uuid vm-pid=24811 exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success";

    [Theory]
    [InlineData("'")]
    [InlineData("' ")]
    [InlineData("'\t")]
    [InlineData("'  ")]
    public void A_byte_after_the_closing_quote_does_not_hide_an_error(string ending)
    {
        AuditLogRecord record = ReadingSupport.Record(Header + BadUuid + ending);

        Assert.Equal(AuditRecordNotes.None, record.Notes & AuditRecordNotes.Truncated);
        Assert.False(record.Virt.IsTyped);
        Assert.Equal(BadUuid, ReadingSupport.Text(record.Line.Message));
    }

    [Fact]
    public void Bytes_after_a_closed_message_are_not_a_cut()
    {
        AuditLogRecord record = ReadingSupport.Record(Header + Samples.Spec["C14"] + "'X");

        Assert.Equal(AuditRecordNotes.None, record.Notes & AuditRecordNotes.Truncated);
        Assert.False(record.Virt.IsTyped);
    }

    [Theory]
    [InlineData(8559, false)]
    [InlineData(8560, true)]
    [InlineData(8561, false)]
    [InlineData(20000, false)]
    public void A_closed_message_without_res_is_cut_only_at_the_kernels_limit(int length, bool cut)
    {
        string head = "virt=kvm resrc=shmem reason=start vm=\"a\" uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 size=1 path=/";
        string message = head + new string('x', length - head.Length);

        AuditLogRecord record = ReadingSupport.Record(Header.Replace("VIRT_CONTROL", "VIRT_RESOURCE", StringComparison.Ordinal) + message + "'");

        Assert.Equal(length, record.Line.Message.Length);
        Assert.Equal(cut, (record.Notes & AuditRecordNotes.Truncated) != 0);
    }

    [Fact]
    public void A_value_at_a_cut_is_not_a_value()
    {
        string line = Header + Samples.Spec["C14"];
        line = line.Substring(0, line.IndexOf("vm-pid=2", StringComparison.Ordinal) + "vm-pid=2".Length);

        AuditLogRecord record = ReadingSupport.Record(line);

        Assert.NotEqual(AuditRecordNotes.None, record.Notes & AuditRecordNotes.Truncated);
        Assert.DoesNotContain("vm-pid", ReadingSupport.Text(record.Virt.LibvirtPart), StringComparison.Ordinal);
    }

    [Fact]
    public void A_cut_after_a_whole_field_still_types_the_fields_before_it()
    {
        string line = Header + Samples.Spec["C14"];
        line = line.Substring(0, line.IndexOf(" exe=", StringComparison.Ordinal) + " exe=\"/usr/sb".Length);

        AuditLogRecord record = ReadingSupport.Record(line);

        Assert.NotEqual(AuditRecordNotes.None, record.Notes & AuditRecordNotes.Truncated);
        Assert.True(record.Virt.IsTyped, record.Virt.Error);
    }
}
