using System.Text;
using VirtAudit.Cli;
using VirtAudit.Testing;

namespace VirtAudit.Cli.Tests;

/// <summary><c>virtaudit check</c>: counts, failures with line numbers, exit codes.</summary>
public sealed class CheckCommandTests : IDisposable
{
    private const string C5 = "type=VIRT_RESOURCE msg=audit(1715510879.951:5010): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=kvm resrc=net reason=open vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 net=52:54:00:6b:3c:58 path=\"/dev/net/tun\" rdev=0A:C8 exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success'";
    private const string C22 = "type=VIRT_RESOURCE msg=audit(1330000000.123:77): user pid=2000 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtd_t:s0-s0:c0.c1023 msg='virt=kvm resrc=net reason=start vm=\"rhel6\" uuid=11111111-2222-3333-4444-555555555555 old-net=? new-net=52:54:00:aa:bb:cc: exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=success'";
    private const string Syscall = "type=SYSCALL msg=audit(1715510879.951:5011): arch=c000003e syscall=16 success=yes exit=0 a0=25 items=0 ppid=1 pid=8208 auid=4294967295 uid=0 comm=\"rpc-libvirtd\" exe=\"/usr/sbin/libvirtd\" key=(null)";

    private readonly string _dir = Directory.CreateTempSubdirectory("virtaudit-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_embedded_sample_types_and_round_trips_every_virt_record()
    {
        var (code, stdout, stderr) = Cli.Run("check");
        Assert.Equal(0, code);
        Assert.Contains("embedded sample", stderr, StringComparison.Ordinal);
        Assert.EndsWith("lines=451 virt=293 typed=293 roundtrip_ok=293 legacy=0 errors=0", stdout.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_corpus_file_checks_clean()
    {
        var (code, stdout, _) = Cli.Run("check", Cli.Corpus);
        Assert.Equal(0, code);
        Assert.Contains("typed=293 roundtrip_ok=293", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("virt-launcher.log", "renderings: raw=0 enriched=0 syslog=0 printk=0 interpreted=0 libvirt_log=0 kubevirt_log=315 skipped=0 joined=315", "not_sent=315 ambiguous=0", "lines=630")]
    [InlineData("libvirtd.log", "renderings: raw=0 enriched=0 syslog=0 printk=0 interpreted=0 libvirt_log=315 kubevirt_log=0 skipped=47 joined=0", "not_sent=0 ambiguous=0", "lines=362")]
    public void A_daemon_log_is_checked_message_by_message(string file, string renderings, string notSent, string lines)
    {
        // The capture's 315 messages as libvirt's own log and as KubeVirt's pod log (corpus/libvirt-9.0/daemon-logs).
        var path = Repository.Corpus("libvirt-9.0/daemon-logs/" + file);
        var (code, stdout, _) = Cli.Run("check", path);
        Assert.True(code == 0, stdout);
        var output = stdout.TrimEnd().Split('\n');
        Assert.Equal(renderings, output[^4]);
        Assert.Equal("types: VIRT_RESOURCE=277 VIRT_CONTROL=25 VIRT_MACHINE_ID=13", output[^3]);
        Assert.EndsWith(notSent, output[^2], StringComparison.Ordinal);
        Assert.Equal($"{lines} virt=315 typed=315 roundtrip_ok=315 legacy=0 errors=0", output[^1]);
    }

    [Fact]
    public void A_daemon_log_message_without_an_inferable_type_fails_with_its_line()
    {
        var file = Write(
            "2026-11-24 17:52:13.222+0000: 2817: info : virDomainAuditCgroup:596 : success=yes virt=qemu vm=\"a\" uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8",
            "2026-11-24 17:52:13.222+0000: 2817: debug : qemuDomainObjBeginJobInternal:972 : Starting job: job=modify");
        var (code, stdout, _) = Cli.Run("check", file);
        Assert.Equal(1, code);
        Assert.Contains("line 1 (byte 82): ", stdout, StringComparison.Ordinal);
        Assert.Contains("the record type cannot be inferred", stdout, StringComparison.Ordinal);
        Assert.EndsWith("lines=2 virt=1 typed=0 roundtrip_ok=0 legacy=0 errors=1", stdout.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_legacy_record_is_typed_and_counted_as_legacy_not_as_an_error()
    {
        var file = Write(C5, C22, Syscall);
        var (code, stdout, _) = Cli.Run("check", file);
        Assert.Equal(0, code);
        Assert.EndsWith("lines=3 virt=2 typed=2 roundtrip_ok=1 legacy=1 errors=0", stdout.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_line_and_an_untyped_libvirt_record_fail_with_their_line_numbers()
    {
        var unknownResrc = C5.Replace("resrc=net reason=open", "resrc=widget reason=open", StringComparison.Ordinal);
        var file = Write(C5, "this is not an audit line", unknownResrc);
        var (code, stdout, _) = Cli.Run("check", file);
        Assert.Equal(1, code);
        Assert.Contains("line 2 ", stdout, StringComparison.Ordinal);
        Assert.Contains("line 3 ", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("line 1 ", stdout, StringComparison.Ordinal);
        Assert.EndsWith("errors=2", stdout.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_libvirt_could_not_have_written_is_not_typed_and_the_error_names_the_field()
    {
        var init = "type=VIRT_CONTROL msg=audit(1715510879.951:5012): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='virt=lxc op=init reason=booted vm=\"web1\" uuid=9b2d6e1f-0c4a-4f3e-8d57-6a1b2c3d4e5f vm-pid=4711 init-pid=4720 pid-ns=4026532451 exe=\"/usr/libexec/libvirt_lxc\" hostname=? addr=? terminal=? res=success'";
        var file = Write(C5, init);
        var (code, stdout, _) = Cli.Run("check", file);
        Assert.Equal(1, code);
        Assert.Contains("line 2 ", stdout, StringComparison.Ordinal);
        Assert.Contains("VIRT_CONTROL not typed: Reason (reason) is only written when op is not init (field reason)", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("re-encodes differently", stdout, StringComparison.Ordinal);
        Assert.EndsWith("lines=2 virt=2 typed=1 roundtrip_ok=1 legacy=0 errors=1", stdout.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bare_cgroup_question_mark_round_trips_and_is_not_legacy()
    {
        var bare = C5.Replace("resrc=net reason=open", "resrc=cgroup reason=deny", StringComparison.Ordinal)
            .Replace("net=52:54:00:6b:3c:58 path=\"/dev/net/tun\" rdev=0A:C8", "cgroup=? class=all", StringComparison.Ordinal);
        Assert.Contains(" cgroup=? class=all exe=", bare, StringComparison.Ordinal);
        var file = Write(bare, bare.Replace("cgroup=?", "cgroup=\"?\"", StringComparison.Ordinal));
        var (code, stdout, _) = Cli.Run("check", file);
        Assert.Equal(0, code);
        Assert.EndsWith("lines=2 virt=2 typed=2 roundtrip_ok=2 legacy=0 errors=0", stdout.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Lower_case_hex_is_not_what_libaudit_writes_and_is_an_error()
    {
        var file = Write(C5.Replace("vm=\"rhel9\"", "vm=77696e203131", StringComparison.Ordinal));
        var (code, stdout, _) = Cli.Run("check", file);
        Assert.Equal(1, code);
        Assert.Contains("neither quoted nor hex", stdout, StringComparison.Ordinal);
        Assert.EndsWith("lines=1 virt=1 typed=0 roundtrip_ok=0 legacy=0 errors=1", stdout.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_hex_encoded_without_need_is_typed_flagged_and_not_an_error()
    {
        // 7268656C39 is "rhel9", which libaudit would have quoted: typed, re-encoded as "rhel9", counted legacy.
        var file = Write(C5.Replace("vm=\"rhel9\"", "vm=7268656C39", StringComparison.Ordinal));
        var (code, stdout, _) = Cli.Run("check", file);
        Assert.Equal(0, code);
        Assert.EndsWith("lines=1 virt=1 typed=1 roundtrip_ok=0 legacy=1 errors=0", stdout.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_gzip_compressed_rotated_log_is_read_and_a_corrupt_one_exits_3()
    {
        var plain = Write(C5, Syscall, C22);
        var packed = plain + ".1.gz";
        using (var output = File.Create(packed))
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Optimal))
        {
            gzip.Write(File.ReadAllBytes(plain));
        }

        var (code, stdout, _) = Cli.Run("check", packed);
        Assert.Equal(0, code);
        Assert.EndsWith("lines=3 virt=2 typed=2 roundtrip_ok=1 legacy=1 errors=0", stdout.TrimEnd(), StringComparison.Ordinal);

        var bytes = File.ReadAllBytes(packed);
        var corrupt = Path.Combine(_dir, "corrupt.gz");
        File.WriteAllBytes(corrupt, bytes.AsSpan(0, 12).ToArray().Concat(Enumerable.Repeat((byte)0xFF, 64)).ToArray());
        (code, _, var stderr) = Cli.Run("check", corrupt);
        Assert.Equal(3, code);
        Assert.Contains("corrupt.gz: read failed after", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_exits_3_and_says_which()
    {
        var missing = Path.Combine(_dir, "nope.log");
        var (code, _, stderr) = Cli.Run("check", missing);
        Assert.Equal(3, code);
        Assert.Contains("nope.log", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_cut_by_the_log_is_reported_and_noted_not_an_error()
    {
        // The kernel keeps 8560 bytes of a message and closes the quote (spec §3.6); a forwarder may cut a line.
        var longDisk = C5.Replace("resrc=net reason=open", "resrc=disk reason=attach", StringComparison.Ordinal)
            .Replace("net=52:54:00:6b:3c:58 path=\"/dev/net/tun\" rdev=0A:C8", "old-disk=\"?\" new-disk=\"/srv/" + new string('a', 9000) + "\"", StringComparison.Ordinal);
        var open = longDisk.IndexOf("msg='", StringComparison.Ordinal) + 5;
        var kernelCut = longDisk.Substring(0, open + AuditLimits.MaxMessageText) + "'";
        var lineCut = C5.Substring(0, C5.IndexOf("rdev=", StringComparison.Ordinal) - 10);
        var file = Write(C5, kernelCut, lineCut);

        var (code, stdout, _) = Cli.Run("check", file);

        Assert.Equal(0, code);
        Assert.Contains("line 2 (byte", stdout, StringComparison.Ordinal);
        Assert.Contains("VIRT_RESOURCE cut short (8560-byte message), not typed", stdout, StringComparison.Ordinal);
        Assert.Contains("line 3 (byte", stdout, StringComparison.Ordinal);
        Assert.Contains("truncated=2", stdout, StringComparison.Ordinal);
        Assert.EndsWith("lines=3 virt=3 typed=1 roundtrip_ok=1 legacy=0 errors=0", stdout.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Counts_per_rendering_and_per_type_come_before_the_summary()
    {
        var file = Write(C5, Syscall, "May 12 12:48:00 kvmhost01 kernel: audit: type=2501 audit(1715510879.951:5010): " + C5.Substring(C5.IndexOf("pid=", StringComparison.Ordinal)), "", "----", C22);
        var (code, stdout, _) = Cli.Run("check", file);
        Assert.Equal(0, code);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.Equal("renderings: raw=3 enriched=0 syslog=0 printk=1 interpreted=0 libvirt_log=0 kubevirt_log=0 skipped=2 joined=0", lines[^4]);
        Assert.Equal("types: VIRT_RESOURCE=3 SYSCALL=1", lines[^3]);
        Assert.Equal("notes: not_libvirt=0 interpreted_virt=0 other_virt_type=0 truncated=0 not_sent=0 ambiguous=0", lines[^2]);
        Assert.Equal("lines=6 virt=3 typed=3 roundtrip_ok=2 legacy=1 errors=0", lines[^1]);
    }

    [Theory]
    [InlineData("type=T{0:D8} msg=audit(1.000:{0}): a=b")]
    [InlineData("type=UNKNOWN[{0}] msg=audit(1.000:{0}): a=b")]
    [InlineData("type={0} msg=audit(1.000:{0}): a=b")]
    public void Distinct_type_names_are_counted_by_name_up_to_a_bound_and_the_rest_as_other(string format)
    {
        // Issue 12, finding 2: a count per distinct name let memory and the types: line grow with the input.
        var lines = new string[3 * CheckCounts.MaxTypes];
        for (int i = 0; i < lines.Length; i++)
        {
            lines[i] = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, 3000 + i);
        }

        var (_, stdout, _) = Cli.Run("check", Write(lines));
        var types = stdout.TrimEnd().Split('\n')[^3];
        Assert.StartsWith("types:", types, StringComparison.Ordinal);
        var entries = types.Split(' ')[1..];
        Assert.Equal(CheckCounts.MaxTypes + 1, entries.Length);
        Assert.Contains($"other={lines.Length - CheckCounts.MaxTypes}", entries);
        long total = entries.Sum(e => long.Parse(e[(e.LastIndexOf('=') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(lines.Length, total);
    }

    [Fact]
    public void A_record_longer_than_twice_libaudits_buffer_re_encodes_into_a_big_enough_buffer()
    {
        var line = "type=VIRT_RESOURCE msg=audit(1.000:7): pid=1 uid=0 auid=0 ses=0 msg='virt=kvm resrc=shmem reason=start vm=\"a\" uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 size=1 path=/"
            + new string('x', 40_000) + " exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success'";
        var (code, stdout, _) = Cli.Run("check", Write(line));
        Assert.DoesNotContain("re-encodes differently", stdout, StringComparison.Ordinal);
        Assert.EndsWith("lines=1 virt=1 typed=1 roundtrip_ok=1 legacy=0 errors=0", stdout.TrimEnd(), StringComparison.Ordinal);
        Assert.Equal(0, code);
    }

    [Fact]
    public void A_directory_argument_says_it_is_a_directory()
    {
        var (code, _, stderr) = Cli.Run("check", _dir);
        Assert.Equal(3, code);
        Assert.Contains($"{_dir}: is a directory", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("denied", stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Gzip_piped_in_is_decompressed()
    {
        var gz = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(gz, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(C5 + "\n" + Syscall + "\n"));
        }

        // Piped in (no FILE) and named as '-': both are decompressed.
        foreach (var args in new[] { new[] { "check" }, new[] { "check", "-" } })
        {
            var (code, stdout, _) = Cli.Run(gz.ToArray(), args);
            Assert.True(code == 0, stdout);
            Assert.EndsWith("lines=2 virt=1 typed=1 roundtrip_ok=1 legacy=0 errors=0", stdout.TrimEnd(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Gzip_piped_in_cut_short_or_without_its_trailer_exits_3_and_counts_the_line_it_cut()
    {
        var gz = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(gz, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            for (var i = 0; i < 500; i++)
            {
                gzip.Write(Encoding.UTF8.GetBytes(C5 + "\n" + Syscall + "\n"));
            }
        }

        var bytes = gz.ToArray();
        foreach (var cut in new[] { bytes[..^8], bytes[..(bytes.Length / 2)] })
        {
            var (code, stdout, stderr) = Cli.Run(cut, "check", "-");
            Assert.True(code == 3, stdout + stderr);
            Assert.Contains("ends early", stderr, StringComparison.Ordinal);
            var summary = stdout.TrimEnd().Split('\n')[^1];
            var lines = long.Parse(summary.Split(' ')[0].Split('=')[1], System.Globalization.CultureInfo.InvariantCulture);
            var errors = long.Parse(summary.Split("errors=")[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(lines > 0, summary);
            if (cut.Length == bytes.Length / 2)
            {
                // The line the cut fell in is an error with its line number, not dropped.
                Assert.Equal(1, errors);
                Assert.Contains($"line {lines} (byte ", stdout, StringComparison.Ordinal);
                Assert.Contains("line: the input failed before this line ended: gzip: the compressed data ends early", stdout, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Piped_input_reads_the_byte_taken_to_detect_it_first()
    {
        using var stream = new PrefixedStream((byte)'t', new MemoryStream(Encoding.ASCII.GetBytes("ype=X")));
        var buffer = new byte[16];
        var n = stream.Read(buffer, 0, 1);
        n += stream.Read(buffer, 1, 15);
        Assert.Equal("type=X", Encoding.ASCII.GetString(buffer, 0, n));
        Assert.Equal(0, stream.Read(buffer, 0, 16));
    }

    [Theory]
    [InlineData("--help", 0)]
    [InlineData("-h", 0)]
    [InlineData("--verbose", 2)]
    public void Check_takes_help_and_refuses_unknown_options(string option, int expected)
    {
        var (code, stdout, stderr) = Cli.Run("check", option);
        Assert.Equal(expected, code);
        if (expected == 0)
        {
            Assert.Contains("Usage:", stdout, StringComparison.Ordinal);
            Assert.Contains("virtaudit check [<FILE>...] [options]", stdout, StringComparison.Ordinal);
            Assert.Contains("Examples:", stdout, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains($"'{option}'", stderr, StringComparison.Ordinal);
            Assert.Contains("try 'virtaudit check --help'", stderr, StringComparison.Ordinal);
            Assert.Equal(string.Empty, stdout);
        }
    }

    [Fact]
    public void An_unknown_command_is_a_usage_error()
    {
        var (code, _, stderr) = Cli.Run("frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("'frobnicate'", stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, Cli.Run("frobnicate").Stdout);
    }

    [Fact]
    public void Dash_reads_the_injected_standard_input()
    {
        var input = Encoding.UTF8.GetBytes(string.Join("\n", C5, Syscall, C22) + "\n");
        var (code, stdout, stderr) = Cli.Run(input, "check", "-");
        Assert.Equal(0, code);
        Assert.DoesNotContain("embedded sample", stderr, StringComparison.Ordinal);
        Assert.EndsWith("lines=3 virt=2 typed=2 roundtrip_ok=1 legacy=1 errors=0", stdout.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Piped_input_without_a_file_is_read_and_an_empty_pipe_falls_back_to_the_sample()
    {
        var (code, stdout, stderr) = Cli.Run(Encoding.UTF8.GetBytes(C5 + "\n"), "check");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        Assert.EndsWith("lines=1 virt=1 typed=1 roundtrip_ok=1 legacy=0 errors=0", stdout.TrimEnd(), StringComparison.Ordinal);

        (code, stdout, stderr) = Cli.Run(Array.Empty<byte>(), "check");
        Assert.Equal(0, code);
        Assert.Contains("embedded sample", stderr, StringComparison.Ordinal);
        Assert.EndsWith("lines=451 virt=293 typed=293 roundtrip_ok=293 legacy=0 errors=0", stdout.TrimEnd(), StringComparison.Ordinal);
    }

    private string Write(params string[] lines)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".log");
        File.WriteAllText(path, string.Join("\n", lines) + "\n", new UTF8Encoding(false));
        return path;
    }
}
