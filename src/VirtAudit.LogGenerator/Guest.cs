namespace VirtAudit.LogGenerator;

/// <summary>Which libvirt (and libaudit) wrote a guest's records: decides the legacy shapes the guest produces.</summary>
internal enum LibvirtEra
{
    /// <summary>Today's libvirt: quoted MACs, vm-pid=0 on stop, every resrc of today.</summary>
    Current,

    /// <summary>libvirt 0.9.10 to 1.2.6: bare MACs (<c>old-net=?</c>), vm-pid=-1 on stop, pre-3.4 shmem, pre-4.5 TPM.</summary>
    Legacy,

    /// <summary>libvirt before 0.9.3 with libaudit 2.1: no virt=, no vm-pid=, no model=, MACs in single quotes, <c>: exe=</c>.</summary>
    Ancient,
}

/// <summary>One host device a guest holds: <c>resrc=dev bus=… device=…</c>, or an LXC <c>resrc=hostdev disk|chardev=…</c>.</summary>
internal sealed record HostDevice(bool Capabilities, string Bus, string Address);

/// <summary>One seclabel of a guest: one VIRT_MACHINE_ID record at each start.</summary>
internal sealed record SecurityLabel(string VmContext, string ImageContext, string Model);

/// <summary>A simulated guest: its identity, the daemon that audits it, and the devices its starts and hotplugs name.</summary>
internal sealed class Guest
{
    public required string Name { get; init; }

    /// <summary>The plain base of the name (no awkward bytes), used in generated paths.</summary>
    public required string BaseName { get; init; }

    /// <summary>The name as systemd's machine name: ASCII letters, digits and <c>-_.</c> only.</summary>
    public required string MachineName { get; init; }

    public required string Uuid { get; init; }

    /// <summary>kvm, qemu (TCG) or lxc.</summary>
    public required string Virt { get; init; }

    public bool IsLxc => Virt == "lxc";

    public required LibvirtEra Era { get; init; }

    /// <summary>The daemon's SELinux or AppArmor label (<c>subj=</c>), or null on a host without an LSM.</summary>
    public required string? DaemonLabel { get; init; }

    public required string DaemonExe { get; init; }

    public required int DaemonPid { get; init; }

    /// <summary>The <c>node=</c> name of the guest's host, or null when the log has none.</summary>
    public required string? Node { get; init; }

    public required bool CgroupV2 { get; init; }

    /// <summary>Whether the QEMU driver writes cgroup ACL records for this guest (devices controller in use).</summary>
    public required bool AuditsCgroup { get; init; }

    public required List<SecurityLabel> Labels { get; init; }

    public required List<string> Disks { get; init; }

    public required List<string> Filesystems { get; init; }

    public required List<string> Macs { get; init; }

    public required List<HostDevice> HostDevices { get; init; }

    public required int Redirdevs { get; init; }

    public required List<string> Chardevs { get; init; }

    public required List<string> Smartcards { get; init; }

    public required List<string> Rngs { get; init; }

    /// <summary>The TPM: resrc (tpm, tpm-emulator, tpm-external) and device path, or null.</summary>
    public required (string Resrc, string Device)? Tpm { get; init; }

    /// <summary>An ivshmem device: name, size in bytes, whether it has a server; or null.</summary>
    public required (string Name, long Size, bool Server)? Shmem { get; init; }

    public required string? Evdev { get; init; }

    public bool Running { get; set; }

    public long Pid { get; set; }

    /// <summary>The domain id, new at every start (in cgroup paths and channel paths).</summary>
    public int DomainId { get; set; }

    public long MemoryKiB { get; set; }

    public int Vcpus { get; set; }

    public required int IoThreads { get; init; }
}
