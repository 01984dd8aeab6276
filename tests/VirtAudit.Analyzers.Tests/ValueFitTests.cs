using VirtAudit.Generators.Analyzers;
using static VirtAudit.Analyzers.Tests.Verifier;

namespace VirtAudit.Analyzers.Tests;

/// <summary>VA2003: a known value that does not fit its partner or its record.</summary>
public sealed class ValueFitTests
{
    [Fact]
    public Task Start_and_stop_reasons_with_the_other_op_are_errors() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtControl Stop(Guid uuid) => new VirtControl
            {
                Virt = VirtType.Kvm,
                Op = VirtOp.Stop,
                Reason = {|#0:VirtControlReason.Booted|},
                Vm = "rhel9",
                Uuid = uuid,
                VmPid = 0,
            };

            public static VirtControl Start(Guid uuid) => new VirtControl
            {
                Virt = VirtType.Kvm,
                Op = VirtOp.Start,
                Reason = {|#1:VirtControlReason.Destroyed|},
                Vm = "rhel9",
                Uuid = uuid,
                VmPid = 4242,
            };
        }
        """,
        Diagnostic(AnalyzerDiagnostics.ValueDoesNotFit).WithLocation(0).WithArguments("Reason", "Booted", "records where Op is Start", "Op is Stop"),
        Diagnostic(AnalyzerDiagnostics.ValueDoesNotFit).WithLocation(1).WithArguments("Reason", "Destroyed", "records where Op is Stop", "Op is Start"));

    [Fact]
    public Task Cgroup_and_open_reasons_elsewhere_are_errors() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtResourceDisk Disk(Guid uuid) => new VirtResourceDisk
            {
                Virt = VirtType.Kvm,
                Reason = {|#0:VirtResourceReason.Allow|},
                Vm = "rhel9",
                Uuid = uuid,
                NewDisk = "/var/lib/libvirt/images/rhel9.qcow2",
            };

            public static VirtResourceDev Dev(Guid uuid) => new VirtResourceDev
            {
                Virt = VirtType.Kvm,
                Reason = {|#1:VirtResourceReason.Open|},
                Vm = "rhel9",
                Uuid = uuid,
                Bus = HostdevBus.Pci,
                Device = "0000:3b:00.1",
            };

            public static VirtResourceDisk Moved(VirtResourceDisk record) => record with { Reason = {|#2:VirtResourceReason.Deny|} };

            // mirror and snapshot are block-job reasons: disks only.
            public static VirtResourceNet Mirrored(Guid uuid) => new VirtResourceNet
            {
                Virt = VirtType.Kvm,
                Reason = {|#3:VirtResourceReason.Mirror|},
                Vm = "rhel9",
                Uuid = uuid,
                NewNet = MacAddress.Parse("52:54:00:12:34:56"),
            };
        }
        """,
        Diagnostic(AnalyzerDiagnostics.ValueDoesNotFit).WithLocation(0).WithArguments("Reason", "Allow", "VirtResourceCgroup records", "this is VirtResourceDisk"),
        Diagnostic(AnalyzerDiagnostics.ValueDoesNotFit).WithLocation(1).WithArguments("Reason", "Open", "VirtResourceNetOpen or VirtResourceNetHost records", "this is VirtResourceDev"),
        Diagnostic(AnalyzerDiagnostics.ValueDoesNotFit).WithLocation(2).WithArguments("Reason", "Deny", "VirtResourceCgroup records", "this is VirtResourceDisk"),
        Diagnostic(AnalyzerDiagnostics.ValueDoesNotFit).WithLocation(3).WithArguments("Reason", "Mirror", "VirtResourceDisk records", "this is VirtResourceNet"));

    [Fact]
    public Task Fitting_shared_and_non_constant_values_are_not_reported() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtControl Booted(Guid uuid) => new VirtControl
            {
                Virt = VirtType.Kvm,
                Op = VirtOp.Start,
                Reason = VirtControlReason.Booted,
                Vm = "rhel9",
                Uuid = uuid,
                VmPid = 4242,
            };

            // migrated is written for start (destination) and stop (source).
            public static VirtControl Migrated(Guid uuid) => new VirtControl
            {
                Virt = VirtType.Kvm,
                Op = VirtOp.Stop,
                Reason = VirtControlReason.Migrated,
                Vm = "rhel9",
                Uuid = uuid,
                VmPid = 0,
            };

            public static VirtControl Unknown(Guid uuid, VirtOp op) => new VirtControl
            {
                Virt = VirtType.Kvm,
                Op = op,
                Reason = VirtControlReason.Booted,
                Vm = "rhel9",
                Uuid = uuid,
                VmPid = 4242,
            };

            public static VirtControl Later(VirtControl record) => record with { Reason = VirtControlReason.Destroyed };

            public static VirtResourceCgroup Cgroup(Guid uuid, VirtResourceReason reason) => new VirtResourceCgroup
            {
                Virt = VirtType.Kvm,
                Reason = VirtResourceReason.Deny,
                Vm = "rhel9",
                Uuid = uuid,
                Cgroup = "/sys/fs/cgroup/machine.slice/",
                Class = CgroupClass.All,
            };

            public static VirtResourceDisk Disk(Guid uuid, VirtResourceReason reason) => new VirtResourceDisk
            {
                Virt = VirtType.Kvm,
                Reason = reason,
                Vm = "rhel9",
                Uuid = uuid,
                NewDisk = "/var/lib/libvirt/images/rhel9.qcow2",
            };
        }
        """);

    [Fact]
    public Task A_cgroup_reason_other_than_allow_or_deny_is_an_error() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtResourceCgroup Start(Guid uuid) => new VirtResourceCgroup
            {
                Virt = VirtType.Kvm,
                Reason = {|#0:VirtResourceReason.Start|},
                Vm = "rhel9",
                Uuid = uuid,
                Cgroup = "/sys/fs/cgroup/machine.slice/",
                Class = CgroupClass.All,
            };

            public static VirtResourceCgroup Other(VirtResourceCgroup record) => record with { Reason = {|#1:VirtResourceReason.Other|} };

            public static VirtResourceCgroup Deny(VirtResourceCgroup record) => record with { Reason = VirtResourceReason.Deny };
        }
        """,
        Diagnostic(AnalyzerDiagnostics.ValueDoesNotFit).WithLocation(0).WithArguments("Reason", "Start", "other records (VirtResourceCgroup takes Allow or Deny)", "this is VirtResourceCgroup"),
        Diagnostic(AnalyzerDiagnostics.MalformedConstant).WithLocation(1).WithArguments("Reason", "VirtResourceReason.Other", "must be allow or deny in VirtResourceCgroup records"));
}
