using System;
using System.Collections.Generic;
using System.Text;

namespace VirtAudit.Benchmarks;

/// <summary>
/// Input lines for the benchmarks, in the shapes of the generated log the whole-file comparison reads
/// (bench/VirtAudit.LogGenerator.Tool <c>--lines 1000000 --seed 1 --virt-share 0.5</c>; first taken from the earlier
/// Python generator's, which writes the same shapes).
/// </summary>
internal static class Samples
{
    /// <summary>The ENRICHED separator.</summary>
    private const string Gs = "\u001d";

    private const string Header = "pid=902 uid=0 auid=4294967295 ses=4294967295 subj=unconfined msg='";

    private const string Trailer = " exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=success";

    /// <summary>The payloads (the text inside <c>msg='…'</c>, trailer included) by a short name.</summary>
    public static readonly IReadOnlyDictionary<string, string> Payloads = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["control-start"] = "virt=kvm op=start reason=booted vm=\"fedora39-89\" uuid=d8afc0af-3a1a-4f12-b7f9-febb168be21f vm-pid=1640814" + Trailer,
        ["machine-id-selinux"] = "virt=kvm vm=\"rhel9-web-140\" uuid=6496164d-c09f-4805-b7f9-94bd2ddae329 vm-ctx=system_u:system_r:svirt_t:s0:c238,c314 img-ctx=system_u:object_r:svirt_image_t:s0:c238,c314 model=selinux" + Trailer,
        ["disk"] = "virt=kvm resrc=disk reason=start vm=\"fedora39-89\" uuid=d8afc0af-3a1a-4f12-b7f9-febb168be21f old-disk=\"?\" new-disk=\"/var/lib/libvirt/images/fedora39-89.qcow2\"" + Trailer,
        ["disk-hex"] = "virt=kvm resrc=disk reason=start vm=77656220226C6461702D393722 uuid=82ab638b-f19a-49dd-883a-b71a003396e6 old-disk=\"?\" new-disk=2F7661722F6C69622F6C6962766972742F696D616765732F77656220226C6461702D3937222E71636F7732" + Trailer,
        ["net-open"] = "virt=kvm resrc=net reason=open vm=\"fedora39-89\" uuid=d8afc0af-3a1a-4f12-b7f9-febb168be21f net=52:54:00:c3:53:08 path=\"/dev/net/tun\" rdev=0A:C8" + Trailer,
        ["cgroup-path"] = "virt=kvm resrc=cgroup reason=allow vm=\"fedora39-89\" uuid=d8afc0af-3a1a-4f12-b7f9-febb168be21f cgroup=\"/sys/fs/cgroup/machine.slice/machine-qemu\\x2d201\\x2dfedora39\\x2d89.scope/libvirt\" class=path path=\"/dev/null\" rdev=01:03 acl=rw" + Trailer,
        ["mem"] = "virt=kvm resrc=mem reason=start vm=\"fedora39-89\" uuid=d8afc0af-3a1a-4f12-b7f9-febb168be21f old-mem=0 new-mem=8388608" + Trailer,
        ["evdev"] = "virt=kvm resrc=evdev reason=start vm=\"db-replica-184\" uuid=6e940fba-ba62-48fa-aaa0-013faeed15ae path=/dev/input/by-id/usb-Logitech_USB_Keyboard-event-kbd" + Trailer,
        ["legacy-shmem"] = "virt=kvm resrc=shmem reason=start vm=\"ubuntu22-ci-85\" uuid=a7506999-29ad-45ce-883a-a16f52731bd6 size=4194304 shmem=\"ivshmem2\" source=\"?\"" + Trailer,
        ["legacy-net-bare-mac"] = "virt=kvm resrc=net reason=detach vm=67C3A47374206B38732D776F726B65722D3831 uuid=809f46bd-4f83-4393-aa2b-06ed4723ff30 old-net=52:54:00:1a:9c:14 new-net=?" + Trailer,
    };

    /// <summary>Whole audit.log lines (without the LF) by a short name.</summary>
    public static readonly IReadOnlyDictionary<string, string> Lines = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["virt-raw"] = "type=VIRT_RESOURCE msg=audit(1700000000.626:75640): " + Header + Payloads["disk"] + "'",
        ["virt-enriched"] = "type=VIRT_RESOURCE msg=audit(1700000000.626:75640): " + Header + Payloads["disk"] + "'" + Gs + "UID=\"root\" AUID=\"unset\"",
        ["syscall-enriched"] = "type=SYSCALL msg=audit(1700000000.410:75619): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=7f3a8e1b2c30 a2=80000 a3=0 items=1 ppid=1 pid=3394 auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm=\"qemu-kvm\" exe=\"/usr/libexec/qemu-kvm\" subj=system_u:system_r:svirt_t:s0:c184,c776 key=\"libvirt\""
            + Gs + "ARCH=x86_64 SYSCALL=openat AUID=\"unset\" UID=\"qemu\" GID=\"qemu\" EUID=\"qemu\" SUID=\"qemu\" FSUID=\"qemu\" EGID=\"qemu\" SGID=\"qemu\" FSGID=\"qemu\"",
    };

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
