using static VirtAudit.Tests.Records.RecordKit;
using VirtAudit.CompilerServices;

namespace VirtAudit.Tests.Records;

/// <summary>A payload the registry cannot type stays untyped, and its error says why in terms of the payload.</summary>
public class UntypedRecordTests
{
    private const string Guest = """vm="rhel9" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11""";

    /// <summary>Payloads that parse field by field but that libvirt never writes; the field the error names.</summary>
    public static TheoryData<string, int, string, string, string> Invalid => new()
    {
        {
            "op=init with a reason", AuditRecordTypes.VirtControl,
            $"virt=lxc op=init reason=booted {Guest} vm-pid=4711 init-pid=4720 pid-ns=4026532451",
            "reason", "Reason (reason) is only written when op is not init"
        },
        {
            "op=start without a reason", AuditRecordTypes.VirtControl,
            $"virt=kvm op=start {Guest} vm-pid=24811",
            "reason", "Reason (reason) is required when op is not init"
        },
        {
            "hostdev with both disk= and chardev=", AuditRecordTypes.VirtResource,
            $"""virt=lxc resrc=hostdev reason=attach {Guest} disk="/dev/sdb" chardev="/dev/ttyS1" """.TrimEnd(),
            "disk,chardev", "exactly one of Disk (disk), Chardev (chardev) must be set"
        },
        {
            "disk with neither side", AuditRecordTypes.VirtResource,
            $"""virt=kvm resrc=disk reason=start {Guest} old-disk="?" new-disk="?" """.TrimEnd(),
            "old-disk,new-disk", "libvirt writes no record when OldDisk (old-disk), NewDisk (new-disk) are all absent"
        },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void A_payload_that_parses_but_is_invalid_is_untyped_with_the_validation_error(string shape, int recordNumber, string payload, string field, string error)
    {
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(recordNumber, U(payload + Trailer));

        Assert.False(record.IsTyped, $"{shape}: typed as {record.Variant?.Name}");
        Assert.Equal(error, record.Error);
        Assert.Equal(field, record.ErrorField);
        string first = field.Split(',')[0];
        Assert.Equal(payload.Contains(" " + first + "=", StringComparison.Ordinal) ? payload.IndexOf(" " + first + "=", StringComparison.Ordinal) + 1 : payload.Length, record.ErrorOffset);
        Assert.Null(Reencode(record));
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void The_generated_parser_refuses_an_invalid_payload_too(string shape, int recordNumber, string payload, string field, string error)
    {
        VariantCase variant = Cases[recordNumber == AuditRecordTypes.VirtControl ? "VirtControl" : ExpectedVariant(recordNumber, payload)];
        Assert.True(FormatThroughType(variant, U(payload + Trailer)) is null, $"{shape}: {variant.Name}.TryParse took it");

        var ex = Assert.Throws<AuditFormatException>(() => ParseAs(variant.Name, U(payload)));
        Assert.Equal(field, ex.Field);
        Assert.Contains(error, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_candidate_lets_the_next_one_type_the_payload()
    {
        // The built-in hostdev variant parses this payload but refuses it (exactly one of disk, chardev); a variant
        // registered after it with the same constant then gets its turn.
        string payload = $"""virt=lxc resrc=hostdev reason=attach {Guest} disk="/dev/sdb" chardev="/dev/ttyS1" """.TrimEnd() + Trailer;
        VirtAuditRegistry registry = VirtAuditRegistry.Default.With([AnyHostdev.Variant]);
        VirtAuditRecord record = registry.Parse(AuditRecordTypes.VirtResource, U(payload));

        Assert.True(record.Is<AnyHostdev>(), $"typed as {record.Variant?.Name ?? "nothing: " + record.Error}");
        Assert.True(registry.Parse(AuditRecordTypes.VirtResource, Cases["VirtResourceHostdev"].Sample).Is<VirtResourceHostdev>());
    }

    [Fact]
    public void A_field_after_a_one_word_raw_value_is_not_swallowed_by_it()
    {
        // acl is the last field of a cgroup record and one word: rdev= after it is a field no cgroup major record has.
        string cgroup = $"""virt=kvm resrc=cgroup reason=allow {Guest} cgroup="/sys/fs/cgroup/machine.slice/machine-qemu\x2d3\x2drhel9.scope/" class=major category=pty maj=88 acl=rw rdev=01:03""";
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(AuditRecordTypes.VirtResource, U(cgroup + Trailer));
        Assert.False(record.IsTyped, "typed as " + record.Variant?.Name);
        Assert.Equal("unexpected text after the last field of VirtResourceCgroup", record.Error);
        Assert.Equal(cgroup.IndexOf(" rdev=", StringComparison.Ordinal) + 1, record.ErrorOffset);
        Assert.False(VirtResourceCgroup.TryParse(U(cgroup), out _));
        Assert.Equal("rw", VirtResourceCgroup.Parse(U(cgroup.Replace(" rdev=01:03", string.Empty, StringComparison.Ordinal))).Acl.Value);

        // The documented host NIC record's rdev (an interface name) is one word too.
        string nic = $"virt=kvm resrc=net reason=open {Guest} net=00:1b:21:3a:4c:5d rdev=eth0 mtu=1500";
        Assert.False(VirtResourceNetHost.TryParse(U(nic), out _));
        Assert.False(VirtAuditRegistry.Default.Parse(AuditRecordTypes.VirtResource, U(nic + Trailer)).IsTyped);

        // Raw paths may hold spaces (spec §4.3): the last field of an evdev record still runs to the end.
        VirtResourceEvdev evdev = VirtResourceEvdev.Parse(U($"virt=kvm resrc=evdev reason=start {Guest} path=/dev/input/by-id/my keyboard"));
        Assert.Equal("/dev/input/by-id/my keyboard", evdev.Path.Value);
    }

    [Fact]
    public void A_one_word_raw_value_built_in_code_must_be_one_word()
    {
        VirtResourceCgroup major = VirtResourceCgroup.Parse(Cases["VirtResourceCgroup"].Sample) with
        {
            Class = CgroupClass.Major,
            Category = CgroupCategory.Pty,
            Maj = 0x88,
            Path = AuditText.Absent,
            Rdev = null,
            Acl = "rw rdev=01:03",
        };
        var ex = Assert.Throws<AuditFormatException>(() => Format(major));
        Assert.Equal("acl", ex.Field);
        Assert.Equal("rw", Format(major with { Acl = "rw" })[^2..]);
    }

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

    private static object ParseAs(string variant, ReadOnlyMemory<byte> message) => variant switch
    {
        "VirtControl" => VirtControl.Parse(message),
        "VirtResourceHostdev" => VirtResourceHostdev.Parse(message),
        "VirtResourceDisk" => VirtResourceDisk.Parse(message),
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "no case"),
    };

    /// <summary>A consumer's variant that takes any resrc=hostdev payload (to test the registry's order).</summary>
    private readonly record struct AnyHostdev(LegacyShape Legacy) : IVirtAuditVariant<AnyHostdev>
    {
        public static VirtAuditVariantInfo Variant { get; } = VirtAuditVariantInfo.Create<AnyHostdev>("AnyHostdev", "VIRT_RESOURCE", AuditRecordTypes.VirtResource, false, null, "resrc=hostdev");

        public static bool TryRead(ref PayloadReader reader, out AnyHostdev record)
        {
            record = default;
            return reader.TryReadRaw("virt"u8, default, out _) && reader.End;
        }

        public bool IsValid([System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
        {
            error = null;
            return true;
        }

        public bool TryFormat(Span<byte> destination, out int bytesWritten)
        {
            bytesWritten = 0;
            return false;
        }

        public void WriteTo(System.Buffers.IBufferWriter<byte> writer) => throw new NotSupportedException();
    }
}
