using VirtAudit.Generators.Analyzers;
using static VirtAudit.Analyzers.Tests.Verifier;

namespace VirtAudit.Analyzers.Tests;

/// <summary>VA2005: constant literals in the wrong shape.</summary>
public sealed class ConstantShapeTests
{
    private const string NotAMac = "is not a MAC address (six hex bytes separated by colons, as 52:54:00:12:34:56)";
    private const string NotADeviceNumber = "is not a device number (major:minor, one to eight hex digits each, as 0A:C8)";
    private const string NotAUuid = "is not a UUID (as 9b0a5e4c-6a8f-4a7e-9d3c-1f2e3d4c5b6a)";

    // The hostdev device patterns of schema/virt-audit.yaml, as the generated VirtResourceDev carries them.
    private const string PciPattern = @"^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-9a-f]$";
    private const string UsbPattern = @"^([0-9]{3}\.[0-9]{3}|USB redirdev)$";

    [Fact]
    public Task Malformed_mac_uuid_and_device_number_are_reported() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtResourceNetOpen Open() => new VirtResourceNetOpen
            {
                Virt = VirtType.Kvm,
                Vm = "rhel9",
                Uuid = Guid.Parse({|#0:"c7a5fdbd-cdaf-9455-926a"|}),
                Net = MacAddress.Parse({|#1:"52:54:00:zz:34:56"|}),
                Path = "/dev/net/tun",
                Rdev = DeviceNumber.Parse({|#2:"0A-C8"|}),
            };

            public static VirtResourceNet Net() => new VirtResourceNet
            {
                Virt = VirtType.Kvm,
                Reason = VirtResourceReason.Attach,
                Vm = "rhel9",
                Uuid = new Guid({|#3:"not-a-uuid"|}),
                NewNet = MacAddress.Parse({|#4:"52:54:00:12:34"|}),
            };
        }
        """,
        Diagnostic(AnalyzerDiagnostics.MalformedConstant).WithLocation(0).WithArguments("Uuid", "c7a5fdbd-cdaf-9455-926a", NotAUuid),
        Diagnostic(AnalyzerDiagnostics.MalformedConstant).WithLocation(1).WithArguments("Net", "52:54:00:zz:34:56", NotAMac),
        Diagnostic(AnalyzerDiagnostics.MalformedConstant).WithLocation(2).WithArguments("Rdev", "0A-C8", NotADeviceNumber),
        Diagnostic(AnalyzerDiagnostics.MalformedConstant).WithLocation(3).WithArguments("Uuid", "not-a-uuid", NotAUuid),
        Diagnostic(AnalyzerDiagnostics.MalformedConstant).WithLocation(4).WithArguments("NewNet", "52:54:00:12:34", NotAMac));

    [Fact]
    public Task Hostdev_devices_are_checked_against_the_pattern_of_their_bus() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            static VirtResourceDev Dev(Guid uuid, HostdevBus bus, string device) => new VirtResourceDev
            {
                Virt = VirtType.Kvm, Reason = VirtResourceReason.Attach, Vm = "rhel9", Uuid = uuid, Bus = bus, Device = device,
            };

            public static VirtResourceDev Pci(Guid uuid) => new VirtResourceDev
            {
                Virt = VirtType.Kvm, Reason = VirtResourceReason.Attach, Vm = "rhel9", Uuid = uuid,
                Bus = HostdevBus.Pci,
                Device = {|#0:"3b:00.1"|},
            };

            public static VirtResourceDev Usb(Guid uuid) => new VirtResourceDev
            {
                Virt = VirtType.Kvm, Reason = VirtResourceReason.Attach, Vm = "rhel9", Uuid = uuid,
                Bus = HostdevBus.Usb,
                Device = {|#1:"1.4"|},
            };

            public static VirtResourceDev Scsi(Guid uuid) => new VirtResourceDev
            {
                Virt = VirtType.Kvm, Reason = VirtResourceReason.Attach, Vm = "rhel9", Uuid = uuid,
                Bus = HostdevBus.Scsi,
                Device = {|#2:"scsi_host0:0:0"|},
            };

            public static VirtResourceDev Mdev(Guid uuid) => new VirtResourceDev
            {
                Virt = VirtType.Kvm, Reason = VirtResourceReason.Attach, Vm = "rhel9", Uuid = uuid,
                Bus = HostdevBus.Mdev,
                Device = {|#3:"0000:3b:00.1"|},
            };

            public static VirtResourceDev Moved(VirtResourceDev record) => record with { Bus = HostdevBus.Usb, Device = {|#4:"0000:3b:00.1"|} };
        }
        """,
        Diagnostic(AnalyzerDiagnostics.MalformedConstant).WithLocation(0).WithArguments("Device", "3b:00.1", "does not match the pattern for Bus = Pci: " + PciPattern),
        Diagnostic(AnalyzerDiagnostics.MalformedConstant).WithLocation(1).WithArguments("Device", "1.4", "does not match the pattern for Bus = Usb: " + UsbPattern),
        Diagnostic(AnalyzerDiagnostics.MalformedConstant).WithLocation(2).WithArguments("Device", "scsi_host0:0:0", "does not match the pattern for Bus = Scsi: ^[^:]+:[0-9]+:[0-9]+:[0-9]+$"),
        Diagnostic(AnalyzerDiagnostics.MalformedConstant).WithLocation(3).WithArguments("Device", "0000:3b:00.1", "does not match the pattern for Bus = Mdev: ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"),
        Diagnostic(AnalyzerDiagnostics.MalformedConstant).WithLocation(4).WithArguments("Device", "0000:3b:00.1", "does not match the pattern for Bus = Usb: " + UsbPattern));

    [Fact]
    public Task Cgroup_acl_must_be_made_of_r_w_and_m() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtResourceCgroup Make(Guid uuid) => new VirtResourceCgroup
            {
                Virt = VirtType.Kvm,
                Reason = VirtResourceReason.Allow,
                Vm = "rhel9",
                Uuid = uuid,
                Cgroup = "/sys/fs/cgroup/machine.slice/",
                Class = CgroupClass.Path,
                Path = "/dev/kvm",
                Rdev = DeviceNumber.Parse("0A:E8"),
                Acl = {|#0:"rx"|},
            };
        }
        """,
        Diagnostic(AnalyzerDiagnostics.MalformedConstant).WithLocation(0).WithArguments("Acl", "rx", "does not match the pattern ^r?w?m?$"));

    [Fact]
    public Task Well_shaped_and_non_constant_values_are_not_reported() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtResourceNetOpen Open(string mac, string rdev) => new VirtResourceNetOpen
            {
                Virt = VirtType.Kvm,
                Vm = "rhel9",
                Uuid = Guid.Parse("c7a5fdbd-cdaf-9455-926a-d65c16db1809"),
                Net = MacAddress.Parse(mac),
                Path = "/dev/vhost-net",
                Rdev = DeviceNumber.Parse(rdev),
            };

            public static VirtResourceNetOpen Tun() => new VirtResourceNetOpen
            {
                Virt = VirtType.Kvm,
                Vm = "rhel9",
                Uuid = new Guid("C7A5FDBDCDAF9455926AD65C16DB1809"),
                Net = MacAddress.Parse("52:54:00:AB:cd:EF"),
                Path = "/dev/net/tun",
                Rdev = DeviceNumber.Parse("0A:C8"),
            };

            public static VirtResourceNetOpen Macvtap() => new VirtResourceNetOpen
            {
                Virt = VirtType.Kvm,
                Vm = "rhel9",
                Uuid = Guid.Parse("{c7a5fdbd-cdaf-9455-926a-d65c16db1809}"),
                Net = MacAddress.Parse("52:54:00:12:34:56"),
                Path = "macvtap0",
                Rdev = null,
            };

            public static VirtResourceNetOpen Wide(VirtResourceNetOpen record) => record with { Rdev = DeviceNumber.Parse("103:00") };

            public static VirtResourceDev Devices(Guid uuid, HostdevBus bus) => new VirtResourceDev
            {
                Virt = VirtType.Kvm, Reason = VirtResourceReason.Attach, Vm = "rhel9", Uuid = uuid,
                Bus = bus,
                Device = "anything: the bus is not known",
            };

            public static VirtResourceDev[] Good(Guid uuid) => new[]
            {
                new VirtResourceDev { Virt = VirtType.Kvm, Reason = VirtResourceReason.Attach, Vm = "v", Uuid = uuid, Bus = HostdevBus.Pci, Device = "0000:3b:00.1" },
                new VirtResourceDev { Virt = VirtType.Kvm, Reason = VirtResourceReason.Attach, Vm = "v", Uuid = uuid, Bus = HostdevBus.Usb, Device = "001.004" },
                // A redirected USB device (virDomainAuditRedirdev) is written with this constant.
                new VirtResourceDev { Virt = VirtType.Kvm, Reason = VirtResourceReason.Attach, Vm = "v", Uuid = uuid, Bus = HostdevBus.Usb, Device = "USB redirdev" },
                new VirtResourceDev { Virt = VirtType.Kvm, Reason = VirtResourceReason.Attach, Vm = "v", Uuid = uuid, Bus = HostdevBus.Scsi, Device = "scsi_host0:0:0:0" },
                new VirtResourceDev { Virt = VirtType.Kvm, Reason = VirtResourceReason.Attach, Vm = "v", Uuid = uuid, Bus = HostdevBus.ScsiHost, Device = "naa.5001405df3e54061" },
                new VirtResourceDev { Virt = VirtType.Kvm, Reason = VirtResourceReason.Attach, Vm = "v", Uuid = uuid, Bus = HostdevBus.Mdev, Device = "c2177883-f1bb-47f0-914d-32a22e3a8804" },
            };

            public static VirtResourceCgroup[] Acls(Guid uuid) => new[]
            {
                new VirtResourceCgroup { Virt = VirtType.Kvm, Reason = VirtResourceReason.Allow, Vm = "v", Uuid = uuid, Cgroup = null, Class = CgroupClass.Major, Category = CgroupCategory.Pty, Maj = 0x88, Acl = "rw" },
                new VirtResourceCgroup { Virt = VirtType.Kvm, Reason = VirtResourceReason.Allow, Vm = "v", Uuid = uuid, Cgroup = null, Class = CgroupClass.Path, Path = "/dev/sev", Rdev = null, Acl = "rwm" },
            };
        }
        """);

    [Fact]
    public Task Op_outside_its_closed_enum_is_reported() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtControl Pause(Guid uuid) => new VirtControl
            {
                Virt = VirtType.Kvm,
                Op = AuditEnum<VirtOp>.FromText({|#0:"pause"|}),
                Reason = AuditEnum<VirtControlReason>.FromText("api"),
                Vm = "rhel9",
                Uuid = uuid,
                VmPid = 1,
            };

            public static VirtControl Unlisted(VirtControl record) => record with { Op = {|#1:VirtOp.Other|} };

            // A listed value by its text, an open enum's unlisted text, and a value only known at run time.
            public static VirtControl[] Fine(Guid uuid, string op) => new[]
            {
                new VirtControl { Virt = VirtType.Kvm, Op = AuditEnum<VirtOp>.FromText("stop"), Reason = VirtControlReason.Shutdown, Vm = "v", Uuid = uuid, VmPid = 0 },
                new VirtControl { Virt = AuditEnum<VirtType>.FromText("bhyve2"), Op = VirtOp.Start, Reason = AuditEnum<VirtControlReason>.FromText("resumed"), Vm = "v", Uuid = uuid, VmPid = 1 },
                new VirtControl { Virt = VirtType.Kvm, Op = AuditEnum<VirtOp>.FromText(op), Reason = VirtControlReason.Booted, Vm = "v", Uuid = uuid, VmPid = 1 },
            };
        }
        """,
        Diagnostic(AnalyzerDiagnostics.MalformedConstant).WithLocation(0).WithArguments("Op", "pause", "must be start, stop or init: the schema lists every value written there"),
        Diagnostic(AnalyzerDiagnostics.MalformedConstant).WithLocation(1).WithArguments("Op", "VirtOp.Other", "must be start, stop or init: the schema lists every value written there"));
}
