using Contoso.Audit;
using VirtAudit;

const string Prefix = "type=VIRT_RESOURCE msg=audit(1795542733.544:30): pid=8208 uid=0 auid=4294967295 ses=4294967295 msg='";
const string Trailer = " exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=success'";
var vsock = GuestLog.Parse(Prefix + "virt=kvm resrc=vsock reason=start vm=\"auditvm1\" uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 cid=7 path=\"/dev/vhost-vsock\"" + Trailer);
var disk = GuestLog.Parse(Prefix + "virt=qemu resrc=disk reason=start vm=\"auditvm1\" uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 old-disk=\"?\" new-disk=\"/images/disk1.qcow2\"" + Trailer);
var start = new VirtControl { Virt = VirtAudit.VirtType.Kvm, Op = VirtOp.Start, Reason = VirtControlReason.Booted, Vm = "rhel9", Uuid = Guid.Empty, VmPid = 1 };

Console.WriteLine($"VirtControl from {typeof(VirtControl).Assembly.GetName().Name}");
Console.WriteLine($"VirtResourceVsock from {typeof(VirtResourceVsock).Assembly.GetName().Name}");
Console.WriteLine($"App defines {typeof(Program).Assembly.GetTypes().Count(t => t.Namespace is "VirtAudit" or "Contoso.Audit")} VirtAudit or Contoso types");
return vsock.Get<VirtResourceVsock>().Cid == 7 && disk.Is<VirtResourceDisk>() && start.IsValid(out _) ? 0 : 1;
