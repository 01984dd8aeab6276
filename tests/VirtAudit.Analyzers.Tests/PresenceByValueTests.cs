using VirtAudit.Generators.Analyzers;
using static VirtAudit.Analyzers.Tests.Verifier;

namespace VirtAudit.Analyzers.Tests;

/// <summary>VA2002: a field that must be absent or present by another field's value; exactly-one groups.</summary>
public sealed class PresenceByValueTests
{
    [Fact]
    public Task Reason_on_an_init_record_is_reported() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtControl Make(Guid uuid) => new VirtControl
            {
                Virt = VirtType.Lxc,
                Op = VirtOp.Init,
                {|#0:Reason = VirtControlReason.Booted|},
                Vm = "ct1",
                Uuid = uuid,
                VmPid = 4242,
                InitPid = 5,
                PidNs = 4026532451,
            };
        }
        """,
        Diagnostic(AnalyzerDiagnostics.FieldExcludedByValue).WithLocation(0).WithArguments("Reason", "Op is Init"));

    [Fact]
    public Task A_missing_reason_on_a_start_or_stop_record_is_reported() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtControl Start(Guid uuid) => new {|#0:VirtControl|}
            {
                Virt = VirtType.Kvm,
                Op = VirtOp.Start,
                Vm = "rhel9",
                Uuid = uuid,
                VmPid = 4242,
            };

            public static VirtControl Stop(Guid uuid) => new VirtControl
            {
                Virt = VirtType.Kvm,
                Op = VirtOp.Stop,
                {|#1:Reason = default|},
                Vm = "rhel9",
                Uuid = uuid,
                VmPid = 0,
            };

            public static VirtControl Implicit(Guid uuid)
            {
                VirtControl record = {|#2:new|}()
                {
                    Virt = VirtType.Kvm,
                    Op = VirtOp.Stop,
                    Vm = "rhel9",
                    Uuid = uuid,
                    VmPid = 0,
                };
                return record;
            }
        }
        """,
        Diagnostic(AnalyzerDiagnostics.FieldRequiredByValue).WithLocation(0).WithArguments("Reason", "Op is Start", "Op is not Init"),
        Diagnostic(AnalyzerDiagnostics.FieldRequiredByValue).WithLocation(1).WithArguments("Reason", "Op is Stop", "Op is not Init"),
        Diagnostic(AnalyzerDiagnostics.FieldRequiredByValue).WithLocation(2).WithArguments("Reason", "Op is Stop", "Op is not Init"));

    [Fact]
    public Task A_missing_conditional_field_is_reported_unless_it_is_nullable() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtControl Init(Guid uuid) => new {|#0:VirtControl|}
            {
                Virt = VirtType.Lxc,
                Op = VirtOp.Init,
                Vm = "ct1",
                Uuid = uuid,
                VmPid = 4242,
                InitPid = 5,
            };

            // Rdev is nullable (libvirt writes rdev=? for a path that is no device), Acl is not.
            public static VirtResourceCgroup Path(Guid uuid) => new {|#1:VirtResourceCgroup|}
            {
                Virt = VirtType.Kvm,
                Reason = VirtResourceReason.Allow,
                Vm = "rhel9",
                Uuid = uuid,
                Cgroup = "/sys/fs/cgroup/machine.slice/",
                Class = CgroupClass.Path,
                Path = "/dev/kvm",
            };
        }
        """,
        Diagnostic(AnalyzerDiagnostics.FieldRequiredByValue).WithLocation(0).WithArguments("PidNs", "Op is Init and Virt is Lxc", "Op is Init and Virt is Lxc"),
        Diagnostic(AnalyzerDiagnostics.FieldRequiredByValue).WithLocation(1).WithArguments("Acl", "Class is Path", "Class is Major or Path"));

    [Fact]
    public Task With_expressions_are_judged_on_what_they_assign() => VerifyAnalyzerAsync(
        """
        using VirtAudit;

        static class Emitter
        {
            // The original's Reason is unknown: not reported.
            public static VirtControl ToInit(VirtControl record) => record with { Op = VirtOp.Init };

            public static VirtControl Both(VirtControl record) => record with { Op = VirtOp.Init, {|VA2002:Reason = VirtControlReason.Booted|} };

            public static VirtControl Cleared(VirtControl record) => record with { Op = VirtOp.Stop, {|VA2002:Reason = default|} };
        }
        """);

    [Fact]
    public Task A_hostdev_with_both_disk_and_chardev_is_reported_on_the_extra_one() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtResourceHostdev Make(Guid uuid) => new VirtResourceHostdev
            {
                Virt = VirtType.Lxc,
                Reason = VirtResourceReason.Attach,
                Vm = "ct1",
                Uuid = uuid,
                {|#1:Disk = "/dev/sdb"|},
                {|#0:Chardev = "/dev/ttyS1"|},
            };
        }
        """,
        Diagnostic(AnalyzerDiagnostics.ExactlyOneViolated).WithLocation(0).WithLocation(1).WithArguments("'Disk' and 'Chardev'", "both are set"));

    [Fact]
    public Task A_hostdev_with_neither_disk_nor_chardev_is_reported() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtResourceHostdev Make(Guid uuid) => new {|#0:VirtResourceHostdev|}
            {
                Virt = VirtType.Lxc,
                Reason = VirtResourceReason.Attach,
                Vm = "ct1",
                Uuid = uuid,
                Disk = null,
            };
        }
        """,
        Diagnostic(AnalyzerDiagnostics.ExactlyOneViolated).WithLocation(0).WithArguments("'Disk' and 'Chardev'", "neither is set"));

    [Fact]
    public Task Valid_and_non_constant_hostdevs_are_not_reported() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtResourceHostdev Disk(Guid uuid) => new VirtResourceHostdev
            {
                Virt = VirtType.Lxc,
                Reason = VirtResourceReason.Attach,
                Vm = "ct1",
                Uuid = uuid,
                Disk = "/dev/sdb",
                Chardev = null,
            };

            // Either string may be null at run time: nothing is known.
            public static VirtResourceHostdev Either(Guid uuid, string? disk, string? chardev) => new VirtResourceHostdev
            {
                Virt = VirtType.Lxc,
                Reason = VirtResourceReason.Attach,
                Vm = "ct1",
                Uuid = uuid,
                Disk = disk,
                Chardev = chardev,
            };

            public static VirtResourceHostdev Swap(VirtResourceHostdev record) => record with { Disk = null, Chardev = "/dev/ttyS1" };
        }
        """);
}
