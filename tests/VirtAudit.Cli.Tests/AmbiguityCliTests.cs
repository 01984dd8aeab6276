using System.Text;
using System.Text.Json;

namespace VirtAudit.Cli.Tests;

/// <summary>Issue 12, ambiguity: <c>check</c> counts and lists an ambiguous record; <c>parse</c> shows it in the table and in JSON.</summary>
public sealed class AmbiguityCliTests : IDisposable
{
    private const string Ambiguous = "type=VIRT_MACHINE_ID msg=audit(1715510879.842:5001): pid=1187 uid=0 auid=4294967295 ses=4294967295 msg='virt=kvm vm=\"a\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-ctx=x model=dac img-ctx=y model=selinux exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success'";
    private const string Plain = "type=VIRT_RESOURCE msg=audit(1715510880.305:5020): pid=1187 uid=0 auid=4294967295 ses=4294967295 msg='virt=kvm resrc=shmem reason=start vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 size=4194304 path=/dev/shm/my shm exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success'";

    private readonly string _dir = Directory.CreateTempSubdirectory("virtaudit-ambiguity-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Check_lists_the_ambiguous_record_with_its_line_and_counts_it_as_a_note()
    {
        var file = Write(Plain, Ambiguous);

        var (code, stdout, _) = Cli.Run("check", file);

        Assert.Equal(0, code);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.StartsWith("line 2 (byte ", lines[0], StringComparison.Ordinal);
        Assert.Contains("VirtMachineId ambiguous: vm-ctx holds \" model=dac\" at byte 66", lines[0], StringComparison.Ordinal);
        Assert.Equal("notes: not_libvirt=0 interpreted_virt=0 other_virt_type=0 truncated=0 not_sent=0 ambiguous=1", lines[^2]);
        Assert.Equal("lines=2 virt=2 typed=2 roundtrip_ok=2 legacy=0 errors=0", lines[^1]);
    }

    [Fact]
    public void Check_points_at_the_key_text_inside_the_value()
    {
        var file = Write(Ambiguous);

        var (_, stdout, _) = Cli.Run("check", file);

        var at = long.Parse(stdout.Split("(byte ")[1].Split(')')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(" model=dac", Ambiguous.Substring((int)at, " model=dac".Length));
    }

    [Fact]
    public void Parse_jsonl_marks_the_record_and_keeps_the_raw_value_whole()
    {
        var file = Write(Plain, Ambiguous);

        var (code, stdout, _) = Cli.Run("parse", "--format", "jsonl", file);

        Assert.Equal(0, code);
        var lines = stdout.TrimEnd().Split('\n');
        using (var plain = JsonDocument.Parse(lines[0]))
        {
            Assert.False(plain.RootElement.TryGetProperty("ambiguous", out _));
            Assert.Equal("/dev/shm/my shm", plain.RootElement.GetProperty("fields").GetProperty("path").GetString());
        }

        using var json = JsonDocument.Parse(lines[1]);
        var ambiguous = json.RootElement.GetProperty("ambiguous");
        Assert.Equal("vm-ctx", ambiguous.GetProperty("field").GetString());
        Assert.Equal(66, ambiguous.GetProperty("offset").GetInt32());
        Assert.Contains("another reading takes model=dac as the field model", ambiguous.GetProperty("description").GetString(), StringComparison.Ordinal);
        var fields = json.RootElement.GetProperty("fields");
        Assert.Equal(["virt", "vm", "uuid", "vm-ctx", "img-ctx", "model"], fields.EnumerateObject().Select(p => p.Name));
        Assert.Equal("x model=dac", fields.GetProperty("vm-ctx").GetString());
        Assert.Equal("y", fields.GetProperty("img-ctx").GetString());
        Assert.Equal("selinux", fields.GetProperty("model").GetString());
    }

    [Fact]
    public void Parse_table_shows_the_reading_and_the_other_one()
    {
        var file = Write(Ambiguous);

        var (code, stdout, _) = Cli.Run("parse", "--format", "table", file);

        Assert.Equal(0, code);
        var row = stdout.Split('\n').Single(l => l.Contains("VIRT_MACHINE_ID", StringComparison.Ordinal));
        Assert.Contains("vm-ctx=\"x model=dac\" img-ctx=y model=selinux [ambiguous: vm-ctx holds", row, StringComparison.Ordinal);
    }

    private string Write(params string[] lines)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".log");
        File.WriteAllText(path, string.Join("\n", lines) + "\n", new UTF8Encoding(false));
        return path;
    }
}
