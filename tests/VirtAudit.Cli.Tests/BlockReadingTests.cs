using System.Globalization;
using System.Text;
using VirtAudit.LogGenerator;
using VirtAudit.Testing;

namespace VirtAudit.Cli.Tests;

/// <summary>
/// <c>check</c> and <c>parse --format checksum</c> read a plain file in blocks (<see cref="AuditLogRange.Cut"/>) on two
/// threads and write what one pass writes: the same stdout (counts, notes, per-line findings in line order), stderr
/// and exit code, with block sizes down to one byte, so that block boundaries fall before every line that may start
/// one (inside a daemon log's joined pairs too, which the cut must step over).
/// </summary>
public sealed class BlockReadingTests : IDisposable
{
    private static readonly string[] CorpusFiles = ["audit.log", "daemon-logs/libvirtd.log", "daemon-logs/virt-launcher.log", "daemon-logs/expected.tsv"];

    private readonly string _folder = Directory.CreateTempSubdirectory("virtaudit-blocks-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string, int> CorpusCases()
    {
        var cases = new TheoryData<string, int>();
        foreach (var file in CorpusFiles)
        {
            foreach (var blockBytes in new[] { 1, 97, 4096 })
            {
                cases.Add(file, blockBytes);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(CorpusCases))]
    public void Every_corpus_file_reads_alike_in_blocks_on_two_threads_and_in_one_pass(string file, int blockBytes)
    {
        var path = Repository.Corpus("libvirt-9.0/" + file);
        Assert.True(AuditLogRange.Cut(path, blockBytes).Count >= 10, "too few blocks to test");

        var check = AssertAlike(["check", path], blockBytes);
        AssertAlike(["parse", "--all", "--format", "checksum", path], blockBytes);
        AssertAlike(["parse", "--format", "checksum", "--resrc", "disk", path], blockBytes);

        // What the corpus is known to hold comes out of the blocks too (a joined pair split by a block would not).
        var expected = file switch
        {
            "audit.log" => "lines=451 virt=293 typed=293 roundtrip_ok=293 legacy=0 errors=0",
            "daemon-logs/libvirtd.log" => "lines=362 virt=315 typed=315 roundtrip_ok=315 legacy=0 errors=0",
            "daemon-logs/virt-launcher.log" => "lines=630 virt=315 typed=315 roundtrip_ok=315 legacy=0 errors=0",
            _ => "lines=316 virt=0 typed=0 roundtrip_ok=0 legacy=0 errors=316",
        };
        Assert.EndsWith(expected, check.Stdout.TrimEnd(), StringComparison.Ordinal);
        if (file.EndsWith("virt-launcher.log", StringComparison.Ordinal))
        {
            Assert.Contains("joined=315", check.Stdout, StringComparison.Ordinal);
            Assert.Contains("not_sent=315", check.Stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3000)]
    [InlineData(65536)]
    [InlineData(1 << 20)]
    public void Generated_logs_of_every_rendering_and_hard_lines_read_alike_at_any_block_size(int blockBytes)
    {
        var path = Path.Combine(_folder, "mixed.log");
        File.WriteAllText(path, MixedLog());
        long lines = File.ReadAllBytes(path).AsSpan().Count((byte)'\n') + 1; // the last line has no line feed

        var check = AssertAlike(["check", "--stats", path], blockBytes);
        AssertAlike(["parse", "--all", "--format", "checksum", path], blockBytes);
        AssertAlike(["parse", "--format", "checksum", "--resrc", "disk", path], blockBytes);

        Assert.Equal(1, check.Code); // lines that are not records, a record not typed
        var output = check.Stdout.TrimEnd().Split('\n');
        Assert.StartsWith($"lines={lines} ", output[^1], StringComparison.Ordinal);
        Assert.EndsWith("truncated=1 not_sent=398 ambiguous=1", output[^2], StringComparison.Ordinal);
        Assert.Contains(" joined=396", output[^4], StringComparison.Ordinal); // 315 + 81
        Assert.Contains(" other=", output[^3], StringComparison.Ordinal);
        Assert.Contains(" T00000000=21", output[^3], StringComparison.Ordinal);
        Assert.DoesNotContain("T00000299", output[^3], StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"stats: bytes={new FileInfo(path).Length} "), check.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_of_a_block_wait_for_the_blocks_before_it_when_they_are_many()
    {
        // Each block holds far more findings than a block keeps (BlockRun.HeldChars) before it is the first unmerged one.
        var path = Path.Combine(_folder, "garbage.log");
        var text = new StringBuilder();
        for (int i = 0; i < 40_000; i++)
        {
            text.Append("garbage line ").Append(i).Append(" is not a record\n");
        }

        File.WriteAllText(path, text.ToString());
        var check = AssertAlike(["check", path], 200_000);
        var parse = AssertAlike(["parse", "--all", "--format", "checksum", path], 200_000);

        var findings = check.Stdout.Split('\n').Where(l => l.StartsWith("line ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(40_000, findings.Length);
        Assert.True(findings.Sum(f => f.Length) > 4 * BlockRun<object>.HeldChars);
        Assert.Equal(40_000, parse.Stderr.Split('\n').Count(l => l.StartsWith(path + ":", StringComparison.Ordinal)));
    }

    [Fact]
    public void Two_files_are_each_read_in_blocks_and_named_in_the_findings()
    {
        var a = Path.Combine(_folder, "a.log");
        var b = Path.Combine(_folder, "b.log");
        File.WriteAllText(a, BoundaryLogs.Hard());
        File.Copy(Repository.Corpus("libvirt-9.0/daemon-logs/expected.tsv"), b);
        var check = AssertAlike(["check", a, b], 500);
        Assert.Contains(a + ":line ", check.Stdout, StringComparison.Ordinal);
        Assert.Contains(b + ":line 316 ", check.Stdout, StringComparison.Ordinal);
        AssertAlike(["parse", "--all", "--format", "checksum", a, b], 500);
    }

    [Fact]
    public void Gzip_and_standard_input_are_read_in_one_pass_with_the_same_answer()
    {
        var log = File.ReadAllBytes(Repository.Libvirt90AuditLog);
        var gz = Path.Combine(_folder, "audit.log.1.gz");
        using (var file = File.Create(gz))
        using (var zip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest))
        {
            zip.Write(log);
        }

        var blocks = Run(["check", Repository.Libvirt90AuditLog], workers: 2, blockBytes: 100);
        Assert.Equal(blocks.Stdout, Run(["check", gz], workers: 2, blockBytes: 100).Stdout);
        Assert.Equal(blocks.Stdout, Cli.Run(log, "check").Stdout);
    }

    [Fact]
    public async Task A_named_pipe_is_read_in_one_pass_and_opened_once()
    {
        // Opening a named pipe to cut it would take the writer's reader away before the real read opens it again.
        var fifo = Path.Combine(_folder, "audit.fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var writer = Task.Run(() => File.WriteAllBytes(fifo, File.ReadAllBytes(Repository.Libvirt90AuditLog)));
        var result = await Task.Run(() => Run(["check", fifo], workers: 2, blockBytes: 1)).WaitAsync(TimeSpan.FromSeconds(60));
        await writer.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, result.Code);
        Assert.EndsWith("lines=451 virt=293 typed=293 roundtrip_ok=293 legacy=0 errors=0", result.Stdout.TrimEnd(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("two")]
    [InlineData("65")]
    public void A_worker_count_that_is_not_one_is_said_and_ignored(string value)
    {
        var result = Cli.Run(new Cli.Options { Environment = new() { [BlockSettings.WorkersVariable] = value } }, "check", Cli.Corpus);
        Assert.Equal(0, result.Code);
        Assert.Contains($"virtaudit: ignoring VIRTAUDIT_WORKERS={value}: expected a whole number from 1 to 64", result.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("errors=0", result.Stdout.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_block_that_fails_ends_the_input_after_the_blocks_before_it_as_one_pass_would()
    {
        // 30 lines of 100 bytes in blocks of 3 lines; the 6th block fails after its first line.
        var path = Path.Combine(_folder, "lines.log");
        File.WriteAllText(path, string.Concat(Enumerable.Range(0, 30).Select(i => $"line {i:D3} ".PadRight(99, '.') + "\n")));
        var ranges = AuditLogRange.Cut(path, 300);
        Assert.Equal(10, ranges.Count);
        var merged = new List<long>();
        var (console, stdout, stderr) = NewConsole();
        var run = new BlockRun<List<long>>(
            new InputSource("lines.log", 3000, () => throw new InvalidOperationException(), path),
            ranges,
            workers: 2,
            console,
            console.Out,
            () => new List<long>(),
            (reader, block, output, cancel) =>
            {
                while (reader.Read(cancel))
                {
                    block.Add(reader.Current.Offset);
                    output.WriteLine("at line ", reader.Current.LineNumber, ".");
                    if (reader.Current.Offset == ranges[5].Offset)
                    {
                        throw new IOException("the disk went away");
                    }
                }
            },
            (block, range) =>
            {
                Assert.Equal(range.Offset, block[0]);
                merged.AddRange(block);
            });

        Assert.False(run.Run());
        console.Out.Flush();
        Assert.Equal(Enumerable.Range(1, 16).Select(n => $"at line {n}."), stdout.Text.TrimEnd().Split('\n'));
        Assert.Equal(Enumerable.Range(0, 16).Select(n => 100L * n), merged); // the failed block's line too, nothing after it
        Assert.Equal($"virtaudit: lines.log: read failed after {ranges[5].Offset + 100} bytes: the disk went away", stderr.Text.TrimEnd());
        Assert.Equal(ranges[5].Offset + 100, run.BytesRead);
    }

    [Fact]
    public void Two_workers_read_two_blocks_at_the_same_time()
    {
        var ranges = AuditLogRange.Cut(Repository.Libvirt90AuditLog, 4096);
        using var both = new Barrier(2);
        var met = 0;
        var (console, _, _) = NewConsole();
        var run = new BlockRun<object>(
            new InputSource("audit.log", 0, () => throw new InvalidOperationException(), Repository.Libvirt90AuditLog),
            ranges,
            workers: 2,
            console,
            console.Out,
            () => new object(),
            (reader, _, _, cancel) =>
            {
                // The first block of each thread waits for the other thread's: only two readers at once get past.
                if (Interlocked.Increment(ref met) <= 2)
                {
                    Assert.True(both.SignalAndWait(TimeSpan.FromSeconds(30)), "the second worker never read a block");
                }

                while (reader.Read(cancel))
                {
                }
            },
            (_, _) => { });
        Assert.Equal(2, run.Workers);
        Assert.True(run.Run());
        Assert.Equal(new FileInfo(Repository.Libvirt90AuditLog).Length, run.BytesRead);
    }

    [Fact]
    public void Cancellation_stops_every_worker_and_is_thrown()
    {
        using var cancel = new CancellationTokenSource();
        var path = Path.Combine(_folder, "twice.log");
        File.WriteAllBytes(path, [.. File.ReadAllBytes(Repository.Libvirt90AuditLog), .. File.ReadAllBytes(Repository.Libvirt90AuditLog)]);
        var (console, _, _) = NewConsole(cancel.Token);
        var blocks = 0;
        var run = new BlockRun<object>(
            new InputSource("twice.log", 0, () => throw new InvalidOperationException(), path),
            AuditLogRange.Cut(path, 1000),
            workers: 2,
            console,
            console.Out,
            () => new object(),
            (reader, _, _, token) =>
            {
                if (Interlocked.Increment(ref blocks) == 5)
                {
                    cancel.Cancel();
                }

                while (reader.Read(token))
                {
                }
            },
            (_, _) => { });
        Assert.ThrowsAny<OperationCanceledException>(() => run.Run());
        Assert.True(blocks < AuditLogRange.Cut(path, 1000).Count);
    }

    // Runs with one worker and with two, and asserts the same stdout, stderr and exit code.
    private static CliResult AssertAlike(string[] args, int blockBytes)
    {
        var one = Run(args, workers: 1, blockBytes);
        var two = Run(args, workers: 2, blockBytes);
        Assert.Equal(one.Stdout, two.Stdout);
        Assert.Equal(one.Stderr.Split('\n').Where(l => !l.StartsWith("stats:", StringComparison.Ordinal)), two.Stderr.Split('\n').Where(l => !l.StartsWith("stats:", StringComparison.Ordinal)));
        Assert.Equal(one.Code, two.Code);
        return two;
    }

    private static CliResult Run(string[] args, int workers, int blockBytes) =>
        Cli.Run(
            new Cli.Options
            {
                Environment = new()
                {
                    [BlockSettings.WorkersVariable] = workers.ToString(CultureInfo.InvariantCulture),
                    [BlockSettings.BlockBytesVariable] = blockBytes.ToString(CultureInfo.InvariantCulture),
                },
            },
            args);

    private static (CliConsole Console, SyncStream Stdout, SyncStream Stderr) NewConsole(CancellationToken cancellation = default)
    {
        var stdout = new SyncStream();
        var stderr = new SyncStream();
        return (new CliConsole(() => Stream.Null, stdout, stderr, _ => null) { Cancellation = cancellation }, stdout, stderr);
    }

    // The corpus, the generator's logs in every rendering (with node= prefixes), libvirt's and KubeVirt's daemon logs,
    // and the hard lines of BoundaryLogs last (they end without a line feed).
    private static string MixedLog()
    {
        var text = new StringBuilder();
        text.Append(File.ReadAllText(Repository.Libvirt90AuditLog));
        foreach (var rendering in Enum.GetValues<LogRendering>())
        {
            var (log, _) = AuditLogGenerator.Generate(new LogGeneratorOptions { Lines = 400, Seed = 3 + (int)rendering, Rendering = rendering, NodeShare = 0.2 });
            text.Append(Encoding.UTF8.GetString(log));
        }

        text.Append(File.ReadAllText(Repository.Corpus("libvirt-9.0/daemon-logs/libvirtd.log")));
        text.Append(File.ReadAllText(Repository.Corpus("libvirt-9.0/daemon-logs/virt-launcher.log")));
        text.Append(BoundaryLogs.Hard());
        return text.ToString();
    }
}
