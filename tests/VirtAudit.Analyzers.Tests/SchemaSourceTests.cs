using VirtAudit.Generators.Analyzers;
using static VirtAudit.Analyzers.Tests.Verifier;

namespace VirtAudit.Analyzers.Tests;

/// <summary>
/// The rules come from attributes on symbols, wherever the symbols come from: types generated from a consumer's
/// own schema in the consumer's compilation, and types in a referenced assembly (as the runtime's built-in ones).
/// </summary>
public sealed class SchemaSourceTests
{
    /// <summary>
    /// A consumer's schema file: the built-in schema and a made-up backup record with an enum value that fits one
    /// operation only and a conditional, patterned field. The generator makes <c>ContosoBackup</c> from it in the test
    /// project, as it does in the consumer's build.
    /// </summary>
    internal const string ConsumerSchema = """
        virtaudit: 1
        namespace: Contoso.Audit
        registry: ContosoSchema
        extends: virt-audit
        enums:
          - name: BackupOp
            doc: What Contoso's backup agent did.
            values: [snapshot, restore]
          - name: BackupTarget
            doc: Where the backup is kept.
            values:
              - local
              - { audit: offsite, only-with: { op: snapshot }, doc: Offsite copies are only made of new snapshots. }
        variants:
          - name: ContosoBackup
            record: VIRT_RESOURCE
            doc: A backup of a guest's disks (Contoso's agent).
            fields:
              - { use: virt }
              - { audit: resrc, value: backup }
              - { use: vm }
              - { use: uuid }
              - { audit: op, type: enum, enum: BackupOp, doc: What was done. }
              - { audit: target, type: enum, enum: BackupTarget, doc: Where it went. }
              - audit: snapshot-id
                type: text
                presence: conditional
                when: { op: snapshot }
                pattern: '^snap-[0-9]+$'
                doc: The snapshot taken.
        """;

    [Fact]
    public Task Rules_hold_for_a_type_generated_from_a_consumer_schema() => VerifyAnalyzerWithSchemaAsync(
        """
        using System;
        using Contoso.Audit;
        using VirtAudit;

        static class Emitter
        {
            public static ContosoBackup Restore(Guid uuid) => new ContosoBackup
            {
                Virt = VirtType.Kvm,
                Vm = "rhel9",
                Uuid = uuid,
                Op = BackupOp.Restore,
                Target = {|#0:BackupTarget.Offsite|},
                {|#1:SnapshotId = "snap-1"|},
            };

            public static ContosoBackup Snapshot(Guid uuid) => new {|#2:ContosoBackup|}
            {
                Virt = VirtType.Kvm,
                Vm = "rhel9",
                Uuid = uuid,
                Op = BackupOp.Snapshot,
                Target = BackupTarget.Offsite,
            };

            public static ContosoBackup Named(Guid uuid) => new ContosoBackup
            {
                Virt = VirtType.Kvm,
                Vm = "rhel9",
                Uuid = uuid,
                Op = BackupOp.Snapshot,
                Target = BackupTarget.Local,
                SnapshotId = {|#3:"nightly"|},
            };

            public static ContosoBackup Valid(Guid uuid) => new ContosoBackup
            {
                Virt = VirtType.Kvm,
                Vm = "rhel9",
                Uuid = uuid,
                Op = BackupOp.Snapshot,
                Target = BackupTarget.Offsite,
                SnapshotId = "snap-42",
            };

            public static ContosoBackup Restored(Guid uuid) => new ContosoBackup
            {
                Virt = VirtType.Kvm,
                Vm = "rhel9",
                Uuid = uuid,
                Op = BackupOp.Restore,
                Target = BackupTarget.Local,
            };

            public static ContosoBackup Unknown(Guid uuid, BackupOp op, string id) => new ContosoBackup
            {
                Virt = VirtType.Kvm,
                Vm = "rhel9",
                Uuid = uuid,
                Op = op,
                Target = BackupTarget.Offsite,
                SnapshotId = id,
            };
        }
        """,
        ConsumerSchema,
        Diagnostic(AnalyzerDiagnostics.ValueDoesNotFit).WithLocation(0).WithArguments("Target", "Offsite", "records where Op is Snapshot", "Op is Restore"),
        Diagnostic(AnalyzerDiagnostics.ConditionalFieldSetWhileFalse).WithLocation(1).WithArguments("SnapshotId", "Op is Snapshot", "Op is Restore"),
        Diagnostic(AnalyzerDiagnostics.FieldRequiredByValue).WithLocation(2).WithArguments("SnapshotId", "Op is Snapshot", "Op is Snapshot"),
        Diagnostic(AnalyzerDiagnostics.MalformedConstant).WithLocation(3).WithArguments("SnapshotId", "nightly", "does not match the pattern ^snap-[0-9]+$"));

    [Fact]
    public Task A_required_field_of_a_consumer_type_is_the_compilers_CS9035() => VerifyAnalyzerWithSchemaAsync(
        """
        using System;
        using Contoso.Audit;
        using VirtAudit;

        static class Emitter
        {
            public static ContosoBackup Make(Guid uuid) => new {|#0:ContosoBackup|}
            {
                Virt = VirtType.Kvm,
                Vm = "rhel9",
                Uuid = uuid,
                Op = BackupOp.Restore,
            };
        }
        """,
        ConsumerSchema,
        CompilerError("CS9035").WithLocation(0).WithArguments("Contoso.Audit.ContosoBackup.Target"));

    [Fact]
    public Task Rules_hold_for_types_from_a_referenced_assembly() => VerifyAnalyzerAsync(
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
                {|VA2001:InitPid = 5|},
            };

            public static VirtResourceHostdev Hostdev(Guid uuid) => new {|VA2002:VirtResourceHostdev|}
            {
                Virt = VirtType.Lxc,
                Reason = {|VA2003:VirtResourceReason.Open|},
                Vm = "ct1",
                Uuid = uuid,
            };
        }
        """);

    [Fact]
    public Task Without_the_schema_attributes_nothing_is_analyzed() => VerifyAnalyzerWithoutRuntimeAsync(
        """
        namespace VirtAudit
        {
            public readonly record struct VirtControl(long? InitPid);
        }

        static class Emitter
        {
            public static VirtAudit.VirtControl Make() => new VirtAudit.VirtControl(5) { InitPid = 6 };
        }
        """);
}
