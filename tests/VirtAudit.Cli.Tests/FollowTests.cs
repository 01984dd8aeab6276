using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace VirtAudit.Cli.Tests;

/// <summary><c>virtaudit follow</c>: tail -F across rotation by rename and by copytruncate, and a clean Ctrl-C.</summary>
public sealed class FollowTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("virtaudit-follow-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Follow_prints_new_records_across_rename_and_copytruncate_rotation_and_stops_cleanly_when_cancelled()
    {
        var log = Path.Combine(_dir, "audit.log");
        Append(log, 1, 2);                                   // already there: not printed without --from-start
        using var cancel = new CancellationTokenSource();
        SyncStream? stdout = null;
        var run = Task.Run(() => Cli.Run(
            new Cli.Options { Cancellation = cancel.Token, Console = (_, o, _) => stdout = o },
            "follow", "--format", "jsonl", log));

        await Until(() => stdout is not null);
        await Task.Delay(300);                               // let it open the file and reach its end
        Append(log, 3, 4);
        await Until(() => Serials(stdout!).Count == 2);

        // Rotation by rename (logrotate's default, auditd's own): the old file may still get lines before the new one exists.
        File.Move(log, log + ".1");
        Append(log + ".1", 5);
        Append(log, 6, 7);
        await Until(() => Serials(stdout!).Count == 5);

        // copytruncate: the file is copied, then truncated in place, and written again from its start.
        File.Copy(log, log + ".2");
        using (var truncate = new FileStream(log, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            truncate.SetLength(0);
        }

        Append(log, 8);
        await Until(() => Serials(stdout!).Count == 6);

        cancel.Cancel();
        var result = await run.WaitAsync(Patience);
        Assert.Equal(0, result.Code);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.Equal([3, 4, 5, 6, 7, 8], Serials(stdout!));
    }

    [Fact]
    public async Task From_start_prints_what_is_there_first_and_filters_apply()
    {
        var log = Path.Combine(_dir, "audit.log");
        Append(log, 1, 2, 3);
        using var cancel = new CancellationTokenSource();
        SyncStream? stdout = null;
        var run = Task.Run(() => Cli.Run(
            new Cli.Options { Cancellation = cancel.Token, Console = (_, o, _) => stdout = o },
            "follow", "--from-start", "--format", "jsonl", "--since", "1700000002", log));
        await Until(() => stdout is not null && Serials(stdout).Count == 2);
        cancel.Cancel();
        Assert.Equal(0, (await run.WaitAsync(Patience)).Code);
        Assert.Equal([2, 3], Serials(stdout!));
    }

    [Theory]
    [InlineData("parse")]
    [InlineData("check")]
    [InlineData("stats")]
    public void Other_commands_stop_at_Ctrl_C_with_exit_code_130(string command)
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var result = Cli.Run(new Cli.Options { Cancellation = cancel.Token }, command, Cli.Corpus);
        Assert.Equal(130, result.Code);
        Assert.Equal("virtaudit: interrupted\n", result.Stderr);
    }

    [SkippableFact]
    public async Task Follow_as_a_process_stops_cleanly_on_SIGINT()
    {
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "SIGINT is a Unix signal");
        var log = Path.Combine(_dir, "audit.log");
        Append(log, 1);
        var start = new ProcessStartInfo(Host())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "VirtAudit.Cli.dll"), "follow", "--from-start", "--format", "jsonl", log })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var first = await process.StandardOutput.ReadLineAsync().WaitAsync(Patience);
        Assert.Equal(1, JsonDocument.Parse(first!).RootElement.GetProperty("serial").GetInt32());
        Assert.Equal(0, Kill(process.Id, 2));             // SIGINT, what Ctrl-C sends

        await process.WaitForExitAsync().WaitAsync(Patience);
        Assert.Equal(0, process.ExitCode);
        Assert.Equal(string.Empty, await process.StandardError.ReadToEndAsync());
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    internal static string Host() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    private static void Append(string path, params int[] serials)
    {
        using var writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete));
        foreach (var serial in serials)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"type=VIRT_CONTROL msg=audit({1700000000 + serial}.000:{serial}): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='virt=kvm op=start reason=booted vm=\"web1\" uuid=11111111-2222-4333-8444-555555555555 vm-pid=42 exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success'\n"));
        }
    }

    private static List<int> Serials(SyncStream stdout) =>
        stdout.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("serial").GetInt32()).ToList();

    private static async Task Until(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Patience, "follow did not print the expected records in time");
            await Task.Delay(50);
        }
    }
}
