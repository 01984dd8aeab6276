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
    public void Invalid_combination_fails_the_build_with_VA2001()
    {
        _package.AssertPacked();
        var project = _package.CreateConsumer("Invalid");
        var build = DotNet.Run(project, "build", "--disable-build-servers");
        Assert.True(build.ExitCode != 0, "the build should fail with VA2001\n" + build);
        Assert.Matches(@"Program\.cs\(4,\d+\): error VA2001", build.Output);
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

    private static DotNetResult RunApp(string project, string assembly) =>
        DotNet.Run(project, Path.Combine(project, "bin", "Debug", "net10.0", assembly + ".dll"));
}
