using static VirtAudit.Tests.Records.RecordKit;

namespace VirtAudit.Tests.Records;

/// <summary>A payload the registry cannot type stays untyped, and its error says why in terms of the payload.</summary>
public class UntypedRecordTests
{
    private const string Guest = """vm="rhel9" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11""";

    [Fact]
    public void An_unknown_resrc_is_named_in_the_error()
    {
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(AuditRecordTypes.VirtResource, U($"""virt=kvm resrc=vsock reason=start {Guest} cid=3""" + Trailer));

        Assert.False(record.IsTyped);
        Assert.Equal("no variant for resrc=vsock (extend the schema to type it)", record.Error);
    }

    [Fact]
    public void A_resource_payload_without_resrc_says_so()
    {
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(AuditRecordTypes.VirtResource, U($"""virt=kvm reason=start {Guest} old-disk="?" new-disk="/a.img" """.TrimEnd() + Trailer));

        Assert.False(record.IsTyped);
        Assert.Equal("no variant for a payload without resrc= (extend the schema to type it)", record.Error);
    }
}
