using System.Globalization;
using System.Text;

namespace VirtAudit.LogGenerator;

/// <summary>
/// The rest of a virtualization host's log: kernel syscall events (SYSCALL, CWD, PATH…, PROCTITLE), SELinux denials
/// (AVC, SYSCALL, PROCTITLE) and user-space records (USER_LOGIN, USER_CMD, SERVICE_START/STOP).
/// </summary>
internal sealed class HostTraffic(SeededRandom r, LogClock clock)
{
    private sealed record Process(string Comm, string Exe, string Label, string[] Argv, long Uid, long Auid, long Session, string Tty);

    private sealed record HostFile(string Path, string Label, string Mode);

    private static readonly Process[] Processes =
    [
        new("sshd", "/usr/sbin/sshd", "system_u:system_r:sshd_t:s0-s0:c0.c1023", ["/usr/sbin/sshd", "-D", "-oCiphers=chacha20-poly1305@openssh.com"], 0, 4294967295, 4294967295, "(none)"),
        new("bash", "/usr/bin/bash", "unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023", ["-bash"], 1000, 1000, 3, "pts0"),
        new("less", "/usr/bin/less", "unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023", ["less", "/etc/libvirt/virtqemud.conf"], 0, 1000, 3, "pts0"),
        new("qemu-kvm", "/usr/libexec/qemu-kvm", "system_u:system_r:svirt_t:s0:c201,c733", ["/usr/libexec/qemu-kvm", "-name", "guest=web-7,debug-threads=on", "-S", "-object", "{\"qom-type\":\"secret\",\"id\":\"masterKey0\",\"format\":\"raw\",\"file\":\"/var/lib/libvirt/qemu/domain-7-web-7/master-key.aes\"}"], 107, 4294967295, 4294967295, "(none)"),
        new("systemd", "/usr/lib/systemd/systemd", "system_u:system_r:init_t:s0", ["/usr/lib/systemd/systemd", "--switched-root", "--system", "--deserialize", "29"], 0, 4294967295, 4294967295, "(none)"),
        new("crond", "/usr/sbin/crond", "system_u:system_r:crond_t:s0-s0:c0.c1023", ["/usr/sbin/crond", "-n"], 0, 4294967295, 4294967295, "(none)"),
        new("python3", "/usr/bin/python3.12", "system_u:system_r:unconfined_service_t:s0", ["/usr/bin/python3", "-s", "/usr/bin/dnf", "makecache", "--timer"], 0, 4294967295, 4294967295, "(none)"),
        new("rpc-virtqemud", "/usr/sbin/virtqemud", "system_u:system_r:virtqemud_t:s0", ["/usr/sbin/virtqemud", "--timeout", "120"], 0, 4294967295, 4294967295, "(none)"),
        new("backup job", "/opt/backup tools/bin/backup job", "unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023", ["/opt/backup tools/bin/backup job", "--all"], 1001, 1001, 7, "pts2"),
        new("vim", "/usr/bin/vim", "unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023", ["vim", "/etc/libvirt/qemu/web-7.xml"], 0, 1000, 3, "pts0"),
    ];

    private static readonly HostFile[] Files =
    [
        new("/etc/libvirt/virtqemud.conf", "system_u:object_r:virt_etc_t:s0", "0100600"),
        new("/var/lib/libvirt/images/web-7.qcow2", "system_u:object_r:svirt_image_t:s0:c201,c733", "0100600"),
        new("/etc/passwd", "system_u:object_r:passwd_file_t:s0", "0100644"),
        new("/etc/shadow", "system_u:object_r:shadow_t:s0", "0100000"),
        new("/usr/lib64/libc.so.6", "system_u:object_r:lib_t:s0", "0100755"),
        new("/home/alice/Meeting Notes/plan.txt", "unconfined_u:object_r:user_home_t:s0", "0100664"),
        new("/var/tmp/tmp.Qw3r9", "unconfined_u:object_r:user_tmp_t:s0", "0100600"),
        new("/run/libvirt/qemu/web-7.pid", "system_u:object_r:qemu_var_run_t:s0", "0100644"),
    ];

    private static readonly string[] Units =
    [
        "libvirtd", "virtqemud", "virtlogd", "virtnetworkd", "sshd", "systemd-tmpfiles-clean", "user@1000", "dnf-makecache",
        "NetworkManager-dispatcher", "systemd-hostnamed", "user-runtime-dir@1000", "sysstat-collect", "logrotate", "fwupd",
        "systemd-fsck@dev-disk-by\\x2duuid-0b5e2c4a\\x2d7d1f\\x2d4e8a\\x2d9c3b\\x2d2f6d8e1a7c40",
    ];

    private static readonly Dictionary<long, string> Users = new() { [0] = "root", [107] = "qemu", [1000] = "alice", [1001] = "bob", [1002] = "carol", [4294967295] = "unset" };

    private static readonly Dictionary<long, string> Groups = new() { [0] = "root", [107] = "qemu", [36] = "kvm", [1000] = "alice", [1001] = "bob", [1002] = "carol" };

    private static readonly Dictionary<int, string> Syscalls = new() { [257] = "openat", [59] = "execve", [263] = "unlinkat", [268] = "fchmodat", [82] = "rename", [188] = "setxattr", [42] = "connect", [16] = "ioctl", [260] = "fchownat" };

    /// <summary>One event of the host's own traffic.</summary>
    public List<GeneratedRecord> NextEvent(bool enriched) => r.Weighted([0.5, 0.08, 0.42]) switch
    {
        0 => SyscallEvent(enriched),
        1 => DenialEvent(enriched),
        _ => UserEvent(enriched),
    };

    private List<GeneratedRecord> SyscallEvent(bool enriched)
    {
        clock.Tick(15);
        long serial = clock.NextSerial();
        Process process = r.Pick(Processes);
        int syscall = r.Pick([257, 257, 257, 59, 263, 268, 82, 188, 42, 16, 260]);
        bool ok = r.Chance(0.88);
        int items = syscall switch { 42 or 16 => 0, 59 or 263 => 2, 82 => 4, _ => 1 };
        var records = new List<GeneratedRecord> { Syscall(serial, process, syscall, items, ok, enriched) };
        if (items > 0)
        {
            records.Add(Kernel("CWD", serial, "cwd=" + AuditText.Encode(r.Pick(["/", "/root", "/home/alice", "/var/lib/libvirt/qemu", "/home/bob/VM Images"])), null));
            for (int i = 0; i < items; i++)
            {
                HostFile file = r.Pick(Files);
                string nameType = items > 1 && i == 0 ? "PARENT" : r.Pick(["NORMAL", "NORMAL", "CREATE", "DELETE"]);
                string name = nameType == "PARENT" ? file.Path[..(file.Path.LastIndexOf('/') + 1)] : file.Path;
                long owner = file.Path.StartsWith("/home", StringComparison.Ordinal) ? 1000 : 0;
                string body = string.Create(CultureInfo.InvariantCulture,
                    $"item={i} name={(r.Chance(0.97) ? AuditText.Encode(name) : "(null)")} inode={r.Next(100, 40_000_000)} dev=fd:{r.Next(4):x2} mode={(nameType == "PARENT" ? "040755" : file.Mode)} ouid={owner} ogid={owner} rdev=00:00 obj={file.Label} nametype={nameType} cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0");
                records.Add(Kernel("PATH", serial, body, enriched ? $"OUID=\"{User(owner)}\" OGID=\"{Group(owner)}\"" : null));
            }
        }

        records.Add(Kernel("PROCTITLE", serial, Proctitle(process.Argv), null));
        return records;
    }

    private List<GeneratedRecord> DenialEvent(bool enriched)
    {
        clock.Tick(15);
        long serial = clock.NextSerial();
        Process qemu = Processes[3];
        int c1 = r.Next(512);
        int c2 = r.Next(512, 1024);
        string body = string.Create(CultureInfo.InvariantCulture,
            $"avc:  denied  {{ {r.Pick(["read", "read write", "open", "getattr", "write", "search"])} }} for  pid={r.Next(2000, 400_000)} comm={AuditText.Encode(qemu.Comm)} name={AuditText.Encode(r.Pick(["disk.img", "guest vars.fd", "swtpm.sock", "kvm", "hugepages"]))} dev=\"dm-0\" ino={r.Next(100, 9_000_000)} scontext=system_u:system_r:svirt_t:s0:c{c1},c{c2} tcontext=system_u:object_r:default_t:s0 tclass={r.Pick(["file", "dir", "sock_file", "chr_file"])} permissive={r.Pick([0, 0, 1])}");
        return [Kernel("AVC", serial, body, null), Syscall(serial, qemu, 257, 0, false, enriched), Kernel("PROCTITLE", serial, Proctitle(qemu.Argv), null)];
    }

    private List<GeneratedRecord> UserEvent(bool enriched)
    {
        clock.Tick(30);
        long serial = clock.NextSerial();
        switch (r.Weighted([0.2, 0.3, 0.5]))
        {
            case 0:
            {
                bool ok = r.Chance(0.75);
                string address = string.Create(CultureInfo.InvariantCulture, $"10.{r.Next(256)}.{r.Next(256)}.{r.Next(1, 255)}");
                string host = r.Chance(0.7) ? address : "?";
                long uid = ok ? r.Pick([1000L, 1001L, 1002L, 0L]) : 4294967295;
                string payload = ok
                    ? string.Create(CultureInfo.InvariantCulture, $"op=login id={uid}")
                    : "op=login acct=" + AuditText.Encode(r.Pick(["root", "admin", "oracle", "admin test", "pi"]));
                long session = ok ? r.Next(1, 900) : 4294967295;
                string terminal = ok ? "/dev/pts/" + r.Next(8).ToString(CultureInfo.InvariantCulture) : "ssh";
                string tail = $"UID=\"root\" AUID=\"{User(uid)}\"" + (ok ? $" ID=\"{User(uid)}\"" : string.Empty);
                return [User("USER_LOGIN", serial, r.Next(1000, 400_000), 0, uid, session, "system_u:system_r:sshd_t:s0-s0:c0.c1023", payload, "/usr/sbin/sshd", host, address, terminal, ok, enriched ? tail : null)];
            }

            case 1:
            {
                long uid = r.Pick([1000L, 1001L]);
                string cmd = r.Pick(["virsh list --all", "virsh start web-7", "systemctl restart virtqemud", "tail -f /var/log/audit/audit.log", "ausearch -m VIRT_CONTROL -ts today", "-i", "id"]);
                string cwd = r.Pick(["/home/alice", "/root", "/home/bob/VM Images"]);
                long pid = r.Next(1000, 400_000);
                string body = string.Create(CultureInfo.InvariantCulture,
                    $"pid={pid} uid={uid} auid={uid} ses={r.Next(1, 50)} subj=unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023 msg='cwd={AuditText.Encode(cwd)} cmd={AuditText.Encode(cmd)} exe=\"/usr/bin/sudo\" terminal=pts/{r.Next(6)} res={(r.Chance(0.95) ? "success" : "failed")}'");
                return [Kernel("USER_CMD", serial, body, enriched ? $"UID=\"{User(uid)}\" AUID=\"{User(uid)}\"" : null, pid)];
            }

            default:
            {
                string type = r.Chance(0.55) ? "SERVICE_START" : "SERVICE_STOP";
                string payload = $"unit={r.Pick(Units)} comm=\"systemd\"";
                return [User(type, serial, 1, 0, 4294967295, 4294967295, "system_u:system_r:init_t:s0", payload, "/usr/lib/systemd/systemd", "?", "?", "?", r.Chance(0.98), enriched ? "UID=\"root\" AUID=\"unset\"" : null)];
            }
        }
    }

    private GeneratedRecord Syscall(long serial, Process p, int syscall, int items, bool ok, bool enriched)
    {
        long gid = p.Uid is 0 or 107 or 1000 or 1001 ? p.Uid : 0;
        long exit = ok ? r.Next(3, 40) : r.Pick([-13L, -2L, -1L]);
        string key = r.Pick(["\"libvirt\"", "\"identity\"", "\"exec\"", "(null)", "(null)", "\"perm_mod\"", "\"access\""]);
        ulong a0 = r.Chance(0.5) ? 0xffffff9cUL : r.Bits(47);
        string body = string.Create(CultureInfo.InvariantCulture,
            $"arch=c000003e syscall={syscall} success={(ok ? "yes" : "no")} exit={exit} a0={a0:x} a1={r.Bits(47):x} a2={r.Pick([0, 0x80000, 0x241, 0x1b6]):x} a3={r.Next(0x100):x} items={items} ppid={r.Next(1, 30_000)} pid={r.Next(300, 400_000)} auid={p.Auid} uid={p.Uid} gid={gid} euid={p.Uid} suid={p.Uid} fsuid={p.Uid} egid={gid} sgid={gid} fsgid={gid} tty={p.Tty} ses={p.Session} comm={AuditText.Encode(p.Comm)} exe={AuditText.Encode(p.Exe)} subj={p.Label} key={key}");
        string? tail = null;
        if (enriched)
        {
            string u = User(p.Uid);
            string g = Group(gid);
            tail = $"ARCH=x86_64 SYSCALL={Syscalls[syscall]} AUID=\"{User(p.Auid)}\" UID=\"{u}\" GID=\"{g}\" EUID=\"{u}\" SUID=\"{u}\" FSUID=\"{u}\" EGID=\"{g}\" SGID=\"{g}\" FSGID=\"{g}\"";
        }

        return Kernel("SYSCALL", serial, body, tail);
    }

    private GeneratedRecord User(string type, long serial, long pid, long uid, long auid, long session, string label, string payload, string exe, string host, string address, string terminal, bool ok, string? tail) =>
        Kernel(type, serial, string.Create(CultureInfo.InvariantCulture,
            $"pid={pid} uid={uid} auid={auid} ses={session} subj={label} msg='{payload} exe={AuditText.Encode(exe)} hostname={host} addr={address} terminal={terminal} res={(ok ? "success" : "failed")}'"), tail, pid);

    private GeneratedRecord Kernel(string type, long serial, string body, string? tail, long pid = 0) =>
        new() { Type = type, TimeMs = clock.TimeMs, Serial = serial, Body = body, Tail = tail, Pid = pid };

    /// <summary>The kernel's proctitle: argv joined by NUL, cut at 128 bytes, in hex when it needs it.</summary>
    private static string Proctitle(string[] argv)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(string.Join('\0', argv));
        if (bytes.Length > 128)
        {
            bytes = bytes[..128];
        }

        string text = Encoding.UTF8.GetString(bytes);
        return "proctitle=" + (AuditText.NeedsHex(text) ? Convert.ToHexString(bytes) : "\"" + text + "\"");
    }

    private static string User(long uid) => Users.TryGetValue(uid, out string? name) ? name : string.Create(CultureInfo.InvariantCulture, $"unknown({uid})");

    private static string Group(long gid) => Groups.TryGetValue(gid, out string? name) ? name : string.Create(CultureInfo.InvariantCulture, $"unknown({gid})");
}
