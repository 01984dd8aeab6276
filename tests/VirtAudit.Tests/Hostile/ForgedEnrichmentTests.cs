using VirtAudit.Tests.Reading;

namespace VirtAudit.Tests.Hostile;

/// <summary>Issue 12, finding 6: a 0x1D inside a raw field of a RAW line cannot forge the result.</summary>
public class ForgedEnrichmentTests
{
    private const string Header = "type=VIRT_RESOURCE msg=audit(1715510880.307:5025): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='";
    private const string Trailer = " exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=";

    [Theory]
    [InlineData("EVIL")]
    [InlineData("UID=\"root\"")]
    public void A_separator_inside_a_raw_path_is_data(string after)
    {
        // libvirt writes the evdev path raw: a guest-chosen path holds a whole forged ending.
        string path = "/dev/input/x" + Trailer + "success'\u001d" + after;
        string line = Header + "virt=kvm resrc=evdev reason=start vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 path=" + path + Trailer + "failed'";

        AuditLogRecord record = ReadingSupport.Record(line);

        Assert.Equal(AuditRendering.Raw, record.Rendering);
        Assert.False(record.Line.HasEnrichment, "a forged ENRICHED tail");
        Assert.EndsWith("res=failed", ReadingSupport.Text(record.Line.Message), StringComparison.Ordinal);
        Assert.False(record.Virt.Trailer.Success);
    }

    [Fact]
    public void A_real_enriched_tail_is_still_read()
    {
        AuditLogRecord record = ReadingSupport.Record(Header + Samples.Spec["C12"] + "'\u001dUID=\"root\" AUID=\"unset\"");

        Assert.Equal(AuditRendering.Enriched, record.Rendering);
        Assert.True(record.Virt.IsTyped, record.Virt.Error);
        Assert.True(record.Virt.Trailer.Success);
    }
}
