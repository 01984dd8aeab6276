using static VirtAudit.Tests.Bytes;
using VirtAudit.CompilerServices;

namespace VirtAudit.Tests;

public class AllocationTests
{
    private readonly Checks _checks = new();

    private static readonly byte[] NetOpen = U(PayloadOf(Samples.CorpusNetOpen));
    private static readonly byte[] CgroupPathHexVm = U(PayloadOf(Samples.CorpusCgroupPathHexVm));
    private static readonly byte[] MachineId = U(Samples.Spec["C1"]);
    private static readonly byte[] LegacyNet = U(Samples.Spec["C22"]);

    // One point per check in the round trips below: 5 + 6 + 2 + 3.
    private const long MaxScore = 16;

    [Fact]
    public void The_probe_sees_an_allocation_in_every_batch()
    {
        (long allocated, long sum, int runs) = AllocationProbe.Measure(static () => new byte[100].Length);

        Assert.True(allocated >= 100, $"allocated {allocated}");
        Assert.Equal(AllocationProbe.Attempts, runs);
        Assert.Equal(runs * 100L, sum);
    }

    [Fact]
    public void Reading_and_writing_payloads_10000_times_allocates_nothing()
    {
        byte[] buffer = new byte[1024];
        long checksum = 0;
        for (int i = 0; i < 10; i++)
        {
            checksum += RoundTripAll(buffer);
        }

        _checks.AssertAllPassed();
        (long measured, int runs) = AllocationProbe.AssertAllocatesNothing("reading and writing four payloads 10,000 times", () =>
        {
            long batch = 0;
            for (int i = 0; i < 10_000; i++)
            {
                batch += RoundTripAll(buffer);
            }

            return batch;
        });

        _checks.AssertAllPassed();
        Assert.Equal(MaxScore, RoundTripAll(buffer));
        Assert.Equal(10L * MaxScore, checksum);
        Assert.Equal(runs * 10_000L * MaxScore, measured);
    }

    /// <summary>Reads four payloads field by field (as generated code does), writes them back, and checks the bytes.</summary>
    private long RoundTripAll(byte[] buffer) =>
        RoundTripNetOpen(buffer) + RoundTripCgroupPath(buffer) + RoundTripMachineId(buffer) + RoundTripLegacyNet(buffer);

    private long RoundTripNetOpen(byte[] buffer)
    {
        AuditTrailer.TrySplit(NetOpen, out ReadOnlyMemory<byte> payload, out AuditTrailer trailer);
        var reader = new PayloadReader(payload);
        if (!(reader.TryReadEnum("virt"u8, out AuditEnum<TestVirt> virt)
            && reader.TryReadConstant("resrc"u8, "net"u8)
            && reader.TryReadConstant("reason"u8, "open"u8)
            && reader.TryReadEncoded("vm"u8, out AuditText vm)
            && reader.TryReadUuid("uuid"u8, out Guid uuid)
            && reader.TryReadMac("net"u8, encoded: false, out MacAddress? mac)
            && reader.TryReadEncoded("path"u8, out AuditText path)
            && reader.TryReadDeviceNumber("rdev"u8, out DeviceNumber? rdev)
            && reader.End))
        {
            return _checks.That(false, "net open: reading the payload field by field") - 1_000_000;
        }

        var writer = new PayloadWriter(buffer);
        writer.WriteEnum("virt"u8, virt);
        writer.WriteConstant("resrc"u8, "net"u8);
        writer.WriteConstant("reason"u8, "open"u8);
        writer.WriteEncoded("vm"u8, vm);
        writer.WriteUuid("uuid"u8, uuid);
        writer.WriteMac("net"u8, mac, encoded: false);
        writer.WriteEncoded("path"u8, path);
        writer.WriteDeviceNumber("rdev"u8, rdev);
        int length = writer.BytesWritten;
        trailer.TryFormat(buffer.AsSpan(length), out int trailerLength);

        long score = _checks.That(buffer.AsSpan(0, length + trailerLength).SequenceEqual(NetOpen), "net open: written back byte for byte") == 1 ? 1 : -1_000_000;
        score += _checks.That(virt == TestVirt.Qemu, "net open: virt=qemu read as the enum's Qemu");
        score += _checks.That(vm.ValueEquals("auditvm1"u8) && vm == "auditvm1", "net open: vm equals auditvm1 as bytes and as a string");
        score += _checks.That(path.GetHashCode() == ((AuditText)"/dev/net/tun").GetHashCode(), "net open: path hashes like the same text");
        score += _checks.That(trailer.Exe.ValueEquals("/usr/sbin/libvirtd"u8) && trailer.Success, "net open: trailer exe and success");
        return score;
    }

    private long RoundTripCgroupPath(byte[] buffer)
    {
        AuditTrailer.TrySplit(CgroupPathHexVm, out ReadOnlyMemory<byte> payload, out AuditTrailer trailer);
        var reader = new PayloadReader(payload);
        if (!(reader.TryReadEnum("virt"u8, out AuditEnum<TestVirt> virt)
            && reader.TryReadConstant("resrc"u8, "cgroup"u8)
            && reader.TryReadEnum("reason"u8, out AuditEnum<TestColor> reason)
            && reader.TryReadEncoded("vm"u8, out AuditText vm)
            && reader.TryReadUuid("uuid"u8, out Guid uuid)
            && reader.TryReadEncoded("cgroup"u8, out AuditText cgroup)
            && reader.TryReadConstant("class"u8, "path"u8)
            && reader.TryReadEncoded("path"u8, out AuditText path)
            && reader.TryReadDeviceNumber("rdev"u8, out DeviceNumber? rdev)
            && reader.TryReadToken("acl"u8, out ReadOnlyMemory<byte> acl)
            && reader.End))
        {
            return _checks.That(false, "cgroup path, hex vm: reading the payload field by field") - 1_000_000;
        }

        var writer = new PayloadWriter(buffer);
        writer.WriteEnum("virt"u8, virt);
        writer.WriteConstant("resrc"u8, "cgroup"u8);
        writer.WriteEnum("reason"u8, reason);
        writer.WriteEncoded("vm"u8, vm);
        writer.WriteUuid("uuid"u8, uuid);
        writer.WriteEncoded("cgroup"u8, cgroup);
        writer.WriteConstant("class"u8, "path"u8);
        writer.WriteEncoded("path"u8, path);
        writer.WriteDeviceNumber("rdev"u8, rdev);
        writer.WriteConstant("acl"u8, acl.Span);
        int length = writer.BytesWritten;
        trailer.TryFormat(buffer.AsSpan(length), out int trailerLength);

        long score = _checks.That(buffer.AsSpan(0, length + trailerLength).SequenceEqual(CgroupPathHexVm), "cgroup path, hex vm: written back byte for byte") == 1 ? 1 : -1_000_000;
        score += _checks.That(vm.ValueEquals("audit-vm2 \"test\""u8), "cgroup path: hex vm decodes to audit-vm2 \"test\"");
        score += _checks.That(vm == (AuditText)"audit-vm2 \"test\"", "cgroup path: hex vm equals the same text from a string");
        score += _checks.That(reason == TestColor.Other && reason.Text.ValueEquals("allow"u8), "cgroup path: reason=allow kept as text of an unknown enum value");
        score += _checks.That(rdev == new DeviceNumber(1, 3), "cgroup path: rdev=01:03");

        // Re-encode a hex name from a string, as an emitter would.
        var emitter = new PayloadWriter(buffer);
        emitter.WriteEncoded("vm"u8, "audit-vm2 \"test\"");
        score += _checks.That(emitter.Written.SequenceEqual("vm=61756469742D766D3220227465737422"u8), "cgroup path: a name with a space and quotes written in hex");
        return score;
    }

    private long RoundTripMachineId(byte[] buffer)
    {
        AuditTrailer.TrySplit(MachineId, out ReadOnlyMemory<byte> payload, out AuditTrailer trailer);
        var reader = new PayloadReader(payload);
        if (!(reader.TryReadEnum("virt"u8, out AuditEnum<TestVirt> virt)
            && reader.TryReadEncoded("vm"u8, out AuditText vm)
            && reader.TryReadUuid("uuid"u8, out Guid uuid)
            && reader.TryReadRaw("vm-ctx"u8, "img-ctx"u8, out AuditText vmContext)
            && reader.TryReadRaw("img-ctx"u8, "model"u8, out AuditText imageContext)
            && reader.TryReadToken("model"u8, out ReadOnlyMemory<byte> model)
            && reader.End))
        {
            return _checks.That(false, "machine id: reading the payload field by field") - 1_000_000;
        }

        var writer = new PayloadWriter(buffer);
        writer.WriteEnum("virt"u8, virt);
        writer.WriteEncoded("vm"u8, vm);
        writer.WriteUuid("uuid"u8, uuid);
        writer.WriteRaw("vm-ctx"u8, vmContext);
        writer.WriteRaw("img-ctx"u8, imageContext);
        writer.WriteConstant("model"u8, model.Span);
        int length = writer.BytesWritten;
        trailer.TryFormat(buffer.AsSpan(length), out int trailerLength);

        long score = _checks.That(buffer.AsSpan(0, length + trailerLength).SequenceEqual(MachineId), "machine id: written back byte for byte") == 1 ? 1 : -1_000_000;
        score += _checks.That(vmContext.CanWriteRaw && !vmContext.Equals(imageContext), "machine id: raw contexts kept raw and distinct");
        return score;
    }

    private long RoundTripLegacyNet(byte[] buffer)
    {
        AuditTrailer.TrySplit(LegacyNet, out ReadOnlyMemory<byte> payload, out AuditTrailer trailer);
        var reader = new PayloadReader(payload);
        if (!(reader.TryReadEnum("virt"u8, out AuditEnum<TestVirt> _)
            && reader.TryReadConstant("resrc"u8, "net"u8)
            && reader.TryReadToken("reason"u8, out _)
            && reader.TryReadEncoded("vm"u8, out _)
            && reader.TryReadUuid("uuid"u8, out _)
            && reader.TryReadMac("old-net"u8, encoded: true, out MacAddress? oldNet)
            && reader.TryReadMac("new-net"u8, encoded: true, out MacAddress? newNet)
            && reader.End))
        {
            return _checks.That(false, "legacy net: reading the payload field by field") - 1_000_000;
        }

        var writer = new PayloadWriter(buffer);
        writer.WriteMac("old-net"u8, oldNet, encoded: true);
        writer.WriteMac("new-net"u8, newNet, encoded: true);
        long score = _checks.That(writer.Written.SequenceEqual("old-net=\"?\" new-net=\"52:54:00:aa:bb:cc\""u8), "legacy net: written back byte for byte") == 1 ? 1 : -1_000_000;
        score += _checks.That(reader.Legacy == LegacyShape.BareValue && (trailer.Legacy & LegacyShape.ColonBeforeExe) != 0, "legacy net: bare MAC and colon before exe flagged legacy");

        // A failing read records its error without allocating.
        var broken = new PayloadReader(payload);
        score += _checks.That(!broken.TryReadInt64("virt"u8, out _) && broken.ErrorOffset == 5, "legacy net: a failing read records its error offset");
        return score;
    }
}
