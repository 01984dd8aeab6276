using Contoso.Audit;
using VirtAudit;

// init-pid is written only with op=init and virt=lxc: setting it on a KVM start is VA2001.
var record = new VirtControl { Virt = VirtType.Kvm, Op = VirtOp.Start, Reason = VirtControlReason.Booted, Vm = "rhel9", Uuid = Guid.NewGuid(), VmPid = 4242, InitPid = 5 };

// The same rules on the variant generated from audit/contoso.virtaudit.yaml in this build.
var vsock = new VirtResourceVsock
{
    Virt = VirtType.Kvm,
    Reason = VirtResourceReason.Start,
    Vm = "rhel9",
    Uuid = Guid.NewGuid(),
    OldCid = 3,               // VA2001: old-cid is written only with reason=update
    Cid = 42,
    Path = "vhost-vsock",     // VA2005: not a device node (^/dev/)
};
Console.WriteLine(record);
Console.WriteLine(vsock);
