namespace VirtAudit.Tests;

/// <summary>Payloads (the text inside <c>msg='…'</c>) from spec §14 and lines of the real libvirt 9.0 capture.</summary>
internal static class Samples
{
    /// <summary>Spec §14 R1–R8 (real) and C1–C22 (constructed), verbatim.</summary>
    public static readonly Dictionary<string, string> Spec = new()
    {
        ["R1"] = "virt=kvm resrc=disk reason=start vm=\"rhel-10-beta\" uuid=7d9e20d7-3970-4e9b-8a5c-3d7614348887 old-disk=\"?\" new-disk=\"/var/lib/libvirt/images/rhel-10-beta.qcow2\" exe=\"/usr/bin/virtqemud\" hostname=? addr=? terminal=? res=success",
        ["R2"] = "virt=kvm resrc=net reason=start vm=\"rhel-10-beta\" uuid=7d9e20d7-3970-4e9b-8a5c-3d7614348887 old-net=\"?\" new-net=\"52:54:00:16:e5:9c\" exe=\"/usr/bin/virtqemud\" hostname=? addr=? terminal=? res=success",
        ["R3"] = "virt=kvm resrc=dev reason=start vm=\"rhel-10-beta\" uuid=7d9e20d7-3970-4e9b-8a5c-3d7614348887 bus=usb device=555342207265646972646576 exe=\"/usr/bin/virtqemud\" hostname=? addr=? terminal=? res=success",
        ["R4"] = "virt=kvm resrc=cgroup reason=deny vm=\"rhel-10-beta\" uuid=7d9e20d7-3970-4e9b-8a5c-3d7614348887 cgroup=\"/sys/fs/cgroup/machine.slice/machine-qemu\\x2d4\\x2drhel\\x2d10\\x2dbeta.scope/\" class=all exe=\"/usr/bin/virtqemud\" hostname=? addr=? terminal=? res=success",
        ["R5"] = "virt=kvm resrc=cgroup reason=allow vm=\"rhel-10-beta\" uuid=7d9e20d7-3970-4e9b-8a5c-3d7614348887 cgroup=\"/sys/fs/cgroup/machine.slice/machine-qemu\\x2d4\\x2drhel\\x2d10\\x2dbeta.scope/\" class=path path=\"/dev/null\" rdev=01:03 acl=rw exe=\"/usr/bin/virtqemud\" hostname=? addr=? terminal=? res=success",
        ["R6"] = "virt=kvm resrc=cgroup reason=allow vm=\"fc32\" uuid=12345678-c061-4f3c-877a-8f429d0ac438 cgroup=\"/sys/fs/cgroup/machine.slice/machine-qemu\\x2d5\\x2dfc32.scope/\" class=path path=\"/dev/kvm\" rdev=0A:E8 acl=rw exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=success",
        ["R7"] = "virt=kvm op=start reason=booted vm=vm1 uuid=462dcd6d-fb68-4a26-a96f-56eb024515b9 vm-pid=22527 exe=/usr/sbin/libvirtd hostname=? addr=? terminal=? res=success",
        ["R8"] = "reason=api vm-pid=10657 hostname=1235c5a6476b op=resize vm=centos:7 user=origin auid=1000 exe=sleep  exe=\"/usr/bin/dockerd-current\" hostname=? addr=? terminal=? res=success",
        ["C1"] = "virt=kvm vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-ctx=system_u:system_r:svirt_t:s0:c123,c456 img-ctx=system_u:object_r:svirt_image_t:s0:c123,c456 model=selinux exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success",
        ["C2"] = "virt=kvm vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-ctx=+107:+107 img-ctx=+107:+107 model=dac exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success",
        ["C3"] = "virt=kvm resrc=cgroup reason=allow vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 cgroup=\"/sys/fs/cgroup/machine.slice/machine-qemu\\x2d3\\x2drhel9.scope/\" class=major category=pty maj=88 acl=rw exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success",
        ["C4"] = "virt=kvm resrc=cgroup reason=allow vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 cgroup=\"/sys/fs/cgroup/machine.slice/machine-qemu\\x2d3\\x2drhel9.scope/\" class=path path=\"/dev/dm-3\" rdev=FD:03 acl=rw exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success",
        ["C5"] = "virt=kvm resrc=net reason=open vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 net=52:54:00:6b:3c:58 path=\"/dev/net/tun\" rdev=0A:C8 exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success",
        ["C6"] = "virt=kvm resrc=fs reason=start vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-fs=\"?\" new-fs=\"/srv/share\" exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success",
        ["C7"] = "virt=kvm resrc=dev reason=start vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 bus=pci device=\"0000:3b:00.1\" exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success",
        ["C8"] = "virt=kvm resrc=chardev reason=start vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-chardev=\"?\" new-chardev=\"/run/libvirt/qemu/channel/3-rhel9/org.qemu.guest_agent.0\" exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success",
        ["C9"] = "virt=kvm resrc=smartcard reason=start vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-smartcard=\"?\" new-smartcard=\"nss-smartcard-device\" exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success",
        ["C10"] = "virt=kvm resrc=tpm-emulator reason=start vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 device=\"/run/libvirt/qemu/swtpm/3-rhel9-swtpm.sock\" exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success",
        ["C11"] = "virt=kvm resrc=shmem reason=start vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 size=4194304 path=/dev/shm/shmem0 exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success",
        ["C12"] = "virt=kvm resrc=evdev reason=start vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 path=/dev/input/by-id/usb-Logitech_USB_Receiver-event-kbd exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success",
        ["C13"] = "virt=kvm resrc=mem reason=start vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-mem=0 new-mem=4194304 exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success",
        ["C14"] = "virt=kvm op=start reason=booted vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-pid=24811 exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success",
        ["C15"] = "virt=kvm resrc=dev reason=attach vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 bus=mdev device=\"c2177883-f1bb-47f0-914d-32a22e3a8804\" exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=failed",
        ["C16"] = "virt=kvm resrc=disk reason=snapshot vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-disk=\"/var/lib/libvirt/images/rhel9.qcow2\" new-disk=\"/var/lib/libvirt/images/rhel9.snap1\" exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success",
        ["C17"] = "virt=kvm resrc=disk reason=update vm=77696E203131 uuid=0c9d7e55-41b2-4f0a-a3c8-5e6f7a8b9c0d old-disk=\"/var/lib/libvirt/images/virtio-win.iso\" new-disk=\"/var/lib/libvirt/images/Win11_23H2.iso\" exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success",
        ["C18"] = "virt=kvm op=stop reason=destroyed vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-pid=0 exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success",
        ["C19"] = "virt=kvm op=start reason=booted vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-pid=0 exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=failed",
        ["C20"] = "virt=lxc op=init vm=\"web1\" uuid=9b2d6e1f-0c4a-4f3e-8d57-6a1b2c3d4e5f vm-pid=31502 init-pid=31510 pid-ns=4026532451 exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=success",
        ["C21"] = "virt=lxc resrc=hostdev reason=attach vm=\"web1\" uuid=9b2d6e1f-0c4a-4f3e-8d57-6a1b2c3d4e5f disk=\"/dev/sdb\" exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=success",
        ["C22"] = "virt=kvm resrc=net reason=start vm=\"rhel6\" uuid=11111111-2222-3333-4444-555555555555 old-net=? new-net=52:54:00:aa:bb:cc: exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=success",
    };

    /// <summary>
    /// How to read each libvirt sample, field by field: <c>key:kind</c> with kind <c>enum</c> (virt), <c>const</c>
    /// (the value as it stands), <c>token</c>, <c>E</c> (encoded), <c>R</c> (raw, up to the next key), <c>i64</c>,
    /// <c>u64</c>, <c>uuid</c>, <c>macE</c>/<c>macR</c>, <c>dev</c>, <c>hex</c>. R7 (ausearch -i) and R8 (docker) are
    /// not libvirt payloads as written and are left out.
    /// </summary>
    public static readonly Dictionary<string, string> Layouts = new()
    {
        ["R1"] = "virt:enum resrc:const reason:token vm:E uuid:uuid old-disk:E new-disk:E",
        ["R2"] = "virt:enum resrc:const reason:token vm:E uuid:uuid old-net:macE new-net:macE",
        ["R3"] = "virt:enum resrc:const reason:token vm:E uuid:uuid bus:token device:E",
        ["R4"] = "virt:enum resrc:const reason:token vm:E uuid:uuid cgroup:E class:token",
        ["R5"] = "virt:enum resrc:const reason:token vm:E uuid:uuid cgroup:E class:const path:E rdev:dev acl:token",
        ["R6"] = "virt:enum resrc:const reason:token vm:E uuid:uuid cgroup:E class:const path:E rdev:dev acl:token",
        ["C1"] = "virt:enum vm:E uuid:uuid vm-ctx:R img-ctx:R model:token",
        ["C2"] = "virt:enum vm:E uuid:uuid vm-ctx:R img-ctx:R model:token",
        ["C3"] = "virt:enum resrc:const reason:token vm:E uuid:uuid cgroup:E class:const category:token maj:hex acl:token",
        ["C4"] = "virt:enum resrc:const reason:token vm:E uuid:uuid cgroup:E class:const path:E rdev:dev acl:token",
        ["C5"] = "virt:enum resrc:const reason:const vm:E uuid:uuid net:macR path:E rdev:dev",
        ["C6"] = "virt:enum resrc:const reason:token vm:E uuid:uuid old-fs:E new-fs:E",
        ["C7"] = "virt:enum resrc:const reason:token vm:E uuid:uuid bus:token device:E",
        ["C8"] = "virt:enum resrc:const reason:token vm:E uuid:uuid old-chardev:E new-chardev:E",
        ["C9"] = "virt:enum resrc:const reason:token vm:E uuid:uuid old-smartcard:E new-smartcard:E",
        ["C10"] = "virt:enum resrc:const reason:token vm:E uuid:uuid device:E",
        ["C11"] = "virt:enum resrc:const reason:token vm:E uuid:uuid size:u64 path:R",
        ["C12"] = "virt:enum resrc:const reason:token vm:E uuid:uuid path:R",
        ["C13"] = "virt:enum resrc:const reason:token vm:E uuid:uuid old-mem:i64 new-mem:i64",
        ["C14"] = "virt:enum op:token reason:token vm:E uuid:uuid vm-pid:i64",
        ["C15"] = "virt:enum resrc:const reason:token vm:E uuid:uuid bus:token device:E",
        ["C16"] = "virt:enum resrc:const reason:token vm:E uuid:uuid old-disk:E new-disk:E",
        ["C17"] = "virt:enum resrc:const reason:token vm:E uuid:uuid old-disk:E new-disk:E",
        ["C18"] = "virt:enum op:token reason:token vm:E uuid:uuid vm-pid:i64",
        ["C19"] = "virt:enum op:token reason:token vm:E uuid:uuid vm-pid:i64",
        ["C20"] = "virt:enum op:token vm:E uuid:uuid vm-pid:i64 init-pid:i64 pid-ns:i64",
        ["C21"] = "virt:enum resrc:const reason:token vm:E uuid:uuid disk:E",
        ["C22"] = "virt:enum resrc:const reason:token vm:E uuid:uuid old-net:macE new-net:macE",
    };

    /// <summary>Lines of corpus/libvirt-9.0/audit.log, verbatim (0x1D as \u001d).</summary>
    public const string CorpusNetOpen = "type=VIRT_RESOURCE msg=audit(1795542733.180:12): pid=8208 uid=0 auid=4294967295 ses=4294967295 msg='virt=qemu resrc=net reason=open vm=\"auditvm1\" uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 net=52:54:00:ab:cd:01 path=\"/dev/net/tun\" rdev=0A:C8 exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=success'\u001dUID=\"root\" AUID=\"unset\"";

    public const string CorpusNetOpenVhostFailed = "type=VIRT_RESOURCE msg=audit(1795542944.532:270): pid=8208 uid=0 auid=4294967295 ses=4294967295 msg='virt=kvm resrc=net reason=open vm=\"auditvm6-kvm\" uuid=6a6a6a6a-1111-4222-8333-444455556666 net=52:54:00:66:66:01 path=\"/dev/vhost-net\" rdev=? exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=failed'\u001dUID=\"root\" AUID=\"unset\"";

    public const string CorpusCgroupPathHexVm = "type=VIRT_RESOURCE msg=audit(1795542874.620:134): pid=8208 uid=0 auid=4294967295 ses=4294967295 msg='virt=qemu resrc=cgroup reason=allow vm=61756469742D766D3220227465737422 uuid=0e9d8c7b-6a59-4847-a635-241302f1e0d9 cgroup=\"/sys/fs/cgroup/unified/machine/qemu-4-audit-vm2test.libvirt-qemu/\" class=path path=\"/dev/null\" rdev=01:03 acl=rw exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=success'\u001dUID=\"root\" AUID=\"unset\"";

    public const string CorpusCgroupDenyNoRdev = "type=VIRT_RESOURCE msg=audit(1795542816.104:103): pid=8208 uid=0 auid=4294967295 ses=4294967295 msg='virt=qemu resrc=cgroup reason=deny vm=\"auditvm1\" uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 cgroup=\"/sys/fs/cgroup/unified/machine/qemu-3-auditvm1.libvirt-qemu/\" class=path path=\"/var/lib/libvirt/images/test/nonexistent.iso\" rdev=? acl=rwm exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=failed'\u001dUID=\"root\" AUID=\"unset\"";

    public const string CorpusMachineIdHexVm = "type=VIRT_MACHINE_ID msg=audit(1795542874.596:131): pid=8208 uid=0 auid=4294967295 ses=4294967295 msg='virt=qemu vm=61756469742D766D3220227465737422 uuid=0e9d8c7b-6a59-4847-a635-241302f1e0d9 vm-ctx=+0:+0 img-ctx=+0:+0 model=dac exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=success'\u001dUID=\"root\" AUID=\"unset\"";

    /// <summary>The real capture, corpus/libvirt-9.0/audit.log in the repository.</summary>
    public static string CorpusPath => VirtAudit.Testing.Repository.Libvirt90AuditLog;
}
