using System.Diagnostics;
using System.Reflection;
using VirtAudit.Testing;

namespace VirtAudit.Analyzers.Tests;

/// <summary>
/// Issue 4's acceptance in the real compiler, with the real generated types: a console project whose KVM start
/// <c>VirtControl</c> sets <c>InitPid</c> fails with VA2001; the LXC init record without a reason builds.
/// </summary>
public sealed class ConsoleAcceptanceTests
{
    [Fact]
    public async Task A_console_project_fails_with_VA2001_and_builds_once_the_record_is_an_lxc_init()
    {
        var start = new ProcessStartInfo("bash", Repository.File("tests", "acceptance", "analyzer-console.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // The repository is built already, in this test project's configuration (Debug or Release): the console
        // project must reference those outputs, not rebuild them or look for another configuration's.
        start.Environment["VIRTAUDIT_PREBUILT"] = "1";
        start.Environment["VIRTAUDIT_CONFIGURATION"] = typeof(ConsoleAcceptanceTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, output);
        Assert.Contains("error VA2001", output, StringComparison.Ordinal);
        Assert.Contains("'InitPid' is only written when Op is Init and Virt is Lxc", output, StringComparison.Ordinal);
        Assert.Contains("2 passed, 0 failed", output, StringComparison.Ordinal);
    }
}
