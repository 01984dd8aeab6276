using System.Text;
using System.Text.Json;

namespace VirtAudit.Cli.Tests;

/// <summary><c>virtaudit parse</c>: the output contract, formats, filters, errors.</summary>
public sealed class ParseCommandTests : IDisposable
{
    private const string Disk = "type=VIRT_RESOURCE msg=audit(1715510879.951:5010): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm resrc=disk reason=attach vm=77696E203131 uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-disk=\"?\" new-disk=2F7661722F6C69622F6C6962766972742F696D616765732F6120622E71636F7732 exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=failed'";
    private const string Syscall = "node=kvm7 type=SYSCALL msg=audit(1715510879.951:5011): arch=c000003e syscall=16 success=yes exit=0 a0=25 items=0 ppid=1 pid=8208 auid=4294967295 uid=0 comm=\"rpc-libvirtd\" exe=\"/usr/sbin/libvirtd\" key=(null)";
    private const string Journald = "VIRT_CONTROL pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=unconfined msg='virt=kvm op=stop reason=destroyed vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-pid=0 exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success'";

    private readonly string _dir = Directory.CreateTempSubdirectory("virtaudit-parse-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("table", "parse.table.txt")]
    [InlineData("jsonl", "parse.jsonl")]
    [InlineData("ecs", "parse.ecs.ndjson")]
    public void The_corpus_in_every_format_matches_its_golden_file(string format, string golden)
    {
        var (code, stdout, stderr) = Cli.Run("parse", "--format", format, Cli.Corpus);
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        Golden.Verify(golden, Golden.Relative(stdout));
    }

    [Fact]
    public void All_records_of_the_corpus_as_jsonl_match_their_golden_file()
    {
        var (code, stdout, _) = Cli.Run("parse", "--all", "--format", "jsonl", Cli.Corpus);
        Assert.Equal(0, code);
        Golden.Verify("parse.all.jsonl", stdout);
    }

    [Fact]
    public void Jsonl_gives_one_object_per_record_with_the_contract_checked_against_the_reader()
    {
        var (code, stdout, _) = Cli.Run("parse", "--all", "--format", "jsonl", Cli.Corpus);
        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        using var reader = AuditLogReader.Open(Cli.Corpus);
        var i = 0;
        while (reader.Read())
        {
            ref readonly var item = ref reader.Current;
            Assert.False(item.IsError);
            var record = item.Record;
            using var json = JsonDocument.Parse(lines[i++]);
            var o = json.RootElement;
            Assert.Equal(["line", "offset", "rendering", "node", "type", "time", "serial", "variant", "header", "fields", "trailer", "enriched"], o.EnumerateObject().Select(p => p.Name));
            Assert.Equal(record.LineNumber, o.GetProperty("line").GetInt64());
            Assert.Equal(record.Offset, o.GetProperty("offset").GetInt64());
            Assert.Equal(record.Rendering.ToString().ToLowerInvariant(), o.GetProperty("rendering").GetString());
            Assert.Equal(Encoding.UTF8.GetString(record.TypeName.Span), o.GetProperty("type").GetString());
            Assert.Equal(record.Stamp.Serial, o.GetProperty("serial").GetUInt64());
            var time = DateTimeOffset.Parse(o.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(record.Stamp.ToDateTimeOffset(), time);
            Assert.EndsWith("Z", o.GetProperty("time").GetString(), StringComparison.Ordinal);
            Assert.Equal(record.Line.HasEnrichment ? JsonValueKind.Object : JsonValueKind.Null, o.GetProperty("enriched").ValueKind);
            if (record.IsTyped)
            {
                Assert.Equal(record.Virt.Variant!.Name, o.GetProperty("variant").GetString());
                var fields = o.GetProperty("fields");
                Assert.Equal(JsonValueKind.Object, fields.ValueKind);
                var names = new List<string>();
                foreach (var field in new AuditFieldEnumerator(record.Virt.LibvirtPart))
                {
                    names.Add(Encoding.UTF8.GetString(field.Name.Span));
                }

                Assert.Equal(names, fields.EnumerateObject().Select(p => p.Name));
                Assert.Equal(record.Line.KernelHeader.Pid, o.GetProperty("header").GetProperty("pid").GetInt32());
                Assert.Equal(record.Virt.Trailer.Success ? "success" : "failed", o.GetProperty("trailer").GetProperty("res").GetString());
                Assert.Equal(record.Virt.Trailer.Exe.ToString(), o.GetProperty("trailer").GetProperty("exe").GetString());
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, o.GetProperty("variant").ValueKind);
                var pairs = o.GetProperty("fields").EnumerateArray().Select(p => (p[0].GetString(), p[1].GetString())).ToList();
                var expected = new List<(string?, string?)>();
                foreach (var field in record.Fields)
                {
                    expected.Add((Encoding.UTF8.GetString(field.Name.Span), Encoding.UTF8.GetString(field.Value.Span)));
                }

                Assert.Equal(expected, pairs);
            }
        }

        Assert.Equal(451, i);
        Assert.Equal(i, lines.Length);
    }

    [Fact]
    public void Typed_fields_are_decoded_integers_are_numbers_and_absent_is_null()
    {
        var file = Write(Disk, Journald, Syscall);
        var (code, stdout, _) = Cli.Run("parse", "--all", "--format", "jsonl", file);
        Assert.Equal(0, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);

        using var disk = JsonDocument.Parse(lines[0]);
        var fields = disk.RootElement.GetProperty("fields");
        Assert.Equal("win 11", fields.GetProperty("vm").GetString());
        Assert.Equal(JsonValueKind.Null, fields.GetProperty("old-disk").ValueKind);
        Assert.Equal("/var/lib/libvirt/images/a b.qcow2", fields.GetProperty("new-disk").GetString());
        Assert.Equal("failed", disk.RootElement.GetProperty("trailer").GetProperty("res").GetString());
        Assert.Equal(JsonValueKind.Null, disk.RootElement.GetProperty("trailer").GetProperty("hostname").ValueKind);
        Assert.Equal(JsonValueKind.Null, disk.RootElement.GetProperty("node").ValueKind);

        using var control = JsonDocument.Parse(lines[1]);
        Assert.Equal("syslog", control.RootElement.GetProperty("rendering").GetString());
        Assert.Equal(JsonValueKind.Null, control.RootElement.GetProperty("time").ValueKind);
        Assert.Equal(JsonValueKind.Null, control.RootElement.GetProperty("serial").ValueKind);
        Assert.Equal(0, control.RootElement.GetProperty("fields").GetProperty("vm-pid").GetInt64());
        Assert.Equal(JsonValueKind.Number, control.RootElement.GetProperty("fields").GetProperty("vm-pid").ValueKind);

        using var syscall = JsonDocument.Parse(lines[2]);
        Assert.Equal("kvm7", syscall.RootElement.GetProperty("node").GetString());
        Assert.Equal(JsonValueKind.Null, syscall.RootElement.GetProperty("header").ValueKind);
        Assert.Equal(JsonValueKind.Null, syscall.RootElement.GetProperty("trailer").ValueKind);
        Assert.Equal("[\"comm\",\"\\\"rpc-libvirtd\\\"\"]", syscall.RootElement.GetProperty("fields")[10].GetRawText());
    }

    [Fact]
    public void A_line_that_is_not_a_record_goes_to_stderr_as_file_line_reason_and_stdout_stays_json()
    {
        var file = Write(Disk, "garbage here", "", Syscall.Replace(":5011)", ":x)", StringComparison.Ordinal));
        var (code, stdout, stderr) = Cli.Run("parse", "--format", "jsonl", file);
        Assert.Equal(2, code);
        var errors = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith(file + ":2: ", errors[0], StringComparison.Ordinal);
        Assert.StartsWith(file + ":4: ", errors[1], StringComparison.Ordinal);
        Assert.Contains("serial", errors[1], StringComparison.Ordinal);
        Assert.Equal("virtaudit: 2 line(s) were not audit records", errors[2]);
        var json = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(json);
        using var _ = JsonDocument.Parse(json[0]);
    }

    [Theory]
    [InlineData(new[] { "--vm", "auditvm1" }, "vm", "auditvm1")]
    [InlineData(new[] { "--resrc", "disk" }, "resrc", "disk")]
    [InlineData(new[] { "--uuid", "6A6A6A6A-1111-4222-8333-444455556666" }, "uuid", "6a6a6a6a-1111-4222-8333-444455556666")]
    [InlineData(new[] { "--vm", "audit-vm2 \"test\"" }, "vm", "audit-vm2 \"test\"")]
    public void Field_filters_keep_exactly_the_records_with_that_value(string[] filter, string field, string value)
    {
        var (code, stdout, _) = Cli.Run(["parse", "--format", "jsonl", .. filter, Cli.Corpus]);
        Assert.Equal(0, code);
        var kept = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var (_, all, _) = Cli.Run("parse", "--format", "jsonl", Cli.Corpus);
        var expected = all.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Count(o => o.GetProperty("fields").TryGetProperty(field, out var v) && v.GetString() == value);
        Assert.True(expected > 0);
        Assert.Equal(expected, kept.Count);
        Assert.All(kept, o => Assert.Equal(value, o.GetProperty("fields").GetProperty(field).GetString()));
    }

    [Fact]
    public void Res_type_since_until_and_all_filter_as_documented()
    {
        var failed = Lines("parse", "--format", "jsonl", "--res", "failed", Cli.Corpus);
        Assert.Equal(9, failed.Count);
        Assert.All(failed, o => Assert.Equal("failed", o.GetProperty("trailer").GetProperty("res").GetString()));

        var control = Lines("parse", "--format", "jsonl", "--type", "VIRT_CONTROL,2502", Cli.Corpus);
        Assert.Equal(23 + 12, control.Count);
        var syscalls = Lines("parse", "--format", "jsonl", "-t", "SYSCALL", Cli.Corpus);
        Assert.Equal(27, syscalls.Count);
        Assert.Equal(451, Lines("parse", "--format", "jsonl", "--all", Cli.Corpus).Count);
        Assert.Equal(293, Lines("parse", "--format", "jsonl", Cli.Corpus).Count);

        // 1795542808.064 is the second successful start of auditvm1.
        var window = Lines("parse", "--format", "jsonl", "--since", "1795542808.064", "--until", "2026-11-24T17:54:21.032Z", Cli.Corpus);
        Assert.Equal("2026-11-24T17:53:28.064Z", window[0].GetProperty("time").GetString());
        Assert.Equal("2026-11-24T17:54:21.032Z", window[^1].GetProperty("time").GetString());
        var all = Lines("parse", "--format", "jsonl", Cli.Corpus);
        Assert.Equal(all.Count(o => string.CompareOrdinal(o.GetProperty("time").GetString(), "2026-11-24T17:53:28.064Z") >= 0 && string.CompareOrdinal(o.GetProperty("time").GetString(), "2026-11-24T17:54:21.032Z") <= 0), window.Count);

        Assert.Equal(293, Lines("parse", "--format", "jsonl", "--since", "-36500d", Cli.Corpus).Count);
        Assert.Empty(Lines("parse", "--format", "jsonl", "--since", "-1s", Cli.Corpus));
    }

    [Theory]
    [InlineData("--since", "yesterday", "is not a time")]
    [InlineData("--res", "maybe", "maybe")]
    [InlineData("--uuid", "xyz", "is not a UUID")]
    [InlineData("--format", "xml", "xml")]
    public void A_bad_option_value_is_a_usage_error_with_one_clear_line(string option, string value, string message)
    {
        var (code, stdout, stderr) = Cli.Run("parse", option, value, Cli.Corpus);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Since_after_until_is_a_usage_error()
    {
        var (code, _, stderr) = Cli.Run("parse", "--since", "2026-11-25", "--until", "2026-11-24", Cli.Corpus);
        Assert.Equal(2, code);
        Assert.Contains("is after --until", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_a_directory_and_an_unreadable_file_each_get_one_line_and_exit_3()
    {
        var missing = Path.Combine(_dir, "nope.log");
        var unreadable = Write(Disk);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(unreadable, UnixFileMode.None);
        }

        var canRead = true;
        try
        {
            using var probe = File.OpenRead(unreadable);
        }
        catch (UnauthorizedAccessException)
        {
            canRead = false;
        }

        foreach (var command in new[] { "parse", "stats", "check" })
        {
            var (code, _, stderr) = Cli.Run(command, missing);
            Assert.Equal(3, code);
            Assert.Equal($"virtaudit: {missing}: no such file\n", stderr);

            (code, _, stderr) = Cli.Run(command, _dir);
            Assert.Equal(3, code);
            Assert.Equal($"virtaudit: {_dir}: is a directory\n", stderr);

            if (!canRead)
            {
                // Root reads every file: the permission case is checked only when the tests do not run as root.
                (code, _, stderr) = Cli.Run(command, unreadable);
                Assert.Equal(3, code);
                Assert.Equal($"virtaudit: {unreadable}: permission denied\n", stderr);
            }
        }

        var (timeline, _, timelineError) = Cli.Run("timeline", "--vm", "x", missing);
        Assert.Equal(3, timeline);
        Assert.Contains("no such file", timelineError, StringComparison.Ordinal);
        var (follow, _, followError) = Cli.Run("follow", _dir);
        Assert.Equal(3, follow);
        Assert.Equal($"virtaudit: {_dir}: is a directory\n", followError);
    }

    [Fact]
    public void Dash_and_a_pipe_read_the_injected_standard_input_and_gz_files_are_read()
    {
        var bytes = Encoding.UTF8.GetBytes(Disk + "\n" + Journald + "\n");
        Assert.Equal(2, JsonLines(Cli.Run(bytes, "parse", "--format", "jsonl", "-").Stdout).Count);
        var piped = Cli.Run(bytes, "parse", "--format", "jsonl");
        Assert.Equal(string.Empty, piped.Stderr);
        Assert.Equal(2, JsonLines(piped.Stdout).Count);

        var gz = Path.Combine(_dir, "audit.log.1.gz");
        using (var output = File.Create(gz))
        using (var zip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest))
        {
            zip.Write(File.ReadAllBytes(Cli.Corpus));
        }

        Assert.Equal(Cli.Run("parse", "--format", "jsonl", Cli.Corpus).Stdout, Cli.Run("parse", "--format", "jsonl", gz).Stdout);
    }

    [Fact]
    public void With_no_input_and_a_terminal_the_embedded_sample_is_parsed_and_announced()
    {
        var (code, stdout, stderr) = Cli.Run("parse", "--format", "jsonl");
        Assert.Equal(0, code);
        Assert.Contains("embedded sample", stderr, StringComparison.Ordinal);
        Assert.Equal(Cli.Run("parse", "--format", "jsonl", Cli.Corpus).Stdout, stdout);
    }

    [Fact]
    public void The_table_cuts_long_values_with_an_ellipsis_on_a_terminal_and_keeps_them_whole_when_piped()
    {
        var piped = Cli.Run("parse", Cli.Corpus).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(piped, l => l.Length > 120);
        Assert.DoesNotContain(piped, l => l.Contains('…'));
        Assert.StartsWith("TIME", piped[0], StringComparison.Ordinal);
        var column = piped[0].IndexOf("DETAILS", StringComparison.Ordinal);
        Assert.All(piped.Skip(1), l => Assert.Equal(' ', l[column - 1]));

        var terminal = Cli.Run(new Cli.Options { OutputTerminal = true, Width = 100, Environment = { ["NO_COLOR"] = "1" } }, "parse", Cli.Corpus).Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(piped.Length, terminal.Length);
        Assert.All(terminal, l => Assert.True(l.Length <= 100, l));
        Assert.Contains(terminal, l => l.EndsWith('…'));
        Assert.DoesNotContain(terminal, l => l.Contains('\u001b'));
        for (var i = 0; i < piped.Length; i++)
        {
            Assert.StartsWith(terminal[i].TrimEnd('…'), piped[i], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Colour_only_on_a_terminal_and_never_with_no_color_or_NO_COLOR()
    {
        static bool Coloured(CliResult r) => r.Stdout.Contains("\u001b[", StringComparison.Ordinal);
        Assert.True(Coloured(Cli.Run(new Cli.Options { OutputTerminal = true }, "parse", Cli.Corpus)));
        Assert.False(Coloured(Cli.Run("parse", Cli.Corpus)));
        Assert.False(Coloured(Cli.Run(new Cli.Options { OutputTerminal = true }, "parse", "--no-color", Cli.Corpus)));
        Assert.False(Coloured(Cli.Run(new Cli.Options { OutputTerminal = true, Environment = { ["NO_COLOR"] = "1" } }, "parse", Cli.Corpus)));
        var red = Cli.Run(new Cli.Options { OutputTerminal = true }, "parse", "--res", "failed", Cli.Corpus).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(red.Skip(1), l => Assert.StartsWith("\u001b[31m", l, StringComparison.Ordinal));
    }

    [Fact]
    public void Ecs_documents_carry_the_auditd_module_action_names_and_the_guest()
    {
        var docs = Lines("parse", "--format", "ecs", Cli.Corpus);
        Assert.Equal(293, docs.Count);
        var jsonl = Lines("parse", "--format", "jsonl", Cli.Corpus);
        for (var i = 0; i < docs.Count; i++)
        {
            var doc = docs[i];
            var record = jsonl[i];
            Assert.Equal(record.GetProperty("time").GetString(), doc.GetProperty("@timestamp").GetString());
            var expected = record.GetProperty("type").GetString() switch
            {
                "VIRT_CONTROL" => "issued-vm-control",
                "VIRT_RESOURCE" => "assigned-vm-resource",
                "VIRT_MACHINE_ID" => "assigned-vm-id",
                _ => null,
            };
            var ev = doc.GetProperty("event");
            Assert.Equal(expected, ev.GetProperty("action").GetString());
            Assert.Equal("event", ev.GetProperty("kind").GetString());
            Assert.Equal(record.GetProperty("trailer").GetProperty("res").GetString() == "success" ? "success" : "failure", ev.GetProperty("outcome").GetString());
            var op = record.GetProperty("fields").TryGetProperty("op", out var o) ? o.GetString() : null;
            Assert.Equal(op == "start" ? "start" : op == "stop" ? "end" : expected == "assigned-vm-id" ? "creation" : "info", ev.GetProperty("type")[0].GetString());
            Assert.Equal(record.GetProperty("header").GetProperty("pid").GetInt32(), doc.GetProperty("process").GetProperty("pid").GetInt32());
            Assert.Equal(record.GetProperty("trailer").GetProperty("exe").GetString(), doc.GetProperty("process").GetProperty("executable").GetString());
            Assert.Equal(record.GetProperty("header").GetProperty("auid").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), doc.GetProperty("user").GetProperty("audit").GetProperty("id").GetString());
            Assert.Equal(record.GetProperty("fields").GetRawText(), doc.GetProperty("libvirt").GetProperty("fields").GetRawText());
        }
    }

    private static List<JsonElement> Lines(params string[] args)
    {
        var (code, stdout, stderr) = Cli.Run(args);
        Assert.True(code == 0, stderr);
        return JsonLines(stdout);
    }

    private static List<JsonElement> JsonLines(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    private string Write(params string[] lines)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".log");
        File.WriteAllText(path, string.Join("\n", lines) + "\n", new UTF8Encoding(false));
        return path;
    }
}
