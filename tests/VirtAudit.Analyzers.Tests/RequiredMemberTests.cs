using static VirtAudit.Analyzers.Tests.Verifier;

namespace VirtAudit.Analyzers.Tests;

/// <summary>
/// Rule 6: the generated records use <c>required</c> members, so the compiler itself reports a missing field (CS9035).
/// These are the runtime's types, generated from schema/virt-audit.yaml.
/// </summary>
public sealed class RequiredMemberTests
{
    [Fact]
    public Task A_missing_required_field_is_the_compilers_CS9035() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtControl Make(Guid uuid) => new {|#0:VirtControl|}
            {
                Virt = VirtType.Kvm,
                Op = VirtOp.Start,
                Reason = VirtControlReason.Booted,
                Uuid = uuid,
                VmPid = 4242,
            };

            public static VirtResourceNetOpen Open(Guid uuid) => new {|#1:VirtResourceNetOpen|}
            {
                Virt = VirtType.Kvm,
                Vm = "rhel9",
                Uuid = uuid,
                Path = "/dev/net/tun",
            };
        }
        """,
        CompilerError("CS9035").WithLocation(0).WithArguments("VirtAudit.VirtControl.Vm"),
        CompilerError("CS9035").WithLocation(1).WithArguments("VirtAudit.VirtResourceNetOpen.Net"));

    [Fact]
    public Task The_vm_pid_is_required_although_old_libvirt_did_not_write_it() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtControl Missing(Guid uuid) => new {|#0:VirtControl|}
            {
                Virt = VirtType.Kvm,
                Op = VirtOp.Start,
                Reason = VirtControlReason.Booted,
                Vm = "rhel9",
                Uuid = uuid,
            };
        }
        """,
        CompilerError("CS9035").WithLocation(0).WithArguments("VirtAudit.VirtControl.VmPid"));

    [Fact]
    public Task Optional_and_conditional_fields_are_not_required() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            // Cgroup is optional (nullable); Category, Maj, Path, Rdev and Acl are conditional on Class.
            public static VirtResourceCgroup All(Guid uuid) => new VirtResourceCgroup
            {
                Virt = VirtType.Kvm,
                Reason = VirtResourceReason.Deny,
                Vm = "rhel9",
                Uuid = uuid,
                Class = CgroupClass.All,
            };
        }
        """);
}
