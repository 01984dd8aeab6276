using VirtAudit.Tests.Lines;
using static VirtAudit.Tests.Records.RecordKit;

namespace VirtAudit.Tests.Records;

/// <summary>Issue 2 §6: the libvirt examples of spec §14 (R1–R6, C1–C21 today's format, C22 legacy, R7/R8 not libvirt).</summary>
public class SpecExampleRecordTests
{
    public static IEnumerable<object[]> CurrentLines =>
        Enumerable.Range(1, 21).Select(n => new object[] { "C" + n });

    public static IEnumerable<object[]> RealPayloads =>
        SpecExamples.RealPayloads.Keys.Select(key => new object[] { key });

    [Theory]
    [MemberData(nameof(CurrentLines))]
    public void Constructed_line_is_typed_and_reencodes_byte_for_byte(string id)
    {
        AuditLine line = ParseLine(SpecExamples.Lines[id]);
        AssertCurrentRoundTrip(line.TypeNumber, line.Message);
    }

    [Theory]
    [MemberData(nameof(RealPayloads))]
    public void Real_payload_is_typed_and_reencodes_byte_for_byte(string id)
    {
        // R1–R6 are all VIRT_RESOURCE records (journald renders the type by name only).
        AssertCurrentRoundTrip(AuditRecordTypes.VirtResource, U(SpecExamples.RealPayloads[id]));
    }

    [Fact]
    public void The_examples_cover_the_variants_they_claim()
    {
        var variants = new Dictionary<string, string>();
        foreach ((string id, string text) in SpecExamples.Lines)
        {
            if (id == "C22")
            {
                continue;
            }

            AuditLine line = ParseLine(text);
            variants[id] = VirtAuditRegistry.Default.Parse(line.TypeNumber, line.Message).Variant!.Name;
        }

        foreach ((string id, string payload) in SpecExamples.RealPayloads)
        {
            variants[id] = VirtAuditRegistry.Default.Parse(AuditRecordTypes.VirtResource, U(payload)).Variant!.Name;
        }

        Assert.Equal("VirtMachineId", variants["C1"]);
        Assert.Equal("VirtMachineId", variants["C2"]);
        Assert.Equal("VirtResourceCgroup", variants["C3"]);
        Assert.Equal("VirtResourceNetOpen", variants["C5"]);
        Assert.Equal("VirtResourceFs", variants["C6"]);
        Assert.Equal("VirtResourceDev", variants["C7"]);
        Assert.Equal("VirtResourceTpmEmulator", variants["C10"]);
        Assert.Equal("VirtResourceShmem", variants["C11"]);
        Assert.Equal("VirtResourceEvdev", variants["C12"]);
        Assert.Equal("VirtControl", variants["C20"]);
        Assert.Equal("VirtResourceHostdev", variants["C21"]);
        Assert.Equal("VirtResourceDisk", variants["R1"]);
        Assert.Equal("VirtResourceNet", variants["R2"]);
        Assert.Equal("VirtResourceDev", variants["R3"]);
        Assert.Equal("VirtResourceCgroup", variants["R6"]);
    }

    [Fact]
    public void C14_keeps_its_enrichment_apart_from_the_typed_payload()
    {
        AuditLine line = ParseLine(SpecExamples.Lines["C14"]);
        Assert.True(line.HasEnrichment);
        Assert.Equal("UID=\"root\" AUID=\"unset\"", Corpus.Text(line.Enrichment));
        VirtControl control = VirtControl.Parse(line.Message);
        Assert.Equal(24811, control.VmPid);
        Assert.EndsWith("res=success", Corpus.Text(line.Message));
    }

    [Fact]
    public void C22_parses_to_the_right_values_and_is_flagged_legacy()
    {
        AuditLine line = ParseLine(SpecExamples.Lines["C22"]);
        Assert.True(line.KernelHeader.HasUserPrefix);
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(line.TypeNumber, line.Message);

        Assert.True(record.IsTyped, record.Error);
        Assert.True(record.Is<VirtResourceNet>());
        Assert.True(record.IsLegacy);
        Assert.True(record.Legacy.HasFlag(LegacyShape.BareValue), record.Legacy.ToString());
        Assert.True(record.Legacy.HasFlag(LegacyShape.ColonBeforeExe), record.Legacy.ToString());
        Assert.False(record.Legacy.HasFlag(LegacyShape.LegacyVariant));

        // The colon belongs to libaudit: it is not part of the MAC.
        Assert.Equal("""virt=kvm resrc=net reason=start vm="rhel6" uuid=11111111-2222-3333-4444-555555555555 old-net=? new-net=52:54:00:aa:bb:cc""", Corpus.Text(record.LibvirtPart));
        Assert.Equal("/usr/sbin/libvirtd", record.Trailer.Exe.Value);
        Assert.True(record.Trailer.Success);

        Assert.True(record.TryGet(out VirtResourceNet net));
        Assert.Equal(VirtType.Kvm, net.Virt.Value);
        Assert.Equal(VirtResourceReason.Start, net.Reason.Value);
        Assert.Equal("rhel6", net.Vm.Value);
        Assert.Equal(AuditValueForm.Quoted, net.Vm.Form);
        Assert.Equal(new Guid("11111111-2222-3333-4444-555555555555"), net.Uuid);
        Assert.Null(net.OldNet);
        Assert.Equal(MacAddress.Parse("52:54:00:aa:bb:cc"), net.NewNet);
        Assert.True(net.Legacy.HasFlag(LegacyShape.BareValue));

        // Written back as libvirt writes it today: both MACs quoted.
        Assert.Equal(
            """virt=kvm resrc=net reason=start vm="rhel6" uuid=11111111-2222-3333-4444-555555555555 old-net="?" new-net="52:54:00:aa:bb:cc" """.TrimEnd(),
            Format(net));
    }

    [Fact]
    public void C22_reencodes_with_todays_values_in_its_own_shape()
    {
        // VirtAuditRecord.TryReencode: values as libvirt encodes them today (quoted MACs), the record's own shape
        // kept (libaudit's old colon before exe=).
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(AuditRecordTypes.VirtResource, MessageOf(SpecExamples.Lines["C22"]));
        Assert.Equal(
            """virt=kvm resrc=net reason=start vm="rhel6" uuid=11111111-2222-3333-4444-555555555555 old-net="?" new-net="52:54:00:aa:bb:cc": exe="/usr/sbin/libvirtd" hostname=? addr=? terminal=? res=success""",
            L(Reencode(record)));
    }

    [Fact]
    public void R7_the_ausearch_interpreted_form_is_not_typed_as_a_libvirt_record()
    {
        string payload = Bytes.PayloadOf(SpecExamples.R7);
        Assert.StartsWith("virt=kvm op=start reason=booted vm=vm1 ", payload);
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(AuditRecordTypes.VirtControl, U(payload));

        Assert.False(record.IsTyped, $"R7 was typed as {record.Variant?.Name} (legacy {record.Legacy})");
        Assert.False(string.IsNullOrEmpty(record.Error));
        Assert.False(record.Is<VirtControl>());
        Assert.False(record.TryGet(out VirtControl _));
        Assert.False(record.TryReencode(new byte[1024], out int written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void R8_the_docker_record_is_not_a_libvirt_payload()
    {
        AuditLine line = ParseLine(SpecExamples.R8);
        Assert.Equal(AuditRecordTypes.VirtControl, line.TypeNumber);
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(line.TypeNumber, line.Message);

        Assert.False(record.IsTyped);
        Assert.Null(record.Variant);
        Assert.Contains("not a libvirt payload", record.Error);
        Assert.False(record.Is<VirtControl>());
        Assert.Throws<InvalidOperationException>(() => record.Get<VirtControl>());
        Assert.False(VirtControl.TryParse(line.Message, out _));
        Assert.Equal("/usr/bin/dockerd-current", record.Trailer.Exe.Value);
        Assert.StartsWith("untyped: ", record.ToString());
    }

    private static void AssertCurrentRoundTrip(int recordNumber, ReadOnlyMemory<byte> message)
    {
        string payload = Corpus.Text(message);
        string expected = ExpectedVariant(recordNumber, payload);
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(recordNumber, message);

        Assert.True(record.IsTyped, $"{record.Error} (field {record.ErrorField}, offset {record.ErrorOffset})");
        Assert.Equal(expected, record.Variant!.Name);
        Assert.Equal(LegacyShape.None, record.Legacy);

        byte[]? viaRegistry = Reencode(record);
        Assert.NotNull(viaRegistry);
        Assert.Equal(payload, L(viaRegistry));

        byte[]? viaType = FormatThroughType(Cases[expected], message);
        Assert.NotNull(viaType);
        Assert.Equal(payload, L(viaType));
    }
}
