using System;
using VirtAudit;

var uuid = Guid.Parse("c7a5fdbd-cdaf-9455-926a-d65c16db1809");
#if CONSTANTS
var disk = new VirtResourceDisk { Virt = VirtType.Kvm, Reason = VirtResourceReason.Detach, Vm = "rhel9", Uuid = uuid };
var cgroup = new VirtResourceCgroup
{
    Virt = VirtType.Kvm, Reason = VirtResourceReason.Allow, Vm = "rhel9", Uuid = uuid, Cgroup = "/sys/fs/cgroup/machine.slice/",
    Class = CgroupClass.Major, Category = CgroupCategory.Pty, Maj = 0x88, Acl = "xyz",
};
#else
AuditText oldDisk = args[0] == "-" ? null : args[0];   // "-": absent
var disk = new VirtResourceDisk { Virt = VirtType.Kvm, Reason = VirtResourceReason.Detach, Vm = "rhel9", Uuid = uuid, OldDisk = oldDisk };
var cgroup = new VirtResourceCgroup
{
    Virt = VirtType.Kvm, Reason = VirtResourceReason.Allow, Vm = "rhel9", Uuid = uuid, Cgroup = "/sys/fs/cgroup/machine.slice/",
    Class = CgroupClass.Major, Category = CgroupCategory.Pty, Maj = 0x88, Acl = args[1],
};
#endif

Report("disk", disk.IsValid(out var diskError), diskError, buffer => disk.TryFormat(buffer, out var n) ? n : -1);
Report("cgroup", cgroup.IsValid(out var cgroupError), cgroupError, buffer => cgroup.TryFormat(buffer, out var n) ? n : -1);

static void Report(string name, bool valid, string? error, Func<byte[], int> format)
{
    var buffer = new byte[1024];
    try
    {
        int n = format(buffer);
        Console.WriteLine($"{name}: IsValid={valid} written: {System.Text.Encoding.UTF8.GetString(buffer, 0, n)}");
    }
    catch (AuditFormatException e)
    {
        Console.WriteLine($"{name}: IsValid={valid} ({error}) refused: {e.Message}");
    }
}
