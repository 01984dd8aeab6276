using static VirtAudit.Tests.Records.RecordKit;

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
        public static VirtAuditVariantInfo Variant { get; } = VirtAuditVariantInfo.Create<AnyHostdev>("AnyHostdev", "VIRT_RESOURCE", AuditRecordTypes.VirtResource, false, "resrc=hostdev");

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
