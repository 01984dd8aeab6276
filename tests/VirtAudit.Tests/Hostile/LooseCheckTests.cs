using System.Text;

namespace VirtAudit.Tests.Hostile;

/// <summary>
/// Issue 12, finding 9 (rest): values no libvirt and no libaudit writes are errors at their field, not clean records:
/// an empty raw value (libvirt prints <c>?</c> for a missing one; a path or label has at least one byte), and a quoted
/// value holding a space, a control byte or DEL (every libaudit hex-encodes those, spec §4.1); an op other than
/// start, stop and init (spec §6.3: VirtOp is closed); a listed reason with an op or in a record libvirt never pairs it
/// with (spec §10: the schema's only-with/only-in), and a cgroup reason other than allow and deny (spec §8.6).
/// </summary>
public class LooseCheckTests
{
    private const string Guest = "vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11";
    private const string Trailer = " exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success";

    [Theory]
    [InlineData(2501, "virt=kvm resrc=shmem reason=start " + Guest + " size=1 path=", "path")]
    [InlineData(2501, "virt=kvm resrc=evdev reason=start " + Guest + " path=", "path")]
    [InlineData(2501, "virt=kvm resrc=ivshmem-socket reason=attach " + Guest + " path=", "path")]
    [InlineData(2502, "virt=kvm " + Guest + " vm-ctx= img-ctx=+107:+107 model=dac", "vm-ctx")]
    [InlineData(2501, "virt=kvm resrc=disk reason=start vm=\"my vm\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-disk=\"?\" new-disk=\"/a\"", "vm")]
    [InlineData(2501, "virt=kvm resrc=disk reason=start " + Guest + " old-disk=\"?\" new-disk=\"/a\tb\"", "new-disk")]
    [InlineData(2501, "virt=kvm resrc=disk reason=start " + Guest + " old-disk=\"?\" new-disk=\"/a\u007Fb\"", "new-disk")]
    [InlineData(2501, "virt=kvm resrc=cgroup reason=allow " + Guest + " cgroup=\"/sys/fs/cgroup/x/\" class=path path=\"/dev/kvm\" rdev=0A:E8 acl=zzz", "acl")]
    [InlineData(2500, "virt=kvm op=pause reason=booted " + Guest + " vm-pid=24811", "op")]
    [InlineData(2500, "virt=kvm op=? reason=booted " + Guest + " vm-pid=24811", "op")]
    [InlineData(2500, "virt=kvm op=stop reason=booted " + Guest + " vm-pid=0", "reason")]
    [InlineData(2500, "virt=kvm op=start reason=destroyed " + Guest + " vm-pid=24811", "reason")]
    [InlineData(2500, "op=stop reason=restored " + Guest, "reason")]
    [InlineData(2501, "virt=kvm resrc=disk reason=allow " + Guest + " old-disk=\"?\" new-disk=\"/a\"", "reason")]
    [InlineData(2501, "virt=kvm resrc=chardev reason=mirror " + Guest + " old-chardev=\"?\" new-chardev=\"/a\"", "reason")]
    [InlineData(2501, "virt=kvm resrc=mem reason=open " + Guest + " old-mem=0 new-mem=1048576", "reason")]
    [InlineData(2501, "virt=kvm resrc=cgroup reason=start " + Guest + " cgroup=\"/sys/fs/cgroup/x/\" class=all", "reason")]
    [InlineData(2501, "virt=kvm resrc=cgroup reason=resumed " + Guest + " cgroup=\"/sys/fs/cgroup/x/\" class=all", "reason")]
    public void A_value_no_libvirt_writes_is_an_error_at_its_field(int type, string libvirtPart, string field)
    {
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(type, Encoding.UTF8.GetBytes(libvirtPart + Trailer));

        Assert.False(record.IsTyped, $"typed as {record.Variant?.Name}, legacy {record.Legacy}");
        Assert.Equal(field, record.ErrorField);
        int at = libvirtPart.IndexOf(" " + field + "=", StringComparison.Ordinal) + 1;
        Assert.InRange(record.ErrorOffset, at, at + field.Length + 1);
    }

    [Theory]
    [InlineData("vm=6D7920766D", "my vm")]
    [InlineData("vm=\"T\u00e9st\"", "T\u00e9st")]
    public void Hex_and_raw_non_ascii_inside_quotes_are_still_read(string vm, string name)
    {
        // Non-ASCII bytes inside quotes are what libaudit wrote on unsigned-char ABIs before audit 4.2 (spec §4.1).
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(2501, Encoding.UTF8.GetBytes("virt=kvm resrc=disk reason=start " + vm + " uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-disk=\"?\" new-disk=\"/a\"" + Trailer));

        Assert.True(record.IsTyped, record.Error);
        Assert.Equal(name, record.Get<VirtResourceDisk>().Vm.Value);
    }

    [Fact]
    public void An_empty_raw_value_is_not_written_either()
    {
        var shmem = new VirtResourceShmem { Virt = VirtType.Kvm, Reason = VirtResourceReason.Start, Vm = "rhel9", Uuid = Guid.Empty, Size = 1, Path = string.Empty };

        Assert.False(shmem.IsValid(out string? error));
        Assert.Contains("cannot be empty", error, StringComparison.Ordinal);
        Assert.Throws<AuditFormatException>(() => shmem.TryFormat(new byte[512], out _));
    }
}
