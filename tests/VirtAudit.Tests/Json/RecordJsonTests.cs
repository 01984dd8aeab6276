using VirtAudit.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using VirtAudit.Json;

namespace VirtAudit.Tests.Json;

/// <summary>
/// System.Text.Json for library users: the generated converters write a record as the object the CLI's
/// <c>fields</c> holds (audit names, decoded values, absent as null) and read it back; the value converters; a
/// source-generated context (the trimmed/AOT path); and one convention for absent values in <c>ToString()</c>.
/// </summary>
public sealed class RecordJsonTests
{
    private const string Disk = "virt=kvm resrc=disk reason=update vm=77696E203131 uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-disk=\"?\" new-disk=\"/var/lib/libvirt/images/a_b.iso\" exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success";
    private const string Net = "virt=kvm resrc=net reason=attach vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-net=\"?\" new-net=\"52:54:00:ab:cd:01\"";
    private const string Cgroup = "virt=kvm resrc=cgroup reason=allow vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 cgroup=\"/sys/fs/cgroup/machine/qemu-1-rhel9.libvirt-qemu/\" class=major category=pty maj=88 acl=rw";

    [Fact]
    public void A_parsed_disk_serializes_as_its_audit_fields_decoded_not_its_internals()
    {
        var disk = VirtResourceDisk.Parse(Encoding.UTF8.GetBytes(Disk));
        var json = JsonSerializer.Serialize(disk);
        Assert.Equal("{\"virt\":\"kvm\",\"resrc\":\"disk\",\"reason\":\"update\",\"vm\":\"win 11\",\"uuid\":\"3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11\",\"old-disk\":null,\"new-disk\":\"/var/lib/libvirt/images/a_b.iso\"}", json);
        Assert.DoesNotContain("IsSet", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Token", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_net_record_keeps_its_MAC_and_every_record_reads_back_to_the_same_bytes()
    {
        var net = VirtResourceNet.Parse(Encoding.UTF8.GetBytes(Net));
        var json = JsonSerializer.Serialize(net);
        Assert.Contains("\"new-net\":\"52:54:00:ab:cd:01\"", json, StringComparison.Ordinal);
        Assert.Contains("\"old-net\":null", json, StringComparison.Ordinal);

        foreach (var (payload, roundTrip) in new (string, Func<string, string>)[] { (Disk, RoundTrip<VirtResourceDisk>), (Net, RoundTrip<VirtResourceNet>), (Cgroup, RoundTrip<VirtResourceCgroup>) })
        {
            var libvirtPart = payload.Split(" exe=")[0];
            Assert.Equal(libvirtPart, roundTrip(payload));
        }
    }

    [Fact]
    public void A_hex_byte_is_the_number_it_stands_for_and_an_enum_its_audit_text()
    {
        var json = JsonSerializer.Serialize(VirtResourceCgroup.Parse(Encoding.UTF8.GetBytes(Cgroup)));
        Assert.Contains("\"maj\":136", json, StringComparison.Ordinal);
        Assert.Contains("\"class\":\"major\",\"category\":\"pty\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"path\"", json, StringComparison.Ordinal);  // not written for class=major: left out
    }

    [Fact]
    public void Every_record_of_the_corpus_round_trips_through_json_to_its_bytes()
    {
        var corpus = Path.Combine(TestRoot(), "corpus", "libvirt-9.0", "audit.log");
        using var reader = AuditLogReader.Open(corpus);
        var methods = typeof(RecordJsonTests).GetMethod(nameof(RoundTripPart), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        var typed = 0;
        while (reader.Read())
        {
            var record = reader.Current.Record;
            if (!record.IsTyped)
            {
                continue;
            }

            typed++;
            var type = typeof(VirtControl).Assembly.GetType("VirtAudit." + record.Virt.Variant!.Name)!;
            var part = Encoding.UTF8.GetString(record.Virt.LibvirtPart.Span);
            var back = (string)methods.MakeGenericMethod(type).Invoke(null, [part])!;
            Assert.Equal(part, back);
        }

        Assert.Equal(293, typed);
    }

    [Fact]
    public void A_source_generated_context_gives_the_same_json_without_reflection()
    {
        var disk = VirtResourceDisk.Parse(Encoding.UTF8.GetBytes(Disk));
        var json = JsonSerializer.Serialize(disk, TestJsonContext.Default.VirtResourceDisk);
        Assert.Equal(JsonSerializer.Serialize(disk), json);
        var back = JsonSerializer.Deserialize(json, TestJsonContext.Default.VirtResourceDisk);
        Assert.Equal("win 11", back.Vm.ToString());
        Assert.True(back.IsValid(out _));
    }

    [Fact]
    public void Bad_json_is_refused_with_what_is_wrong()
    {
        var wrongConstant = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<VirtResourceDisk>("{\"resrc\":\"net\"}"));
        Assert.Contains("'resrc' is always \"disk\"", wrongConstant.Message, StringComparison.Ordinal);
        var badMac = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<VirtResourceNet>("{\"new-net\":\"52:54\"}"));
        Assert.Contains("MAC address", badMac.Message, StringComparison.Ordinal);
        var nullMem = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<VirtResourceMem>("{\"old-mem\":null}"));
        Assert.Contains("'old-mem' needs a value", nullMem.Message, StringComparison.Ordinal);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<VirtResourceDisk>("[]"));
        var skipped = JsonSerializer.Deserialize<VirtResourceDisk>("{\"vm\":\"a\",\"extra\":{\"x\":[1,2]},\"uuid\":\"3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11\"}");
        Assert.Equal("a", skipped.Vm.ToString());
        Assert.Equal(Guid.Parse("3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11"), skipped.Uuid);
    }

    [Fact]
    public void The_value_converters_write_and_read_one_form_each()
    {
        Assert.Equal("\"52:54:00:ab:cd:01\"", JsonSerializer.Serialize(MacAddress.Parse("52:54:00:AB:CD:01")));
        Assert.Equal(MacAddress.Parse("52:54:00:ab:cd:01"), JsonSerializer.Deserialize<MacAddress>("\"52:54:00:ab:cd:01\""));
        Assert.Equal("\"0A:C8\"", JsonSerializer.Serialize(new DeviceNumber(10, 200)));
        Assert.Equal(new DeviceNumber(10, 200), JsonSerializer.Deserialize<DeviceNumber>("\"0A:C8\""));
        Assert.Equal("null", JsonSerializer.Serialize(AuditText.Absent));
        Assert.Equal("a \"b\"", JsonSerializer.Deserialize<string>(JsonSerializer.Serialize(AuditText.FromEncodedToken(Encoding.ASCII.GetBytes("6120226222")))));
        Assert.True(JsonSerializer.Deserialize<AuditText>("null").IsAbsent);
        var options = new JsonSerializerOptions { Converters = { AuditEnumJsonConverter<VirtOp>.Instance } };
        Assert.Equal("\"start\"", JsonSerializer.Serialize<AuditEnum<VirtOp>>(VirtOp.Start, options));
        Assert.Equal("null", JsonSerializer.Serialize(default(AuditEnum<VirtOp>), options));
        var unknown = JsonSerializer.Deserialize<AuditEnum<VirtOp>>("\"pause\"", options);
        Assert.False(unknown.IsKnown);
        Assert.Equal("pause", unknown.ToString());
    }

    [Fact]
    public void ToString_shows_every_absent_value_as_a_question_mark()
    {
        var net = new VirtResourceNet { Virt = VirtType.Kvm, Reason = VirtResourceReason.Detach, Vm = "rhel9", Uuid = Guid.Empty, OldNet = MacAddress.Parse("52:54:00:ab:cd:01") };
        Assert.Contains("OldNet = 52:54:00:ab:cd:01, NewNet = ?", net.ToString(), StringComparison.Ordinal);
        var disk = new VirtResourceDisk { Virt = VirtType.Kvm, Reason = VirtResourceReason.Attach, Vm = "rhel9", Uuid = Guid.Empty, NewDisk = "/a" };
        Assert.Contains("OldDisk = ?, NewDisk = /a", disk.ToString(), StringComparison.Ordinal);
        var control = new VirtControl { Virt = VirtType.Kvm, Op = VirtOp.Init, Vm = "c", Uuid = Guid.Empty, VmPid = 1 };
        Assert.Contains("Reason = ?", control.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("VirtControl { Virt = kvm, Op = init, Reason = ?", control.ToString(), StringComparison.Ordinal);
    }

    private static string RoundTrip<T>(string payload)
        where T : struct, IVirtAuditVariant<T> => RoundTripPart<T>(payload.Split(" exe=")[0]);

    /// <summary>libvirt part → record → JSON → record → libvirt part.</summary>
    private static string RoundTripPart<T>(string libvirtPart)
        where T : struct, IVirtAuditVariant<T>
    {
        var record = VirtAuditVariants.Parse<T>(Encoding.UTF8.GetBytes(libvirtPart));
        var back = JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(record));
        Assert.Equal(JsonSerializer.Serialize(record), JsonSerializer.Serialize(back));
        var bytes = new byte[4096];
        Assert.True(back.TryFormat(bytes, out var n));
        return Encoding.UTF8.GetString(bytes, 0, n);
    }

    private static string TestRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VirtAuditSdk.sln")))
        {
            dir = dir.Parent;
        }

        return dir!.FullName;
    }
}

/// <summary>A System.Text.Json source-generated context over generated records (the trimmed and AOT path).</summary>
[JsonSerializable(typeof(VirtResourceDisk))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
