namespace VirtAudit.Tests.Records;

/// <summary>The example lines of spec §14, verbatim (0x1D written as \u001d).</summary>
internal static class SpecExamples
{
    /// <summary>
    /// R1–R6: the real journald samples of spec §14 ("Real samples"), verbatim: journald's short form
    /// (<c>DATE HOST audit[PID]: TYPE BODY</c>), so no stamp; R6 from a host without an LSM (no <c>subj=</c>).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> RealLines = new Dictionary<string, string>
    {
        ["R1"] = """May 12 12:48:00 tbowling audit[385946]: VIRT_RESOURCE pid=385946 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm resrc=disk reason=start vm="rhel-10-beta" uuid=7d9e20d7-3970-4e9b-8a5c-3d7614348887 old-disk="?" new-disk="/var/lib/libvirt/images/rhel-10-beta.qcow2" exe="/usr/bin/virtqemud" hostname=? addr=? terminal=? res=success'""",
        ["R2"] = """May 12 12:48:00 tbowling audit[385946]: VIRT_RESOURCE pid=385946 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm resrc=net reason=start vm="rhel-10-beta" uuid=7d9e20d7-3970-4e9b-8a5c-3d7614348887 old-net="?" new-net="52:54:00:16:e5:9c" exe="/usr/bin/virtqemud" hostname=? addr=? terminal=? res=success'""",
        ["R3"] = """May 12 12:48:00 tbowling audit[385946]: VIRT_RESOURCE pid=385946 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm resrc=dev reason=start vm="rhel-10-beta" uuid=7d9e20d7-3970-4e9b-8a5c-3d7614348887 bus=usb device=555342207265646972646576 exe="/usr/bin/virtqemud" hostname=? addr=? terminal=? res=success'""",
        ["R4"] = """May 12 12:47:59 tbowling audit[385946]: VIRT_RESOURCE pid=385946 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm resrc=cgroup reason=deny vm="rhel-10-beta" uuid=7d9e20d7-3970-4e9b-8a5c-3d7614348887 cgroup="/sys/fs/cgroup/machine.slice/machine-qemu\x2d4\x2drhel\x2d10\x2dbeta.scope/" class=all exe="/usr/bin/virtqemud" hostname=? addr=? terminal=? res=success'""",
        ["R5"] = """May 12 12:47:59 tbowling audit[385946]: VIRT_RESOURCE pid=385946 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm resrc=cgroup reason=allow vm="rhel-10-beta" uuid=7d9e20d7-3970-4e9b-8a5c-3d7614348887 cgroup="/sys/fs/cgroup/machine.slice/machine-qemu\x2d4\x2drhel\x2d10\x2dbeta.scope/" class=path path="/dev/null" rdev=01:03 acl=rw exe="/usr/bin/virtqemud" hostname=? addr=? terminal=? res=success'""",
        ["R6"] = """21:32:21 HOST audit[2728]: VIRT_RESOURCE pid=2728 uid=0 auid=4294967295 ses=4294967295 msg='virt=kvm resrc=cgroup reason=allow vm="fc32" uuid=12345678-c061-4f3c-877a-8f429d0ac438 cgroup="/sys/fs/cgroup/machine.slice/machine-qemu\x2d5\x2dfc32.scope/" class=path path="/dev/kvm" rdev=0A:E8 acl=rw exe="/usr/sbin/libvirtd" hostname=? addr=? terminal=? res=success'""",
    };

    /// <summary>R1–R6: the payloads (inside <c>msg='…'</c>) of <see cref="RealLines"/>.</summary>
    public static readonly IReadOnlyDictionary<string, string> RealPayloads = RealLines.ToDictionary(
        kv => kv.Key,
        kv => kv.Value[(kv.Value.IndexOf("msg='", StringComparison.Ordinal) + 5)..kv.Value.LastIndexOf('\'')]);

    /// <summary>C1–C22: the constructed audit.log lines.</summary>
    public static readonly IReadOnlyDictionary<string, string> Lines = new Dictionary<string, string>
    {
        ["C1"] = """type=VIRT_MACHINE_ID msg=audit(1715510879.842:5001): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm vm="rhel9" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-ctx=system_u:system_r:svirt_t:s0:c123,c456 img-ctx=system_u:object_r:svirt_image_t:s0:c123,c456 model=selinux exe="/usr/sbin/virtqemud" hostname=? addr=? terminal=? res=success'""",
        ["C2"] = """type=VIRT_MACHINE_ID msg=audit(1715510879.842:5002): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm vm="rhel9" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-ctx=+107:+107 img-ctx=+107:+107 model=dac exe="/usr/sbin/virtqemud" hostname=? addr=? terminal=? res=success'""",
        ["C3"] = """type=VIRT_RESOURCE msg=audit(1715510879.905:5006): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm resrc=cgroup reason=allow vm="rhel9" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 cgroup="/sys/fs/cgroup/machine.slice/machine-qemu\x2d3\x2drhel9.scope/" class=major category=pty maj=88 acl=rw exe="/usr/sbin/virtqemud" hostname=? addr=? terminal=? res=success'""",
        ["C4"] = """type=VIRT_RESOURCE msg=audit(1715510879.906:5007): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm resrc=cgroup reason=allow vm="rhel9" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 cgroup="/sys/fs/cgroup/machine.slice/machine-qemu\x2d3\x2drhel9.scope/" class=path path="/dev/dm-3" rdev=FD:03 acl=rw exe="/usr/sbin/virtqemud" hostname=? addr=? terminal=? res=success'""",
        ["C5"] = """type=VIRT_RESOURCE msg=audit(1715510879.951:5010): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm resrc=net reason=open vm="rhel9" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 net=52:54:00:6b:3c:58 path="/dev/net/tun" rdev=0A:C8 exe="/usr/sbin/virtqemud" hostname=? addr=? terminal=? res=success'""",
        ["C6"] = """type=VIRT_RESOURCE msg=audit(1715510880.301:5014): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm resrc=fs reason=start vm="rhel9" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-fs="?" new-fs="/srv/share" exe="/usr/sbin/virtqemud" hostname=? addr=? terminal=? res=success'""",
        ["C7"] = """type=VIRT_RESOURCE msg=audit(1715510880.302:5015): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm resrc=dev reason=start vm="rhel9" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 bus=pci device="0000:3b:00.1" exe="/usr/sbin/virtqemud" hostname=? addr=? terminal=? res=success'""",
        ["C8"] = """type=VIRT_RESOURCE msg=audit(1715510880.303:5016): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm resrc=chardev reason=start vm="rhel9" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-chardev="?" new-chardev="/run/libvirt/qemu/channel/3-rhel9/org.qemu.guest_agent.0" exe="/usr/sbin/virtqemud" hostname=? addr=? terminal=? res=success'""",
        ["C9"] = """type=VIRT_RESOURCE msg=audit(1715510880.303:5017): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm resrc=smartcard reason=start vm="rhel9" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-smartcard="?" new-smartcard="nss-smartcard-device" exe="/usr/sbin/virtqemud" hostname=? addr=? terminal=? res=success'""",
        ["C10"] = """type=VIRT_RESOURCE msg=audit(1715510880.304:5019): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm resrc=tpm-emulator reason=start vm="rhel9" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 device="/run/libvirt/qemu/swtpm/3-rhel9-swtpm.sock" exe="/usr/sbin/virtqemud" hostname=? addr=? terminal=? res=success'""",
        ["C11"] = """type=VIRT_RESOURCE msg=audit(1715510880.305:5020): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm resrc=shmem reason=start vm="rhel9" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 size=4194304 path=/dev/shm/shmem0 exe="/usr/sbin/virtqemud" hostname=? addr=? terminal=? res=success'""",
        ["C12"] = """type=VIRT_RESOURCE msg=audit(1715510880.305:5021): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm resrc=evdev reason=start vm="rhel9" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 path=/dev/input/by-id/usb-Logitech_USB_Receiver-event-kbd exe="/usr/sbin/virtqemud" hostname=? addr=? terminal=? res=success'""",
        ["C13"] = """type=VIRT_RESOURCE msg=audit(1715510880.306:5022): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm resrc=mem reason=start vm="rhel9" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-mem=0 new-mem=4194304 exe="/usr/sbin/virtqemud" hostname=? addr=? terminal=? res=success'""",
        ["C14"] = """type=VIRT_CONTROL msg=audit(1715510880.307:5025): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm op=start reason=booted vm="rhel9" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-pid=24811 exe="/usr/sbin/virtqemud" hostname=? addr=? terminal=? res=success'""" + "\u001d" + "UID=\"root\" AUID=\"unset\"",
        ["C15"] = """type=VIRT_RESOURCE msg=audit(1715511260.410:5093): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm resrc=dev reason=attach vm="rhel9" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 bus=mdev device="c2177883-f1bb-47f0-914d-32a22e3a8804" exe="/usr/sbin/virtqemud" hostname=? addr=? terminal=? res=failed'""",
        ["C16"] = """type=VIRT_RESOURCE msg=audit(1715511400.777:5101): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm resrc=disk reason=snapshot vm="rhel9" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-disk="/var/lib/libvirt/images/rhel9.qcow2" new-disk="/var/lib/libvirt/images/rhel9.snap1" exe="/usr/sbin/virtqemud" hostname=? addr=? terminal=? res=success'""",
        ["C17"] = """type=VIRT_RESOURCE msg=audit(1715512000.050:5150): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm resrc=disk reason=update vm=77696E203131 uuid=0c9d7e55-41b2-4f0a-a3c8-5e6f7a8b9c0d old-disk="/var/lib/libvirt/images/virtio-win.iso" new-disk="/var/lib/libvirt/images/Win11_23H2.iso" exe="/usr/sbin/virtqemud" hostname=? addr=? terminal=? res=success'""",
        ["C18"] = """node=kvmhost01.example.com type=VIRT_CONTROL msg=audit(1715514000.044:5220): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm op=stop reason=destroyed vm="rhel9" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-pid=0 exe="/usr/sbin/virtqemud" hostname=? addr=? terminal=? res=success'""",
        ["C19"] = """type=VIRT_CONTROL msg=audit(1715515000.500:5300): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm op=start reason=booted vm="rhel9" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-pid=0 exe="/usr/sbin/virtqemud" hostname=? addr=? terminal=? res=failed'""",
        ["C20"] = """type=VIRT_CONTROL msg=audit(1715520000.500:6001): pid=2210 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtd_t:s0-s0:c0.c1023 msg='virt=lxc op=init vm="web1" uuid=9b2d6e1f-0c4a-4f3e-8d57-6a1b2c3d4e5f vm-pid=31502 init-pid=31510 pid-ns=4026532451 exe="/usr/sbin/libvirtd" hostname=? addr=? terminal=? res=success'""",
        ["C21"] = """type=VIRT_RESOURCE msg=audit(1715520100.020:6010): pid=2210 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtd_t:s0-s0:c0.c1023 msg='virt=lxc resrc=hostdev reason=attach vm="web1" uuid=9b2d6e1f-0c4a-4f3e-8d57-6a1b2c3d4e5f disk="/dev/sdb" exe="/usr/sbin/libvirtd" hostname=? addr=? terminal=? res=success'""",
        ["C22"] = """type=VIRT_RESOURCE msg=audit(1330000000.123:77): user pid=2000 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtd_t:s0-s0:c0.c1023 msg='virt=kvm resrc=net reason=start vm="rhel6" uuid=11111111-2222-3333-4444-555555555555 old-net=? new-net=52:54:00:aa:bb:cc: exe="/usr/sbin/libvirtd" hostname=? addr=? terminal=? res=success'""",
    };

    /// <summary>R7: <c>ausearch -i</c> output of a libvirt record (not a raw audit.log line).</summary>
    public const string R7 = """type=VIRT_CONTROL msg=audit(08/05/2014 17:01:05.891:6471) : pid=1265 uid=root auid=unset ses=unset subj=system_u:system_r:virtd_t:s0-s0:c0.c1023 msg='virt=kvm op=start reason=booted vm=vm1 uuid=462dcd6d-fb68-4a26-a96f-56eb024515b9 vm-pid=22527 exe=/usr/sbin/libvirtd hostname=? addr=? terminal=? res=success'""";

    /// <summary>R8: the docker daemon's VIRT_CONTROL record (not libvirt).</summary>
    public const string R8 = """type=VIRT_CONTROL msg=audit(1506321923.246:470): pid=1182 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:container_runtime_t:s0 msg='reason=api vm-pid=10657 hostname=1235c5a6476b op=resize vm=centos:7 user=origin auid=1000 exe=sleep  exe="/usr/bin/dockerd-current" hostname=? addr=? terminal=? res=success'""";

    /// <summary>Any example line of spec §14 by its label (R1–R8, C1–C22), as the spec prints it.</summary>
    public static string Line(string label) => label switch
    {
        "R7" => R7,
        "R8" => R8,
        _ when RealLines.TryGetValue(label, out string? real) => real,
        _ => Lines[label],
    };
}
