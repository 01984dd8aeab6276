using VirtAudit.Generators.Analyzers;
using static VirtAudit.Analyzers.Tests.Verifier;

namespace VirtAudit.Analyzers.Tests;

/// <summary>VA2001: a conditional field set while its condition is false.</summary>
public sealed class ConditionalFieldTests
{
    [Fact]
    public Task InitPid_with_a_start_record_is_reported_with_field_and_values() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtControl Make() => new VirtControl
            {
                Virt = VirtType.Kvm,
                Op = VirtOp.Start,
                Reason = VirtControlReason.Booted,
                Vm = "rhel9",
                Uuid = Guid.Parse("c7a5fdbd-cdaf-9455-926a-d65c16db1809"),
                VmPid = 4242,
                {|#0:InitPid = 5|},
            };
        }
        """,
        Diagnostic(AnalyzerDiagnostics.ConditionalFieldSetWhileFalse)
            .WithLocation(0)
            .WithArguments("InitPid", "Op is Init and Virt is Lxc", "Op is Start and Virt is Kvm"));

    [Fact]
    public Task PidNs_is_reported_when_only_Virt_is_wrong() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtControl Make(Guid uuid) => new VirtControl
            {
                Virt = VirtType.Qemu,
                Op = VirtOp.Init,
                Vm = "ct1",
                Uuid = uuid,
                VmPid = 4242,
                {|#1:InitPid = 5|},
                {|#0:PidNs = 4026532451|},
            };
        }
        """,
        Diagnostic(AnalyzerDiagnostics.ConditionalFieldSetWhileFalse)
            .WithLocation(0)
            .WithArguments("PidNs", "Op is Init and Virt is Lxc", "Virt is Qemu"),
        Diagnostic(AnalyzerDiagnostics.ConditionalFieldSetWhileFalse)
            .WithLocation(1)
            .WithArguments("InitPid", "Op is Init and Virt is Lxc", "Virt is Qemu"));

    [Fact]
    public Task An_lxc_init_record_is_valid() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtControl Make(Guid uuid) => new VirtControl
            {
                Virt = VirtType.Lxc,
                Op = VirtOp.Init,
                Vm = "ct1",
                Uuid = uuid,
                VmPid = 4242,
                InitPid = 5,
                PidNs = 4026532451,
            };
        }
        """);

    [Fact]
    public Task Cgroup_fields_of_another_class_are_reported() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtResourceCgroup Path(Guid uuid) => new VirtResourceCgroup
            {
                Virt = VirtType.Kvm,
                Reason = VirtResourceReason.Allow,
                Vm = "rhel9",
                Uuid = uuid,
                Cgroup = "/sys/fs/cgroup/machine.slice/",
                Class = CgroupClass.Path,
                Path = "/dev/kvm",
                Rdev = DeviceNumber.Parse("0A:E8"),
                Acl = "rw",
                {|#0:Category = CgroupCategory.Pty|},
                {|#1:Maj = 0x88|},
            };

            public static VirtResourceCgroup Major(Guid uuid) => new VirtResourceCgroup
            {
                Virt = VirtType.Kvm,
                Reason = VirtResourceReason.Allow,
                Vm = "rhel9",
                Uuid = uuid,
                Cgroup = "/sys/fs/cgroup/machine.slice/",
                Class = CgroupClass.Major,
                Category = CgroupCategory.Pty,
                Maj = 0x88,
                Acl = "rw",
                {|#2:Path = "/dev/kvm"|},
                {|#3:Rdev = DeviceNumber.Parse("0A:E8")|},
            };

            public static VirtResourceCgroup All(Guid uuid) => new VirtResourceCgroup
            {
                Virt = VirtType.Kvm,
                Reason = VirtResourceReason.Deny,
                Vm = "rhel9",
                Uuid = uuid,
                Cgroup = "/sys/fs/cgroup/machine.slice/",
                Class = CgroupClass.All,
                {|#4:Acl = "rw"|},
            };
        }
        """,
        Diagnostic(AnalyzerDiagnostics.ConditionalFieldSetWhileFalse).WithLocation(0).WithArguments("Category", "Class is Major", "Class is Path"),
        Diagnostic(AnalyzerDiagnostics.ConditionalFieldSetWhileFalse).WithLocation(1).WithArguments("Maj", "Class is Major", "Class is Path"),
        Diagnostic(AnalyzerDiagnostics.ConditionalFieldSetWhileFalse).WithLocation(2).WithArguments("Path", "Class is Path", "Class is Major"),
        Diagnostic(AnalyzerDiagnostics.ConditionalFieldSetWhileFalse).WithLocation(3).WithArguments("Rdev", "Class is Path", "Class is Major"),
        Diagnostic(AnalyzerDiagnostics.ConditionalFieldSetWhileFalse).WithLocation(4).WithArguments("Acl", "Class is Major or Path", "Class is All"));

    [Fact]
    public Task With_expressions_are_judged_on_what_they_assign() => VerifyAnalyzerAsync(
        """
        using VirtAudit;

        static class Emitter
        {
            public static VirtControl Stop(VirtControl started) => started with { Op = VirtOp.Stop, {|VA2001:InitPid = 7|} };
        }
        """);

    [Fact]
    public Task Nothing_is_reported_when_the_controlling_value_is_not_constant() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtControl Make(VirtOp op, VirtType virt, Guid uuid) => new VirtControl
            {
                Virt = virt,
                Op = op,
                Vm = "ct1",
                Uuid = uuid,
                VmPid = 4242,
                InitPid = 5,
                PidNs = 4026532451,
            };

            // A with expression knows nothing about Op and Virt of the original record.
            public static VirtControl Renumber(VirtControl record) => record with { InitPid = 6 };

            // Other is a value the schema does not list: nothing to judge (VirtType is not closed).
            public static VirtControl Unlisted(Guid uuid) => new VirtControl
            {
                Virt = VirtType.Other,
                Op = VirtOp.Init,
                Vm = "ct1",
                Uuid = uuid,
                VmPid = 4242,
                InitPid = 5,
            };
        }
        """);

    [Fact]
    public Task A_conditional_field_assigned_null_is_not_set() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtControl Make(Guid uuid) => new VirtControl
            {
                Virt = VirtType.Kvm,
                Op = VirtOp.Start,
                Reason = VirtControlReason.Booted,
                Vm = "rhel9",
                Uuid = uuid,
                VmPid = 4242,
                InitPid = null,
                PidNs = default,
            };
        }
        """);

    [Fact]
    public Task A_non_constant_present_value_still_counts_as_set() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtControl Make(Guid uuid, long pid, long? maybePid) => new VirtControl
            {
                Virt = VirtType.Kvm,
                Op = VirtOp.Start,
                Reason = VirtControlReason.Booted,
                Vm = "rhel9",
                Uuid = uuid,
                VmPid = 4242,
                {|VA2001:InitPid = pid|},
                PidNs = maybePid,
            };
        }
        """);

    [Fact]
    public Task Generated_code_is_not_analyzed() => VerifyAnalyzerAsync(
        """
        // <auto-generated/>
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtControl Make(Guid uuid) => new VirtControl
            {
                Virt = VirtType.Kvm,
                Op = VirtOp.Start,
                Reason = VirtControlReason.Booted,
                Vm = "rhel9",
                Uuid = uuid,
                VmPid = 4242,
                InitPid = 5,
            };
        }
        """);
}
