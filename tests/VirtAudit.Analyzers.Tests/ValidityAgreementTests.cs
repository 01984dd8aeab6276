using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using VirtAudit.Generators.Analyzers;

namespace VirtAudit.Analyzers.Tests;

/// <summary>
/// One source of truth for validity: every rule of the analyzer, once with the value as a constant (the analyzer's
/// verdict) and once with the same value known only at run time (the analyzer cannot judge it; <c>IsValid</c>,
/// <c>TryFormat</c> and the value types' <c>Parse</c> do). The analyzer reports an error exactly when the runtime
/// refuses the record, a warning only for a record the runtime writes, and nothing for a valid one.
/// </summary>
public sealed class ValidityAgreementTests
{
    /// <summary>
    /// A record to build: <see cref="Initializer"/> holds <c>$V</c> where the value goes, given as
    /// <see cref="Constant"/> (C#) and at run time as <see cref="Runtime"/> (C# over <c>arg</c>) with <see cref="Argument"/>.
    /// </summary>
    public sealed record Case(string Name, string? Rule, string Initializer, string Constant, string Runtime, string Argument)
    {
        public override string ToString() => Name;
    }

    private const string Head = "Virt = VirtType.Kvm, Vm = \"rhel9\", Uuid = Guid.Parse(\"c7a5fdbd-cdaf-9455-926a-d65c16db1809\")";

    public static readonly Case[] Cases =
    [
        // VA2001: a conditional field set while its condition is false (init-pid belongs to op=init, virt=lxc).
        new("init-pid on a kvm init", "VA2001",
            "new VirtControl { Virt = $V, Op = VirtOp.Init, Vm = \"rhel9\", Uuid = Guid.Empty, VmPid = 1, InitPid = 5 }",
            "VirtType.Kvm", "Enum.Parse<VirtType>(arg)", "Kvm"),
        new("init-pid on an lxc init", null,
            "new VirtControl { Virt = VirtType.Lxc, Op = $V, Vm = \"rhel9\", Uuid = Guid.Empty, VmPid = 1, InitPid = 5, PidNs = 4026532451 }",
            "VirtOp.Init", "Enum.Parse<VirtOp>(arg)", "Init"),

        // VA2002: presence contradicts another field (reason with op=init; acl missing with class=path; exactly-one).
        new("reason with op=init", "VA2002",
            "new VirtControl { Virt = VirtType.Lxc, Op = $V, Reason = VirtControlReason.Booted, Vm = \"rhel9\", Uuid = Guid.Empty, VmPid = 1, InitPid = 5, PidNs = 1 }",
            "VirtOp.Init", "Enum.Parse<VirtOp>(arg)", "Init"),
        new("acl missing with class=path", "VA2002",
            $"new VirtResourceCgroup {{ {Head}, Reason = VirtResourceReason.Allow, Cgroup = \"/sys/fs/cgroup/x/\", Class = $V, Path = \"/dev/kvm\", Rdev = new DeviceNumber(10, 232) }}",
            "CgroupClass.Path", "Enum.Parse<CgroupClass>(arg)", "Path"),
        new("hostdev with disk and chardev", "VA2002",
            $"new VirtResourceHostdev {{ {Head}, Reason = VirtResourceReason.Attach, Disk = \"/dev/sdb\", Chardev = $V }}",
            "\"/dev/tty1\"", "arg", "/dev/tty1"),
        new("hostdev with neither", "VA2002",
            $"new VirtResourceHostdev {{ {Head}, Reason = VirtResourceReason.Attach, Disk = $V }}",
            "null", "Absent(arg)", "<absent>"),
        new("hostdev with a disk", null,
            $"new VirtResourceHostdev {{ {Head}, Reason = VirtResourceReason.Attach, Disk = $V }}",
            "\"/dev/sdb\"", "Absent(arg)", "/dev/sdb"),

        // VA2003: a value that does not fit the rest of the record (issue 12: refused, as the parser refuses it).
        new("a stop reason on a start", "VA2003",
            "new VirtControl { Virt = VirtType.Kvm, Op = VirtOp.Start, Reason = $V, Vm = \"rhel9\", Uuid = Guid.Empty, VmPid = 1 }",
            "VirtControlReason.Shutdown", "Enum.Parse<VirtControlReason>(arg)", "Shutdown"),
        new("a start reason on a start", null,
            "new VirtControl { Virt = VirtType.Kvm, Op = VirtOp.Start, Reason = $V, Vm = \"rhel9\", Uuid = Guid.Empty, VmPid = 1 }",
            "VirtControlReason.Restored", "Enum.Parse<VirtControlReason>(arg)", "Restored"),
        new("start in cgroup", "VA2003",
            $"new VirtResourceCgroup {{ {Head}, Reason = $V, Cgroup = \"/sys/fs/cgroup/x/\", Class = CgroupClass.All }}",
            "VirtResourceReason.Start", "Enum.Parse<VirtResourceReason>(arg)", "Start"),
        new("deny in cgroup", null,
            $"new VirtResourceCgroup {{ {Head}, Reason = $V, Cgroup = \"/sys/fs/cgroup/x/\", Class = CgroupClass.All }}",
            "VirtResourceReason.Deny", "Enum.Parse<VirtResourceReason>(arg)", "Deny"),
        new("unlisted reason in cgroup", "VA2005",
            $"new VirtResourceCgroup {{ {Head}, Reason = AuditEnum<VirtResourceReason>.FromText($V), Cgroup = \"/sys/fs/cgroup/x/\", Class = CgroupClass.All }}",
            "\"resumed\"", "arg", "resumed"),
        new("unlisted reason in disk", null,
            $"new VirtResourceDisk {{ {Head}, Reason = AuditEnum<VirtResourceReason>.FromText($V), NewDisk = \"/var/lib/libvirt/images/a.qcow2\" }}",
            "\"resumed\"", "arg", "resumed"),
        new("allow outside cgroup", "VA2003",
            $"new VirtResourceDisk {{ {Head}, Reason = $V, NewDisk = \"/var/lib/libvirt/images/a.qcow2\" }}",
            "VirtResourceReason.Allow", "Enum.Parse<VirtResourceReason>(arg)", "Allow"),

        // VA2004: old and new both absent: libvirt writes no such record.
        new("disk with old and new absent", "VA2004",
            $"new VirtResourceDisk {{ {Head}, Reason = VirtResourceReason.Detach, OldDisk = $V }}",
            "null", "Absent(arg)", "<absent>"),
        new("disk with one side", null,
            $"new VirtResourceDisk {{ {Head}, Reason = VirtResourceReason.Detach, OldDisk = $V }}",
            "\"/var/lib/libvirt/images/a.qcow2\"", "Absent(arg)", "/var/lib/libvirt/images/a.qcow2"),

        // VA2005: shapes.
        new("malformed MAC", "VA2005",
            $"new VirtResourceNet {{ {Head}, Reason = VirtResourceReason.Attach, NewNet = MacAddress.Parse($V) }}",
            "\"52:54:00:zz:34:56\"", "arg", "52:54:00:zz:34:56"),
        new("MAC", null,
            $"new VirtResourceNet {{ {Head}, Reason = VirtResourceReason.Attach, NewNet = MacAddress.Parse($V) }}",
            "\"52:54:00:AB:34:56\"", "arg", "52:54:00:AB:34:56"),
        new("malformed UUID", "VA2005",
            "new VirtControl { Virt = VirtType.Kvm, Op = VirtOp.Start, Reason = VirtControlReason.Booted, Vm = \"rhel9\", Uuid = Guid.Parse($V), VmPid = 1 }",
            "\"c7a5fdbd-cdaf-9455-926a\"", "arg", "c7a5fdbd-cdaf-9455-926a"),
        new("UUID in braces", null,
            "new VirtControl { Virt = VirtType.Kvm, Op = VirtOp.Start, Reason = VirtControlReason.Booted, Vm = \"rhel9\", Uuid = Guid.Parse($V), VmPid = 1 }",
            "\"{c7a5fdbd-cdaf-9455-926a-d65c16db1809}\"", "arg", "{c7a5fdbd-cdaf-9455-926a-d65c16db1809}"),
        new("malformed rdev", "VA2005",
            $"new VirtResourceNetOpen {{ {Head}, Net = MacAddress.Parse(\"52:54:00:12:34:56\"), Path = \"/dev/net/tun\", Rdev = DeviceNumber.Parse($V) }}",
            "\"0A-C8\"", "arg", "0A-C8"),
        new("one-digit rdev", null,
            $"new VirtResourceNetOpen {{ {Head}, Net = MacAddress.Parse(\"52:54:00:12:34:56\"), Path = \"/dev/net/tun\", Rdev = DeviceNumber.Parse($V) }}",
            "\"1:3\"", "arg", "1:3"),
        new("acl outside its pattern", "VA2005", Cgroup("$V"), "\"xyz\"", "arg", "xyz"),
        new("empty acl", "VA2005", Cgroup("$V"), "\"\"", "arg", string.Empty),
        new("acl", null, Cgroup("$V"), "\"rw\"", "arg", "rw"),
        new("raw path with a control character", "VA2005",
            $"new VirtResourceShmem {{ {Head}, Reason = VirtResourceReason.Start, Size = 4194304, Path = $V }}",
            "\"/dev/shm/a\\tb\"", "arg", "/dev/shm/a\tb"),
        new("empty raw path", "VA2005",
            $"new VirtResourceShmem {{ {Head}, Reason = VirtResourceReason.Start, Size = 4194304, Path = $V }}",
            "\"\"", "arg", string.Empty),
        new("raw path with a space", null,
            $"new VirtResourceShmem {{ {Head}, Reason = VirtResourceReason.Start, Size = 4194304, Path = $V }}",
            "\"/dev/shm/a b\"", "arg", "/dev/shm/a b"),
        new("enum text with a space", "VA2005",
            "new VirtControl { Virt = AuditEnum<VirtType>.FromText($V), Op = VirtOp.Start, Reason = VirtControlReason.Booted, Vm = \"rhel9\", Uuid = Guid.Empty, VmPid = 1 }",
            "\"bhy ve\"", "arg", "bhy ve"),
        new("op outside its closed enum", "VA2005",
            "new VirtControl { Virt = VirtType.Kvm, Op = AuditEnum<VirtOp>.FromText($V), Reason = AuditEnum<VirtControlReason>.FromText(\"api\"), Vm = \"rhel9\", Uuid = Guid.Empty, VmPid = 1 }",
            "\"pause\"", "arg", "pause"),
        new("op Other", "VA2005",
            "new VirtControl { Virt = VirtType.Kvm, Op = $V, Reason = VirtControlReason.Booted, Vm = \"rhel9\", Uuid = Guid.Empty, VmPid = 1 }",
            "VirtOp.Other", "Enum.Parse<VirtOp>(arg)", "Other"),
        new("op by its text", null,
            "new VirtControl { Virt = VirtType.Kvm, Op = AuditEnum<VirtOp>.FromText($V), Reason = VirtControlReason.Booted, Vm = \"rhel9\", Uuid = Guid.Empty, VmPid = 1 }",
            "\"start\"", "arg", "start"),
        new("enum text the enum does not list", null,
            "new VirtControl { Virt = AuditEnum<VirtType>.FromText($V), Op = VirtOp.Start, Reason = VirtControlReason.Booted, Vm = \"rhel9\", Uuid = Guid.Empty, VmPid = 1 }",
            "\"bhyve\"", "arg", "bhyve"),
        Device("pci", "HostdevBus.Pci", "3b:00.1", "VA2005"),
        Device("pci", "HostdevBus.Pci", "0000:3b:00.1", null),
        Device("usb", "HostdevBus.Usb", "1.4", "VA2005"),
        Device("usb", "HostdevBus.Usb", "001.004", null),
        Device("usb", "HostdevBus.Usb", "USB redirdev", null),
        Device("scsi", "HostdevBus.Scsi", "scsi_host0:0:x:0", "VA2005"),
        Device("scsi", "HostdevBus.Scsi", "scsi_host0:0:0:0", null),
        Device("mdev", "HostdevBus.Mdev", "xyz", "VA2005"),
        Device("mdev", "HostdevBus.Mdev", "c7a5fdbd-cdaf-4455-926a-d65c16db1809", null),
        Device("scsi_host (no pattern)", "HostdevBus.ScsiHost", "naa.5001405df3e54061", null),
    ];

    private static readonly Lazy<Dictionary<string, Verdict>> s_verdicts = new(Judge);

    public static TheoryData<Case> All()
    {
        var data = new TheoryData<Case>();
        foreach (var c in Cases)
        {
            data.Add(c);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(All))]
    public void The_analyzer_and_the_runtime_agree(Case c)
    {
        var constant = s_verdicts.Value[Method(c, constant: true)];
        var runtime = s_verdicts.Value[Method(c, constant: false)];

        // What the test states about the rule.
        Assert.Equal(c.Rule, constant.Id);
        Assert.Null(runtime.Id);   // a value known only at run time is not judged at compile time

        // The same value gives the same outcome, whether it was a constant or not.
        Assert.Equal(constant.Refused, runtime.Refused);

        // Error exactly when the runtime refuses; a warning or nothing only for a record the runtime writes.
        Assert.Equal(constant.Severity == DiagnosticSeverity.Error, constant.Refused is not null);
        if (c.Rule is not null)
        {
            var severity = AnalyzerDiagnostics.All.Where(d => d.Id == c.Rule).Select(d => d.DefaultSeverity).Distinct().Single();
            Assert.Equal(severity, constant.Severity);
        }
    }

    [Fact]
    public void Every_rule_of_the_analyzer_has_a_case()
    {
        var rules = AnalyzerDiagnostics.All.Select(d => d.Id).Where(id => id.StartsWith("VA2", StringComparison.Ordinal)).Distinct().Order().ToArray();
        Assert.Equal(rules, Cases.Select(c => c.Rule).OfType<string>().Distinct().Order().ToArray());
    }

    private static string Cgroup(string acl) =>
        $"new VirtResourceCgroup {{ {Head}, Reason = VirtResourceReason.Allow, Cgroup = \"/sys/fs/cgroup/x/\", Class = CgroupClass.Major, Category = CgroupCategory.Pty, Maj = 0x88, Acl = {acl} }}";

    private static Case Device(string bus, string member, string device, string? rule) => new(
        $"{bus} device {device}", rule,
        $"new VirtResourceDev {{ {Head}, Reason = VirtResourceReason.Attach, Bus = {member}, Device = $V }}",
        SymbolDisplay.FormatLiteral(device, quote: true), "arg", device);

    private static string Method(Case c, bool constant) => $"Case{Array.IndexOf(Cases, c)}{(constant ? "Constant" : "Runtime")}";

    /// <summary>
    /// Compiles every case twice in one consumer program, runs the analyzer on it, emits it (analyzer diagnostics do
    /// not stop emit), runs each method, and returns each method's analyzer diagnostic and runtime outcome.
    /// </summary>
    private static Dictionary<string, Verdict> Judge()
    {
        var source = new StringBuilder();
        source.AppendLine("""
            using System;
            using VirtAudit;

            public static class Probe
            {
                static string? Absent(string arg) => arg == "<absent>" ? null : arg;

                static string? Outcome<T>(Func<T> create, Func<T, (bool Valid, string? Error)> check, Func<T, byte[], bool> format)
                {
                    try
                    {
                        var record = create();
                        var (valid, error) = check(record);
                        format(record, new byte[4096]);   // throws AuditFormatException when invalid
                        return valid ? null : "IsValid false but written: " + error;
                    }
                    catch (AuditFormatException e) { return e.Message; }
                    catch (FormatException e) { return e.Message; }
                }
            """);
        foreach (var c in Cases)
        {
            foreach (var constant in new[] { true, false })
            {
                var value = constant ? c.Constant : c.Runtime;
                source.AppendLine($$"""
                        public static string? {{Method(c, constant)}}(string arg) => Outcome(
                            () => {{c.Initializer.Replace("$V", value, StringComparison.Ordinal)}},
                            r => (r.IsValid(out var e), e),
                            (r, b) => r.TryFormat(b, out _));
                    """);
            }
        }

        source.AppendLine("}");
        var tree = CSharpSyntaxTree.ParseText(source.ToString(), new CSharpParseOptions(LanguageVersion.CSharp12));
        var compilation = CSharpCompilation.Create(
            "Agreement" + Guid.NewGuid().ToString("N"),
            [tree],
            Verifier.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var compilerErrors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(compilerErrors.Count == 0, string.Join("\n", compilerErrors));

        var analyzerDiagnostics = compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new AuditRecordAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();

        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        var context = new AssemblyLoadContext("agreement", isCollectible: true);
        try
        {
            var probe = context.LoadFromStream(image).GetType("Probe")!;
            var verdicts = new Dictionary<string, Verdict>(StringComparer.Ordinal);
            var root = tree.GetRoot();
            foreach (var c in Cases)
            {
                foreach (var constant in new[] { true, false })
                {
                    var name = Method(c, constant);
                    var method = root.DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == name);
                    var found = analyzerDiagnostics.Where(d => method.Span.Contains(d.Location.SourceSpan)).ToList();
                    Assert.True(found.Count <= 1, string.Join("\n", found));
                    var refused = (string?)probe.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [c.Argument]);
                    verdicts[name] = new Verdict(found.FirstOrDefault()?.Id, found.FirstOrDefault()?.Severity, refused);
                }
            }

            return verdicts;
        }
        finally
        {
            context.Unload();
        }
    }

    private sealed record Verdict(string? Id, DiagnosticSeverity? Severity, string? Refused);
}
