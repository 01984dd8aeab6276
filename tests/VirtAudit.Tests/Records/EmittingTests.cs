using System.Buffers;
using static VirtAudit.Tests.Records.RecordKit;

namespace VirtAudit.Tests.Records;

/// <summary>Issue 2 §3/§6: records built in code write libvirt's exact bytes, and invalid ones are refused.</summary>
public class EmittingTests
{
    private static readonly Guid Rhel9Uuid = new("3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11");
    private static readonly Guid Web1Uuid = new("9b2d6e1f-0c4a-4f3e-8d57-6a1b2c3d4e5f");

    private static string ExpectedMessage(string id) => L(MessageOf(SpecExamples.Lines[id]).Span);

    /// <summary>The libvirt part formatted by TryFormat, followed by the trailer libvirt's daemon gets.</summary>
    private static string Emit<T>(in T record, string exe, bool success = true)
        where T : struct, IVirtAuditPayload
    {
        byte[] buffer = new byte[1024];
        Assert.True(record.TryFormat(buffer, out int payload));
        Assert.True(AuditTrailer.For(exe, success).TryFormat(buffer.AsSpan(payload), out int trailer));
        return L(buffer.AsSpan(0, payload + trailer));
    }

    private static VirtResourceNetOpen C5Record() => new()
    {
        Virt = VirtType.Kvm,
        Vm = "rhel9",
        Uuid = Rhel9Uuid,
        Net = MacAddress.Parse("52:54:00:6b:3c:58"),
        Path = "/dev/net/tun",
        Rdev = new DeviceNumber(0x0A, 0xC8),
    };

    private static VirtControl C20Record() => new()
    {
        Virt = VirtType.Lxc,
        Op = VirtOp.Init,
        Vm = "web1",
        Uuid = Web1Uuid,
        VmPid = 31502,
        InitPid = 31510,
        PidNs = 4026532451,
    };

    [Fact]
    public void C5_net_open_from_code()
    {
        Assert.Equal(ExpectedMessage("C5"), Emit(C5Record(), "/usr/sbin/virtqemud"));
    }

    [Fact]
    public void C11_shmem_from_code_writes_the_path_raw()
    {
        var shmem = new VirtResourceShmem
        {
            Virt = VirtType.Kvm,
            Reason = VirtResourceReason.Start,
            Vm = "rhel9",
            Uuid = Rhel9Uuid,
            Size = 4194304,
            Path = "/dev/shm/shmem0",
        };
        Assert.Equal(ExpectedMessage("C11"), Emit(shmem, "/usr/sbin/virtqemud"));
    }

    [Fact]
    public void C17_name_with_a_space_is_written_as_upper_case_hex()
    {
        var disk = new VirtResourceDisk
        {
            Virt = VirtType.Kvm,
            Reason = VirtResourceReason.Update,
            Vm = "win 11",
            Uuid = new Guid("0c9d7e55-41b2-4f0a-a3c8-5e6f7a8b9c0d"),
            OldDisk = "/var/lib/libvirt/images/virtio-win.iso",
            NewDisk = "/var/lib/libvirt/images/Win11_23H2.iso",
        };
        string emitted = Emit(disk, "/usr/sbin/virtqemud");
        Assert.Contains(" vm=77696E203131 ", emitted);
        Assert.Equal(ExpectedMessage("C17"), emitted);
    }

    [Fact]
    public void C20_lxc_init_from_code_has_no_reason()
    {
        string emitted = Emit(C20Record(), "/usr/sbin/libvirtd");
        Assert.DoesNotContain("reason=", emitted);
        Assert.Equal(ExpectedMessage("C20"), emitted);
    }

    [Fact]
    public void C20_as_a_whole_audit_log_line_from_code()
    {
        byte[] message = U(Emit(C20Record(), "/usr/sbin/libvirtd"));
        var header = new AuditLineHeader
        {
            Type = AuditRecordTypes.VirtControl,
            Stamp = new AuditStamp(1715520000, 500, 6001),
            Pid = 2210,
            Uid = 0,
            Subj = U("system_u:system_r:virtd_t:s0-s0:c0.c1023"),
        };
        byte[] line = new byte[AuditLineWriter.GetLength(header, message, default)];
        Assert.True(AuditLineWriter.TryWrite(header, message, default, line, out int written));
        Assert.Equal(SpecExamples.Lines["C20"] + "\n", L(line.AsSpan(0, written)));
    }

    [Fact]
    public void More_spec_records_from_code()
    {
        var cgroup = new VirtResourceCgroup
        {
            Virt = VirtType.Kvm,
            Reason = VirtResourceReason.Allow,
            Vm = "rhel9",
            Uuid = Rhel9Uuid,
            Cgroup = @"/sys/fs/cgroup/machine.slice/machine-qemu\x2d3\x2drhel9.scope/",
            Class = CgroupClass.Major,
            Category = CgroupCategory.Pty,
            Maj = 0x88,
            Acl = "rw",
        };
        Assert.Equal(ExpectedMessage("C3"), Emit(cgroup, "/usr/sbin/virtqemud"));

        var machine = new VirtMachineId
        {
            Virt = VirtType.Kvm,
            Vm = "rhel9",
            Uuid = Rhel9Uuid,
            VmCtx = "+107:+107",
            ImgCtx = "+107:+107",
            Model = SecurityModel.Dac,
        };
        Assert.Equal(ExpectedMessage("C2"), Emit(machine, "/usr/sbin/virtqemud"));

        var failedBoot = new VirtControl
        {
            Virt = VirtType.Kvm,
            Op = VirtOp.Start,
            Reason = VirtControlReason.Booted,
            Vm = "rhel9",
            Uuid = Rhel9Uuid,
            VmPid = 0,
        };
        Assert.Equal(ExpectedMessage("C19"), Emit(failedBoot, "/usr/sbin/virtqemud", success: false));

        var hostdev = new VirtResourceHostdev
        {
            Virt = VirtType.Lxc,
            Reason = VirtResourceReason.Attach,
            Vm = "web1",
            Uuid = Web1Uuid,
            Disk = "/dev/sdb",
        };
        Assert.Equal(ExpectedMessage("C21"), Emit(hostdev, "/usr/sbin/libvirtd"));

        var redirdev = new VirtResourceDev
        {
            Virt = VirtType.Kvm,
            Reason = VirtResourceReason.Start,
            Vm = "rhel-10-beta",
            Uuid = new Guid("7d9e20d7-3970-4e9b-8a5c-3d7614348887"),
            Bus = HostdevBus.Usb,
            Device = "USB redirdev",
        };
        Assert.Equal(SpecExamples.RealPayloads["R3"], Emit(redirdev, "/usr/bin/virtqemud"));

        var net = new VirtResourceNet
        {
            Virt = VirtType.Kvm,
            Reason = VirtResourceReason.Start,
            Vm = "rhel-10-beta",
            Uuid = new Guid("7d9e20d7-3970-4e9b-8a5c-3d7614348887"),
            NewNet = MacAddress.Parse("52:54:00:16:E5:9C"),
        };
        Assert.Equal(SpecExamples.RealPayloads["R2"], Emit(net, "/usr/bin/virtqemud"));
    }

    [Theory]
    [InlineData("my vm", "vm=6D7920766D")]
    [InlineData("win\"11", "vm=77696E223131")]
    [InlineData("Тест", "vm=D0A2D0B5D181D182")]
    [InlineData("tab\there", "vm=7461620968657265")]
    [InlineData("del\u007f", "vm=64656C7F")]
    [InlineData("it's=(ok),:/?%\\", "vm=\"it's=(ok),:/?%\\\"")]
    [InlineData("", "vm=\"\"")]
    public void Names_follow_the_audit_encoding_rule(string name, string expected)
    {
        var control = new VirtControl
        {
            Virt = VirtType.Kvm,
            Op = VirtOp.Stop,
            Reason = VirtControlReason.Shutdown,
            Vm = name,
            Uuid = Rhel9Uuid,
            VmPid = 0,
        };
        string payload = Format(control);
        Assert.Equal($"virt=kvm op=stop reason=shutdown {expected} uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-pid=0", payload);

        // And back: the parsed name is the one given.
        VirtControl parsed = VirtControl.Parse(U(payload));
        Assert.Equal(name, parsed.Vm.Value);
        Assert.Equal(control with { Legacy = parsed.Legacy }, parsed);
    }

    [Fact]
    public void Absent_encoded_values_are_quoted_question_marks_and_absent_raw_values_bare()
    {
        var disk = new VirtResourceDisk
        {
            Virt = VirtType.Kvm,
            Reason = VirtResourceReason.Detach,
            Vm = "rhel9",
            Uuid = Rhel9Uuid,
            OldDisk = "/var/lib/libvirt/images/data.qcow2",
        };
        Assert.EndsWith(""" old-disk="/var/lib/libvirt/images/data.qcow2" new-disk="?" """.TrimEnd(), Format(disk));

        var open = C5Record() with { Rdev = null, Path = "macvtap0" };
        Assert.EndsWith(""" net=52:54:00:6b:3c:58 path="macvtap0" rdev=?""", Format(open));

        var evdev = new VirtResourceEvdev
        {
            Virt = VirtType.Kvm,
            Reason = VirtResourceReason.Detach,
            Vm = "rhel9",
            Uuid = Rhel9Uuid,
        };
        Assert.EndsWith(" path=?", Format(evdev));

        var tpm = new VirtResourceTpm
        {
            Virt = VirtType.Kvm,
            Reason = VirtResourceReason.Start,
            Vm = "rhel9",
            Uuid = Rhel9Uuid,
        };
        Assert.EndsWith(""" device="?" """.TrimEnd(), Format(tpm));
    }

    [Fact]
    public void Missing_required_vm_is_refused_naming_the_field()
    {
        var control = new VirtControl
        {
            Virt = VirtType.Kvm,
            Op = VirtOp.Start,
            Reason = VirtControlReason.Booted,
            Vm = (string?)null,
            Uuid = Rhel9Uuid,
            VmPid = 1,
        };
        AssertRefused(control, "vm");
        AssertRefused(C5Record() with { Vm = AuditText.Absent }, "vm");
    }

    [Fact]
    public void Init_pid_with_op_start_is_refused()
    {
        var control = new VirtControl
        {
            Virt = VirtType.Lxc,
            Op = VirtOp.Start,
            Reason = VirtControlReason.Booted,
            Vm = "web1",
            Uuid = Web1Uuid,
            VmPid = 31502,
            InitPid = 31510,
        };
        AssertRefused(control, "init-pid");
    }

    [Fact]
    public void Reason_with_op_init_is_refused()
    {
        AssertRefused(C20Record() with { Reason = VirtControlReason.Booted }, "reason");
    }

    [Fact]
    public void Op_init_without_init_pid_or_pid_ns_is_refused()
    {
        AssertRefused(C20Record() with { InitPid = null }, "init-pid");
        AssertRefused(C20Record() with { PidNs = null }, "pid-ns");
    }

    [Fact]
    public void Hostdev_needs_exactly_one_of_disk_and_chardev()
    {
        var neither = new VirtResourceHostdev
        {
            Virt = VirtType.Lxc,
            Reason = VirtResourceReason.Attach,
            Vm = "web1",
            Uuid = Web1Uuid,
        };
        AssertRefused(neither, "disk", "chardev");
        AssertRefused(neither with { Disk = "/dev/sdb", Chardev = "/dev/ttyUSB0" }, "disk", "chardev");

        Assert.True((neither with { Chardev = "/dev/ttyUSB0" }).IsValid(out _));
        Assert.EndsWith(""" chardev="/dev/ttyUSB0" """.TrimEnd(), Format(neither with { Chardev = "/dev/ttyUSB0" }));
    }

    [Fact]
    public void Disk_with_both_sides_absent_is_refused()
    {
        var disk = new VirtResourceDisk
        {
            Virt = VirtType.Kvm,
            Reason = VirtResourceReason.Start,
            Vm = "rhel9",
            Uuid = Rhel9Uuid,
            OldDisk = "?",
            NewDisk = (string?)null,
        };
        AssertRefused(disk, "old-disk", "new-disk");
    }

    [Fact]
    public void Raw_field_with_a_newline_is_refused()
    {
        var shmem = new VirtResourceShmem
        {
            Virt = VirtType.Kvm,
            Reason = VirtResourceReason.Start,
            Vm = "rhel9",
            Uuid = Rhel9Uuid,
            Size = 4194304,
            Path = "/dev/shm/evil\nname",
        };
        AssertRefused(shmem, "path");

        var machine = new VirtMachineId
        {
            Virt = VirtType.Kvm,
            Vm = "rhel9",
            Uuid = Rhel9Uuid,
            VmCtx = "system_u:system_r:svirt_t:s0\nforged",
            ImgCtx = "system_u:object_r:svirt_image_t:s0",
            Model = SecurityModel.SELinux,
        };
        AssertRefused(machine, "vm-ctx");

        // An encoded field may hold a newline: it is written as hex.
        Assert.Contains(" vm=6C696E650A627265616B ", Format(C5Record() with { Vm = "line\nbreak" }));
    }

    [Fact]
    public void Unknown_enum_text_with_a_space_is_refused()
    {
        // Enum fields are read up to the next space, so "virt=kvm extra op=stop" could never be read back; the
        // generated check says so ("cannot hold a space").
        var control = new VirtControl
        {
            Virt = AuditEnum<VirtType>.FromText("kvm extra"),
            Op = VirtOp.Stop,
            Reason = VirtControlReason.Shutdown,
            Vm = "rhel9",
            Uuid = Rhel9Uuid,
            VmPid = 0,
        };
        if (control.IsValid(out _))
        {
            string written = Format(control);
            Assert.Fail($"accepted, wrote '{written}', which VirtControl.TryParse reads back: {VirtControl.TryParse(U(written), out _)}");
        }

        AssertRefused(control, "virt");
    }

    [Fact]
    public void Unknown_enum_text_with_a_control_byte_is_refused()
    {
        var disk = new VirtResourceDisk
        {
            Virt = VirtType.Kvm,
            Reason = AuditEnum<VirtResourceReason>.FromText("hot\nplug"),
            Vm = "rhel9",
            Uuid = Rhel9Uuid,
            NewDisk = "/dev/sdc",
        };
        AssertRefused(disk, "reason");
    }

    [Fact]
    public void Cgroup_conditional_fields_follow_the_class()
    {
        var all = new VirtResourceCgroup
        {
            Virt = VirtType.Kvm,
            Reason = VirtResourceReason.Deny,
            Vm = "rhel9",
            Uuid = Rhel9Uuid,
            Cgroup = "/sys/fs/cgroup/machine.slice/x.scope/",
            Class = CgroupClass.All,
        };
        Assert.EndsWith(""" cgroup="/sys/fs/cgroup/machine.slice/x.scope/" class=all""", Format(all));
        AssertRefused(all with { Acl = "rw" }, "acl");
        AssertRefused(all with { Class = CgroupClass.Path }, "path");
        AssertRefused(all with { Class = CgroupClass.Major, Maj = 0x88, Acl = "rw" }, "category");

        var path = all with { Class = CgroupClass.Path, Path = "/dev/kvm", Rdev = null, Acl = "rw" };
        Assert.EndsWith(""" class=path path="/dev/kvm" rdev=? acl=rw""", Format(path));
        AssertRefused(path with { Maj = 0x88 }, "maj");
    }

    [Fact]
    public void Too_small_a_span_returns_false_and_reports_nothing_written()
    {
        foreach (VariantCase variant in Cases.Values)
        {
            byte[] full = new byte[1024];
            Assert.True(variant.RoundTrip(variant.Sample, full, out int length), variant.Name);
            for (int size = 0; size < length; size++)
            {
                byte[] small = new byte[size];
                bool ok = variant.RoundTrip(variant.Sample, small, out int written);
                Assert.False(ok, $"{variant.Name} claims to fit {length} bytes in {size}");
                Assert.Equal(0, written);
            }

            byte[] exact = new byte[length];
            Assert.True(variant.RoundTrip(variant.Sample, exact, out int exactLength), variant.Name);
            Assert.Equal(length, exactLength);
            Assert.Equal(L(full.AsSpan(0, length)), L(exact));
        }
    }

    [Fact]
    public void An_invalid_record_writes_nothing_at_all()
    {
        var hostdev = new VirtResourceHostdev
        {
            Virt = VirtType.Lxc,
            Reason = VirtResourceReason.Attach,
            Vm = "web1",
            Uuid = Web1Uuid,
        };
        byte[] buffer = Enumerable.Repeat((byte)0xAA, 512).ToArray();
        Assert.Throws<AuditFormatException>(() => hostdev.TryFormat(buffer, out _));
        Assert.All(buffer, b => Assert.Equal(0xAA, b));

        var writer = new ArrayBufferWriter<byte>();
        Assert.Throws<AuditFormatException>(() => hostdev.WriteTo(writer));
        Assert.Equal(0, writer.WrittenCount);
    }

    [Fact]
    public void WriteTo_a_buffer_writer_equals_TryFormat()
    {
        AssertWriteToEqualsTryFormat(C5Record());
        AssertWriteToEqualsTryFormat(C20Record());
        AssertWriteToEqualsTryFormat(VirtResourceCgroup.Parse(U(SpecExamples.RealPayloads["R5"])));
        AssertWriteToEqualsTryFormat(VirtResourceDisk.Parse(MessageOf(SpecExamples.Lines["C17"])));
        AssertWriteToEqualsTryFormat(VirtMachineId.Parse(MessageOf(SpecExamples.Lines["C1"])));

        // A payload longer than the writer's first span (256 bytes) still comes out whole.
        var longDisk = new VirtResourceDisk
        {
            Virt = VirtType.Kvm,
            Reason = VirtResourceReason.Start,
            Vm = new string('n', 300) + " with a space",
            Uuid = Rhel9Uuid,
            NewDisk = "/var/lib/libvirt/images/" + new string('d', 700) + ".qcow2",
        };
        AssertWriteToEqualsTryFormat(longDisk);

        // Appends after what the writer already holds.
        var writer = new ArrayBufferWriter<byte>();
        writer.Write("prefix|"u8);
        C5Record().WriteTo(writer);
        Assert.Equal("prefix|" + Format(C5Record()), L(writer.WrittenSpan));
    }

    private static void AssertWriteToEqualsTryFormat<T>(T record)
        where T : struct, IVirtAuditPayload
    {
        var writer = new ArrayBufferWriter<byte>(1);
        record.WriteTo(writer);
        Assert.Equal(Format(record), L(writer.WrittenSpan));
    }

    private static void AssertRefused<T>(T record, params string[] fields)
        where T : struct, IVirtAuditPayload
    {
        Assert.False(record.IsValid(out string? error));
        Assert.NotNull(error);
        var exception = Assert.Throws<AuditFormatException>(() => record.TryFormat(new byte[1024], out _));
        foreach (string field in fields)
        {
            Assert.True(NamesField(exception, field), $"'{exception.Message}' does not name the field {field}");
            Assert.Contains($"({field})", error);
        }

        var writer = new ArrayBufferWriter<byte>();
        Assert.Throws<AuditFormatException>(() => record.WriteTo(writer));
        Assert.Equal(0, writer.WrittenCount);
    }

    private static bool NamesField(AuditFormatException exception, string field) =>
        exception.Field == field
        || exception.Message.Contains($"({field})", StringComparison.Ordinal)
        || exception.Message.Contains($"'{field}'", StringComparison.Ordinal);
}
