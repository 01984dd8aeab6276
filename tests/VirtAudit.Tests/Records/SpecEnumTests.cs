using System.Reflection;
using VirtAudit.Schema;
using static VirtAudit.Tests.Records.RecordKit;

namespace VirtAudit.Tests.Records;

/// <summary>
/// The generated enums carry exactly the values the specification lists (§5, §6.3, §7, §8.3, §8.6, §10): every one
/// of them, and nothing else but <c>Other</c> (a value the schema does not list, kept verbatim).
/// </summary>
public class SpecEnumTests
{
    public static TheoryData<Type, string> SpecValues => new()
    {
        // §5: the full virDomainVirtType list, and nvmm from downstream BSD ports; `?` (unknown type) is tested below.
        { typeof(VirtType), "none qemu kqemu kvm xen lxc uml openvz test vmware hyperv vbox phyp parallels bhyve vz hvf nvmm" },
        { typeof(VirtOp), "start stop init" },                                          // §6.3
        { typeof(SecurityModel), "selinux apparmor dac" },                               // §7
        { typeof(HostdevBus), "pci usb scsi scsi_host mdev" },                           // §8.3
        { typeof(CgroupClass), "all major path" },                                       // §8.6
        { typeof(CgroupCategory), "pty sound" },                                         // §8.6
        { typeof(VirtControlReason), "booted restored migrated from-snapshot reboot destroyed shutdown failed saved crashed" }, // §10 op=start, op=stop
        { typeof(VirtResourceReason), "start attach detach update mirror snapshot open allow deny" },                          // §10 VIRT_RESOURCE
    };

    [Theory]
    [MemberData(nameof(SpecValues))]
    public void The_enum_has_exactly_the_values_of_the_spec(Type enumType, string values)
    {
        var members = Members(enumType);
        Assert.Equal(0, (int)enumType.GetField("Other")!.GetValue(null)!);
        Assert.Null(enumType.GetField("Other")!.GetCustomAttribute<AuditValueAttribute>());
        Assert.Equal(values.Split(' '), members.Select(m => m.Audit));
        Assert.Equal(Enum.GetNames(enumType).Length, members.Count + 1);
    }

    [Fact]
    public void Control_reasons_go_with_the_op_spec_10_lists_them_under()
    {
        // §10: op=start booted restored migrated from-snapshot reboot; op=stop destroyed shutdown failed saved crashed
        // migrated from-snapshot reboot; op=init has none.
        var onlyWith = Members(typeof(VirtControlReason)).ToDictionary(m => m.Audit, m => m.OnlyWith);
        foreach (string start in new[] { "booted", "restored" })
        {
            Assert.Equal("Op=Start", onlyWith[start]);
        }

        foreach (string both in new[] { "migrated", "from-snapshot", "reboot" })
        {
            Assert.Equal("Op=Start|Stop", onlyWith[both]);
        }

        foreach (string stop in new[] { "destroyed", "shutdown", "failed", "saved", "crashed" })
        {
            Assert.Equal("Op=Stop", onlyWith[stop]);
        }
    }

    [Fact]
    public void Resource_reasons_of_one_resrc_are_marked_for_its_variants()
    {
        // §10: mirror and snapshot are disk reasons, open the net device open's, allow and deny the cgroup's.
        var onlyIn = Members(typeof(VirtResourceReason)).ToDictionary(m => m.Audit, m => m.OnlyIn);
        Assert.Equal("VirtResourceDisk", onlyIn["mirror"]);
        Assert.Equal("VirtResourceDisk", onlyIn["snapshot"]);
        Assert.Equal("VirtResourceNetOpen;VirtResourceNetHost", onlyIn["open"]);
        Assert.Equal("VirtResourceCgroup", onlyIn["allow"]);
        Assert.Equal("VirtResourceCgroup", onlyIn["deny"]);
        Assert.All(new[] { "start", "attach", "detach", "update" }, reason => Assert.Null(onlyIn[reason]));
    }

    [Fact]
    public void Virt_question_mark_is_no_member_and_is_kept()
    {
        // §5: virt=? when libvirt has no name for the domain type.
        string payload = """virt=? op=start reason=booted vm="rhel9" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-pid=24811""";
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(AuditRecordTypes.VirtControl, U(payload + Trailer));
        VirtControl control = record.Get<VirtControl>();
        Assert.True(control.Virt.IsSet);
        Assert.False(control.Virt.IsKnown);
        Assert.Equal(VirtType.Other, control.Virt.Value);
        Assert.Equal("?", control.Virt.ToString());
        Assert.Equal(payload + Trailer, L(Reencode(record)));
    }

    private static List<(string Audit, string? OnlyWith, string? OnlyIn)> Members(Type enumType) =>
        enumType.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.Name != "Other")
            .OrderBy(f => (int)f.GetValue(null)!)
            .Select(f => f.GetCustomAttribute<AuditValueAttribute>() is { } a
                ? (a.AuditText, a.OnlyWith, a.OnlyIn)
                : throw new InvalidOperationException($"{enumType.Name}.{f.Name} has no [AuditValue]: a member the spec does not explain"))
            .ToList();
}
