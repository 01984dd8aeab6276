using VirtAudit;

// init-pid is written only with op=init and virt=lxc: setting it on a KVM start is VA2001.
var record = new VirtControl { Virt = VirtType.Kvm, Op = VirtOp.Start, Reason = VirtControlReason.Booted, Vm = "rhel9", Uuid = Guid.NewGuid(), VmPid = 4242, InitPid = 5 };
Console.WriteLine(record);
