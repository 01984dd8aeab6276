using static VirtAudit.Tests.Bytes;
using VirtAudit.CompilerServices;

namespace VirtAudit.Tests;

public class PayloadWriterTests
{
    private static readonly Guid Rhel9Uuid = Guid.Parse("3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11");

    [Fact]
    public void Writes_a_net_open_record_from_constructed_values()
    {
        byte[] buffer = new byte[512];
        var writer = new PayloadWriter(buffer);

        Assert.True(WriteNetOpen(ref writer));

        Assert.Equal(S(PayloadReaderTests.LibvirtPart(Samples.Spec["C5"])), S(writer.Written));
        Assert.Equal(writer.Written.Length, writer.BytesWritten);
    }

    [Fact]
    public void Writes_a_lifecycle_record_with_a_hex_name_and_a_negative_pid()
    {
        byte[] buffer = new byte[512];
        var writer = new PayloadWriter(buffer);

        Assert.True(writer.WriteEnum("virt"u8, (AuditEnum<TestVirt>)TestVirt.Kvm));
        Assert.True(writer.WriteConstant("op"u8, "stop"u8));
        Assert.True(writer.WriteEnum("reason"u8, AuditEnum<TestColor>.FromText("destroyed")));
        Assert.True(writer.WriteEncoded("vm"u8, "win 11"));
        Assert.True(writer.WriteUuid("uuid"u8, Rhel9Uuid));
        Assert.True(writer.WriteInt64("vm-pid"u8, -1L));

        Assert.Equal("virt=kvm op=stop reason=destroyed vm=77696E203131 uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-pid=-1", S(writer.Written));
    }

    [Fact]
    public void Absent_values_are_question_marks_quoted_in_encoded_fields_and_bare_in_raw_ones()
    {
        byte[] buffer = new byte[512];
        var writer = new PayloadWriter(buffer);

        Assert.True(writer.WriteEncoded("old-disk"u8, AuditText.Absent));
        Assert.True(writer.WriteEncoded("cgroup"u8, (string?)null));
        Assert.True(writer.WriteRaw("vm-ctx"u8, AuditText.Absent));
        Assert.True(writer.WriteMac("old-net"u8, null, encoded: true));
        Assert.True(writer.WriteMac("net"u8, null, encoded: false));
        Assert.True(writer.WriteDeviceNumber("rdev"u8, null));
        Assert.True(writer.WriteInt64("a"u8, (long?)null));
        Assert.True(writer.WriteUInt64("b"u8, (ulong?)null));
        Assert.True(writer.WriteUuid("c"u8, (Guid?)null));
        Assert.True(writer.WriteHexByte("d"u8, (byte?)null));
        Assert.True(writer.WriteEnum("virt"u8, default(AuditEnum<TestVirt>)));

        Assert.Equal("old-disk=\"?\" cgroup=\"?\" vm-ctx=? old-net=\"?\" net=? rdev=? a=? b=? c=? d=? virt=?", S(writer.Written));
    }

    [Fact]
    public void Typed_values()
    {
        byte[] buffer = new byte[512];
        var writer = new PayloadWriter(buffer);
        MacAddress mac = MacAddress.Parse("52:54:00:AA:BB:CC");

        Assert.True(writer.WriteMac("new-net"u8, mac, encoded: true));
        Assert.True(writer.WriteMac("net"u8, mac, encoded: false));
        Assert.True(writer.WriteDeviceNumber("rdev"u8, new DeviceNumber(0x103, 0)));
        Assert.True(writer.WriteHexByte("maj"u8, 0x88));
        Assert.True(writer.WriteHexByte("min"u8, (byte?)5));
        Assert.True(writer.WriteInt64("a"u8, long.MinValue));
        Assert.True(writer.WriteInt64("b"u8, (long?)42));
        Assert.True(writer.WriteUInt64("c"u8, ulong.MaxValue));
        Assert.True(writer.WriteUInt64("d"u8, (ulong?)0));
        Assert.True(writer.WriteUuid("e"u8, (Guid?)Guid.Parse("3F1A8C52-6D0E-4B7A-9C1E-2B8F0D4E6A11")));
        Assert.True(writer.WriteRaw("path"u8, "/dev/shm/my shm"));
        Assert.True(writer.WriteEnum("virt"u8, AuditEnum<TestVirt>.FromText("hvf")));

        Assert.Equal(
            "new-net=\"52:54:00:aa:bb:cc\" net=52:54:00:aa:bb:cc rdev=103:00 maj=88 min=05 a=-9223372036854775808 b=42 "
            + "c=18446744073709551615 d=0 e=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 path=/dev/shm/my shm virt=hvf",
            S(writer.Written));
    }

    [Fact]
    public void An_empty_value_and_the_first_field_have_no_extra_space()
    {
        byte[] buffer = new byte[64];
        var writer = new PayloadWriter(buffer);

        Assert.True(writer.WriteRaw("a"u8, ""));
        Assert.True(writer.WriteEncoded("b"u8, ""));
        Assert.True(writer.WriteConstant("c"u8, ""u8));

        Assert.Equal("a= b=\"\" c=", S(writer.Written));
    }

    [Fact]
    public void A_field_that_does_not_fit_is_not_written_at_all()
    {
        string full = S(PayloadReaderTests.LibvirtPart(Samples.Spec["C5"]));
        byte[] buffer = new byte[full.Length + 8];

        for (int size = 0; size <= full.Length; size++)
        {
            Array.Fill(buffer, (byte)'#');
            var writer = new PayloadWriter(buffer.AsSpan(0, size));
            bool complete = WriteNetOpen(ref writer);

            Assert.Equal(size == full.Length, complete);

            // Exactly the complete fields that fit (C5 has no space inside a value), and nothing past the span touched.
            int fits = full.Length <= size ? full.Length : Math.Max(0, full.LastIndexOf(' ', Math.Max(0, size)));
            Assert.Equal(full.Substring(0, fits), S(writer.Written));
            if (size < buffer.Length)
            {
                Assert.Equal((byte)'#', buffer[size]);
            }
        }
    }

    [Fact]
    public void Each_kind_of_write_reports_a_span_that_is_too_small()
    {
        Span<byte> buffer = stackalloc byte[13];
        var writer = new PayloadWriter(buffer);
        Assert.True(writer.WriteConstant("k"u8, "12345678"u8)); // 10 bytes

        Assert.False(writer.WriteEncoded("v"u8, "x"));
        Assert.False(writer.WriteRaw("v"u8, "xy"));
        Assert.False(writer.WriteInt64("v"u8, 10));
        Assert.False(writer.WriteUInt64("v"u8, 10UL));
        Assert.False(writer.WriteUuid("v"u8, Rhel9Uuid));
        Assert.False(writer.WriteMac("v"u8, MacAddress.Parse("52:54:00:aa:bb:cc"), encoded: false));
        Assert.False(writer.WriteDeviceNumber("v"u8, new DeviceNumber(1, 3)));
        Assert.False(writer.WriteHexByte("v"u8, 1));
        Assert.False(writer.WriteEnum("v"u8, (AuditEnum<TestVirt>)TestVirt.Kvm));
        Assert.False(writer.WriteConstant("long-key"u8, ""u8));
        Assert.Equal(10, writer.BytesWritten);

        Assert.True(writer.WriteConstant("v"u8, ""u8)); // " v=" fits the 3 bytes left exactly
        Assert.Equal("k=12345678 v=", S(writer.Written));
    }

    private static bool WriteNetOpen(ref PayloadWriter writer) =>
        writer.WriteEnum("virt"u8, (AuditEnum<TestVirt>)TestVirt.Kvm)
        && writer.WriteConstant("resrc"u8, "net"u8)
        && writer.WriteConstant("reason"u8, "open"u8)
        && writer.WriteEncoded("vm"u8, "rhel9")
        && writer.WriteUuid("uuid"u8, Rhel9Uuid)
        && writer.WriteMac("net"u8, MacAddress.Parse("52:54:00:6b:3c:58"), encoded: false)
        && writer.WriteEncoded("path"u8, "/dev/net/tun")
        && writer.WriteDeviceNumber("rdev"u8, new DeviceNumber(0x0A, 0xC8));
}
