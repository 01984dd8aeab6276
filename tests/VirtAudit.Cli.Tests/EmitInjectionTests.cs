using System.Text;
using VirtAudit.Cli.Emit;

namespace VirtAudit.Cli.Tests;

/// <summary>
/// Issue 12, log injection through <c>virtaudit emit</c>: a hostile guest name, disk path or evdev path (raw) given
/// on the command line, written to stdout or appended to a file as a RAW or ENRICHED line, reads back as one line
/// and one record with the value whole and the result asked for. A raw field refuses a control byte (exit 2, the
/// field named) and writes nothing. (A real argv cannot hold NUL; the in-process call can, and it is tested too.)
/// </summary>
public class EmitInjectionTests
{
    private const string Uuid = "3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11";

    public static readonly string[] Hostile =
    {
        "x\" res=success",
        "x' res=failed",
        "a vm=evil",
        "a\n type=VIRT_CONTROL msg=audit(1700000000.000:1): pid=1 uid=0 auid=0 ses=0 msg='virt=kvm op=start res=success'",
        "a\u001dUID=\"root\"",
        "nul\0here",
        "quote at the end'",
        "x exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success",
        new string('n', 3000),
    };

    public static IEnumerable<object[]> Cases() =>
        from text in Enumerable.Range(0, Hostile.Length)
        from place in new[] { "vm", "new-disk", "evdev-path" }
        from to in new[] { "stdout", "file" }
        from format in new[] { "raw", "enriched" }
        select new object[] { text, place, to, format };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_hostile_value_on_the_command_line_stays_one_field_of_one_line(int text, string place, string to, string format)
    {
        string value = Hostile[text];
        foreach (bool failed in new[] { false, true })
        {
            var args = new List<string> { "--virt", "kvm", "--reason", "start", "--uuid", Uuid, "--format", format };
            args.InsertRange(0, place switch
            {
                "vm" => new[] { "resource", "--resrc", "disk", "--vm", value, "--old-disk", "?", "--new-disk", "/var/lib/x.qcow2" },
                "new-disk" => new[] { "resource", "--resrc", "disk", "--vm", "g", "--old-disk", "?", "--new-disk", value },
                _ => new[] { "resource", "--resrc", "evdev", "--vm", "g", "--path", value },
            });
            if (failed)
            {
                args.Add("--failed");
            }

            string path = Path.Combine(Path.GetTempPath(), "virtaudit-inject-" + Guid.NewGuid().ToString("N") + ".log");
            if (to == "file")
            {
                args.AddRange(new[] { "--to", "file:" + path });
            }

            try
            {
                var stdout = new StringWriter();
                var stderr = new StringWriter();
                int code = EmitCommand.Run(args.ToArray(), stdout, stderr);
                if (place == "evdev-path" && value.Any(c => c < 0x20 || c == 0x7F))
                {
                    Assert.Equal(2, code);
                    Assert.Contains("path", stderr.ToString());
                    Assert.Equal("", stdout.ToString());
                    Assert.False(File.Exists(path) && new FileInfo(path).Length > 0, "a refused record was written");
                    continue;
                }

                Assert.True(code == 0, stderr.ToString());
                byte[] bytes = to == "file" ? File.ReadAllBytes(path) : Encoding.UTF8.GetBytes(stdout.ToString());
                Assert.Equal(1, bytes.Count(b => b == '\n'));

                using var reader = new AuditLogReader(new MemoryStream(bytes));
                Assert.True(reader.Read());
                Assert.False(reader.Current.IsError, reader.Current.IsError ? reader.Current.Error.ToString() : "");
                AuditLogRecord record = reader.Current.Record;
                Assert.Equal(format == "raw" ? AuditRendering.Raw : AuditRendering.Enriched, record.Rendering);
                Assert.True(record.Virt.IsTyped, record.Virt.Error);
                Assert.Equal(!failed, record.Virt.Trailer.Success);
                string? read = place switch
                {
                    "vm" => record.Virt.Get<VirtResourceDisk>().Vm.Value,
                    "new-disk" => record.Virt.Get<VirtResourceDisk>().NewDisk.Value,
                    _ => record.Virt.Get<VirtResourceEvdev>().Path.Value,
                };
                Assert.Equal(value, read);
                Assert.False(reader.Read(), "the line was split");
                Assert.Equal((1, 1, 0), (reader.LinesRead, reader.RecordsRead, reader.ErrorsRead));
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
