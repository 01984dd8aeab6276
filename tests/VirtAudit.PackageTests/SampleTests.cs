using System.Reflection;
using System.Text.RegularExpressions;
using VirtAudit.Testing;

namespace VirtAudit.PackageTests;

/// <summary>
/// The samples of samples/, run as the README says (<c>dotnet run --project samples/Parser</c>), without a build:
/// this project's references build them. Each must print what it is for, not just exit with 0.
/// </summary>
public sealed class SampleTests : IDisposable
{
    private const string Uuid = "6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8";

    private static readonly string RepoRoot = Repository.Root;

    /// <summary>A line the Parser prints for a record: its line number in the input and the record's stamp.</summary>
    private static readonly Regex RecordLine = new(@"^\d+: \d+\.\d{3}:\d+ ");

    private readonly string _dir = Directory.CreateTempSubdirectory("virtaudit-samples-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Emitter_writes_a_disk_and_a_start_record_that_the_Parser_reads_back()
    {
        var log = Path.Combine(_dir, "emitted.log");
        var emit = Run("Emitter", log);
        Assert.True(emit.ExitCode == 0, emit.ToString());
        const string Header = "msg=audit(1795542733.544:{0}): pid=1201 uid=0 auid=4294967295 ses=4294967295 msg='";
        const string Trailer = " exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success'";
        Assert.Equal(
            new[]
            {
                "type=VIRT_RESOURCE " + string.Format(Header, 24) + $"virt=kvm resrc=disk reason=start vm=7268656C3920776562 uuid={Uuid} old-disk=\"?\" new-disk=\"/var/lib/libvirt/images/rhel9.qcow2\"" + Trailer,
                "type=VIRT_CONTROL " + string.Format(Header, 25) + $"virt=kvm op=start reason=booted vm=7268656C3920776562 uuid={Uuid} vm-pid=4242" + Trailer,
            },
            File.ReadAllLines(log));

        var parse = Run("Parser", log);
        Assert.True(parse.ExitCode == 0, parse.ToString());
        Assert.Equal(
            new[]
            {
                "1: 1795542733.544:24 guest rhel9 web disk reason=start old=? new=/var/lib/libvirt/images/rhel9.qcow2 [success]",
                $"2: 1795542733.544:25 guest rhel9 web ({Uuid}) op=start reason=booted vm-pid=4242 [success]",
            },
            Lines(parse));
    }

    [Fact]
    public void Parser_types_its_embedded_libvirt_lines()
    {
        var parse = Run("Parser");
        Assert.True(parse.ExitCode == 0, parse.ToString());
        Assert.Contains("parser: no FILE given; reading the embedded sample lines", parse.Output);
        Assert.Equal(
            new[]
            {
                "1: 1795542732.200:10 guest auditvm1 security model=dac vm-ctx=+0:+0 img-ctx=+0:+0 [success]",
                "2: 1795542733.544:24 guest auditvm1 disk reason=start old=? new=/var/lib/libvirt/images/test/disk1.qcow2 [success]",
                "3: 1795542733.544:27 guest auditvm1 NIC reason=start old=? new=52:54:00:12:34:56 [success]",
                $"4: 1795542733.544:42 guest auditvm1 ({Uuid}) op=start reason=booted vm-pid=11600 [success]",
                $"5: 1795542783.408:51 guest auditvm1 ({Uuid}) op=stop reason=failed vm-pid=0 [success]",
            },
            Lines(parse).Where(l => RecordLine.IsMatch(l)));
    }

    [Fact]
    public void Parser_types_every_libvirt_record_of_the_corpus()
    {
        var corpus = Repository.Libvirt90AuditLog;
        var parse = Run("Parser", corpus);
        Assert.True(parse.ExitCode == 0, parse.ToString());

        // One line per VIRT record (virtaudit check counts virt=293 in this capture), every one typed.
        var records = Lines(parse);
        Assert.Equal(293, records.Length);
        Assert.All(records, l => Assert.Matches(RecordLine, l));
        Assert.DoesNotContain(records, l => l.Contains("untyped", StringComparison.Ordinal));
        Assert.Contains("396: 1795543085.168:428 guest auditvm1 disk reason=attach old=? new=/var/lib/libvirt/images/test/cd2.iso [failed]", records);
    }

    [Fact]
    public void Extension_types_its_vsock_record_and_libvirts_disk_record_and_writes_a_vsock_record()
    {
        var run = Run("Extension");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(
            new[]
            {
                $"VirtResourceVsock: guest auditvm1 ({Uuid}) reason=start cid=42 path=/dev/vhost-vsock",
                "VirtResourceDisk: 1795542733.544:24",
                $"written: virt=kvm resrc=vsock reason=attach vm=\"auditvm1\" uuid={Uuid} cid=43 path=\"/dev/vhost-vsock\"",
            },
            Lines(run));
    }

    /// <summary>Runs samples/<paramref name="sample"/> with <c>dotnet run --no-build</c>, in this project's configuration.</summary>
    private static DotNetResult Run(string sample, params string[] args)
    {
        var configuration = typeof(SampleTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        string[] run = ["run", "--no-build", "--project", Path.Combine(RepoRoot, "samples", sample), "-c", configuration, "--"];
        return DotNet.Run(RepoRoot, [.. run, .. args]);
    }

    private static string[] Lines(DotNetResult result) =>
        result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
