using System.Globalization;

namespace VirtAudit.LogGenerator;

/// <summary>
/// libvirt's side of the log: one operation on a guest (start, stop, hotplug, resize, a cgroup ACL change) becomes
/// the records libvirt writes for it, each its own one-record event, in libvirt's field order
/// (src/conf/domain_audit.c) and in the shapes of the guest's libvirt era.
/// </summary>
internal sealed class VirtTraffic(SeededRandom r, LogGeneratorOptions options, LogClock clock, List<Guest> guests)
{
    private static readonly (string Path, string Rdev)[] DefaultCgroupDevices =
    [
        ("/dev/null", "01:03"), ("/dev/full", "01:07"), ("/dev/zero", "01:05"), ("/dev/random", "01:08"),
        ("/dev/urandom", "01:09"), ("/dev/ptmx", "05:02"), ("/dev/kvm", "0A:E8"),
    ];

    // The op=start and op=stop reasons libvirt writes (spec section 10), with how often each comes.
    private static readonly string[] StartReasons = ["booted", "migrated", "restored", "from-snapshot", "reboot"];
    private static readonly string[] StopReasons = ["shutdown", "destroyed", "crashed", "migrated", "saved", "failed"];

    private int _nextDomainId = guests.Count + 1;

    private SeededRandom Random => r;

    /// <summary>The records of one libvirt operation on a random guest.</summary>
    public List<GeneratedRecord> NextOperation(bool enriched)
    {
        Guest guest = r.Pick(guests);
        clock.Tick(40);
        var records = new List<GeneratedRecord>();
        var op = new Operation(this, guest, enriched, records);
        switch (r.Weighted([0.55, 0.25, 0.12, 0.08]))
        {
            case 0 when !guest.Running:
                Start(op);
                break;
            case 0:
                Stop(op);
                break;
            case 1:
                Hotplug(op);
                break;
            case 2:
                Resize(op);
                break;
            default:
                CgroupChange(op);
                break;
        }

        return records;
    }

    private void Start(Operation op)
    {
        Guest g = op.Guest;
        g.DomainId = _nextDomainId++;
        g.Pid = r.Next(2000, 4_000_000);
        bool ok = r.Chance(0.97);
        if (g.AuditsCgroup && !g.IsLxc)
        {
            op.Cgroup("deny", "all");
            foreach ((string path, string rdev) in DefaultCgroupDevices)
            {
                op.CgroupPath("allow", path, rdev, "rw");
            }

            op.Cgroup("allow", "major category=pty maj=88 acl=rw");
            foreach (string disk in g.Disks)
            {
                if (disk.StartsWith("/dev/", StringComparison.Ordinal))
                {
                    op.CgroupPath("allow", disk, string.Create(CultureInfo.InvariantCulture, $"FD:{r.Next(256):X2}"), "rw");
                }
                else if (disk.EndsWith(".iso", StringComparison.Ordinal))
                {
                    op.CgroupPath("allow", disk, "?", "r");
                }
            }
        }

        foreach (string mac in g.Macs)
        {
            op.NetOpen(mac, "/dev/net/tun", "0A:C8");
            if (!g.IsLxc)
            {
                op.NetOpen(mac, "/dev/vhost-net", "0A:EE");
            }
        }

        foreach (SecurityLabel label in g.Labels)
        {
            op.MachineId(label, ok);
        }

        Devices(op, "start");
        op.Resource("VirtResourceMem", "mem", "start", p => p.Raw("old-mem", 0).Raw("new-mem", g.MemoryKiB));
        op.Resource("VirtResourceVcpu", "vcpu", "start", p => p.Raw("old-vcpu", 0).Raw("new-vcpu", g.Vcpus));
        if (g.IoThreads > 0)
        {
            op.Resource("VirtResourceIothread", "iothread", "start", p => p.Raw("old-iothread", 0).Raw("new-iothread", g.IoThreads));
        }

        string reason = StartReasons[r.Weighted([0.75, 0.10, 0.08, 0.05, 0.02])];
        reason = reason == "reboot" && !g.IsLxc ? "booted" : reason; // only the LXC driver restarts a container in place
        op.Control("start", reason, ok ? g.Pid : 0, ok);
        if (g.IsLxc && ok && g.Era != LibvirtEra.Ancient)
        {
            op.Init(g.Pid + r.Next(1, 30), 4026531836 + r.Next(1, 2000));
        }

        g.Running = ok;
    }

    private void Stop(Operation op)
    {
        string reason = StopReasons[r.Weighted([0.50, 0.25, 0.05, 0.10, 0.07, 0.03])];
        op.Control("stop", reason, op.Guest.Era == LibvirtEra.Current ? 0 : -1, true);
        op.Guest.Running = false;
    }

    /// <summary>Every device record virDomainAuditStart writes, or the same for one reason.</summary>
    private void Devices(Operation op, string reason)
    {
        Guest g = op.Guest;
        foreach (string disk in g.Disks)
        {
            op.OldNew("VirtResourceDisk", "disk", reason, null, disk);
        }

        foreach (string fs in g.Filesystems)
        {
            op.OldNew("VirtResourceFs", "fs", reason, null, fs);
        }

        foreach (string mac in g.Macs)
        {
            op.Net(reason, null, mac);
        }

        foreach (HostDevice device in g.HostDevices)
        {
            op.HostDevice(reason, device);
        }

        for (int i = 0; i < g.Redirdevs; i++)
        {
            op.Redirdev(reason);
        }

        foreach (string chardev in g.Chardevs)
        {
            op.OldNew("VirtResourceChardev", "chardev", reason, null, chardev);
        }

        foreach (string smartcard in g.Smartcards)
        {
            op.OldNew("VirtResourceSmartcard", "smartcard", reason, null, smartcard);
        }

        foreach (string rng in g.Rngs)
        {
            op.OldNew("VirtResourceRng", "rng", reason, null, rng);
        }

        if (g.Tpm is { } tpm)
        {
            op.Tpm(reason, tpm.Resrc, tpm.Device);
        }

        if (g.Shmem is { } shmem)
        {
            op.Shmem(reason, shmem.Name, shmem.Size, shmem.Server);
        }

        if (g.Evdev is { } evdev && g.Era == LibvirtEra.Current)
        {
            op.Resource("VirtResourceEvdev", "evdev", reason, p => p.Raw("path", evdev));
        }
    }

    private void Hotplug(Operation op)
    {
        Guest g = op.Guest;
        string kind = r.Pick(["disk", "disk", "net", "net", "chardev", "rng", "fs", "hostdev", "redir", "tpm"]);
        string reason = kind == "disk" ? r.Pick(["attach", "detach", "update"]) : r.Pick(["attach", "detach"]);
        bool ok = r.Chance(0.95);
        string machine = g.MachineName.Length > 0 ? g.MachineName : "vm";
        switch (kind)
        {
            case "disk":
                string image = GuestPopulation.MaybeAwkwardPath(r, options.Awkward, $"/var/lib/libvirt/images/{machine}-hot{r.Next(10)}.qcow2");
                if (reason != "detach" && g.AuditsCgroup && !g.IsLxc && r.Chance(0.5))
                {
                    op.CgroupPath("allow", "/dev/mapper/vg0-hot", string.Create(CultureInfo.InvariantCulture, $"FD:{r.Next(256):X2}"), "rw");
                }

                if (reason == "update")
                {
                    // A CD-ROM media change.
                    string? old = r.Chance(0.5) ? null : "/var/lib/libvirt/boot/debian-13.1.0-amd64-netinst.iso";
                    op.OldNew("VirtResourceDisk", "disk", reason, old, GuestPopulation.MaybeAwkwardPath(r, options.Awkward, "/var/lib/libvirt/boot/virtio-win-0.1.262.iso"), ok);
                }
                else
                {
                    op.OldNew("VirtResourceDisk", "disk", reason, reason == "attach" ? null : image, reason == "attach" ? image : null, ok);
                }

                break;
            case "net":
                if (reason == "attach")
                {
                    string mac = GuestPopulation.Mac(r);
                    op.NetOpen(mac, "/dev/net/tun", "0A:C8");
                    op.Net(reason, null, mac, ok);
                }
                else
                {
                    op.Net(reason, g.Macs[0], null, ok);
                }

                break;
            case "chardev":
                string pts = "/dev/pts/" + r.Next(1, 60).ToString(CultureInfo.InvariantCulture);
                op.OldNew("VirtResourceChardev", "chardev", reason, reason == "attach" ? null : pts, reason == "attach" ? pts : null, ok);
                break;
            case "rng":
                string source = r.Pick(["/dev/urandom", "/dev/random"]);
                op.OldNew("VirtResourceRng", "rng", reason, reason == "attach" ? null : source, reason == "attach" ? source : null, ok);
                break;
            case "fs":
                string share = GuestPopulation.MaybeAwkwardPath(r, options.Awkward, $"/srv/shared/{machine}-hot");
                op.OldNew("VirtResourceFs", "fs", reason, reason == "attach" ? null : share, reason == "attach" ? share : null, ok);
                break;
            case "hostdev" when g.IsLxc:
                op.HostDevice(reason, new HostDevice(true, "disk", "/dev/sdc"), ok);
                break;
            case "hostdev":
                string bus = r.Chance(0.5) ? "pci" : "usb";
                op.HostDevice(reason, new HostDevice(false, bus, GuestPopulation.DeviceAddress(r, bus)), ok);
                break;
            case "redir":
                op.Redirdev(reason, ok);
                break;
            default:
                op.Tpm(reason, "tpm-emulator", $"/run/libvirt/qemu/swtpm/{g.DomainId}-{g.Name}-swtpm.sock", ok);
                break;
        }
    }

    private void Resize(Operation op)
    {
        Guest g = op.Guest;
        bool ok = r.Chance(0.97);
        if (r.Chance(0.5))
        {
            long memory = Math.Max(262144, g.MemoryKiB + (r.Pick([-1, 1]) * r.Pick([262144L, 524288L, 1048576L])));
            op.Resource("VirtResourceMem", "mem", "update", p => p.Raw("old-mem", g.MemoryKiB).Raw("new-mem", memory), ok);
            g.MemoryKiB = memory;
        }
        else if (r.Chance(0.9) || g.IoThreads == 0)
        {
            int vcpus = Math.Max(1, g.Vcpus + r.Pick([-1, 1, 2]));
            op.Resource("VirtResourceVcpu", "vcpu", "update", p => p.Raw("old-vcpu", g.Vcpus).Raw("new-vcpu", vcpus), ok);
            g.Vcpus = vcpus;
        }
        else
        {
            op.Resource("VirtResourceIothread", "iothread", "update", p => p.Raw("old-iothread", g.IoThreads).Raw("new-iothread", g.IoThreads + 1), ok);
        }
    }

    private static bool YoungerThanTheColon(string variant) =>
        variant.StartsWith("VirtResourceTpm", StringComparison.Ordinal)
        || variant.StartsWith("VirtResourceEvdev", StringComparison.Ordinal)
        || variant.StartsWith("VirtResourceIvshmemSocket", StringComparison.Ordinal)
        || variant == "VirtResourceShmem";

    private void CgroupChange(Operation op)
    {
        string reason = r.Pick(["allow", "deny"]);
        if (r.Chance(0.6))
        {
            op.CgroupPath(reason, r.Pick(["/dev/vfio/vfio", "/dev/dri/renderD128", "/dev/net/tun", "/dev/sdb"]), r.Pick(["0A:C4", "E2:80", "0A:C8", "08:10"]), r.Pick(["rw", "rwm", "r"]));
        }
        else
        {
            op.Cgroup(reason, r.Chance(0.8) ? "major category=pty maj=88 acl=rw" : "major category=sound maj=74 acl=rw");
        }
    }

    private GeneratedRecord Record(Guest g, string type, string variant, PayloadBuilder payload, bool ok, bool enriched)
    {
        // The libaudit trailer: exe encoded like any value (and counted), hostname/addr/terminal unknown to a daemon.
        var trailer = new PayloadBuilder().Enc("exe", g.DaemonExe);
        string header = (g.Era == LibvirtEra.Ancient ? "user " : string.Empty)
            + string.Create(CultureInfo.InvariantCulture, $"pid={g.DaemonPid} uid=0 auid=4294967295 ses=4294967295")
            + (g.DaemonLabel is null ? string.Empty : " subj=" + g.DaemonLabel);
        // libaudit's colon before exe= (≤ 2.1.x) only with shapes as old as it: not with those the schema dates to
        // libvirt 2.0 or later (since:), which a guest of this era writes only because the generator mixes eras.
        string colon = g.Era == LibvirtEra.Ancient && !YoungerThanTheColon(variant) ? ":" : string.Empty;
        string body = $"{header} msg='{payload}{colon} {trailer} hostname=? addr=? terminal=? res={(ok ? "success" : "failed")}'";
        var record = new GeneratedRecord
        {
            Type = type,
            TimeMs = clock.TimeMs,
            Serial = clock.NextSerial(),
            Body = body,
            Tail = enriched ? "UID=\"root\" AUID=\"unset\"" : null,
            Node = g.Node,
            Pid = g.DaemonPid,
            Variant = variant,
            EncodedValues = payload.Encoded + trailer.Encoded,
            HexValues = payload.Hex + trailer.Hex,
        };
        clock.TimeMs += r.Chance(0.3) ? 1 : 0;
        return record;
    }

    /// <summary>The records of one operation, written in order; knows the guest's era and the event's format.</summary>
    private sealed class Operation(VirtTraffic owner, Guest guest, bool enriched, List<GeneratedRecord> records)
    {
        public Guest Guest => guest;

        private bool Ancient => guest.Era == LibvirtEra.Ancient;

        private bool Legacy => guest.Era == LibvirtEra.Legacy;

        public void Control(string op, string reason, long pid, bool ok)
        {
            PayloadBuilder p = Start().Raw("op", op).Raw("reason", reason).Enc("vm", guest.Name).Raw("uuid", guest.Uuid);
            if (!Ancient)
            {
                p.Raw("vm-pid", pid);
            }

            string variant = Ancient ? "VirtControl (no virt, no vm-pid)" : pid < 0 ? "VirtControl (vm-pid=-1)" : "VirtControl";
            Add("VIRT_CONTROL", variant, p, ok);
        }

        public void Init(long initPid, long pidNamespace) =>
            Add("VIRT_CONTROL", "VirtControl (op=init)", Start().Raw("op", "init").Enc("vm", guest.Name).Raw("uuid", guest.Uuid)
                .Raw("vm-pid", guest.Pid).Raw("init-pid", initPid).Raw("pid-ns", pidNamespace), true);

        public void MachineId(SecurityLabel label, bool ok)
        {
            PayloadBuilder p = Start().Enc("vm", guest.Name).Raw("uuid", guest.Uuid).Raw("vm-ctx", label.VmContext).Raw("img-ctx", label.ImageContext);
            if (!Ancient)
            {
                p.Raw("model", label.Model);
            }

            Add("VIRT_MACHINE_ID", Ancient ? "VirtMachineId (no virt, no model)" : "VirtMachineId", p, ok);
        }

        public void Resource(string variant, string resrc, string reason, Action<PayloadBuilder> detail, bool ok = true)
        {
            PayloadBuilder p = Resrc(resrc, reason);
            detail(p);
            Add("VIRT_RESOURCE", Ancient ? variant + " (no virt)" : variant, p, ok);
        }

        public void OldNew(string variant, string resrc, string reason, string? old, string? now, bool ok = true) =>
            Resource(variant, resrc, reason, p => p.Enc("old-" + resrc, old).Enc("new-" + resrc, now), ok);

        public void Net(string reason, string? old, string? now, bool ok = true)
        {
            if (Ancient)
            {
                Resource("VirtResourceNet (quoted MAC)", "net", reason, p => p.Raw("old-net", $"'{old ?? "?"}'").Raw("new-net", $"'{now ?? "?"}'"), ok);
            }
            else if (Legacy)
            {
                Resource("VirtResourceNet (bare MAC)", "net", reason, p => p.Raw("old-net", old ?? "?").Raw("new-net", now ?? "?"), ok);
            }
            else
            {
                OldNew("VirtResourceNet", "net", reason, old, now, ok);
            }
        }

        public void NetOpen(string mac, string path, string rdev)
        {
            if (Legacy && owner.Random.Chance(0.1))
            {
                // The old documentation's form (host NIC MAC and name), as producers that follow it write it.
                Resource("VirtResourceNetHost", "net", "open", p => p.Raw("net", GuestPopulation.Mac(owner.Random)).Raw("rdev", "vnet" + owner.Random.Next(64).ToString(CultureInfo.InvariantCulture)));
                return;
            }

            string written = Ancient ? $"'{mac}'" : mac;
            Resource(Ancient ? "VirtResourceNetOpen (quoted MAC)" : "VirtResourceNetOpen", "net", "open", p => p.Raw("net", written).Enc("path", path).Raw("rdev", rdev));
        }

        public void HostDevice(string reason, HostDevice device, bool ok = true)
        {
            if (device.Capabilities)
            {
                Resource("VirtResourceHostdev", "hostdev", reason, p => p.Enc(device.Bus, device.Address), ok);
            }
            else
            {
                Resource("VirtResourceDev", "dev", reason, p => p.Raw("bus", device.Bus).Enc("device", device.Address), ok);
            }
        }

        public void Redirdev(string reason, bool ok = true)
        {
            if (Legacy && owner.Random.Chance(0.2))
            {
                // The old documentation's resrc=redir, device "USB redir".
                Resource("VirtResourceRedir", "redir", reason, p => p.Raw("bus", "usb").Enc("device", "USB redir"), ok);
                return;
            }

            Resource("VirtResourceDev (redirdev)", "dev", reason, p => p.Raw("bus", "usb").Enc("device", "USB redirdev"), ok);
        }

        public void Tpm(string reason, string resrc, string device, bool ok = true)
        {
            if (resrc == "tpm" && !Ancient && !Legacy)
            {
                Resource("VirtResourceTpm", "tpm", reason, p => p.Enc("device", device), ok);
            }
            else if (resrc == "tpm")
            {
                // Before libvirt 4.5 TPM passthrough was written as resrc=dev without a bus.
                Resource("VirtResourceDev (TPM, no bus)", "dev", reason, p => p.Enc("device", device), ok);
            }
            else
            {
                Resource(resrc == "tpm-external" ? "VirtResourceTpmExternal" : "VirtResourceTpmEmulator", resrc, reason, p => p.Enc("device", device), ok);
            }
        }

        public void Shmem(string reason, string name, long size, bool server)
        {
            if (!Ancient && !Legacy)
            {
                if (server)
                {
                    Resource("VirtResourceIvshmemSocket", "ivshmem-socket", reason, p => p.Raw("path", $"/var/lib/libvirt/shmem-{name}-sock"));
                }
                else
                {
                    Resource("VirtResourceShmem", "shmem", reason, p => p.Raw("size", size).Raw("path", "/dev/shm/" + name));
                }

                return;
            }

            string? socket = server ? $"/var/lib/libvirt/shmem-{name}-sock" : null;
            if (owner.Random.Chance(0.5))
            {
                Resource("VirtResourceShmemLegacy", "shmem", reason, p => p.Raw("size", size).Enc("shmem", name).Enc("server", socket));
            }
            else
            {
                Resource("VirtResourceShmemSource", "shmem", reason, p => p.Raw("size", size).Enc("shmem", name).Enc("source", socket));
            }
        }

        public void Cgroup(string reason, string classAndRest) =>
            Resource("VirtResourceCgroup", "cgroup", reason, p => p.Enc("cgroup", CgroupPath()).Raw("class", classAndRest));

        public void CgroupPath(string reason, string path, string rdev, string acl) =>
            Resource("VirtResourceCgroup", "cgroup", reason, p => p.Enc("cgroup", CgroupPath()).Raw("class", "path").Enc("path", path).Raw("rdev", rdev).Raw("acl", acl));

        private string CgroupPath()
        {
            string escaped = guest.MachineName.Replace("-", "\\x2d", StringComparison.Ordinal);
            string driver = guest.IsLxc ? "lxc" : "qemu";
            return guest.CgroupV2
                ? $"/sys/fs/cgroup/machine.slice/machine-{driver}\\x2d{guest.DomainId}\\x2d{escaped}.scope/"
                : $"/sys/fs/cgroup/devices/machine.slice/machine-{driver}\\x2d{guest.DomainId}\\x2d{escaped}.scope/";
        }

        private PayloadBuilder Start() => Ancient ? new PayloadBuilder() : new PayloadBuilder().Raw("virt", guest.Virt);

        private PayloadBuilder Resrc(string resrc, string reason) =>
            Start().Raw("resrc", resrc).Raw("reason", reason).Enc("vm", guest.Name).Raw("uuid", guest.Uuid);

        private void Add(string type, string variant, PayloadBuilder payload, bool ok) =>
            records.Add(owner.Record(guest, type, variant, payload, ok, enriched));
    }
}
