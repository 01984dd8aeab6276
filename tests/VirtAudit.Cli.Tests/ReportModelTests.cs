using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using VirtAudit.Cli.Report;
using VirtAudit.LogGenerator;
using VirtAudit.Testing;

namespace VirtAudit.Cli.Tests;

/// <summary>
/// The report's model against the real capture: each guest's runs, their reasons, the resource set at each start and
/// what changed between starts, names, labels and failures, computed here again from the log's text with a parser of
/// the test's own (regular expressions over the lines, not the library's reader) and compared.
/// </summary>
public sealed class ReportModelTests
{
    private static readonly string[] Scalars = ["mem", "vcpu", "iothread"];

    internal static ReportModel Model(ReportLimits? limits, params string[] files)
    {
        var console = new CliConsole(() => Stream.Null, new MemoryStream(), new MemoryStream());
        return ReportCommand.Build(Inputs.Resolve(files, console), limits ?? new ReportLimits(), console, out _);
    }

    [Fact]
    public void Each_guest_s_runs_reasons_and_resource_sets_match_the_records()
    {
        var expected = Expect(Repository.Libvirt90AuditLog);
        var model = Model(null, Repository.Libvirt90AuditLog);
        Assert.Equal(expected.Count, model.Guests.Count);
        Assert.Equal(5, model.Guests.Count);
        foreach (var g in model.Guests)
        {
            var e = expected[g.Uuid];
            Assert.Equal(e.Names, g.Names);
            Assert.Equal(e.Starts, g.Starts);
            Assert.Equal(e.Failed, g.FailedOperations);
            Assert.Equal(e.Runs.Count, g.Runs.Count);
            for (var i = 0; i < e.Runs.Count; i++)
            {
                var (start, startFailed, stop) = e.Runs[i];
                var run = g.Runs[i];
                Assert.Equal(start, run.StartReason);
                Assert.Equal(startFailed, run.StartFailed);
                Assert.Equal(stop, run.StopReason);
                AssertSet(e.Sets[i], run.Resources, g.Uuid + " run " + run.Number);
                Assert.Equal(i > 0, run.HasPreviousStart);
                if (i > 0)
                {
                    Assert.Equal(ExpectedDiff(e.Sets[i - 1], e.Sets[i], e.Composite), Actual(run.ChangesSincePreviousStart, e.Composite));
                }
            }

            Assert.Equal(e.Labels.OrderBy(l => l.Key).Select(l => l.Key + "=" + l.Value), g.Labels.Select(l => $"{l.Model}|{l.VmCtx}|{l.ImgCtx}={l.Count}").Order());
        }

        // The capture's own story (spec corpus notes): auditvm1 failed to start once, and its runs changed resources.
        var vm1 = model.Guests.Single(g => g.Names.Contains("auditvm1"));
        Assert.Contains(vm1.Runs, r => r.StartFailed);
        Assert.Contains(vm1.Runs, r => r.ChangesSincePreviousStart.Count > 0);
        Assert.Contains(model.Guests, g => g.Names.SequenceEqual(["audit-vm2 \"test\""]));
    }

    [Fact]
    public void The_overview_counts_what_the_input_holds()
    {
        var lines = File.ReadAllLines(Repository.Libvirt90AuditLog);
        var model = Model(null, Repository.Libvirt90AuditLog);
        var input = Assert.Single(model.Inputs);
        Assert.Equal(lines.Length, input.Lines);
        Assert.Equal(input.Lines, input.Records + input.Errors + input.LinesSkipped + input.LinesJoined);
        var types = lines.Select(l => Regex.Match(l, @"^type=(\S+) ").Groups[1].Value).GroupBy(t => t).ToDictionary(t => t.Key, t => (long)t.Count());
        Assert.Equal(types.OrderBy(t => t.Key), model.Types.ToDictionary(t => t.Key, t => t.Count).OrderBy(t => t.Key));
        var stamps = lines.Select(l => Regex.Match(l, @"audit\((\d+)\.(\d{3}):")).Select(m => (long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 1000) + int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Iso(stamps.Min()), model.FirstTime);
        Assert.Equal(Iso(stamps.Max()), model.LastTime);
        var virt = lines.Where(l => l.StartsWith("type=VIRT_", StringComparison.Ordinal)).ToList();
        Assert.Equal(virt.Count, model.VirtRecords);
        Assert.Equal(virt.Count(l => l.Contains("res=failed'", StringComparison.Ordinal)), model.FailureCount);
        Assert.Equal(model.FailureCount, model.Failures.Count);
        Assert.All(model.Failures, f => Assert.Contains("res=failed", lines[f.Line - 1], StringComparison.Ordinal));
        Assert.Equal(model.Records, model.Renderings.Sum(r => r.Count));
        Assert.Empty(model.Summaries);
        Assert.Equal(0, model.ParseErrorCount);
        Assert.Equal(0, model.NotSentCount);
    }

    [Fact]
    public void Hosts_come_from_node_and_a_gzip_input_reads_as_the_plain_one()
    {
        var dir = Directory.CreateTempSubdirectory("virtaudit-report-node-");
        try
        {
            // The capture as two hosts forwarded it: node=hv1 on the first half of the lines, node=hv2 on the rest.
            var lines = File.ReadAllLines(Repository.Libvirt90AuditLog);
            var half = lines.Length / 2;
            var nodes = Path.Combine(dir.FullName, "nodes.log.gz");
            using (var gz = new System.IO.Compression.GZipStream(File.Create(nodes), System.IO.Compression.CompressionLevel.Fastest))
            using (var writer = new StreamWriter(gz))
            {
                for (var i = 0; i < lines.Length; i++)
                {
                    writer.Write((i < half ? "node=hv1 " : "node=hv2 ") + lines[i] + "\n");
                }
            }

            var model = Model(null, nodes);
            Assert.Equal([("hv2", (long)(lines.Length - half)), ("hv1", (long)half)], model.Hosts.Select(h => (h.Key, h.Count)));
            var plain = Model(null, Repository.Libvirt90AuditLog);
            Assert.Equal(plain.Records, model.Records);
            Assert.Equal(plain.Guests.Select(g => g.Uuid), model.Guests.Select(g => g.Uuid));
            foreach (var (p, n) in plain.Guests.Zip(model.Guests))
            {
                Assert.Equal(p.Runs.Select(r => (r.StartReason, r.StopReason, r.Resources.Count)), n.Runs.Select(r => (r.StartReason, r.StopReason, r.Resources.Count)));
                var lineNumbers = lines.Select((l, i) => (l, i + 1)).Where(x => x.l.Contains("uuid=" + p.Uuid, StringComparison.Ordinal)).Select(x => x.Item2).ToList();
                var expectedHosts = new List<string>();
                if (lineNumbers.Any(i => i <= half))
                {
                    expectedHosts.Add("hv1");
                }

                if (lineNumbers.Any(i => i > half))
                {
                    expectedHosts.Add("hv2");
                }

                Assert.Equal(expectedHosts, n.Hosts);
            }
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void A_daemon_log_gives_the_same_runs_and_the_records_that_never_reached_the_kernel()
    {
        var log = Path.Combine(Path.GetDirectoryName(Repository.Libvirt90AuditLog)!, "daemon-logs", "virt-launcher.log");
        var lines = File.ReadAllLines(log);
        var model = Model(new ReportLimits { MaxListed = 100 }, log);
        var audit = Model(null, Repository.Libvirt90AuditLog);
        var notSent = lines.Count(l => l.Contains("Failed to send audit message", StringComparison.Ordinal));
        Assert.True(notSent > 0);
        Assert.Equal(notSent, model.NotSentCount);
        Assert.Equal(notSent, model.Guests.Sum(g => g.NotSent));
        Assert.Equal(100, model.NotSent.Count);
        Assert.All(model.NotSent, r => Assert.Contains("uuid=" + r.Guest, lines[r.Line - 1], StringComparison.Ordinal));
        Assert.Contains($"{notSent} records not sent to the kernel: the first 100 are listed.", model.Summaries);

        // The same guests went through the same runs with the same resources: KubeVirt's log of the capture.
        Assert.Equal(audit.Guests.Select(g => g.Uuid), model.Guests.Select(g => g.Uuid));
        var expected = Expect(log);
        foreach (var g in model.Guests)
        {
            var e = expected[g.Uuid];
            Assert.Equal(e.Names, g.Names);
            Assert.Equal(e.Failed, g.FailedOperations);
            Assert.Equal(e.Runs, g.Runs.Select(r => (r.StartReason, r.StartFailed, r.StopReason)));
            for (var i = 0; i < e.Runs.Count; i++)
            {
                AssertSet(e.Sets[i], g.Runs[i].Resources, g.Uuid + " run " + g.Runs[i].Number);
            }
        }

        // Where KubeVirt's log and audit.log tell of the same run, the report says the same of both.
        var vm1 = audit.Guests.Single(g => g.Names.Contains("auditvm1"));
        Assert.Equal(vm1.Runs.Select(RunText), model.Guests.Single(g => g.Uuid == vm1.Uuid).Runs.Select(RunText));

        static string RunText(RunReport r) =>
            $"{r.StartReason} {r.StartFailed} {r.StopReason} [{string.Join(", ", r.Resources.Select(x => x.Kind + "=" + x.Value))}] ({string.Join(", ", r.ChangesSincePreviousStart.Select(c => c.Change + c.Kind + c.Old + c.New))})";
    }

    [Fact]
    public void A_long_history_is_summarised_within_the_limits_and_says_so()
    {
        var path = Path.Combine(Path.GetTempPath(), $"virtaudit-report-long-{Guid.NewGuid():N}.log");
        try
        {
            using (var file = File.Create(path))
            {
                AuditLogGenerator.Write(file, new LogGeneratorOptions { Lines = 120_000, Seed = 7, Guests = 12, VirtShare = 0.8 });
            }

            var uuids = File.ReadLines(path).Select(l => Regex.Match(l, "uuid=([0-9a-f-]{36})")).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct().ToList();
            var limits = new ReportLimits { MaxGuests = 5, MaxEventsPerGuest = 40, MaxRunsPerGuest = 10, MaxListed = 15 };
            var full = Model(new ReportLimits { MaxGuests = 1000, MaxEventsPerGuest = 1_000_000, MaxRunsPerGuest = 1_000_000 }, path);
            var capped = Model(limits, path);

            Assert.Equal(uuids.Count, capped.GuestCount);
            Assert.Equal(5, capped.Guests.Count);
            Assert.True(capped.GuestRecordsOmitted > 0);
            Assert.Equal(full.VirtRecords, capped.VirtRecords);
            Assert.Contains(capped.Summaries, s => s.Contains("More guests than 5", StringComparison.Ordinal));
            foreach (var g in capped.Guests)
            {
                var whole = full.Guests.Single(f => f.Uuid == g.Uuid);
                Assert.True(g.Events.Count <= 40, $"{g.Events.Count} events kept");
                Assert.True(g.Runs.Count <= 10, $"{g.Runs.Count} runs kept");
                Assert.Equal(whole.Events.Count, g.Events.Count + g.EventsOmitted);
                Assert.Equal(whole.Runs.Count, g.Runs.Count + g.RunsOmitted);
                Assert.Equal(whole.Starts, g.Starts);
                Assert.Equal(g.EventsOmitted, g.EventsOmittedByKind.Sum(k => k.Count));

                // The first and the last halves are kept, in order.
                var ids = whole.Events.Select(e => e.Id).ToList();
                Assert.Equal(ids.Take(20).Concat(ids.Skip(ids.Count - 20)), g.Events.Select(e => e.Id));
                Assert.Equal(whole.Runs.Skip(whole.Runs.Count - 5).Select(r => r.Number), g.Runs.Skip(5).Select(r => r.Number));
                Assert.All(g.Runs, r => Assert.True(r.StartEvent is null || g.Events.Any(e => e.Id == r.StartEvent)));
            }

            var cut = capped.Guests.Count(g => g.EventsOmitted > 0);
            Assert.True(cut > 0);
            Assert.Contains($"{cut} guests have more than 40 events", string.Join("\n", capped.Summaries), StringComparison.Ordinal);
            Assert.True(capped.Failures.Count <= 15);
            Assert.All([capped.Failures, capped.NotSent, capped.CutRecords, capped.ParseErrors], l => Assert.True(l.Count <= 15));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_json_format_writes_the_model()
    {
        var dir = Directory.CreateTempSubdirectory("virtaudit-report-json-");
        try
        {
            var path = Path.Combine(dir.FullName, "r.json");
            var result = Cli.Run("report", "--format", "json", "-o", path, Repository.Libvirt90AuditLog);
            Assert.True(result.Code == 0, result.Stderr);
            Assert.Contains("wrote the JSON report", result.Stderr, StringComparison.Ordinal);
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(path));
            var model = Model(null, Repository.Libvirt90AuditLog);
            var guests = doc.RootElement.GetProperty("guests");
            Assert.Equal(model.Guests.Count, guests.GetArrayLength());
            var vm1 = guests.EnumerateArray().Single(g => g.GetProperty("names")[0].GetString() == "auditvm1");
            Assert.Equal(Expect(Repository.Libvirt90AuditLog)["6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8"].Runs.Count, vm1.GetProperty("runs").GetArrayLength());
            Assert.Equal("booted", vm1.GetProperty("runs")[0].GetProperty("startReason").GetString());
            Assert.Equal(model.Records, doc.RootElement.GetProperty("records").GetInt64());

            // Standard output with -o -.
            var stdout = Cli.Run("report", "--format", "json", "-o", "-", Repository.Libvirt90AuditLog);
            Assert.Equal(0, stdout.Code);
            Assert.Equal(File.ReadAllText(path), stdout.Stdout);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    // ---- the test's own reading of the log ----

    internal sealed class Expected
    {
        public List<string> Names { get; } = new();

        public long Starts { get; set; }

        public long Failed { get; set; }

        public List<(string? Start, bool StartFailed, string? Stop)> Runs { get; } = new();

        public List<List<(string Kind, string? Value, string[] Parts)>> Sets { get; } = new();

        public List<(string Kind, string? Value, string[] Parts)> Pending { get; set; } = new();

        public bool Open { get; set; }

        public Dictionary<string, int> Labels { get; } = new();

        public HashSet<string> Composite { get; } = new();
    }

    /// <summary>
    /// Reads every VIRT record's inner fields with regular expressions and replays the guests' lives: the records of an
    /// audit.log, or the <c>success=</c> messages of KubeVirt's virt-launcher log (its JSON <c>msg</c>).
    /// </summary>
    internal static Dictionary<string, Expected> Expect(string path)
    {
        var guests = new Dictionary<string, Expected>();
        foreach (var line in File.ReadLines(path))
        {
            string type, payload;
            var m = Regex.Match(line, @"^type=(VIRT_\w+) msg=audit\([^)]*\): .*? msg='([^']*)'");
            var d = Regex.Match(line, "\"msg\":\"success=(yes|no) (.*?)\",\"pos\"");
            if (m.Success)
            {
                (type, payload) = (m.Groups[1].Value, m.Groups[2].Value);
            }
            else if (d.Success)
            {
                payload = d.Groups[2].Value.Replace("\\\"", "\"", StringComparison.Ordinal) + (d.Groups[1].Value == "no" ? " res=failed" : " res=success");
                type = payload.Contains(" op=", StringComparison.Ordinal) ? "VIRT_CONTROL" : payload.Contains(" resrc=", StringComparison.Ordinal) ? "VIRT_RESOURCE" : "VIRT_MACHINE_ID";
            }
            else
            {
                continue;
            }

            var fields = new List<(string Name, string? Value)>();
            foreach (Match f in Regex.Matches(payload, "([a-z-]+)=(\"[^\"]*\"|\\S+)"))
            {
                fields.Add((f.Groups[1].Value, f.Groups[2].Value));
            }

            var resrc = Field(fields, "resrc");
            string? Get(string name) => Decode(name, Field(fields, name), resrc);
            var uuid = Get("uuid")!;
            if (!guests.TryGetValue(uuid, out var g))
            {
                guests[uuid] = g = new Expected();
            }

            if (Get("vm") is { } vm && !g.Names.Contains(vm))
            {
                g.Names.Add(vm);
            }

            var failed = Get("res") == "failed";
            g.Failed += failed ? 1 : 0;
            var reason = Get("reason");
            switch (type)
            {
                case "VIRT_CONTROL" when Get("op") == "start":
                    g.Starts++;
                    g.Runs.Add((reason, failed, null));
                    g.Sets.Add(g.Pending);
                    g.Pending = new();
                    g.Open = !failed;
                    break;
                case "VIRT_CONTROL" when Get("op") == "stop":
                    if (g.Open)
                    {
                        g.Runs[^1] = (g.Runs[^1].Start, false, reason);
                    }
                    else
                    {
                        g.Runs.Add((null, false, reason));
                    }

                    g.Open = false;
                    g.Pending.Clear();
                    break;
                case "VIRT_RESOURCE" when reason == "start" && !failed:
                    if (fields.Any(f => f.Name == "new-" + resrc))
                    {
                        var value = Get("new-" + resrc);
                        if (value is not null)
                        {
                            g.Pending.Add((resrc!, resrc == "mem" ? value + " KiB" : value, []));
                        }
                    }
                    else
                    {
                        g.Composite.Add(resrc!);
                        var skip = new[] { "virt", "resrc", "reason", "vm", "uuid", "exe", "hostname", "addr", "terminal", "res" };
                        g.Pending.Add((resrc!, null, fields.Where(f => !skip.Contains(f.Name)).Select(f => Decode(f.Name, f.Value, resrc) ?? "?").ToArray()));
                    }

                    break;
                case "VIRT_MACHINE_ID":
                    var key = $"{Get("model")}|{Get("vm-ctx")}|{Get("img-ctx")}";
                    g.Labels[key] = g.Labels.GetValueOrDefault(key) + 1;
                    break;
            }
        }

        return guests;
    }

    private static string? Field(List<(string Name, string? Value)> fields, string name) => fields.FirstOrDefault(f => f.Name == name).Value;

    /// <summary>Quotes removed, <c>?</c> none, and the hex form of the fields libvirt encodes (spec §4, §8) decoded.</summary>
    private static string? Decode(string name, string? raw, string? resrc)
    {
        if (raw is null or "?" or "\"?\"")
        {
            return null;
        }

        if (raw.Length > 1 && raw[0] == '"' && raw[^1] == '"')
        {
            return raw[1..^1];
        }

        var encoded = name is "vm" or "device" || ((name.StartsWith("old-", StringComparison.Ordinal) || name.StartsWith("new-", StringComparison.Ordinal)) && !Scalars.Contains(resrc));
        return encoded && Regex.IsMatch(raw, "^([0-9A-F]{2})+$") ? Encoding.UTF8.GetString(Convert.FromHexString(raw)) : raw;
    }

    private static void AssertSet(List<(string Kind, string? Value, string[] Parts)> expected, List<ResourceItem> actual, string where)
    {
        Assert.True(expected.Count == actual.Count, $"{where}: {expected.Count} resources expected, {actual.Count} in the report");
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Kind, actual[i].Kind);
            if (expected[i].Value is { } value)
            {
                Assert.Equal(value, actual[i].Value);
            }
            else
            {
                Assert.All(expected[i].Parts, p => Assert.Contains(p, actual[i].Value, StringComparison.Ordinal));
            }
        }
    }

    private static string Key((string Kind, string? Value, string[] Parts) r) => r.Kind + "|" + (r.Value ?? "*" + string.Join(",", r.Parts));

    private static List<string> ExpectedDiff(List<(string Kind, string? Value, string[] Parts)> before, List<(string Kind, string? Value, string[] Parts)> after, HashSet<string> composite)
    {
        var changes = new List<string>();
        foreach (var kind in Scalars)
        {
            var b = before.Where(r => r.Kind == kind).Select(r => r.Value).FirstOrDefault();
            var a = after.Where(r => r.Kind == kind).Select(r => r.Value).FirstOrDefault();
            if (a != b)
            {
                changes.Add(b is null ? $"added {kind} {a}" : a is null ? $"removed {kind} {b}" : $"changed {kind} {b} {a}");
            }
        }

        var left = before.Where(r => !Scalars.Contains(r.Kind)).Select(Key).ToList();
        foreach (var key in after.Where(r => !Scalars.Contains(r.Kind)).Select(Key))
        {
            if (!left.Remove(key))
            {
                changes.Add("added " + Shown(key));
            }
        }

        changes.AddRange(left.Select(k => "removed " + Shown(k)));
        changes.Sort(StringComparer.Ordinal);
        return changes;

        string Shown(string key) => composite.Contains(key.Split('|')[0]) ? key.Split('|')[0] + " *" : key.Replace('|', ' ');
    }

    private static List<string> Actual(List<ResourceChange> changes, HashSet<string> composite)
    {
        var list = changes.Select(c => composite.Contains(c.Kind) ? $"{c.Change} {c.Kind} *" : c.Change == "changed" ? $"changed {c.Kind} {c.Old} {c.New}" : $"{c.Change} {c.Kind} {c.Old ?? c.New}").ToList();
        list.Sort(StringComparer.Ordinal);
        return list;
    }

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
