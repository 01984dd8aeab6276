using System.Diagnostics;

namespace VirtAudit.Cli.Tests;

/// <summary>The .NET tool package installs from a local feed and runs as <c>virtaudit</c>.</summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("virtaudit-tool-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_tool_installs_from_a_local_feed_and_runs()
    {
        // The package of the build the tests run against (same configuration), with a version of its own so that no
        // cached package of another build is taken.
        var configuration = typeof(ToolPackageTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false).Cast<System.Reflection.AssemblyConfigurationAttribute>().Single().Configuration;
        var version = "0.1.0-test." + Guid.NewGuid().ToString("N")[..12];
        var feed = Path.Combine(_dir, "feed");
        var tools = Path.Combine(_dir, "tools");
        var project = Path.Combine(Cli.RepoRoot(), "src", "VirtAudit.Cli", "VirtAudit.Cli.csproj");
        Run(FollowTests.Host(), "pack", project, "--no-build", "-c", configuration, $"-p:PackageVersion={version}", "-o", feed);
        Assert.True(File.Exists(Path.Combine(feed, $"VirtAudit.Cli.{version}.nupkg")));
        Run(FollowTests.Host(), "tool", "install", "VirtAudit.Cli", "--tool-path", tools, "--add-source", feed, "--version", version);

        var virtaudit = Path.Combine(tools, OperatingSystem.IsWindows() ? "virtaudit.exe" : "virtaudit");
        var check = Run(virtaudit, "check", Cli.Corpus);
        Assert.EndsWith("lines=451 virt=293 typed=293 roundtrip_ok=293 legacy=0 errors=0", check.TrimEnd(), StringComparison.Ordinal);
        Assert.Equal(Cli.Run("parse", "--format", "jsonl", Cli.Corpus).Stdout, Run(virtaudit, "parse", "--format", "jsonl", Cli.Corpus));
        Assert.Contains("Usage:\n  virtaudit timeline", Run(virtaudit, "timeline", "--help"), StringComparison.Ordinal);
    }

    private static string Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} exited {process.ExitCode}: {stderr}{stdout.Result}");
        return stdout.Result;
    }
}
