using VirtAudit.Tests.Reading;

namespace VirtAudit.Tests.Hostile;

/// <summary>Issue 12, finding 4: a broken ending is not swallowed into the last raw field.</summary>
public class BrokenEndingTests
{
    private const string Header = "type=VIRT_RESOURCE msg=audit(1715510880.307:5025): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='";

    [Theory]
    [InlineData("C11", " exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=SUCCESS")]
    [InlineData("C11", " exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=1")]
    [InlineData("C11", " exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success ")]
    [InlineData("C11", "")]
    [InlineData("C12", " exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=SUCCESS")]
    [InlineData("C12", "")]
    public void A_whole_message_with_a_broken_ending_is_not_typed(string sample, string ending)
    {
        string libvirtPart = Samples.Spec[sample].Substring(0, Samples.Spec[sample].IndexOf(" exe=", StringComparison.Ordinal));

        AuditLogRecord record = ReadingSupport.Record(Header + libvirtPart + ending + "'");

        Assert.Equal(AuditRecordNotes.None, record.Notes & AuditRecordNotes.Truncated);
        Assert.False(record.Virt.IsTyped, "typed, with the ending inside a raw field");
        Assert.NotEqual(AuditRecordNotes.None, record.Notes & AuditRecordNotes.Untyped);
    }

    [Fact]
    public void A_cut_message_without_its_trailer_is_still_typed()
    {
        string message = Samples.Spec["C11"];
        string line = Header + message.Substring(0, message.IndexOf(" exe=", StringComparison.Ordinal) + " exe=\"/usr".Length);

        AuditLogRecord record = ReadingSupport.Record(line);

        Assert.NotEqual(AuditRecordNotes.None, record.Notes & AuditRecordNotes.Truncated);
        Assert.True(record.Virt.IsTyped, record.Virt.Error);
    }
}
