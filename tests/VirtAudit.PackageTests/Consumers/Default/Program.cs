using System.Buffers;
using System.Text;
using VirtAudit;

// Emits a VirtControl and a VirtResourceDisk as audit.log lines, parses the lines back and compares.
var uuid = Guid.Parse("6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8");
var disk = new VirtResourceDisk
{
    Virt = VirtType.Kvm,
    Reason = VirtResourceReason.Start,
    Vm = "rhel9 web",
    Uuid = uuid,
    NewDisk = "/var/lib/libvirt/images/rhel9.qcow2",
};
var start = new VirtControl
{
    Virt = VirtType.Kvm,
    Op = VirtOp.Start,
    Reason = VirtControlReason.Booted,
    Vm = "rhel9 web",
    Uuid = uuid,
    VmPid = 4242,
};

var log = new ArrayBufferWriter<byte>();
Write(log, disk, 24);
Write(log, start, 25);
var text = Encoding.UTF8.GetString(log.WrittenSpan);
Console.Write(text);

var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
var parsedDisk = Parse(lines[0]).Get<VirtResourceDisk>();
var parsedStart = Parse(lines[1]).Get<VirtControl>();
Check(parsedDisk.NewDisk == disk.NewDisk && parsedDisk.OldDisk.IsAbsent && parsedDisk.Vm.Value == "rhel9 web", "disk");
Check(parsedStart.Op == VirtOp.Start && parsedStart.VmPid == 4242 && parsedStart.Uuid == uuid && parsedStart.Reason == VirtControlReason.Booted, "control");

// A line of a real libvirt 9.0 log.
var real = Parse("type=VIRT_RESOURCE msg=audit(1795542733.544:27): pid=8208 uid=0 auid=4294967295 ses=4294967295 msg='virt=qemu resrc=net reason=start vm=\"auditvm1\" uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 old-net=\"?\" new-net=\"52:54:00:12:34:56\" exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=success'");
Check(real.TryGet<VirtResourceNet>(out var net) && net.NewNet == MacAddress.Parse("52:54:00:12:34:56"), "net");

Console.WriteLine($"default consumer ok: {typeof(VirtControl).Assembly.GetName().Name}");
return 0;

static void Write<T>(IBufferWriter<byte> log, in T record, ulong serial)
    where T : struct, IVirtAuditVariant<T>
{
    var message = new ArrayBufferWriter<byte>();
    record.WriteTo(message);
    var trailer = AuditTrailer.For("/usr/sbin/virtqemud", success: true);
    trailer.TryFormat(message.GetSpan(trailer.GetLength()), out int written);
    message.Advance(written);
    var header = new AuditLineHeader { Type = T.Variant.RecordNumber, Stamp = new AuditStamp(1795542733, 544, serial), Pid = 1201 };
    AuditLineWriter.Write(log, header, message.WrittenSpan, default);
}

static VirtAuditRecord Parse(string text)
{
    var line = AuditLine.Parse(Encoding.UTF8.GetBytes(text));
    return VirtAuditRegistry.Default.Parse(line.TypeNumber, line.Message);
}

static void Check(bool condition, string what)
{
    if (!condition)
    {
        Console.WriteLine("mismatch: " + what);
        Environment.Exit(1);
    }
}
