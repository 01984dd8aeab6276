using System.Text;
using VirtAudit;

namespace Contoso.Audit;

// Parses a resrc=vsock line into the type generated from audit/contoso.virtaudit.yaml, and writes it back.
public static class Program
{
    public static int Main()
    {
        const string Payload = "virt=kvm resrc=vsock reason=start vm=\"auditvm1\" uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 cid=42 path=\"/dev/vhost-vsock\"";
        var line = AuditLine.Parse(Encoding.UTF8.GetBytes(
            "type=VIRT_RESOURCE msg=audit(1795542733.544:30): pid=8208 uid=0 auid=4294967295 ses=4294967295 msg='" + Payload
            + " exe=\"/usr/sbin/contoso-agent\" hostname=? addr=? terminal=? res=success'"));
        var record = ContosoSchema.Registry.Parse(line.TypeNumber, line.Message);
        if (!record.TryGet<VirtResourceVsock>(out var vsock))
        {
            Console.WriteLine("not typed: " + record);
            return 1;
        }

        Span<byte> written = stackalloc byte[256];
        vsock.TryFormat(written, out int length);
        var roundTrip = Encoding.UTF8.GetString(written.Slice(0, length));
        Console.WriteLine($"{record.Variant!.Name} cid={vsock.Cid} path={vsock.Path} vm={vsock.Vm} in {typeof(VirtResourceVsock).Assembly.GetName().Name}");
        return vsock.Cid == 42 && vsock.Path.Value == "/dev/vhost-vsock" && roundTrip == Payload ? 0 : 1;
    }
}
