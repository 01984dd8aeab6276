using System.Diagnostics;

namespace VirtAudit.Cli.Tests;

/// <summary>
/// The progress bar and colour in a real terminal (a tmux pane, read with <c>capture-pane</c>), and their absence
/// when piped. Needs tmux (<c>apt-get install tmux</c>); skipped without it unless <c>VIRTAUDIT_REQUIRE_TMUX=1</c>
/// (as in .ci/run), which turns the skip into a failure.
/// </summary>
public sealed class TerminalTests : IDisposable
{
    private readonly string _socket = "virtaudit-test-" + Guid.NewGuid().ToString("N");
    private readonly string _dir = Directory.CreateTempSubdirectory("virtaudit-tty-").FullName;

    public void Dispose()
    {
        if (HasTmux())
        {
            Tmux("kill-server");
        }

        Directory.Delete(_dir, recursive: true);
    }

    [SkippableFact]
    public async Task The_progress_bar_is_drawn_on_a_terminal_and_erased_at_the_end()
    {
        RequireTmux();
        var big = BigLog();
        var session = Start($"{Cli()} stats {big} > /dev/null");
        var seen = string.Empty;
        var clock = Stopwatch.StartNew();
        while (!seen.Contains("%", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(60) && !Finished(session))
        {
            seen = Capture(session);
            await Task.Delay(100);
        }

        Assert.Matches(@"\[[#-]{30}\] +\d+%  [0-9.]+/[0-9.]+ MB  .*big\.log", seen);
        await WaitFinished(session);
        var end = Capture(session);
        Assert.Contains("EXIT=0", end, StringComparison.Ordinal);
        Assert.DoesNotContain("%", end, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Colour_on_a_terminal_none_when_piped_or_with_NO_COLOR()
    {
        RequireTmux();
        var corpus = VirtAudit.Cli.Tests.Cli.Corpus;
        var coloured = Start($"{Cli()} parse --res failed {corpus}");
        await WaitFinished(coloured);
        var screen = Capture(coloured, escapes: true);
        Assert.Contains("\u001b[31m", screen, StringComparison.Ordinal);
        Assert.Contains("…", screen, StringComparison.Ordinal);

        var piped = Start($"{Cli()} parse --res failed {corpus} | cat");
        await WaitFinished(piped);
        var plain = Capture(piped, escapes: true);
        Assert.DoesNotContain("\u001b[31m", plain, StringComparison.Ordinal);
        Assert.Contains("attach", plain, StringComparison.Ordinal);

        var noColor = Start($"NO_COLOR=1 {Cli()} parse --res failed {corpus}");
        await WaitFinished(noColor);
        Assert.DoesNotContain("\u001b[31m", Capture(noColor, escapes: true), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_progress_bar_when_stderr_is_piped()
    {
        var big = BigLog();
        var start = new ProcessStartInfo(FollowTests.Host()) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "VirtAudit.Cli.dll"), "stats", big })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        Assert.Equal(string.Empty, stderr);
        Assert.Contains("records=", await stdout, StringComparison.Ordinal);
    }

    private static bool HasTmux() =>
        Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(d => File.Exists(Path.Combine(d, "tmux")));

    private static void RequireTmux()
    {
        if (Environment.GetEnvironmentVariable("VIRTAUDIT_REQUIRE_TMUX") == "1")
        {
            Assert.True(HasTmux(), "VIRTAUDIT_REQUIRE_TMUX=1 but tmux is not installed");
        }

        Skip.IfNot(HasTmux(), "tmux is not installed (apt-get install tmux)");
    }

    private static string Cli() => $"'{FollowTests.Host()}' '{Path.Combine(AppContext.BaseDirectory, "VirtAudit.Cli.dll")}'";

    /// <summary>A log of about 60 MB (the corpus repeated), long enough to be read for more than half a second.</summary>
    private string BigLog()
    {
        var path = Path.Combine(_dir, "big.log");
        var block = File.ReadAllBytes(VirtAudit.Cli.Tests.Cli.Corpus);
        using var output = File.Create(path);
        for (var i = 0; i < (60 << 20) / block.Length; i++)
        {
            output.Write(block);
        }

        return path;
    }

    private string Start(string command)
    {
        var session = "s" + Guid.NewGuid().ToString("N")[..8];
        Tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", $"sh -c \"{command.Replace("\"", "\\\"", StringComparison.Ordinal)}; echo EXIT=\\$?; sleep 600\"");
        return session;
    }

    private bool Finished(string session) => Capture(session).Contains("EXIT=", StringComparison.Ordinal);

    private async Task WaitFinished(string session)
    {
        var clock = Stopwatch.StartNew();
        while (!Finished(session))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "the command did not finish in the tmux pane");
            await Task.Delay(100);
        }
    }

    private string Capture(string session, bool escapes = false) =>
        escapes ? Tmux("capture-pane", "-p", "-e", "-t", session) : Tmux("capture-pane", "-p", "-t", session);

    private string Tmux(params string[] args)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(_socket);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}
