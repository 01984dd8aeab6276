using System.Globalization;
using System.Text;

namespace VirtAudit.Cli.Tests;

/// <summary><c>virtaudit timeline</c> and <c>stats</c>, checked against the records themselves.</summary>
public sealed class TimelineAndStatsTests
{
    private static readonly Guid Auditvm1 = Guid.Parse("6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8");

    [Fact]
    public void Timeline_of_auditvm1_tells_the_story_the_records_tell()
    {
        // Expectations derived from the records through the library, not written by eye.
        var expected = new List<string>();
        var pending = new List<string>();
        AuditStamp? runStart = null;
        string? runPid = null;
        int starts = 0, failedStarts = 0, stops = 0, changes = 0, failedChanges = 0;
        using (var reader = AuditLogReader.Open(Cli.Corpus))
        {
            while (reader.Read())
            {
                var record = reader.Current.Record;
                if (!record.IsTyped)
                {
                    continue;
                }

                var time = Iso(record.Stamp);
                var failed = !record.Virt.Trailer.Success;
                if (record.TryGet(out VirtControl control) && control.Uuid == Auditvm1)
                {
                    var pid = control.VmPid!.Value.ToString(CultureInfo.InvariantCulture);
                    if (control.Op == VirtOp.Start)
                    {
                        starts++;
                        failedStarts += failed ? 1 : 0;
                        expected.Add($"{time}  start {control.Reason} pid={pid} res={(failed ? "failed" : "success")}{(failed ? "  FAILED" : string.Empty)}");
                        expected.Add($"  resources at start: {string.Join(", ", pending)}");
                        pending.Clear();
                        if (!failed)
                        {
                            runStart = record.Stamp;
                            runPid = pid;
                        }
                    }
                    else
                    {
                        stops++;
                        var ms = ((record.Stamp.Seconds - runStart!.Value.Seconds) * 1000) + record.Stamp.Milliseconds - runStart.Value.Milliseconds;
                        expected.Add($"{time}  stop {control.Reason} ran={(ms / 1000m).ToString("0.000", CultureInfo.InvariantCulture)}s run_pid={runPid} pid={pid}");
                        runStart = null;
                    }
                }
                else if (record.TryGet(out VirtResourceDisk disk) && disk.Uuid == Auditvm1)
                {
                    if (disk.Reason == VirtResourceReason.Start)
                    {
                        pending.Add("disk=" + disk.NewDisk);
                    }
                    else
                    {
                        changes++;
                        failedChanges += failed ? 1 : 0;
                        var change = disk.Reason == VirtResourceReason.Attach ? disk.NewDisk.ToString()
                            : disk.Reason == VirtResourceReason.Detach ? disk.OldDisk.ToString()
                            : $"{disk.OldDisk} -> {disk.NewDisk}";
                        expected.Add($"{time}  {disk.Reason} disk {change}{(failed ? "  FAILED" : string.Empty)}");
                    }
                }
                else if (record.TryGet(out VirtResourceMem mem) && mem.Uuid == Auditvm1)
                {
                    if (mem.Reason == VirtResourceReason.Start)
                    {
                        pending.Add($"mem={mem.NewMem}KiB");
                    }
                    else
                    {
                        changes++;
                        expected.Add($"{time}  {mem.Reason} mem {mem.OldMem}KiB -> {mem.NewMem}KiB");
                    }
                }
                else if (record.TryGet(out VirtResourceVcpu vcpu) && vcpu.Uuid == Auditvm1)
                {
                    if (vcpu.Reason == VirtResourceReason.Start)
                    {
                        pending.Add($"vcpu={vcpu.NewVcpu}");
                    }
                    else
                    {
                        changes++;
                        expected.Add($"{time}  {vcpu.Reason} vcpu {vcpu.OldVcpu} -> {vcpu.NewVcpu}");
                    }
                }
                else if (record.Virt.Variant!.Name is var name && Uuid(record) == Auditvm1 && record.TypeNumber == 2501)
                {
                    var reason = Field(record, "reason");
                    if (reason is "attach" or "detach" or "update" or "mirror" or "snapshot")
                    {
                        changes++;
                        failedChanges += failed ? 1 : 0;
                    }
                }
            }
        }

        var (code, stdout, _) = Cli.Run("timeline", "--vm", "auditvm1", Cli.Corpus);
        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("guest auditvm1 uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 virt=qemu", lines[0]);
        Assert.Equal($"summary: starts={starts} failed_starts={failedStarts} stops={stops} changes={changes} failed_changes={failedChanges}", lines[^1]);
        Assert.Equal((4, 1, 3), (starts, failedStarts, stops));

        // Every expected line appears, in order; the start resource lists hold at least the disks, memory and vCPUs.
        var at = 0;
        foreach (var line in expected)
        {
            if (line.StartsWith("  resources at start: ", StringComparison.Ordinal))
            {
                var actual = lines[at++];
                Assert.StartsWith("  resources at start: ", actual, StringComparison.Ordinal);
                var items = actual.Substring("  resources at start: ".Length).Split(", ");
                Assert.All(line.Substring("  resources at start: ".Length).Split(", "), item => Assert.Contains(item, items));
                continue;
            }

            var found = Array.IndexOf(lines, line, at);
            Assert.True(found >= 0, $"missing or out of order: {line}\n{stdout}");
            at = found + 1;
        }

        // A failed operation stands out, and the timeline by UUID is the same story.
        Assert.Equal(failedStarts + failedChanges, lines.Count(l => l.EndsWith("  FAILED", StringComparison.Ordinal)));
        Assert.Equal(stdout, Cli.Run("timeline", "--uuid", Auditvm1.ToString(), Cli.Corpus).Stdout);
    }

    [Fact]
    public void A_renamed_guest_is_followed_by_its_uuid_and_a_reused_name_is_another_guest()
    {
        var start = "type=VIRT_CONTROL msg=audit(1700000000.000:1): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='virt=kvm op=start reason=booted vm=\"{0}\" uuid={1} vm-pid=42 exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success'";
        var a = "11111111-2222-4333-8444-555555555555";
        var b = "99999999-2222-4333-8444-555555555555";
        var lines = new[]
        {
            string.Format(CultureInfo.InvariantCulture, start, "old-name", a),
            string.Format(CultureInfo.InvariantCulture, start, "web1", a).Replace("1700000000.000:1", "1700000100.000:2", StringComparison.Ordinal),
            string.Format(CultureInfo.InvariantCulture, start, "web1", b).Replace("1700000000.000:1", "1700000200.000:3", StringComparison.Ordinal),
            string.Format(CultureInfo.InvariantCulture, start, "other", "77777777-2222-4333-8444-555555555555"),
        };
        var dir = Directory.CreateTempSubdirectory("virtaudit-timeline-").FullName;
        try
        {
            var file = Path.Combine(dir, "audit.log");
            File.WriteAllText(file, string.Join("\n", lines) + "\n");
            var (code, stdout, _) = Cli.Run("timeline", "--vm", "web1", file);
            Assert.Equal(0, code);
            Assert.Contains("guest old-name uuid=" + a, stdout, StringComparison.Ordinal);
            Assert.Contains("renamed old-name -> web1", stdout, StringComparison.Ordinal);
            Assert.Contains("guest web1 uuid=" + b, stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("other", stdout, StringComparison.Ordinal);
            Assert.Equal(3, stdout.Split('\n').Count(l => l.Contains("  start booted", StringComparison.Ordinal)));

            // From a pipe there is one pass: the guest is known from its first record under the name.
            var piped = Cli.Run(File.ReadAllBytes(file), "timeline", "--vm", "web1", "-").Stdout;
            Assert.DoesNotContain("old-name", piped, StringComparison.Ordinal);
            Assert.Equal(2, piped.Split('\n').Count(l => l.Contains("  start booted", StringComparison.Ordinal)));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("--vm a --uuid 6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8")]
    public void Timeline_needs_exactly_one_of_vm_and_uuid(string options)
    {
        var (code, stdout, stderr) = Cli.Run(["timeline", .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries), Cli.Corpus]);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("exactly one of --vm NAME and --uuid UUID", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Stats_counts_match_the_records_and_its_golden_file()
    {
        var (code, stdout, _) = Cli.Run("stats", Cli.Corpus);
        Assert.Equal(0, code);
        Golden.Verify("stats.txt", Golden.Relative(stdout));

        var types = new Dictionary<string, int>();
        var failed = 0;
        var guests = new HashSet<Guid>();
        using (var reader = AuditLogReader.Open(Cli.Corpus))
        {
            while (reader.Read())
            {
                var record = reader.Current.Record;
                if (!record.IsVirt)
                {
                    continue;
                }

                var type = Encoding.UTF8.GetString(record.TypeName.Span);
                types[type] = types.GetValueOrDefault(type) + 1;
                failed += record.Virt.Trailer.Success ? 0 : 1;
                guests.Add(Uuid(record));
            }
        }

        var lines = stdout.Split('\n');
        Assert.Equal("types:" + string.Concat(types.OrderByDescending(t => t.Value).Select(t => $" {t.Key}={t.Value}")), lines.Single(l => l.StartsWith("types:", StringComparison.Ordinal)));
        Assert.Equal($"failures: {failed}", lines.Single(l => l.StartsWith("failures:", StringComparison.Ordinal)));
        Assert.Equal($"guests: {guests.Count}", lines.Single(l => l.StartsWith("guests:", StringComparison.Ordinal)));
        Assert.Contains("first: 2026-11-24T17:52:12.200Z", lines);
        Assert.Contains("last: 2026-11-24T17:58:43.288Z", lines);
        Assert.Contains(lines, l => l.StartsWith("  0e9d8c7b-6a59-4847-a635-241302f1e0d9  audit-vm2 \"test\"  records=", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_command_reads_the_embedded_sample_when_given_nothing()
    {
        foreach (var args in new[] { new[] { "stats" }, new[] { "timeline", "--vm", "auditvm1" } })
        {
            var (code, stdout, stderr) = Cli.Run(args);
            Assert.Equal(0, code);
            Assert.Contains("embedded sample", stderr, StringComparison.Ordinal);
            Assert.Equal(Cli.Run([.. args, Cli.Corpus]).Stdout.Replace(Cli.Corpus, "<embedded sample>", StringComparison.Ordinal), stdout);
        }
    }

    private static string Iso(AuditStamp stamp) => stamp.ToDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static Guid Uuid(in AuditLogRecord record) => Guid.Parse(Field(record, "uuid")!);

    private static string? Field(in AuditLogRecord record, string name)
    {
        foreach (var field in record.Fields)
        {
            if (field.IsInner && Encoding.UTF8.GetString(field.Name.Span) == name)
            {
                return Encoding.UTF8.GetString(field.Value.Span);
            }
        }

        return null;
    }
}
