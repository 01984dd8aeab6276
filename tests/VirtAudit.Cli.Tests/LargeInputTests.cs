using VirtAudit.Testing;

namespace VirtAudit.Cli.Tests;

/// <summary>The collection of <see cref="LargeInputTests"/>, apart from the quick tests of the command.</summary>
[CollectionDefinition(Name)]
public sealed class LargeInputCollection
{
    public const string Name = "Large inputs";
}

/// <summary>
/// <c>virtaudit check</c> on a gigabyte of input piped in, and on a half-gigabyte file read in blocks on two workers: the slowest tests of the suite (about a minute), so in its own trait
/// and collection. CI runs it with every other test; a quick local run leaves it out with
/// <c>dotnet test --filter "Category!=Large"</c>.
/// </summary>
[Trait("Category", "Large")]
[Collection(LargeInputCollection.Name)]
public sealed class LargeInputTests
{
    [Fact]
    public async Task A_gigabyte_log_piped_in_is_checked_in_flat_memory()
    {
        // Issue 3: peak working set well under 64 MB on a 1 GB log. The real capture, replayed to 1 GiB, piped into
        // the command as a separate process, which reports its own peak working set (VmHWM) with --stats.
        var block = File.ReadAllBytes(Repository.Libvirt90AuditLog);
        var copies = (int)((1L << 30) / block.Length) + 1;
        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var start = new System.Diagnostics.ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "VirtAudit.Cli.dll"), "check", "--stats", "-" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await using (var stdin = process.StandardInput.BaseStream)
        {
            for (var i = 0; i < copies; i++)
            {
                await stdin.WriteAsync(block);
            }
        }

        await process.WaitForExitAsync();
        var output = await stdout;
        var stats = await stderr;
        Assert.True(process.ExitCode == 0, output + stats);
        Assert.EndsWith($"lines={451L * copies} virt={293L * copies} typed={293L * copies} roundtrip_ok={293L * copies} legacy=0 errors=0", output.TrimEnd(), StringComparison.Ordinal);
        var match = System.Text.RegularExpressions.Regex.Match(stats, @"stats: bytes=(\d+) .* peak_working_set_mib=([0-9.]+)");
        Assert.True(match.Success, stats);
        Assert.Equal((long)block.Length * copies, long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        var peak = double.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(peak < 64, $"peak working set {peak} MiB on {block.Length * (long)copies} bytes");
    }

    [Fact]
    public async Task A_large_file_is_checked_in_blocks_on_two_workers_in_flat_memory()
    {
        // The blocks' path (BlockRun): the capture replayed to 512 MiB with 4.4 MB of lines that are not records in the
        // middle, whose 200,000 findings a block may not hold while the blocks before it are read.
        var block = File.ReadAllBytes(Repository.Libvirt90AuditLog);
        var copies = (int)((512L << 20) / block.Length) + 1;
        var garbage = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 200_000).Select(i => $"not a record {i,8}\n")));
        var path = Path.Combine(Path.GetTempPath(), $"virtaudit-large-{Guid.NewGuid():N}.log");
        try
        {
            await using (var file = File.Create(path))
            {
                for (var i = 0; i < copies; i++)
                {
                    await file.WriteAsync(block);
                    if (i == copies / 2)
                    {
                        await file.WriteAsync(garbage);
                    }
                }
            }

            var (code, output, stats) = await RunAsync(["check", "--stats", path], new() { ["VIRTAUDIT_WORKERS"] = "2" });
            Assert.True(code == 1, stats);
            Assert.EndsWith($"lines={451L * copies + 200_000} virt={293L * copies} typed={293L * copies} roundtrip_ok={293L * copies} legacy=0 errors=200000", output.TrimEnd(), StringComparison.Ordinal);
            var findings = output.Split('\n').Where(l => l.StartsWith("line ", StringComparison.Ordinal)).Select(l => long.Parse(l.AsSpan(5, l.IndexOf(' ', 5) - 5), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(200_000, findings.Length);
            Assert.Equal(451L * (copies / 2 + 1) + 1, findings[0]);
            Assert.True(findings.Zip(findings.Skip(1)).All(p => p.Second == p.First + 1), "findings out of line order");
            var peak = double.Parse(System.Text.RegularExpressions.Regex.Match(stats, @"peak_working_set_mib=([0-9.]+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(peak < 64, $"peak working set {peak} MiB on {new FileInfo(path).Length} bytes with two workers");
        }
        finally
        {
            File.Delete(path);
        }
    }

    // Runs the CLI as a separate process; its exit code, stdout and stderr.
    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string[] args, Dictionary<string, string> environment)
    {
        var host = Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        var start = new System.Diagnostics.ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "VirtAudit.Cli.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
