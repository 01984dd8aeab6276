using System.Text;
using VirtAudit.Tests.Reading;

namespace VirtAudit.Tests.Hostile;

/// <summary>
/// Issue 12, finding 5: libaudit's old colon before <c>exe=</c> (≤ 2.1.x, spec §3.3) is a trailer shape only for
/// variants as old as it; in a younger variant (schema <c>since</c> ≥ 2.0) the colon is the last byte of the last value.
/// </summary>
public class ColonEraTests
{
    private const string Header = "type=VIRT_RESOURCE msg=audit(1715510880.307:5025): pid=1187 uid=0 auid=4294967295 ses=4294967295 msg='";
    private const string Guest = "vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11";
    private const string Trailer = " exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success";

    [Theory]
    [InlineData("virt=kvm resrc=shmem reason=start " + Guest + " size=4194304 path=/dev/shm/a:", "VirtResourceShmem", "/dev/shm/a:")]
    [InlineData("virt=kvm resrc=ivshmem-socket reason=attach " + Guest + " path=/var/lib/libvirt/shmem-a:-sock:", "VirtResourceIvshmemSocket", "/var/lib/libvirt/shmem-a:-sock:")]
    [InlineData("virt=kvm resrc=evdev reason=start " + Guest + " path=/dev/input/by-path/pci-0000:00:14.0-usb-0:1:", "VirtResourceEvdev", "/dev/input/by-path/pci-0000:00:14.0-usb-0:1:")]
    public void A_raw_path_ending_in_a_colon_keeps_it(string libvirtPart, string variant, string path)
    {
        AuditLogRecord record = ReadingSupport.Record(Header + libvirtPart + Trailer + "'");

        Assert.True(record.Virt.IsTyped, record.Virt.Error);
        Assert.Equal(variant, record.Virt.Variant!.Name);
        Assert.Equal(LegacyShape.None, record.Virt.Legacy);
        Assert.Equal(libvirtPart, Encoding.UTF8.GetString(record.Virt.LibvirtPart.Span));
        Assert.Equal(path, PathOf(record.Virt));
        byte[] buffer = new byte[1024];
        Assert.True(record.Virt.TryReencode(buffer, out int written));
        Assert.Equal(libvirtPart + Trailer, Encoding.UTF8.GetString(buffer, 0, written));
    }

    [Fact]
    public void The_generated_parser_keeps_the_colon_too()
    {
        byte[] message = Encoding.UTF8.GetBytes("virt=kvm resrc=shmem reason=start " + Guest + " size=1 path=/dev/shm/a:" + Trailer);

        Assert.True(VirtResourceShmem.TryParse(message, out VirtResourceShmem shmem));
        Assert.Equal("/dev/shm/a:", shmem.Path.Value);
        Assert.Equal(LegacyShape.None, shmem.Legacy);
    }

    [Fact]
    public void A_variant_as_old_as_the_colon_still_reads_it_as_the_legacy_trailer()
    {
        AuditLogRecord record = ReadingSupport.Record(Header + Samples.Spec["C22"] + "'");

        Assert.True(record.Virt.IsTyped, record.Virt.Error);
        Assert.Equal("VirtResourceNet", record.Virt.Variant!.Name);
        Assert.NotEqual(LegacyShape.None, record.Virt.Legacy & LegacyShape.ColonBeforeExe);
        Assert.Equal("52:54:00:aa:bb:cc", record.Virt.Get<VirtResourceNet>().NewNet.ToString());
    }

    [Fact]
    public void An_encoded_value_of_a_young_variant_followed_by_a_colon_is_an_error_at_that_field()
    {
        AuditLogRecord record = ReadingSupport.Record(Header + "virt=kvm resrc=tpm reason=start " + Guest + " device=\"/dev/tpm0\":" + Trailer + "'");

        Assert.False(record.Virt.IsTyped, "typed with a colon trailer libvirt 4.5 never had");
        Assert.Equal("device", record.Virt.ErrorField);
        Assert.Contains("space after the closing quote", record.Virt.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_era_comes_from_the_schema()
    {
        Assert.Equal(new Version(3, 4), VirtResourceShmem.Variant.Since);
        Assert.Equal(new Version(3, 9), VirtResourceEvdev.Variant.Since);
        Assert.Null(VirtResourceNet.Variant.Since);
        Assert.True(VirtResourceNet.Variant.AcceptsColonBeforeExe);
        Assert.True(VirtResourceRng.Variant.AcceptsColonBeforeExe);
        Assert.False(VirtResourceShmem.Variant.AcceptsColonBeforeExe);

        // Every variant younger than libvirt 2.0 refuses the colon; every older or undated one accepts it.
        foreach (VirtAuditVariantInfo v in VirtAuditRegistry.Default.Variants)
        {
            Assert.Equal(v.Since is null || v.Since < new Version(2, 0), v.AcceptsColonBeforeExe);
        }
    }

    private static string? PathOf(in VirtAuditRecord virt) => virt.Variant!.Name switch
    {
        "VirtResourceShmem" => virt.Get<VirtResourceShmem>().Path.Value,
        "VirtResourceIvshmemSocket" => virt.Get<VirtResourceIvshmemSocket>().Path.Value,
        _ => virt.Get<VirtResourceEvdev>().Path.Value,
    };
}
