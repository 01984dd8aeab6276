using System.Text;

namespace VirtAudit.Testing;

/// <summary>
/// Lines that tell whether a file read in blocks (ranges) reads as one pass does: pairs a daemon log's reader joins
/// (libvirt's log, KubeVirt's JSON with the failed send's text escaped, a pair longer than a cut looks at), failed
/// sends that are not joined, lines that are not records, a VIRT record that is not typed, one the kernel cut short,
/// an ambiguous one, a legacy one, more distinct record types than <c>virtaudit check</c> counts by name (with the
/// early ones again at the end), lines longer than a cut looks at and than the reader takes, CRLF, and no line feed
/// at the very end. Each line is written so that any line start may be a block's first.
/// </summary>
public static class BoundaryLogs
{
    private const string Uuid = "6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8";
    private const string Disk = "virt=qemu resrc=disk reason=attach vm=\"a\" uuid=" + Uuid + " old-disk=? new-disk=/x.img";
    private const string Net = "type=VIRT_RESOURCE msg=audit(1715510879.951:5010): pid=1187 uid=0 auid=4294967295 ses=4294967295 msg='virt=kvm resrc=net reason=open vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 net=52:54:00:6b:3c:58 path=\"/dev/net/tun\" rdev=0A:C8 exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success'";

    /// <summary>The lines (about 1.6 MB: one of them is longer than the reader's 1 MiB limit).</summary>
    public static string Hard()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 40; i++)
        {
            text.Append(Daemon("2817", "info", "virDomainAuditDisk:117", "success=yes " + Disk));
            text.Append(Daemon("2817", "warning", "virAuditSend:126", "Failed to send audit message " + Disk + ": Operation not permitted"));
            text.Append(Json("info", "virDomainAuditDisk:117", "success=yes " + Disk.Replace("\"", "\\\"", StringComparison.Ordinal)));
            text.Append(Json("warning", "virAuditSend:126", "\\u0046ailed to send audit message " + Disk.Replace("\"", "\\\"", StringComparison.Ordinal) + ": Operation not permitted"));
            text.Append("type=SYSCALL msg=audit(1795542733.544:").Append(i).Append("): arch=c000003e syscall=59 success=yes exit=0\r\n");
            text.Append(Daemon("2817", "debug", "qemuDomainObjBeginJobInternal:972", "Starting job: job=modify"));
        }

        // Failed sends that stay alone: another thread's, and one with no message before it.
        text.Append(Daemon("2817", "info", "virDomainAuditDisk:117", "success=no " + Disk));
        text.Append(Daemon("2818", "warning", "virAuditSend:126", "Failed to send audit message " + Disk + ": Operation not permitted"));
        text.Append(Daemon("2819", "warning", "virAuditSend:126", "Failed to send audit message " + Disk + ": Operation not permitted"));

        // A joined pair longer than the 64 KiB a cut looks at, and a record line as long.
        string longDisk = Disk.Replace("/x.img", "/" + new string('x', 70_000) + ".img", StringComparison.Ordinal);
        text.Append(Daemon("2817", "info", "virDomainAuditDisk:117", "success=yes " + longDisk));
        text.Append(Daemon("2817", "warning", "virAuditSend:126", "Failed to send audit message " + longDisk + ": Operation not permitted"));
        text.Append("type=USER_CMD msg=audit(1.2:3): pid=1 msg='cmd=").Append('B', 70_000).Append("'\n");

        // Lines that are not records, or carry nothing.
        text.Append("not an audit record\n\n   \n----\ntime->Sun May 12 12:48:00 2024\n");
        text.Append("type=USER_CMD msg=audit(1.2:3): pid=1 msg='cmd=").Append('A', 1_100_000).Append("'\n");

        // VIRT records: not typed (lower-case hex), cut by the kernel, ambiguous, legacy (libvirt 0.9.x).
        text.Append(Net.Replace("vm=\"rhel9\"", "vm=77696e203131", StringComparison.Ordinal)).Append('\n');
        string cut = Net.Replace("resrc=net reason=open", "resrc=disk reason=attach", StringComparison.Ordinal)
            .Replace("net=52:54:00:6b:3c:58 path=\"/dev/net/tun\" rdev=0A:C8", "old-disk=\"?\" new-disk=\"/srv/" + new string('a', 9000) + "\"", StringComparison.Ordinal);
        text.Append(cut.AsSpan(0, cut.IndexOf("msg='", StringComparison.Ordinal) + 5 + 8560)).Append("'\n");
        text.Append("type=VIRT_MACHINE_ID msg=audit(1715510879.842:5001): pid=1187 uid=0 auid=4294967295 ses=4294967295 msg='virt=kvm vm=\"a\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-ctx=x model=dac img-ctx=y model=selinux exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success'\n");
        text.Append("type=VIRT_RESOURCE msg=audit(1330000000.123:77): user pid=2000 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtd_t:s0-s0:c0.c1023 msg='virt=kvm resrc=net reason=start vm=\"rhel6\" uuid=11111111-2222-3333-4444-555555555555 old-net=? new-net=52:54:00:aa:bb:cc: exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=success'\n");
        text.Append(Net).Append("\r\n");

        // More distinct types than check names (256), then the first ones and one past the bound again.
        for (int i = 0; i < 300; i++)
        {
            text.Append("type=T").Append(i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture)).Append(" msg=audit(1.000:").Append(i).Append("): a=b\n");
        }

        for (int i = 0; i < 20; i++)
        {
            text.Append("type=T00000000 msg=audit(2.000:1): a=b\ntype=T00000299 msg=audit(2.000:2): a=b\ntype=1300 msg=audit(2.000:3): a=b\n");
        }

        text.Append(Net); // no line feed at the very end
        return text.ToString();
    }

    private static string Daemon(string thread, string level, string caller, string message) =>
        $"2026-11-24 17:52:13.222+0000: {thread}: {level} : {caller} : {message}\n";

    private static string Json(string level, string caller, string message) =>
        $"{{\"component\":\"virt-launcher\",\"level\":\"{level}\",\"msg\":\"{message}\",\"pos\":\"{caller}\",\"subcomponent\":\"libvirt\",\"thread\":\"17\",\"timestamp\":\"2026-11-24T17:52:13.222000Z\"}}\n";
}
