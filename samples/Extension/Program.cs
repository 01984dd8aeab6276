using System;
using System.Text;
using VirtAudit;

namespace Contoso.Audit;

/// <summary>
/// Types a record of Contoso's own variant (<c>resrc=vsock</c>, from contoso.virtaudit.yaml) and a libvirt one
/// through the registry generated for that schema, then writes a vsock record back.
/// </summary>
public static class Program
{
    private const string VsockLine =
        "type=VIRT_RESOURCE msg=audit(1795542733.544:30): pid=8208 uid=0 auid=4294967295 ses=4294967295 msg='virt=kvm resrc=vsock reason=start vm=\"auditvm1\" uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 cid=42 path=\"/dev/vhost-vsock\" exe=\"/usr/sbin/contoso-agent\" hostname=? addr=? terminal=? res=success'\n";

    private const string DiskLine =
        "type=VIRT_RESOURCE msg=audit(1795542733.544:24): pid=8208 uid=0 auid=4294967295 ses=4294967295 msg='virt=qemu resrc=disk reason=start vm=\"auditvm1\" uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 old-disk=\"?\" new-disk=\"/var/lib/libvirt/images/test/disk1.qcow2\" exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=success'\n";

    /// <summary>Prints the typed records; returns 1 when one of them is not typed as expected.</summary>
    public static int Main()
    {
        var vsockLine = AuditLine.Parse(Encoding.UTF8.GetBytes(VsockLine));
        var record = ContosoSchema.Registry.Parse(vsockLine.TypeNumber, vsockLine.Message);
        if (!record.TryGet<VirtResourceVsock>(out var vsock))
        {
            Console.Error.WriteLine("the vsock line was not typed: " + record);
            return 1;
        }

        Console.WriteLine($"{record.Variant!.Name}: guest {vsock.Vm} ({vsock.Uuid}) reason={vsock.Reason} cid={vsock.Cid} path={vsock.Path}");

        // The same registry still types libvirt's own records (extends: virt-audit).
        var diskLine = AuditLine.Parse(Encoding.UTF8.GetBytes(DiskLine));
        var disk = ContosoSchema.Registry.Parse(diskLine.TypeNumber, diskLine.Message);
        Console.WriteLine($"{disk.Variant?.Name ?? "untyped: " + disk.Error}: {diskLine.Stamp}");

        // A vsock record built in code is written exactly like the parsed one.
        var attach = vsock with { Reason = VirtResourceReason.Attach, Cid = 43 };
        Span<byte> payload = stackalloc byte[256];
        attach.TryFormat(payload, out int written);
        Console.WriteLine("written: " + Encoding.UTF8.GetString(payload.Slice(0, written)));

        return disk.Is<VirtResourceDisk>() ? 0 : 1;
    }
}
