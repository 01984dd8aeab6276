using System.Text.RegularExpressions;

namespace VirtAudit.PackageTests;

/// <summary>
/// Consumer projects (Consumers/) restored and built from the packed .nupkg, one after the other, then run.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class ConsumerTests
{
    private readonly PackageFixture _package;

    public ConsumerTests(PackageFixture package) => _package = package;

    [Fact]
    public void Default_types_emit_and_parse()
    {
        var project = Build("Default");
        var run = RunApp(project, "Default");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("default consumer ok: VirtAudit", run.Output);
        Assert.Contains("msg='virt=kvm op=start reason=booted vm=7268656C3920776562 uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 vm-pid=4242 exe=", run.Output);
    }

    [Fact]
    public void Extension_schema_types_a_vsock_line()
    {
        var project = Build("Extension", "audit/contoso.virtaudit.yaml");
        var run = RunApp(project, "Extension");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("VirtResourceVsock cid=42 path=/dev/vhost-vsock vm=auditvm1 in Extension", run.Output);
    }

    [Fact]
    public void Invalid_records_fail_the_build_with_the_analyzers_ids_on_built_in_and_consumer_generated_types()
    {
        var (project, build) = BuildFailing("Invalid");
        var program = Path.Combine(project, "Program.cs");
        Assert.Equal(new[] { "VA2001", "VA2005" }, ErrorIds(build));
        AssertError(build, "Program.cs", Position(program, "InitPid = 5", "InitPid"), "VA2001");          // VirtControl, built in
        AssertError(build, "Program.cs", Position(program, "OldCid = 3", "OldCid"), "VA2001");            // VirtResourceVsock, generated
        AssertError(build, "Program.cs", Position(program, "Path = \"vhost-vsock\"", "\"vhost-vsock\""), "VA2005");
    }

    [Fact]
    public void The_analyzers_errors_are_the_records_the_runtime_refuses()
    {
        // As constants: a disk record with old and new absent (VA2004) and a cgroup ACL "xyz" (VA2005) fail the build.
        _package.AssertPacked();
        var project = _package.CreateConsumer("Agreement");
        var program = Path.Combine(project, "Program.cs");
        var constants = DotNet.Run(project, "build", "--disable-build-servers", "-p:Constants=true");
        Assert.True(constants.ExitCode != 0, "the build should fail\n" + constants);
        Assert.Equal(new[] { "VA2004", "VA2005" }, ErrorIds(constants));
        AssertError(constants, "Program.cs", Position(program, "var disk = new VirtResourceDisk", "VirtResourceDisk"), "VA2004");
        AssertError(constants, "Program.cs", Position(program, "Acl = \"xyz\"", "\"xyz\""), "VA2005");

        // The same values known only at run time: the build is clean, and the runtime refuses both records.
        var build = DotNet.Run(project, "build", "--disable-build-servers");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotContain(": warning ", build.Output);
        var refused = DotNet.Run(project, Path.Combine(project, "bin", "Debug", "net10.0", "Agreement.dll"), "-", "xyz");
        Assert.True(refused.ExitCode == 0, refused.ToString());
        Assert.Contains("disk: IsValid=False (libvirt writes no record when OldDisk (old-disk), NewDisk (new-disk) are all absent) refused:", refused.Output);
        Assert.Contains("cgroup: IsValid=False (Acl (acl) does not match the pattern ^r?w?m?$) refused:", refused.Output);

        // And writes them once the values are ones libvirt writes.
        var written = DotNet.Run(project, Path.Combine(project, "bin", "Debug", "net10.0", "Agreement.dll"), "/var/lib/libvirt/images/a.qcow2", "rw");
        Assert.Contains("disk: IsValid=True written: virt=kvm resrc=disk reason=detach vm=\"rhel9\" uuid=c7a5fdbd-cdaf-9455-926a-d65c16db1809 old-disk=\"/var/lib/libvirt/images/a.qcow2\" new-disk=\"?\"", written.Output);
        Assert.Contains("cgroup: IsValid=True written: virt=kvm resrc=cgroup reason=allow vm=\"rhel9\" uuid=c7a5fdbd-cdaf-9455-926a-d65c16db1809 cgroup=\"/sys/fs/cgroup/machine.slice/\" class=major category=pty maj=88 acl=rw", written.Output);
    }

    [Fact]
    public void Schema_mistakes_fail_the_build_at_their_line_and_column_in_the_consumers_yaml()
    {
        var (project, build) = BuildFailing("BrokenSchema");
        var yaml = Path.Combine(project, "audit", "contoso.virtaudit.yaml");
        Assert.Equal(new[] { "VA1003", "VA1008" }, ErrorIds(build));
        AssertError(build, "audit/contoso.virtaudit.yaml", Position(yaml, "{ use: guest-uuid }", "guest-uuid"), "VA1008");
        AssertError(build, "audit/contoso.virtaudit.yaml", Position(yaml, "{ audit: cid, type: int,", "int"), "VA1003");
    }

    [Fact]
    public void App_referencing_a_library_on_VirtAudit_gets_no_duplicate_types()
    {
        var project = Build("Transitive", "Lib/audit/contoso.virtaudit.yaml");
        var app = Path.Combine(project, "App");
        var run = RunApp(app, "App");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("VirtControl from VirtAudit", run.Output);
        Assert.Contains("VirtResourceVsock from Lib", run.Output);
        Assert.Contains("App defines 0 VirtAudit or Contoso types", run.Output);
    }

    /// <summary>Copies a consumer, builds it (the App of Transitive) and asserts a clean build.</summary>
    private string Build(string name, params string[] schemaCopies)
    {
        _package.AssertPacked();
        var project = _package.CreateConsumer(name, schemaCopies);
        var directory = name == "Transitive" ? Path.Combine(project, "App") : project;
        var build = DotNet.Run(directory, "build", "--disable-build-servers");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotContain(": warning ", build.Output);
        return project;
    }

    /// <summary>Copies a consumer and builds it; asserts that the build fails.</summary>
    private (string Project, DotNetResult Build) BuildFailing(string name)
    {
        _package.AssertPacked();
        var project = _package.CreateConsumer(name);
        var build = DotNet.Run(project, "build", "--disable-build-servers");
        Assert.True(build.ExitCode != 0, "the build should fail\n" + build);
        return (project, build);
    }

    /// <summary>The ids of the errors a build reported, each once, in order.</summary>
    private static string[] ErrorIds(DotNetResult build) =>
        Regex.Matches(build.Output, @": error ([A-Z]+[0-9]+):").Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal).ToArray();

    /// <summary>Asserts an error <paramref name="id"/> located in <paramref name="file"/> (a path ending) at <paramref name="at"/>.</summary>
    private static void AssertError(DotNetResult build, string file, (int Line, int Column) at, string id)
    {
        var pattern = $@"[/\\]{Regex.Escape(file).Replace("/", @"[/\\]", StringComparison.Ordinal)}\({at.Line},{at.Column}\): error {id}:";
        Assert.True(Regex.IsMatch(build.Output, pattern), $"no error {id} at {file}({at.Line},{at.Column})\n{build}");
    }

    /// <summary>The 1-based line and column of <paramref name="token"/> on the first line of the file holding <paramref name="line"/>.</summary>
    private static (int Line, int Column) Position(string path, string line, string token)
    {
        var lines = File.ReadAllLines(path);
        var index = Array.FindIndex(lines, l => l.Contains(line, StringComparison.Ordinal));
        Assert.True(index >= 0, $"no line with '{line}' in {path}");
        return (index + 1, lines[index].IndexOf(token, lines[index].IndexOf(line, StringComparison.Ordinal), StringComparison.Ordinal) + 1);
    }

    private static DotNetResult RunApp(string project, string assembly) =>
        DotNet.Run(project, Path.Combine(project, "bin", "Debug", "net10.0", assembly + ".dll"));
}
