using static VirtAudit.Analyzers.Tests.Verifier;

namespace VirtAudit.Analyzers.Tests;

/// <summary>Rule 6: generated records use <c>required</c> members, so the compiler itself reports a missing field (CS9035).</summary>
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
}
