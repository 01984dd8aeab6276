using System.Globalization;
using System.Text;

namespace VirtAudit.LogGenerator;

/// <summary>Creates the simulated guests: names (some awkward), virt types, eras, labels and devices.</summary>
internal static class GuestPopulation
{
    private static readonly string[] Bases =
    [
        "web", "api-gw", "win2022-ad", "ubuntu24-ci", "kube-node", "pg-main", "pg-standby", "fedora40", "builder",
        "runner", "wireguard", "smtp", "fileserver", "freeipa", "grafana", "jenkins", "scratch-vm", "alma9",
        "sles15", "debian13",
    ];

    private static readonly string[] Isos =
    [
        "/var/lib/libvirt/boot/debian-13.1.0-amd64-netinst.iso",
        "/var/lib/libvirt/boot/Fedora-Server-dvd-x86_64-40.iso",
        "/srv/iso/virtio-win-0.1.262.iso",
    ];

    public static List<Guest> Create(LogGeneratorOptions options, SeededRandom random, ref int nextDomainId)
    {
        int count = options.Guests;
        var awkward = new HashSet<int>();
        int awkwardCount = (int)Math.Round(count * options.Awkward, MidpointRounding.ToEven);
        while (awkward.Count < awkwardCount)
        {
            awkward.Add(random.Next(count));
        }

        string[] nodes = ["kvm01.lab.example", "kvm02.lab.example", "kvm03.lab.example"];
        var guests = new List<Guest>(count);
        for (int i = 0; i < count; i++)
        {
            string baseName = random.Pick(Bases) + "-" + i.ToString(CultureInfo.InvariantCulture);
            guests.Add(CreateOne(options, random, baseName, awkward.Contains(i), nextDomainId++, random.Chance(options.NodeShare) ? random.Pick(nodes) : null));
        }

        return guests;
    }

    private static Guest CreateOne(LogGeneratorOptions options, SeededRandom r, string baseName, bool awkward, int domainId, string? node)
    {
        string name = awkward ? AwkwardName(r, baseName) : baseName;
        bool lxc = r.Chance(0.12);
        string virt = lxc ? "lxc" : r.Chance(0.05) ? "qemu" : "kvm";
        double era = r.NextDouble();
        LibvirtEra libvirt = era < 0.03 ? LibvirtEra.Ancient : era < 0.30 ? LibvirtEra.Legacy : LibvirtEra.Current;
        string uuid = Uuid(r);
        var machine = new StringBuilder();
        foreach (char c in name)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            {
                machine.Append(c);
            }
        }

        // Security labels: one per seclabel (selinux or apparmor, then dac), one VIRT_MACHINE_ID record each.
        int lsm = r.Weighted([0.6, 0.3, 0.1]);
        var labels = new List<SecurityLabel>();
        int c1 = r.Next(1024);
        int c2 = r.Next(1024);
        (c1, c2) = c1 == c2 ? (c1, (c2 + 1) % 1024) : (c1, c2);
        (c1, c2) = (Math.Min(c1, c2), Math.Max(c1, c2));
        if (lsm == 0)
        {
            labels.Add(new($"system_u:system_r:svirt_t:s0:c{c1},c{c2}", $"system_u:object_r:svirt_image_t:s0:c{c1},c{c2}", "selinux"));
        }
        else if (lsm == 1)
        {
            labels.Add(new("libvirt-" + uuid, r.Chance(0.8) ? "libvirt-" + uuid : "?", "apparmor"));
        }

        labels.Add(new("+107:+107", "+107:+107", "dac"));

        (string? label, string exe) = lsm switch
        {
            0 when lxc || r.Chance(0.6) => ("system_u:system_r:virtd_t:s0-s0:c0.c1023", "/usr/sbin/libvirtd"),
            0 => ("system_u:system_r:virtqemud_t:s0", "/usr/sbin/virtqemud"),
            1 => (r.Chance(0.5) ? "libvirtd" : "unconfined", "/usr/sbin/libvirtd"),
            _ => ((string?)null, "/usr/sbin/libvirtd"),
        };

        var disks = new List<string>();
        var filesystems = new List<string>();
        if (!lxc)
        {
            disks.Add($"/var/lib/libvirt/images/{name}.qcow2");
            int extra = r.Pick([0, 0, 1, 1, 2]);
            for (int k = 0; k < extra; k++)
            {
                string[] choices = [$"/var/lib/libvirt/images/{baseName}-data{k}.qcow2", $"/dev/mapper/vg0-{baseName}--data{k}", $"/srv/vms/{baseName}/disk{k}.raw"];
                disks.Add(MaybeAwkwardPath(r, options.Awkward, r.Pick(choices)));
            }

            if (r.Chance(0.2))
            {
                disks.Add(MaybeAwkwardPath(r, options.Awkward, r.Pick(Isos)));
            }
        }
        else
        {
            filesystems.Add(MaybeAwkwardPath(r, options.Awkward, $"/var/lib/lxc/{baseName}/rootfs"));
        }

        if (r.Chance(0.15))
        {
            filesystems.Add(MaybeAwkwardPath(r, options.Awkward, $"/srv/shared/{baseName}-share"));
        }

        var macs = new List<string>();
        int nics = r.Pick([1, 1, 1, 2, 3]);
        for (int k = 0; k < nics; k++)
        {
            macs.Add(Mac(r));
        }

        var hostDevices = new List<HostDevice>();
        if (!lxc && r.Chance(0.15))
        {
            int n = r.Pick([1, 1, 2]);
            for (int k = 0; k < n; k++)
            {
                string bus = r.Pick(["pci", "pci", "usb", "scsi", "mdev", "scsi_host"]);
                hostDevices.Add(new HostDevice(false, bus, DeviceAddress(r, bus)));
            }
        }

        if (lxc && r.Chance(0.3))
        {
            hostDevices.Add(new HostDevice(true, "disk", "/dev/sd" + "bcd"[r.Next(3)]));
        }

        if (lxc && r.Chance(0.2))
        {
            hostDevices.Add(new HostDevice(true, "chardev", "/dev/input/event" + r.Next(8).ToString(CultureInfo.InvariantCulture)));
        }

        var chardevs = new List<string>();
        if (!lxc)
        {
            chardevs.Add("/dev/pts/" + r.Next(1, 40).ToString(CultureInfo.InvariantCulture));
            if (r.Chance(0.7))
            {
                string shortName = name.Length > 20 ? name[..20] : name;
                chardevs.Add($"/var/lib/libvirt/qemu/channel/target/domain-{domainId}-{shortName}/org.qemu.guest_agent.0");
            }
        }

        var smartcards = new List<string>();
        if (!lxc && r.Chance(0.05))
        {
            smartcards.AddRange(r.Chance(0.5)
                ? ["nss-smartcard-device"]
                : ["/etc/pki/nssdb/cert1", "/etc/pki/nssdb/cert2", "/etc/pki/nssdb/cert3", "/etc/pki/nssdb"]);
        }

        var rngs = new List<string>();
        if (!lxc && r.Chance(0.4))
        {
            rngs.Add(r.Pick(["/dev/urandom", "/dev/urandom", "/dev/random", "/dev/hwrng"]));
        }

        (string, string)? tpm = null;
        if (!lxc && r.Chance(0.25))
        {
            int kind = r.Weighted([0.7, 0.2, 0.1]);
            tpm = kind switch
            {
                0 => ("tpm-emulator", $"/run/libvirt/qemu/swtpm/{domainId}-{name}-swtpm.sock"),
                1 => ("tpm", "/dev/tpm0"),
                _ => ("tpm-external", $"/run/swtpm/{baseName}.sock"),
            };
        }

        (string, long, bool)? shmem = null;
        if (!lxc && r.Chance(0.05))
        {
            shmem = ("ivshmem" + r.Next(4).ToString(CultureInfo.InvariantCulture), r.Pick([4194304L, 16777216L, 67108864L]), r.Chance(0.2));
        }

        return new Guest
        {
            Name = name,
            BaseName = baseName,
            MachineName = machine.Length > 50 ? machine.ToString(0, 50) : machine.ToString(),
            Uuid = uuid,
            Virt = virt,
            Era = libvirt,
            DaemonLabel = label,
            DaemonExe = exe,
            DaemonPid = r.Next(800, 5000),
            Node = node,
            CgroupV2 = r.Chance(0.6),
            AuditsCgroup = r.Chance(0.7),
            Labels = labels,
            Disks = disks,
            Filesystems = filesystems,
            Macs = macs,
            HostDevices = hostDevices,
            Redirdevs = lxc || !r.Chance(0.15) ? 0 : r.Next(1, 3),
            Chardevs = chardevs,
            Smartcards = smartcards,
            Rngs = rngs,
            Tpm = tpm,
            Shmem = shmem,
            Evdev = !lxc && r.Chance(0.03) ? "/dev/input/by-id/usb-Logitech_USB_Keyboard-event-kbd" : null,
            Running = r.Chance(0.5),
            Pid = r.Next(2000, 400_000),
            DomainId = domainId,
            MemoryKiB = r.Pick([1048576L, 2097152L, 4194304L, 8388608L, 16777216L, 33554432L]),
            Vcpus = r.Pick([1, 2, 2, 4, 4, 8, 16]),
            IoThreads = r.Pick([0, 0, 0, 1, 2]),
        };
    }

    public static string Uuid(SeededRandom r)
    {
        ulong high = (r.NextUInt64() & 0xFFFFFFFFFFFF0FFFUL) | 0x0000000000004000UL;
        ulong low = (r.NextUInt64() & 0x3FFFFFFFFFFFFFFFUL) | 0x8000000000000000UL;
        string hex = high.ToString("x16", CultureInfo.InvariantCulture) + low.ToString("x16", CultureInfo.InvariantCulture);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    public static string Mac(SeededRandom r) =>
        string.Create(CultureInfo.InvariantCulture, $"52:54:00:{r.Next(256):x2}:{r.Next(256):x2}:{r.Next(256):x2}");

    public static string DeviceAddress(SeededRandom r, string bus) => bus switch
    {
        "pci" => string.Create(CultureInfo.InvariantCulture, $"0000:{r.Next(1, 0x40):x2}:{r.Next(32):x2}.{r.Next(8)}"),
        "usb" => string.Create(CultureInfo.InvariantCulture, $"{r.Next(1, 5):D3}.{r.Next(1, 30):D3}"),
        "scsi" => string.Create(CultureInfo.InvariantCulture, $"scsi_host{r.Next(4)}:0:{r.Next(8)}:0"),
        "mdev" => Uuid(r),
        _ => string.Create(CultureInfo.InvariantCulture, $"naa.5001405{r.Bits(36):x9}"),
    };

    /// <summary>With probability <paramref name="awkward"/>, a path with a space or a non-ASCII folder (so hex).</summary>
    public static string MaybeAwkwardPath(SeededRandom r, double awkward, string path)
    {
        if (!r.Chance(awkward))
        {
            return path;
        }

        int slash = path.LastIndexOf('/');
        string folder = path[..slash];
        string file = path[(slash + 1)..];
        return r.Next(3) switch
        {
            0 => folder + "/" + ReplaceFirst(ReplaceFirst(file, "-", " "), ".", " copy."),
            1 => folder + "/d\u00e9j\u00e0-vu/" + file,
            _ => folder + "/My Images/" + file,
        };
    }

    private static string AwkwardName(SeededRandom r, string baseName) => r.Next(5) switch
    {
        0 => baseName.Contains('-', StringComparison.Ordinal) ? ReplaceFirst(baseName, "-", " ") : baseName + " copy",
        1 => baseName + " (clone)",
        2 => "t\u00ebst-" + baseName,
        3 => "g\u00e4st " + baseName,
        _ => $"web \"{baseName}\"",
    };

    private static string ReplaceFirst(string text, string what, string with)
    {
        int at = text.IndexOf(what, StringComparison.Ordinal);
        return at < 0 ? text : string.Concat(text.AsSpan(0, at), with, text.AsSpan(at + what.Length));
    }
}
