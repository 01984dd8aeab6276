using VirtAudit.Testing;

namespace VirtAudit.Cli.Tests;

/// <summary>The collection of <see cref="LargeInputTests"/>, apart from the quick tests of the command.</summary>
[CollectionDefinition(Name)]
public sealed class LargeInputCollection
{
    public const string Name = "Large inputs";
}

/// <summary>
/// <c>virtaudit check</c> on a gigabyte of input: the slowest test of the suite (about a minute), so in its own trait
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
}
