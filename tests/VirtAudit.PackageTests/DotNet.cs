using System.Diagnostics;
using System.Text;

namespace VirtAudit.PackageTests;

/// <summary>The outcome of one <c>dotnet</c> command: its exit code and everything it printed.</summary>
public sealed record DotNetResult(string CommandLine, int ExitCode, string Output, TimeSpan Elapsed)
{
    /// <summary>The command line and its output, for an assertion message.</summary>
    public override string ToString() => $"$ {CommandLine}\n(exit code {ExitCode}, {Elapsed.TotalSeconds:F0} s)\n{Output}";
}

/// <summary>
/// Runs the <c>dotnet</c> CLI in a child process. MSBuild node reuse is off, and build commands get
/// <c>--disable-build-servers</c> from the callers, so that no process outlives the command and holds its output open.
/// </summary>
public static class DotNet
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>Runs <c>dotnet <paramref name="args"/></c> in <paramref name="workingDirectory"/>.</summary>
    public static DotNetResult Run(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(DotNetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The test host runs under `dotnet test`, whose MSBuild settings must not leak into the child build.
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(name);
            }
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        var clock = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var commandLine = "dotnet " + string.Join(' ', args);
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new DotNetResult(commandLine, -1, $"timed out after {Timeout}\n{Text(output)}", clock.Elapsed);
        }

        process.WaitForExit(); // drains the output
        return new DotNetResult(commandLine, process.ExitCode, Text(output), clock.Elapsed);
    }

    private static string DotNetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
