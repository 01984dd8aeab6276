using System.Text;

namespace VirtAudit.Cli.Tests;

/// <summary>
/// <c>parse --format checksum</c>: the fold of docs/cli.md, its field count against libauparse's, and the same answer
/// read in blocks on several threads as read in one pass (more in <see cref="BlockReadingTests"/>).
/// </summary>
public sealed class ChecksumFormatTests : IDisposable
{
    private const string Uuid = "6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8";
    private readonly string _folder = Directory.CreateTempSubdirectory("virtaudit-checksum-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_corpus_folds_to_its_golden_line()
    {
        // fields=6969 is what libauparse counts on this file (auparse_first_field/next_field over every record, the
        // SELinux seresult/seperms included); it drops one field we keep (ADD_GROUP line 7's empty "op="), which is
        // why the empty value is folded but not counted.
        var all = Cli.Run("parse", "--all", "--format", "checksum", Cli.Corpus);
        Assert.Equal(0, all.Code);
        Assert.Equal("", all.Stderr);
        var virt = Cli.Run("parse", "--format", "checksum", Cli.Corpus);
        Golden.Verify("parse.checksum.txt", all.Stdout + virt.Stdout);
        Assert.StartsWith("records=451 virt=293 fields=6969 checksum=", all.Stdout, StringComparison.Ordinal);

        // Only VIRT records without --all: 293 records, the 5,237 fields auparse_walk interpret visits in them.
        Assert.StartsWith("records=293 virt=293 fields=5237 checksum=", virt.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Encoded_values_fold_decoded_and_everything_else_counts()
    {
        string Line(string vm, string res = "success", string serial = "7") =>
            $"type=VIRT_CONTROL msg=audit(1795542733.544:{serial}): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='virt=kvm op=start reason=booted vm={vm} uuid={Uuid} vm-pid=42 exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res={res}'\n";

        string quoted = Fold(Line("\"web 1\"".Replace(" ", "_", StringComparison.Ordinal)));
        string hex = Fold(Line(Convert.ToHexString(Encoding.UTF8.GetBytes("web_1"))));
        Assert.Equal(quoted, hex); // the same name, written quoted or in hex, is the same value
        Assert.StartsWith("records=1 virt=1 fields=16 ", quoted, StringComparison.Ordinal); // type, 4 header, 11 inner
        Assert.NotEqual(quoted, Fold(Line("\"web_2\"")));
        Assert.NotEqual(quoted, Fold(Line("\"web_1\"", res: "failed")));

        // Order matters; the stamp is not a field (auparse does not make it one either).
        string a = Line("\"a\""), b = Line("\"b\"");
        Assert.NotEqual(Fold(a + b), Fold(b + a));
        Assert.Equal(Fold(a), Fold(Line("\"a\"", serial: "8")));

        // The ENRICHED tail is folded (not counted: auparse keeps it as interpretations, not fields).
        string raw = Line("\"a\"");
        string enriched = raw.TrimEnd('\n') + "\u001dUID=\"root\" AUID=\"unset\"\n";
        Assert.StartsWith("records=1 virt=1 fields=16 ", Fold(enriched), StringComparison.Ordinal);
        Assert.NotEqual(Fold(raw), Fold(enriched));

        // A record that is not typed folds differently from the typed one (the variant's name is part of it).
        Assert.NotEqual(Fold(raw), Fold(raw.Replace("reason=booted ", "", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_avc_counts_seresult_and_seperms_as_auparse_does()
    {
        const string Avc = "type=AVC msg=audit(1795542733.544:9): avc:  denied  { read write } for  pid=5 comm=\"qemu-kvm\" name=\"kvm\" dev=\"dm-0\" ino=8 scontext=a tcontext=b tclass=chr_file permissive=0\n";
        // type, seresult, seperms, pid, comm, name, dev, ino, scontext, tcontext, tclass, permissive
        Assert.StartsWith("records=1 virt=0 fields=12 ", Fold(Avc), StringComparison.Ordinal);
        Assert.NotEqual(Fold(Avc), Fold(Avc.Replace("read write", "read", StringComparison.Ordinal)));
    }

    [Fact]
    public void Standard_input_and_gzip_are_read_in_one_pass_and_fold_alike()
    {
        byte[] log = File.ReadAllBytes(Cli.Corpus);
        string gz = Path.Combine(_folder, "audit.log.1.gz");
        using (var file = File.Create(gz))
        using (var zip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest))
        {
            zip.Write(log);
        }

        Assert.Single(AuditLogRange.Cut(gz, 4096)); // one block: read in one pass
        var plain = Run(["parse", "--all", "--format", "checksum", Cli.Corpus], workers: 2, 4096);
        var zipped = Run(["parse", "--all", "--format", "checksum", gz], workers: 2, 4096);
        var piped = Cli.Run(log, "parse", "--all", "--format", "checksum");
        Assert.Equal(plain.Stdout, zipped.Stdout);
        Assert.Equal(plain.Stdout, piped.Stdout);

        // Two inputs fold as one input holding both.
        string twice = Path.Combine(_folder, "twice.log");
        File.WriteAllBytes(twice, [.. log, .. log]);
        Assert.Equal(
            Run(["parse", "--all", "--format", "checksum", twice], workers: 2, 4096).Stdout,
            Run(["parse", "--all", "--format", "checksum", Cli.Corpus, gz], workers: 2, 4096).Stdout);
    }

    [Fact]
    public void Follow_does_not_take_the_checksum_format()
    {
        var result = Cli.Run("follow", "--format", "checksum", Cli.Corpus);
        Assert.Equal(2, result.Code);
        Assert.Contains("checksum", result.Stderr, StringComparison.Ordinal);
    }

    private static string Fold(string log)
    {
        var result = Cli.Run(Encoding.UTF8.GetBytes(log), "parse", "--all", "--format", "checksum");
        Assert.True(result.Code == 0, result.Stderr);
        return result.Stdout;
    }

    private static CliResult Run(string[] args, int workers, int blockBytes) =>
        Cli.Run(
            new Cli.Options
            {
                Environment = new()
                {
                    [BlockSettings.WorkersVariable] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    [BlockSettings.BlockBytesVariable] = blockBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
            },
            args);
}
