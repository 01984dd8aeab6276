using static VirtAudit.Tests.Records.RecordKit;

namespace VirtAudit.Tests.Records;

/// <summary>
/// Issue 2 §2 and spec §11/§12: shapes old libvirt versions (or producers that follow the old documentation) wrote
/// must still be typed by the registry, and flagged legacy.
/// </summary>
public class LegacyShapeTests
{
    private const string Rhel6 = """vm="rhel6" uuid=11111111-2222-3333-4444-555555555555""";

    /// <summary>libaudit ≤ 2.1.x put a colon right before exe=.</summary>
    private const string OldTrailer = """: exe="/usr/sbin/libvirtd" hostname=? addr=? terminal=? res=success""";

    private const string LibvirtdTrailer = """ exe="/usr/sbin/libvirtd" hostname=? addr=? terminal=? res=success""";

    /// <summary>Name, record type, message, the variant that must type it, and the flag it must carry.</summary>
    public static TheoryData<string, int, string, string, LegacyShape> Shapes => new()
    {
        {
            "0.8.7 disk, no virt=", 2501,
            $"""resrc=disk reason=start {Rhel6} old-disk="?" new-disk="/var/lib/libvirt/images/rhel6.img" """.TrimEnd() + OldTrailer,
            "VirtResourceDisk", LegacyShape.MissingField
        },
        {
            "0.8.7 control, no virt= and no vm-pid", 2500,
            $"op=start reason=booted {Rhel6}" + OldTrailer,
            "VirtControl", LegacyShape.MissingField
        },
        {
            "0.9.3 control, no vm-pid", 2500,
            $"virt=kvm op=stop reason=shutdown {Rhel6}" + OldTrailer,
            "VirtControl", LegacyShape.MissingField
        },
        {
            "0.8.7 machine id, no virt= and no model=", 2502,
            $"{Rhel6} vm-ctx=system_u:system_r:svirt_t:s0:c1,c2 img-ctx=system_u:object_r:svirt_image_t:s0:c1,c2" + OldTrailer,
            "VirtMachineId", LegacyShape.MissingField
        },
        {
            "0.9.9 single-quoted MACs", 2501,
            $"virt=kvm resrc=net reason=start {Rhel6} old-net='?' new-net='52:54:00:aa:bb:cc'" + OldTrailer,
            "VirtResourceNet", LegacyShape.SingleQuotedValue
        },
        {
            "0.8.7 single-quoted MACs, no virt=", 2501,
            $"resrc=net reason=attach {Rhel6} old-net='?' new-net='52:54:00:aa:bb:cc'" + OldTrailer,
            "VirtResourceNet", LegacyShape.SingleQuotedValue
        },
        {
            "0.9.9 single-quoted net= of a net open", 2501,
            $"""virt=kvm resrc=net reason=open {Rhel6} net='52:54:00:aa:bb:cc' path="/dev/net/tun" rdev=0A:C8""" + OldTrailer,
            "VirtResourceNetOpen", LegacyShape.SingleQuotedValue
        },
        {
            "0.9.10-1.2.6 raw MACs", 2501,
            $"virt=kvm resrc=net reason=detach {Rhel6} old-net=52:54:00:aa:bb:cc new-net=?" + LibvirtdTrailer,
            "VirtResourceNet", LegacyShape.BareValue
        },
        {
            "stop with vm-pid=-1", 2500,
            """virt=kvm op=stop reason=destroyed vm="rhel7" uuid=11111111-2222-3333-4444-555555555555 vm-pid=-1""" + LibvirtdTrailer,
            "VirtControl", LegacyShape.LegacyValue
        },
        {
            "pre-3.4 shmem without server", 2501,
            $"""virt=kvm resrc=shmem reason=start {Rhel6} size=4194304 shmem="shmem0" server="?" """.TrimEnd() + LibvirtdTrailer,
            "VirtResourceShmemLegacy", LegacyShape.LegacyVariant
        },
        {
            "pre-3.4 shmem with server", 2501,
            $"""virt=kvm resrc=shmem reason=attach {Rhel6} size=1048576 shmem=697673686D656D2031 server="/var/lib/libvirt/shmem-ivshmem1-sock" """.TrimEnd() + LibvirtdTrailer,
            "VirtResourceShmemLegacy", LegacyShape.LegacyVariant
        },
        {
            "documented shmem with source=", 2501,
            $"""virt=kvm resrc=shmem reason=start {Rhel6} size=4194304 shmem="shmem0" source="/var/lib/libvirt/shmem-shmem0-sock" """.TrimEnd() + LibvirtdTrailer,
            "VirtResourceShmemSource", LegacyShape.LegacyVariant
        },
        {
            "documented resrc=redir", 2501,
            $"virt=kvm resrc=redir reason=start {Rhel6} bus=usb device=555342207265646972" + LibvirtdTrailer,
            "VirtResourceRedir", LegacyShape.LegacyVariant
        },
        {
            "documented host NIC record", 2501,
            $"virt=kvm resrc=net reason=open {Rhel6} net=00:1b:21:3a:4c:5d rdev=eth0" + LibvirtdTrailer,
            "VirtResourceNetHost", LegacyShape.LegacyVariant
        },
        {
            "pre-4.5 TPM passthrough as resrc=dev without bus", 2501,
            $"""virt=kvm resrc=dev reason=start {Rhel6} device="/dev/tpm0" """.TrimEnd() + LibvirtdTrailer,
            "VirtResourceDev", LegacyShape.MissingField
        },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Legacy_shape_is_typed_and_flagged(string shape, int recordNumber, string message, string variant, LegacyShape flag)
    {
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(recordNumber, U(message));

        Assert.True(record.IsTyped, $"{shape}: untyped: {record.Error} (field {record.ErrorField}, offset {record.ErrorOffset})");
        Assert.Equal(variant, record.Variant!.Name);
        Assert.True(record.IsLegacy, $"{shape}: typed as {variant} but not flagged legacy");
        Assert.True(record.Legacy.HasFlag(flag), $"{shape}: flags {record.Legacy}, expected {flag}");
        Assert.Equal(message.Contains(": exe=", StringComparison.Ordinal), record.Legacy.HasFlag(LegacyShape.ColonBeforeExe));
        Assert.Equal(Cases[variant].Info.IsLegacy, record.Legacy.HasFlag(LegacyShape.LegacyVariant));

        // The generated type parses it on its own too, and writes it (in today's shape, or its own).
        Assert.NotNull(FormatThroughType(Cases[variant], U(message)));
        Assert.NotNull(Reencode(record));
    }

    [Fact]
    public void Records_without_virt_or_vm_pid_are_written_without_them()
    {
        string disk = $"""resrc=disk reason=start {Rhel6} old-disk="?" new-disk="/var/lib/libvirt/images/rhel6.img" """.TrimEnd();
        VirtResourceDisk parsed = VirtResourceDisk.Parse(U(disk + OldTrailer));
        Assert.False(parsed.Virt.IsSet);
        Assert.Equal("rhel6", parsed.Vm.Value);
        Assert.Equal("/var/lib/libvirt/images/rhel6.img", parsed.NewDisk.Value);
        Assert.Equal(disk, Format(parsed));

        string control = $"op=start reason=booted {Rhel6}";
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(2500, U(control + OldTrailer));
        VirtControl start = record.Get<VirtControl>();
        Assert.False(start.Virt.IsSet);
        Assert.Null(start.VmPid);
        Assert.Equal(VirtOp.Start, start.Op.Value);
        Assert.Equal(control, Format(start));
        Assert.Equal(control + OldTrailer, L(Reencode(record)));

        // Built in code, the same record is refused: only parsed records may lack virt and vm-pid.
        Assert.Throws<AuditFormatException>(() => Format(start with { Legacy = LegacyShape.None }));
    }

    [Fact]
    public void Old_machine_id_has_no_model()
    {
        string payload = $"{Rhel6} vm-ctx=system_u:system_r:svirt_t:s0:c1,c2 img-ctx=system_u:object_r:svirt_image_t:s0:c1,c2";
        VirtMachineId id = VirtMachineId.Parse(U(payload + OldTrailer));
        Assert.False(id.Virt.IsSet);
        Assert.False(id.Model.IsSet);
        Assert.Equal("system_u:object_r:svirt_image_t:s0:c1,c2", id.ImgCtx.Value);
        Assert.Equal(payload, Format(id));
    }

    [Fact]
    public void Single_quoted_and_raw_macs_are_typed_and_written_as_today()
    {
        VirtResourceNet quoted = VirtResourceNet.Parse(U($"virt=kvm resrc=net reason=start {Rhel6} old-net='?' new-net='52:54:00:aa:bb:cc'" + OldTrailer));
        Assert.Null(quoted.OldNet);
        Assert.Equal(MacAddress.Parse("52:54:00:aa:bb:cc"), quoted.NewNet);
        Assert.Equal($"""virt=kvm resrc=net reason=start {Rhel6} old-net="?" new-net="52:54:00:aa:bb:cc" """.TrimEnd(), Format(quoted));

        VirtResourceNetOpen open = VirtResourceNetOpen.Parse(U($"""virt=kvm resrc=net reason=open {Rhel6} net='52:54:00:aa:bb:cc' path="/dev/net/tun" rdev=0A:C8""" + OldTrailer));
        Assert.Equal(MacAddress.Parse("52:54:00:aa:bb:cc"), open.Net);
        Assert.Equal($"""virt=kvm resrc=net reason=open {Rhel6} net=52:54:00:aa:bb:cc path="/dev/net/tun" rdev=0A:C8""", Format(open));

        VirtResourceNet raw = VirtResourceNet.Parse(U($"virt=kvm resrc=net reason=detach {Rhel6} old-net=52:54:00:aa:bb:cc new-net=?" + LibvirtdTrailer));
        Assert.Equal(MacAddress.Parse("52:54:00:aa:bb:cc"), raw.OldNet);
        Assert.Null(raw.NewNet);
        Assert.Equal($"""virt=kvm resrc=net reason=detach {Rhel6} old-net="52:54:00:aa:bb:cc" new-net="?" """.TrimEnd(), Format(raw));
    }

    [Fact]
    public void Negative_vm_pid_is_kept_as_is()
    {
        string payload = """virt=kvm op=stop reason=destroyed vm="rhel7" uuid=11111111-2222-3333-4444-555555555555 vm-pid=-1""";
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(2500, U(payload + LibvirtdTrailer));
        VirtControl stop = record.Get<VirtControl>();
        Assert.Equal(-1L, stop.VmPid);
        Assert.Equal(payload, Format(stop));
        Assert.Equal(payload + LibvirtdTrailer, L(Reencode(record)));
    }

    [Fact]
    public void Bare_question_mark_cgroup_is_absent_current_and_written_back_bare()
    {
        // virDomainAuditCgroup prints a bare cgroup=? when encoding the path failed (spec §4.2): today's libvirt.
        string bare = $"virt=kvm resrc=cgroup reason=deny {Rhel6} cgroup=? class=all";
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(2501, U(bare + LibvirtdTrailer));
        VirtResourceCgroup cgroup = record.Get<VirtResourceCgroup>();
        Assert.True(cgroup.Cgroup.IsAbsent);
        Assert.Equal(CgroupClass.All, cgroup.Class.Value);
        Assert.Equal(LegacyShape.None, record.Legacy);
        Assert.Equal(LegacyShape.None, cgroup.Legacy);
        Assert.Equal(bare, Format(cgroup));
        Assert.Equal(bare + LibvirtdTrailer, L(Reencode(record)));

        // The quoted form (no controller path) stays quoted; an absent value built in code is written quoted.
        string quoted = $"""virt=kvm resrc=cgroup reason=deny {Rhel6} cgroup="?" class=all""";
        VirtAuditRecord quotedRecord = VirtAuditRegistry.Default.Parse(2501, U(quoted + LibvirtdTrailer));
        Assert.Equal(LegacyShape.None, quotedRecord.Legacy);
        Assert.Equal(quoted + LibvirtdTrailer, L(Reencode(quotedRecord)));
        Assert.Equal(quoted, Format(cgroup with { Cgroup = AuditText.Absent }));

        // Other encoded fields: a bare ? is still a legacy shape, written back quoted.
        VirtResourceDisk disk = VirtResourceDisk.Parse(U($"""virt=kvm resrc=disk reason=start {Rhel6} old-disk=? new-disk="/a.img" """.TrimEnd()));
        Assert.Equal(LegacyShape.BareValue, disk.Legacy);
        Assert.Equal($"""virt=kvm resrc=disk reason=start {Rhel6} old-disk="?" new-disk="/a.img" """.TrimEnd(), Format(disk));
    }

    [Fact]
    public void Pre_3_4_shmem_keeps_its_name_and_server()
    {
        string payload = $"""virt=kvm resrc=shmem reason=attach {Rhel6} size=1048576 shmem=697673686D656D2031 server="/var/lib/libvirt/shmem-ivshmem1-sock" """.TrimEnd();
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(2501, U(payload + LibvirtdTrailer));
        VirtResourceShmemLegacy shmem = record.Get<VirtResourceShmemLegacy>();
        Assert.Equal(1048576UL, shmem.Size);
        Assert.Equal("ivshmem 1", shmem.Shmem.Value);
        Assert.Equal("/var/lib/libvirt/shmem-ivshmem1-sock", shmem.Server.Value);
        Assert.Equal(payload, Format(shmem));
        Assert.Equal(payload + LibvirtdTrailer, L(Reencode(record)));

        VirtResourceShmemLegacy noServer = VirtResourceShmemLegacy.Parse(U($"""virt=kvm resrc=shmem reason=start {Rhel6} size=4194304 shmem="shmem0" server="?" """.TrimEnd()));
        Assert.True(noServer.Server.IsAbsent);
        Assert.Equal("shmem0", noServer.Shmem.Value);
    }

    [Fact]
    public void Documented_redir_and_host_nic_records_keep_their_values()
    {
        VirtAuditRecord redirRecord = VirtAuditRegistry.Default.Parse(2501, U($"virt=kvm resrc=redir reason=start {Rhel6} bus=usb device=555342207265646972" + LibvirtdTrailer));
        VirtResourceRedir redir = redirRecord.Get<VirtResourceRedir>();
        Assert.Equal(HostdevBus.Usb, redir.Bus.Value);
        Assert.Equal("USB redir", redir.Device.Value);
        Assert.False(redirRecord.Is<VirtResourceDev>());

        VirtAuditRecord nicRecord = VirtAuditRegistry.Default.Parse(2501, U($"virt=kvm resrc=net reason=open {Rhel6} net=00:1b:21:3a:4c:5d rdev=eth0" + LibvirtdTrailer));
        VirtResourceNetHost nic = nicRecord.Get<VirtResourceNetHost>();
        Assert.Equal(MacAddress.Parse("00:1b:21:3a:4c:5d"), nic.Net);
        Assert.Equal("eth0", nic.Rdev.Value);
        Assert.False(nicRecord.Is<VirtResourceNetOpen>());

        // Today's net open record is never taken for the documented host NIC one.
        VirtAuditRecord today = VirtAuditRegistry.Default.Parse(2501, MessageOf(SpecExamples.Lines["C5"]));
        Assert.True(today.Is<VirtResourceNetOpen>());
        Assert.False(today.IsLegacy);
    }

    [Fact]
    public void Pre_4_5_tpm_passthrough_is_a_dev_record_without_bus()
    {
        string payload = $"""virt=kvm resrc=dev reason=start {Rhel6} device="/dev/tpm0" """.TrimEnd();
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(2501, U(payload + LibvirtdTrailer));
        VirtResourceDev dev = record.Get<VirtResourceDev>();
        Assert.False(dev.Bus.IsSet);
        Assert.Equal("/dev/tpm0", dev.Device.Value);
        Assert.Equal(payload, Format(dev));
        Assert.Equal(payload + LibvirtdTrailer, L(Reencode(record)));
    }
}
