using VirtAudit.Tests.Lines;
using static VirtAudit.Tests.Records.RecordKit;

namespace VirtAudit.Tests.Records;

/// <summary>Issue 2 §6: the typed values of parsed records are right (names, integers, MACs, UUIDs, rdev, enums).</summary>
public class TypedValueTests
{
    private const string Rhel9 = """vm="rhel9" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11""";

    private static ReadOnlyMemory<byte> C(string id) => MessageOf(SpecExamples.Lines[id]);

    private static ReadOnlyMemory<byte> R(string id) => U(SpecExamples.RealPayloads[id]);

    /// <summary>The message of the first corpus line that holds <paramref name="needle"/>.</summary>
    private static ReadOnlyMemory<byte> CorpusMessage(string needle)
    {
        foreach (byte[] bytes in Corpus.Libvirt90)
        {
            if (Corpus.Text(bytes).Contains(needle, StringComparison.Ordinal))
            {
                return AuditLine.Parse(bytes).Message;
            }
        }

        throw new InvalidOperationException("no corpus line holds " + needle);
    }

    [Fact]
    public void Hex_encoded_corpus_name_decodes_to_the_name_with_space_and_quotes()
    {
        ReadOnlyMemory<byte> message = CorpusMessage("op=start reason=booted vm=61756469742D766D3220227465737422 ");
        VirtControl control = VirtControl.Parse(message);

        Assert.Equal("audit-vm2 \"test\"", control.Vm.Value);
        Assert.Equal(AuditValueForm.Hex, control.Vm.Form);
        Assert.Equal("61756469742D766D3220227465737422", Corpus.Text(control.Vm.Token));
        Assert.True(control.Vm.ValueEquals("audit-vm2 \"test\""u8));
        Assert.True(control.Vm == "audit-vm2 \"test\"");
        Assert.Equal(16, control.Vm.GetDecodedLength());
        Assert.Equal(new Guid("0e9d8c7b-6a59-4847-a635-241302f1e0d9"), control.Uuid);
        Assert.Equal(VirtType.Qemu, control.Virt.Value);
        Assert.Equal(VirtOp.Start, control.Op.Value);
        Assert.Equal(VirtControlReason.Booted, control.Reason.Value);
        Assert.Equal(16368, control.VmPid);
        Assert.Null(control.InitPid);
        Assert.Null(control.PidNs);
    }

    [Fact]
    public void Hex_name_refers_to_the_input_bytes_without_copying()
    {
        byte[] message = U("virt=qemu vm=61756469742D766D3220227465737422 uuid=0e9d8c7b-6a59-4847-a635-241302f1e0d9 vm-ctx=+0:+0 img-ctx=+0:+0 model=dac");
        VirtMachineId id = VirtMachineId.Parse(message);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(id.Vm.Token, out ArraySegment<byte> segment));
        Assert.Same(message, segment.Array);
        Assert.Equal("virt=qemu vm=".Length, segment.Offset);

        // Changing the input changes the (lazily decoded) value: nothing was copied.
        message["virt=qemu vm=".Length + 1] = (byte)'2';
        Assert.Equal("budit-vm2 \"test\"", id.Vm.Value);
    }

    [Fact]
    public void C17_name_with_a_space_is_hex_and_decodes()
    {
        VirtResourceDisk disk = VirtResourceDisk.Parse(C("C17"));
        Assert.Equal("win 11", disk.Vm.Value);
        Assert.Equal(AuditValueForm.Hex, disk.Vm.Form);
        Assert.Equal(VirtResourceReason.Update, disk.Reason.Value);
        Assert.Equal("/var/lib/libvirt/images/virtio-win.iso", disk.OldDisk.Value);
        Assert.Equal("/var/lib/libvirt/images/Win11_23H2.iso", disk.NewDisk.Value);
        Assert.Equal(AuditValueForm.Quoted, disk.NewDisk.Form);
        Assert.Equal(new Guid("0c9d7e55-41b2-4f0a-a3c8-5e6f7a8b9c0d"), disk.Uuid);
    }

    [Fact]
    public void Utf8_name_is_hex_and_decodes_and_round_trips()
    {
        string payload = "virt=kvm op=stop reason=shutdown vm=D0A2D0B5D181D182 uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-pid=0" + Trailer;
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(AuditRecordTypes.VirtControl, U(payload));
        Assert.True(record.IsTyped, record.Error);
        Assert.Equal(LegacyShape.None, record.Legacy);
        VirtControl control = record.Get<VirtControl>();

        Assert.Equal("Тест", control.Vm.Value);
        Assert.True(control.Vm.ValueEquals("Тест"u8));
        Assert.Equal(8, control.Vm.GetDecodedLength());
        Assert.Equal(VirtControlReason.Shutdown, control.Reason.Value);
        Assert.Equal(0, control.VmPid);
        Assert.Equal(payload, L(Reencode(record)));
    }

    [Fact]
    public void A_guest_named_question_mark_is_the_name_and_round_trips()
    {
        // libvirt forbids only '/' and a newline in a domain name: "?" is a name, and vm is never NULL.
        string payload = """virt=kvm op=stop reason=shutdown vm="?" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-pid=0""" + Trailer;
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(AuditRecordTypes.VirtControl, U(payload));
        Assert.True(record.IsTyped, record.Error);
        Assert.Equal(LegacyShape.None, record.Legacy);
        VirtControl control = record.Get<VirtControl>();

        Assert.False(control.Vm.IsAbsent);
        Assert.Equal("?", control.Vm.Value);
        Assert.True(control.Vm.ValueEquals("?"u8));
        Assert.Equal(payload, L(Reencode(record)));
        Assert.Equal(payload, L(FormatThroughType(Cases["VirtControl"], U(payload))));

        // So in every required encoded field: the opened device of a NIC, a hostdev's address.
        string open = """virt=kvm resrc=net reason=open vm="?" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 net=52:54:00:6b:3c:58 path="?" rdev=?""" + Trailer;
        VirtResourceNetOpen net = VirtResourceNetOpen.Parse(U(open));
        Assert.Equal("?", net.Path.Value);
        Assert.Equal(open, L(FormatThroughType(Cases["VirtResourceNetOpen"], U(open))));

        // A nullable field's "?" is still absent.
        VirtResourceDisk disk = VirtResourceDisk.Parse(U("""virt=kvm resrc=disk reason=start vm="?" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-disk="?" new-disk="/a.img" """.TrimEnd()));
        Assert.Equal("?", disk.Vm.Value);
        Assert.True(disk.OldDisk.IsAbsent);

        // A bare ? is not how libaudit writes a value of vm.
        Assert.False(VirtControl.TryParse(U("virt=kvm op=stop reason=shutdown vm=? uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-pid=0"), out _));
    }

    [Fact]
    public void Control_integers_are_read_as_signed_64_bit()
    {
        VirtControl start = VirtControl.Parse(C("C14"));
        Assert.Equal(24811, start.VmPid);

        VirtControl init = VirtControl.Parse(C("C20"));
        Assert.Equal(VirtType.Lxc, init.Virt.Value);
        Assert.Equal(VirtOp.Init, init.Op.Value);
        Assert.False(init.Reason.IsSet);
        Assert.Equal("web1", init.Vm.Value);
        Assert.Equal(31502L, init.VmPid);
        Assert.Equal(31510L, init.InitPid);
        Assert.Equal(4026532451L, init.PidNs);

        VirtControl stop = VirtControl.Parse(C("C18"));
        Assert.Equal(VirtOp.Stop, stop.Op.Value);
        Assert.Equal(VirtControlReason.Destroyed, stop.Reason.Value);
        Assert.Equal(0L, stop.VmPid);
    }

    [Fact]
    public void Memory_is_kib_and_shmem_size_is_bytes()
    {
        VirtResourceMem mem = VirtResourceMem.Parse(C("C13"));
        Assert.Equal(0L, mem.OldMem);
        Assert.Equal(4194304L, mem.NewMem);

        VirtResourceMem update = VirtResourceMem.Parse(CorpusMessage("resrc=mem reason=update"));
        Assert.Equal(196608L, update.OldMem);
        Assert.Equal(327680L, update.NewMem);
        Assert.Equal(VirtResourceReason.Update, update.Reason.Value);

        VirtResourceShmem shmem = VirtResourceShmem.Parse(C("C11"));
        Assert.Equal(4194304UL, shmem.Size);
        Assert.Equal("/dev/shm/shmem0", shmem.Path.Value);
        Assert.Equal(AuditValueForm.Bare, shmem.Path.Form);

        VirtResourceShmem hot = VirtResourceShmem.Parse(CorpusMessage("resrc=shmem reason=attach"));
        Assert.Equal(2097152UL, hot.Size);
        Assert.Equal("/dev/shm/hotshm", hot.Path.Value);

        VirtResourceVcpu vcpu = VirtResourceVcpu.Parse(Cases["VirtResourceVcpu"].Sample);
        Assert.Equal(2L, vcpu.OldVcpu);
        Assert.Equal(4L, vcpu.NewVcpu);
        VirtResourceIothread io = VirtResourceIothread.Parse(Cases["VirtResourceIothread"].Sample);
        Assert.Equal(0L, io.OldIothread);
        Assert.Equal(2L, io.NewIothread);
    }

    [Fact]
    public void Uuid_is_a_guid_with_the_printed_value()
    {
        VirtResourceDisk disk = VirtResourceDisk.Parse(R("R1"));
        Assert.Equal(new Guid("7d9e20d7-3970-4e9b-8a5c-3d7614348887"), disk.Uuid);
        Assert.Equal("7d9e20d7-3970-4e9b-8a5c-3d7614348887", disk.Uuid.ToString("D"));
        Assert.True(disk.OldDisk.IsAbsent);
        Assert.Null(disk.OldDisk.Value);
        Assert.Equal("/var/lib/libvirt/images/rhel-10-beta.qcow2", disk.NewDisk.Value);
    }

    [Fact]
    public void Macs_are_typed_in_new_net_and_in_net_open()
    {
        VirtResourceNet net = VirtResourceNet.Parse(R("R2"));
        Assert.Null(net.OldNet);
        Assert.Equal(MacAddress.Parse("52:54:00:16:e5:9c"), net.NewNet);
        Assert.Equal("52:54:00:16:e5:9c", net.NewNet!.Value.ToString());
        byte[] raw = new byte[6];
        Assert.True(net.NewNet.Value.TryWriteBytes(raw));
        Assert.Equal(new byte[] { 0x52, 0x54, 0x00, 0x16, 0xE5, 0x9C }, raw);

        VirtResourceNetOpen open = VirtResourceNetOpen.Parse(C("C5"));
        Assert.Equal(MacAddress.Parse("52:54:00:6b:3c:58"), open.Net);
        Assert.Equal("/dev/net/tun", open.Path.Value);
    }

    [Fact]
    public void Rdev_is_a_device_number_or_null_for_a_question_mark()
    {
        VirtResourceNetOpen tun = VirtResourceNetOpen.Parse(C("C5"));
        Assert.Equal(new DeviceNumber(10, 200), tun.Rdev);
        Assert.Equal(10u, tun.Rdev!.Value.Major);
        Assert.Equal(200u, tun.Rdev.Value.Minor);

        byte[] vhost = Corpus.Bytes(Bytes.PayloadOf(Samples.CorpusNetOpenVhostFailed));
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(AuditRecordTypes.VirtResource, vhost);
        VirtResourceNetOpen missing = record.Get<VirtResourceNetOpen>();
        Assert.Null(missing.Rdev);
        Assert.Equal("/dev/vhost-net", missing.Path.Value);
        Assert.False(record.Trailer.Success);
        Assert.Contains(" rdev=? ", L(Reencode(record)));
        Assert.Equal(L(vhost), L(Reencode(record)));

        VirtResourceCgroup dm = VirtResourceCgroup.Parse(C("C4"));
        Assert.Equal(new DeviceNumber(0xFD, 3), dm.Rdev);
    }

    [Fact]
    public void Cgroup_class_all_has_none_of_the_conditional_fields()
    {
        VirtResourceCgroup all = VirtResourceCgroup.Parse(R("R4"));
        Assert.Equal(CgroupClass.All, all.Class.Value);
        Assert.Equal(VirtResourceReason.Deny, all.Reason.Value);
        Assert.Equal(@"/sys/fs/cgroup/machine.slice/machine-qemu\x2d4\x2drhel\x2d10\x2dbeta.scope/", all.Cgroup.Value);
        Assert.False(all.Category.IsSet);
        Assert.Null(all.Maj);
        Assert.True(all.Path.IsAbsent);
        Assert.Null(all.Rdev);
        Assert.True(all.Acl.IsAbsent);
    }

    [Fact]
    public void Cgroup_class_major_has_category_maj_and_acl()
    {
        VirtResourceCgroup major = VirtResourceCgroup.Parse(C("C3"));
        Assert.Equal(CgroupClass.Major, major.Class.Value);
        Assert.Equal(CgroupCategory.Pty, major.Category.Value);
        Assert.Equal((byte)0x88, major.Maj);
        Assert.Equal("rw", major.Acl.Value);
        Assert.True(major.Path.IsAbsent);
        Assert.Null(major.Rdev);
    }

    [Fact]
    public void Cgroup_class_path_has_path_rdev_and_acl()
    {
        VirtResourceCgroup path = VirtResourceCgroup.Parse(R("R5"));
        Assert.Equal(CgroupClass.Path, path.Class.Value);
        Assert.Equal("/dev/null", path.Path.Value);
        Assert.Equal(new DeviceNumber(1, 3), path.Rdev);
        Assert.Equal("rw", path.Acl.Value);
        Assert.False(path.Category.IsSet);
        Assert.Null(path.Maj);

        // A failed deny of a path that is no device: rdev=? and acl=rwm.
        VirtResourceCgroup deny = VirtResourceCgroup.Parse(Corpus.Bytes(Bytes.PayloadOf(Samples.CorpusCgroupDenyNoRdev)));
        Assert.Equal(VirtResourceReason.Deny, deny.Reason.Value);
        Assert.Equal("/var/lib/libvirt/images/test/nonexistent.iso", deny.Path.Value);
        Assert.Null(deny.Rdev);
        Assert.Equal("rwm", deny.Acl.Value);
    }

    [Fact]
    public void Hostdev_is_either_disk_or_chardev()
    {
        VirtResourceHostdev disk = VirtResourceHostdev.Parse(C("C21"));
        Assert.Equal("/dev/sdb", disk.Disk.Value);
        Assert.True(disk.Chardev.IsAbsent);
        Assert.Equal(VirtResourceReason.Attach, disk.Reason.Value);

        string chardevPayload = """virt=lxc resrc=hostdev reason=start vm="web1" uuid=9b2d6e1f-0c4a-4f3e-8d57-6a1b2c3d4e5f chardev="/dev/ttyUSB0" """.TrimEnd() + Trailer;
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(AuditRecordTypes.VirtResource, U(chardevPayload));
        Assert.True(record.Is<VirtResourceHostdev>(), record.Error);
        VirtResourceHostdev chardev = record.Get<VirtResourceHostdev>();
        Assert.True(chardev.Disk.IsAbsent);
        Assert.Equal("/dev/ttyUSB0", chardev.Chardev.Value);
        Assert.Equal(chardevPayload, L(Reencode(record)));
    }

    [Fact]
    public void Dev_bus_is_an_enum_and_the_redirdev_device_decodes()
    {
        VirtResourceDev redirdev = VirtResourceDev.Parse(R("R3"));
        Assert.Equal(HostdevBus.Usb, redirdev.Bus.Value);
        Assert.Equal("USB redirdev", redirdev.Device.Value);
        Assert.Equal(AuditValueForm.Hex, redirdev.Device.Form);

        VirtResourceDev pci = VirtResourceDev.Parse(C("C7"));
        Assert.Equal(HostdevBus.Pci, pci.Bus.Value);
        Assert.Equal("0000:3b:00.1", pci.Device.Value);

        VirtResourceDev mdev = VirtResourceDev.Parse(C("C15"));
        Assert.Equal(HostdevBus.Mdev, mdev.Bus.Value);
        Assert.Equal("c2177883-f1bb-47f0-914d-32a22e3a8804", mdev.Device.Value);

        string scsiHost = $"""virt=kvm resrc=dev reason=attach {Rhel9} bus=scsi_host device="naa.5001405df3e54061" """.TrimEnd() + Trailer;
        VirtResourceDev vhost = VirtResourceDev.Parse(U(scsiHost));
        Assert.Equal(HostdevBus.ScsiHost, vhost.Bus.Value);
        Assert.Equal("scsi_host", vhost.Bus.ToString());
        Assert.Equal(scsiHost, L(FormatThroughType(Cases["VirtResourceDev"], U(scsiHost))));
    }

    [Fact]
    public void Machine_id_contexts_are_raw_text_and_model_an_enum()
    {
        VirtMachineId selinux = VirtMachineId.Parse(C("C1"));
        Assert.Equal("system_u:system_r:svirt_t:s0:c123,c456", selinux.VmCtx.Value);
        Assert.Equal("system_u:object_r:svirt_image_t:s0:c123,c456", selinux.ImgCtx.Value);
        Assert.Equal(SecurityModel.SELinux, selinux.Model.Value);

        VirtMachineId dac = VirtMachineId.Parse(C("C2"));
        Assert.Equal("+107:+107", dac.VmCtx.Value);
        Assert.Equal(SecurityModel.Dac, dac.Model.Value);
    }

    [Fact]
    public void Known_enum_values_are_members()
    {
        VirtControl control = VirtControl.Parse(C("C19"));
        Assert.True(control.Virt.IsKnown);
        Assert.True(control.Virt == VirtType.Kvm);
        Assert.True(control.Op == VirtOp.Start);
        Assert.True(control.Reason == VirtControlReason.Booted);
        Assert.Equal("booted", control.Reason.ToString());

        string nvmm = $"virt=nvmm op=stop reason=crashed {Rhel9} vm-pid=0" + Trailer;
        VirtControl bsd = VirtControl.Parse(U(nvmm));
        Assert.Equal(VirtType.Nvmm, bsd.Virt.Value);
        Assert.Equal(VirtControlReason.Crashed, bsd.Reason.Value);
    }

    [Fact]
    public void Unknown_resource_reason_is_kept_and_survives_parse_then_encode()
    {
        string payload = $"""virt=kvm resrc=disk reason=unknown {Rhel9} old-disk="?" new-disk="/dev/sdc" """.TrimEnd() + Trailer;
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(AuditRecordTypes.VirtResource, U(payload));
        Assert.True(record.Is<VirtResourceDisk>(), record.Error);
        VirtResourceDisk disk = record.Get<VirtResourceDisk>();

        Assert.True(disk.Reason.IsSet);
        Assert.False(disk.Reason.IsKnown);
        Assert.Equal(VirtResourceReason.Other, disk.Reason.Value);
        Assert.Equal("unknown", disk.Reason.Text.Value);
        Assert.Equal("unknown", disk.Reason.ToString());
        Assert.False(disk.Reason == VirtResourceReason.Start);
        Assert.Equal(payload, L(Reencode(record)));
        Assert.Equal(payload, L(FormatThroughType(Cases["VirtResourceDisk"], U(payload))));
    }

    [Fact]
    public void Unknown_virt_type_and_control_reason_survive_parse_then_encode()
    {
        string payload = $"virt=nvmm-ish op=stop reason=paused-forever {Rhel9} vm-pid=0" + Trailer;
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(AuditRecordTypes.VirtControl, U(payload));
        Assert.True(record.Is<VirtControl>(), record.Error);
        VirtControl control = record.Get<VirtControl>();

        Assert.False(control.Virt.IsKnown);
        Assert.Equal(VirtType.Other, control.Virt.Value);
        Assert.Equal("nvmm-ish", control.Virt.ToString());
        Assert.False(control.Virt == VirtType.Nvmm);
        Assert.Equal("paused-forever", control.Reason.Text.Value);
        Assert.Equal(payload, L(Reencode(record)));
        Assert.Equal(payload, L(FormatThroughType(Cases["VirtControl"], U(payload))));
    }

    [Fact]
    public void Unknown_bus_and_cgroup_class_values_survive_parse_then_encode()
    {
        string bus = $"""virt=kvm resrc=dev reason=start {Rhel9} bus=ccw device="0.0.1234" """.TrimEnd() + Trailer;
        VirtResourceDev dev = VirtResourceDev.Parse(U(bus));
        Assert.Equal(HostdevBus.Other, dev.Bus.Value);
        Assert.Equal("ccw", dev.Bus.Text.Value);
        Assert.Equal(bus, L(FormatThroughType(Cases["VirtResourceDev"], U(bus))));

        string category = $"""virt=kvm resrc=cgroup reason=allow {Rhel9} cgroup="/sys/fs/cgroup/x/" class=major category=tty maj=04 acl=rw""" + Trailer;
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(AuditRecordTypes.VirtResource, U(category));
        VirtResourceCgroup cgroup = record.Get<VirtResourceCgroup>();
        Assert.Equal(CgroupCategory.Other, cgroup.Category.Value);
        Assert.Equal("tty", cgroup.Category.ToString());
        Assert.Equal((byte)4, cgroup.Maj);
        Assert.Equal(category, L(Reencode(record)));
    }

    [Fact]
    public void Typed_access_through_the_registry_equals_the_generated_parse()
    {
        foreach ((string id, string text) in SpecExamples.Lines)
        {
            if (id == "C22")
            {
                continue;
            }

            AuditLine line = ParseLine(text);
            VirtAuditRecord record = VirtAuditRegistry.Default.Parse(line.TypeNumber, line.Message);
            switch (record.Variant!.Name)
            {
                case "VirtControl":
                    Assert.Equal(VirtControl.Parse(line.Message), record.Get<VirtControl>());
                    Assert.False(record.TryGet(out VirtMachineId _));
                    break;
                case "VirtResourceCgroup":
                    Assert.Equal(VirtResourceCgroup.Parse(line.Message), record.Get<VirtResourceCgroup>());
                    Assert.False(record.Is<VirtResourceDisk>());
                    break;
                case "VirtResourceDisk":
                    Assert.Equal(VirtResourceDisk.Parse(line.Message), record.Get<VirtResourceDisk>());
                    Assert.Throws<InvalidOperationException>(() => record.Get<VirtResourceFs>());
                    break;
            }
        }
    }
}
