using VirtAudit.Generators.Analyzers;
using static VirtAudit.Analyzers.Tests.Verifier;

namespace VirtAudit.Analyzers.Tests;

/// <summary>
/// The acceptance records of issue 4, on the runtime's generated <c>VirtControl</c>, in the test harness. The same
/// records in a console project built by the real compiler: <see cref="ConsoleAcceptanceTests"/>.
/// </summary>
public sealed class AcceptanceTests
{
    [Fact]
    public Task A_kvm_start_record_with_an_init_pid_fails_with_VA2001() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Program
        {
            static void Main()
            {
                var record = new VirtControl
                {
                    Virt = VirtType.Kvm,
                    Op = VirtOp.Start,
                    Reason = VirtControlReason.Booted,
                    Vm = "rhel9",
                    Uuid = Guid.Parse("c7a5fdbd-cdaf-9455-926a-d65c16db1809"),
                    VmPid = 4242,
                    {|#0:InitPid = 5|},
                };
                Console.WriteLine(record);
            }
        }
        """,
        Diagnostic(AnalyzerDiagnostics.ConditionalFieldSetWhileFalse)
            .WithLocation(0)
            .WithArguments("InitPid", "Op is Init and Virt is Lxc", "Op is Start and Virt is Kvm"));

    [Fact]
    public Task The_same_record_as_an_lxc_init_without_reason_and_with_a_pid_namespace_builds() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Program
        {
            static void Main()
            {
                var record = new VirtControl
                {
                    Virt = VirtType.Lxc,
                    Op = VirtOp.Init,
                    Vm = "rhel9",
                    Uuid = Guid.Parse("c7a5fdbd-cdaf-9455-926a-d65c16db1809"),
                    VmPid = 4242,
                    InitPid = 5,
                    PidNs = 4026532451,
                };
                Console.WriteLine(record);
            }
        }
        """);
}
