using VirtAudit.Generators.Analyzers;
using static VirtAudit.Analyzers.Tests.Verifier;

namespace VirtAudit.Analyzers.Tests;

/// <summary>VA2004: a generic old/new record with both sides absent, which libvirt never writes.</summary>
public sealed class NotAllAbsentTests
{
    [Fact]
    public Task Old_and_new_both_absent_is_warned_about() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            public static VirtResourceDisk Disk(Guid uuid) => new {|#0:VirtResourceDisk|}
            {
                Virt = VirtType.Kvm,
                Reason = VirtResourceReason.Detach,
                Vm = "rhel9",
                Uuid = uuid,
            };

            public static VirtResourceNet Net(Guid uuid) => new {|#1:VirtResourceNet|}
            {
                Virt = VirtType.Kvm,
                Reason = VirtResourceReason.Detach,
                Vm = "rhel9",
                Uuid = uuid,
                OldNet = null,
                NewNet = default,
            };

            public static VirtResourceDisk Cleared(VirtResourceDisk record) => record {|#2:with|} { OldDisk = null, NewDisk = null };
        }
        """,
        Diagnostic(AnalyzerDiagnostics.NoRecordWhenAllAbsent).WithLocation(0).WithArguments("VirtResourceDisk", "'OldDisk' and 'NewDisk' are both absent"),
        Diagnostic(AnalyzerDiagnostics.NoRecordWhenAllAbsent).WithLocation(1).WithArguments("VirtResourceNet", "'OldNet' and 'NewNet' are both absent"),
        Diagnostic(AnalyzerDiagnostics.NoRecordWhenAllAbsent).WithLocation(2).WithArguments("VirtResourceDisk", "'OldDisk' and 'NewDisk' are both absent"));

    [Fact]
    public Task One_side_present_or_unknown_is_not_reported() => VerifyAnalyzerAsync(
        """
        using System;
        using VirtAudit;

        static class Emitter
        {
            // The mirror case: libvirt writes old-disk="?" new-disk=<copy target>.
            public static VirtResourceDisk Mirror(Guid uuid) => new VirtResourceDisk
            {
                Virt = VirtType.Kvm,
                Reason = VirtResourceReason.Mirror,
                Vm = "rhel9",
                Uuid = uuid,
                OldDisk = null,
                NewDisk = "/var/lib/libvirt/images/copy.qcow2",
            };

            public static VirtResourceNet Net(Guid uuid) => new VirtResourceNet
            {
                Virt = VirtType.Kvm,
                Reason = VirtResourceReason.Attach,
                Vm = "rhel9",
                Uuid = uuid,
                NewNet = MacAddress.Parse("52:54:00:12:34:56"),
            };

            public static VirtResourceDisk Unknown(Guid uuid, string? path) => new VirtResourceDisk
            {
                Virt = VirtType.Kvm,
                Reason = VirtResourceReason.Start,
                Vm = "rhel9",
                Uuid = uuid,
                NewDisk = path,
            };

            public static VirtResourceDisk Detached(VirtResourceDisk record) => record with { NewDisk = null };
        }
        """);
}
