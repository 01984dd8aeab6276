using System.Text;

namespace VirtAudit.Tests.Hostile;

/// <summary>
/// Issue 12, the malformed-input catalogue: real lines cut at every byte offset and with bits flipped, 1 MB lines,
/// 100,000 fields, unclosed quotes, bad hex, numbers past 64 bits, invalid UTF-8, NUL, CR without LF, daemon-log and
/// JSON lines cut in the middle. Every one goes through <see cref="HostileCheck"/>: no throw, errors located, every
/// line accounted for.
/// </summary>
public class MalformedInputCatalogueTests
{
    private const string Header = HostileCheck.Header;
    private const string Guest = HostileCheck.Guest;
    private const string Trailer = HostileCheck.Trailer;

    public static IEnumerable<object[]> CorpusFiles() => new[] { "libvirt-9.0/audit.log", "libvirt-9.0/daemon-logs/libvirtd.log", "libvirt-9.0/daemon-logs/virt-launcher.log" }.Select(f => new object[] { f });

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Every_real_line_cut_at_every_byte_offset(string file)
    {
        var cuts = new List<byte[]>();
        foreach (var (_, line) in HostileCheck.CorpusLines().Where(l => l.File == file))
        {
            for (int cut = 0; cut <= line.Length; cut++)
            {
                byte[] prefix = line.AsSpan(0, cut).ToArray();
                HostileCheck.Line(prefix);
                cuts.Add(prefix);
            }
        }

        // the reader over all of them at once: one item per line, none lost
        var (records, errors) = HostileCheck.Reader(cuts, allowJoined: true);
        Assert.True(records > 0 && errors > 0, $"records {records}, errors {errors}");
    }

    [Fact]
    public void Every_real_audit_line_cut_short_goes_through_each_generated_TryParse()
    {
        foreach (var (_, line) in HostileCheck.CorpusLines().Where(l => l.File.EndsWith("audit.log", StringComparison.Ordinal)).Where((_, i) => i % 5 == 0))
        {
            for (int cut = 0; cut <= line.Length; cut += 3)
            {
                HostileCheck.Line(line.AsMemory(0, cut), allVariants: true);
            }
        }
    }

    [Fact]
    public void Random_bit_flips_in_every_real_line()
    {
        var random = new Random(12);
        var flipped = new List<byte[]>();
        foreach (var (_, line) in HostileCheck.CorpusLines())
        {
            for (int round = 0; round < 20; round++)
            {
                byte[] copy = (byte[])line.Clone();
                for (int flips = random.Next(1, 4); flips > 0 && copy.Length > 0; flips--)
                {
                    copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                }

                // a flipped bit may make a LF: the reader then sees two lines, so keep them one line each
                byte[] one = copy.Select(b => b == '\n' ? (byte)' ' : b).ToArray();
                HostileCheck.Line(one, allVariants: round == 0);
                flipped.Add(one);
            }
        }

        HostileCheck.Reader(flipped, allowJoined: true);
    }

    private static readonly Lazy<Dictionary<string, byte[]>> Cases = new(() => new (string Name, byte[] Line)[]
    {
        ("1 MB hex name", L(Header + "virt=kvm resrc=disk reason=start vm=" + new string('A', 1_000_000) + " uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-disk=\"?\" new-disk=\"/x\"" + Trailer)),
        ("1 MB raw path", L(Header + "virt=kvm resrc=evdev reason=start " + Guest + " path=/" + new string('p', 1_000_000) + Trailer)),
        ("1 MB of spaces", L(Header + new string(' ', 1_000_000) + Trailer)),
        ("1 MB of quotes", L(Header + new string('\'', 1_000_000))),
        ("100,000 fields", L(Header + "virt=kvm resrc=disk reason=start " + Guest + string.Concat(Enumerable.Repeat(" a=b", 100_000)) + Trailer)),
        ("100,000 exe= pairs", L(Header + "virt=kvm resrc=shmem reason=start " + Guest + " size=1 path=/x" + string.Concat(Enumerable.Repeat(" exe= hostname=", 100_000)) + "'")),
        ("100,000 separators", L(Header + "virt=kvm op=start" + Trailer + string.Concat(Enumerable.Repeat("\u001dUID=\"root\"", 100_000)))),
        ("unclosed quote in a value", L(Header + "virt=kvm resrc=disk reason=start vm=\"rhel9 uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11" + Trailer)),
        ("msg=' at the end", L(Header)),
        ("msg=' and one byte", L(Header + "v")),
        ("nothing after type=", L("type=")),
        ("msg=audit( unclosed", L("type=VIRT_CONTROL msg=audit(1715510880.307:5025")),
        ("odd-length hex", L(Header + "virt=kvm resrc=disk reason=start vm=ABC uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-disk=\"?\" new-disk=\"/x\"" + Trailer)),
        ("non-hex hex", L(Header + "virt=kvm resrc=disk reason=start vm=XYZ1 uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-disk=\"?\" new-disk=\"/x\"" + Trailer)),
        ("lower-case hex", L(Header + "virt=kvm resrc=disk reason=start vm=abcd uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-disk=\"?\" new-disk=\"/x\"" + Trailer)),
        ("vm-pid past 64 bits", L(Header.Replace("VIRT_RESOURCE", "VIRT_CONTROL") + "virt=kvm op=start reason=booted " + Guest + " vm-pid=99999999999999999999" + Trailer)),
        ("size past 64 bits", L(Header + "virt=kvm resrc=shmem reason=start " + Guest + " size=18446744073709551616 path=/dev/shm/x" + Trailer)),
        ("mem past 64 bits negative", L(Header + "virt=kvm resrc=mem reason=start " + Guest + " old-mem=-9223372036854775809 new-mem=1" + Trailer)),
        ("pid past 32 bits", L("type=VIRT_CONTROL msg=audit(1715510880.307:5025): pid=99999999999 uid=0 auid=0 ses=0 msg='virt=kvm op=stop reason=shutdown " + Guest + " vm-pid=0" + Trailer)),
        ("serial past 64 bits", L("type=VIRT_CONTROL msg=audit(1715510880.307:18446744073709551616): pid=1 uid=0 auid=0 ses=0 msg='x'")),
        ("seconds past 64 bits", L("type=VIRT_CONTROL msg=audit(99999999999999999999.307:1): pid=1 uid=0 auid=0 ses=0 msg='x'")),
        ("milliseconds of 9 digits", L("type=VIRT_CONTROL msg=audit(1.123456789:1): pid=1 uid=0 auid=0 ses=0 msg='x'")),
        ("UNKNOWN[ past 32 bits", L("type=UNKNOWN[99999999999] msg=audit(1.000:1): pid=1 uid=0 auid=0 ses=0 msg='x'")),
        ("invalid UTF-8 everywhere", new byte[] { 0xC3, 0x28, 0xFF, 0xFE }.Concat(L(Header)).Concat(new byte[] { 0xE2, 0x82, 0x28, 0xF0, 0x28, 0x8C, 0xBC }).Concat(L(Trailer)).ToArray()),
        ("NUL in the type", L("type=VIRT\0CONTROL msg=audit(1.000:1): pid=1 uid=0 auid=0 ses=0 msg='x'")),
        ("NUL everywhere", Enumerable.Repeat((byte)0, 5000).ToArray()),
        ("CR without LF", L(Header + "virt=kvm op=start" + Trailer + "\r" + Header + "virt=kvm op=stop" + Trailer)),
        ("daemon log cut in the middle", L("2026-11-24 17:52:13.183+0000: 2817: info : virDomainAuditNetDevice:318 : success=yes virt=qemu resrc=net reason=open vm=\"a\" uu")),
        ("daemon log prefix only", L("2026-11-24 17:52:13.183+0000: 2817: info : ")),
        ("JSON cut in the middle", L("{\"component\":\"virt-launcher\",\"level\":\"info\",\"msg\":\"success=yes virt=qemu resrc=net reason=open vm=\\\"a")),
        ("JSON with a bad escape", L("{\"component\":\"virt-launcher\",\"level\":\"info\",\"msg\":\"success=yes \\u12\",\"pos\":\"virDomainAuditNetDevice:318\",\"subcomponent\":\"libvirt\"}")),
        ("JSON of 100,000 escapes", L("{\"component\":\"virt-launcher\",\"level\":\"info\",\"msg\":\"" + string.Concat(Enumerable.Repeat("\\u0041", 100_000)) + "\",\"subcomponent\":\"libvirt\"}")),
        ("syslog prefix cut", L("May 12 12:48:00 tbowling audit[385946]: VIRT_RES")),
        ("interpreted date cut", L("type=VIRT_CONTROL msg=audit(08/05/2014 17:0")),
    }.ToDictionary(c => c.Name, c => c.Line));

    /// <summary>The case names only: xunit would serialize megabyte lines for every test case it discovers.</summary>
    public static IEnumerable<object[]> Malformed() => Cases.Value.Keys.Select(name => new object[] { name });

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_line_is_parsed_or_refused_with_a_position_never_thrown(string name)
    {
        byte[] line = Cases.Value[name];
        HostileCheck.Line(line, allVariants: true);
        for (int cut = line.Length; cut > 0; cut = cut * 2 / 3)
        {
            HostileCheck.Line(line.AsMemory(0, cut));
        }

        // the whole line, each line of a CR-split, and the line cut in two: every line accounted for
        byte[][] lines = line.Contains((byte)'\n') ? [line.Select(b => b == '\n' ? (byte)' ' : b).ToArray()] : [line, line.AsSpan(0, line.Length / 2).ToArray()];
        HostileCheck.Reader(lines, allowJoined: true, maxLineLength: 4 << 20);
    }

    [Fact]
    public void A_line_over_the_limit_is_one_located_error_and_the_next_line_is_read()
    {
        byte[] big = L(Header + "virt=kvm resrc=evdev reason=start " + Guest + " path=/" + new string('p', 2_000_000) + Trailer);
        byte[] good = L(Header + "virt=kvm resrc=evdev reason=start " + Guest + " path=/dev/input/event3" + Trailer);
        using var reader = new AuditLogReader(new MemoryStream([.. big, (byte)'\n', .. good, (byte)'\n']));
        Assert.True(reader.Read());
        Assert.Equal(AuditLogErrorKind.LineTooLong, reader.Current.Error.Kind);
        Assert.Equal(big.Length, reader.Current.Error.LineLength);
        Assert.Equal(1, reader.Current.LineNumber);
        Assert.True(reader.Read());
        Assert.True(reader.Current.Record.Virt.IsTyped);
        Assert.Equal(big.Length + 1, reader.Current.Offset);
        Assert.False(reader.Read());
        Assert.Equal((2, 1, 1), (reader.LinesRead, reader.RecordsRead, reader.ErrorsRead));
    }

    [Fact]
    public void Numbers_past_64_bits_are_errors_that_name_the_field()
    {
        var record = VirtAuditRegistry.Default.Parse(2500, L("virt=kvm op=start reason=booted " + Guest + " vm-pid=99999999999999999999" + Trailer.TrimEnd('\'')));
        Assert.False(record.IsTyped);
        Assert.Equal("vm-pid", record.ErrorField);

        Assert.False(AuditLine.TryParse(L("type=VIRT_CONTROL msg=audit(1715510880.307:18446744073709551616): pid=1 uid=0 auid=0 ses=0 msg='x'"), out _, out AuditLineError error));
        Assert.Equal("serial", error.Part);
        Assert.InRange(error.Offset, "type=VIRT_CONTROL msg=audit(1715510880.307:".Length, "type=VIRT_CONTROL msg=audit(1715510880.307:18446744073709551616".Length);
    }

    private static byte[] L(string text) => Encoding.Latin1.GetBytes(text);
}
