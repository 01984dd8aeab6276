using System.Buffers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using VirtAudit.Cli.Emit;
using VirtAudit.LogGenerator;

namespace VirtAudit.Cli.Tests;

/// <summary>
/// <c>emit</c>'s record building (<see cref="RecordBuilder"/>, <see cref="EmitVariant"/>): through the generated JSON
/// converters, so the same in the JIT and Native AOT builds. Every variant of the registry can be built; a record
/// parsed from a log, given back to emit as the fields a user would type, is the same struct and the same bytes; each
/// value kind's bad text is refused with the field named and why; a field not given keeps the struct's default.
/// </summary>
public class EmitRecordBuilderTests
{
    private const string Uuid = "3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11";

    [Fact]
    public void Every_variant_of_the_registry_can_be_built_and_only_those()
    {
        Assert.Equal(
            VirtAuditRegistry.Default.Variants.Select(v => v.Name).Order(StringComparer.Ordinal),
            EmitVariant.All.Select(v => v.Info.Name).Order(StringComparer.Ordinal));
        foreach (EmitVariant variant in EmitVariant.All)
        {
            Assert.Same(VirtAuditRegistry.Default.Variants.Single(v => v.Name == variant.Info.Name), variant.Info);
            Assert.NotEmpty(variant.Fields);
            Assert.DoesNotContain(variant.Fields, f => f.Kind == EmitFieldKind.Other);
        }
    }

    [Fact]
    public void The_fields_are_the_structs_audit_fields_in_declaration_order_with_their_kinds()
    {
        EmitVariant open = EmitVariant.All.Single(v => v.Info.Name == nameof(VirtResourceNetOpen));
        Assert.Equal(
            new[] { "virt:Enum", "vm:Text", "uuid:Uuid", "net:Mac", "path:Text", "rdev:DeviceNumber" },
            open.Fields.Select(f => f.AuditName + ":" + f.Kind));
        EmitVariant cgroup = EmitVariant.All.Single(v => v.Info.Name == nameof(VirtResourceCgroup));
        Assert.Contains(cgroup.Fields, f => f.AuditName == "maj" && f.Kind == EmitFieldKind.HexByte && f.IsNullable);
    }

    /// <summary>Payloads of shapes a generated log writes seldom or never (field kinds and conditions it may miss).</summary>
    public static readonly string[] Samples =
    {
        "virt=kvm op=start reason=booted vm=\"rhel9\" uuid=U vm-pid=24811",
        "virt=lxc op=init vm=\"web1\" uuid=U vm-pid=901 init-pid=902 pid-ns=4026532290",
        "virt=kvm vm=\"rhel9\" uuid=U vm-ctx=system_u:system_r:svirt_t:s0:c1,c2 img-ctx=system_u:object_r:svirt_image_t:s0:c1,c2 model=selinux",
        "virt=kvm resrc=disk reason=attach vm=7765622031 uuid=U old-disk=\"?\" new-disk=2F7661722F6C69622F6C6962766972742F696D616765732F77656220312E71636F7732",
        "virt=kvm resrc=fs reason=start vm=\"rhel9\" uuid=U old-fs=\"?\" new-fs=\"/srv/share\"",
        "virt=kvm resrc=net reason=detach vm=\"rhel9\" uuid=U old-net=\"52:54:00:6b:3c:58\" new-net=\"?\"",
        "virt=kvm resrc=chardev reason=start vm=\"rhel9\" uuid=U old-chardev=\"?\" new-chardev=\"/dev/pts/3\"",
        "virt=kvm resrc=smartcard reason=start vm=\"rhel9\" uuid=U old-smartcard=\"?\" new-smartcard=\"nss-smartcard-device\"",
        "virt=kvm resrc=rng reason=start vm=\"rhel9\" uuid=U old-rng=\"?\" new-rng=\"/dev/urandom\"",
        "virt=kvm resrc=net reason=open vm=\"rhel9\" uuid=U net=52:54:00:6b:3c:58 path=\"/dev/net/tun\" rdev=0A:C8",
        "virt=kvm resrc=dev reason=start vm=\"rhel9\" uuid=U bus=usb device=\"002.004\"",
        "virt=lxc resrc=hostdev reason=attach vm=\"web1\" uuid=U chardev=\"/dev/ttyS1\"",
        "virt=kvm resrc=tpm reason=start vm=\"rhel9\" uuid=U device=\"/dev/tpm0\"",
        "virt=kvm resrc=tpm-emulator reason=start vm=\"rhel9\" uuid=U device=\"/run/libvirt/qemu/swtpm/3-rhel9-swtpm.sock\"",
        "virt=kvm resrc=tpm-external reason=start vm=\"rhel9\" uuid=U device=\"/run/swtpm/external.sock\"",
        "virt=kvm resrc=cgroup reason=allow vm=\"rhel9\" uuid=U cgroup=\"/sys/fs/cgroup/machine.slice/\" class=major category=pty maj=88 acl=rw",
        "virt=kvm resrc=cgroup reason=deny vm=\"rhel9\" uuid=U cgroup=\"/sys/fs/cgroup/machine.slice/\" class=all",
        "virt=kvm resrc=cgroup reason=allow vm=\"rhel9\" uuid=U cgroup=\"/sys/fs/cgroup/machine.slice/\" class=path path=\"/dev/kvm\" rdev=0A:E8 acl=rw",
        "virt=kvm resrc=mem reason=update vm=\"rhel9\" uuid=U old-mem=4194304 new-mem=8388608",
        "virt=kvm resrc=vcpu reason=update vm=\"rhel9\" uuid=U old-vcpu=2 new-vcpu=4",
        "virt=kvm resrc=iothread reason=start vm=\"rhel9\" uuid=U old-iothread=0 new-iothread=2",
        "virt=kvm resrc=shmem reason=start vm=\"rhel9\" uuid=U size=4194304 path=/dev/shm/shmem0",
        "virt=kvm resrc=ivshmem-socket reason=attach vm=\"rhel9\" uuid=U path=/var/lib/libvirt/shmem-ivsock0-sock",
        "virt=kvm resrc=evdev reason=start vm=\"rhel9\" uuid=U path=/dev/input/by-id/usb-kbd-event-kbd",
    };

    /// <summary>
    /// Every current variant, from the samples above, a generated log (every shape libvirt writes, awkward names that
    /// need hex included) and the real capture: its fields as a user would type them (decoded text, <c>?</c> for an
    /// absent value (an unset enum left out), a number as digits, a hex byte as <c>0x88</c>) build the equal struct,
    /// which writes the same payload as the parsed one.
    /// </summary>
    [Fact]
    public void Every_current_variant_parsed_from_a_log_is_rebuilt_from_its_fields_byte_for_byte()
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string sample in Samples)
        {
            string kind = sample.Contains(" op=", StringComparison.Ordinal) ? "VIRT_CONTROL" : sample.Contains("resrc=", StringComparison.Ordinal) ? "VIRT_RESOURCE" : "VIRT_MACHINE_ID";
            byte[] message = Encoding.UTF8.GetBytes(sample.Replace("uuid=U", "uuid=" + Uuid, StringComparison.Ordinal) + " exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success");
            VirtAuditRecord record = VirtAuditRegistry.Default.Parse(VirtAuditRegistry.Default.Variants.First(v => v.RecordType == kind).RecordNumber, message);
            Assert.True(record.IsTyped && !record.Variant!.IsLegacy && !record.IsLegacy, $"{sample}: {record.Error}");
            Rebuild(record, seen);
        }

        var (log, _) = AuditLogGenerator.Generate(new LogGeneratorOptions { Lines = 20_000, Seed = 11, VirtShare = 1, Guests = 40 });
        foreach (byte[] input in new[] { log, File.ReadAllBytes(Cli.Corpus) })
        {
            using var reader = new AuditLogReader(new MemoryStream(input));
            while (reader.Read())
            {
                if (reader.Current.IsRecord && reader.Current.Record.IsTyped && !reader.Current.Record.Virt.Variant!.IsLegacy && !reader.Current.Record.Virt.IsLegacy)
                {
                    Rebuild(reader.Current.Record.Virt, seen);
                }
            }
        }

        Assert.Equal(
            VirtAuditRegistry.Default.Variants.Where(v => !v.IsLegacy).Select(v => v.Name).Order(StringComparer.Ordinal),
            seen.Keys.Order(StringComparer.Ordinal));
        Assert.True(seen.Values.Sum() > 400, $"only {seen.Values.Sum()} records rebuilt");
    }

    [Theory]
    [InlineData("control --virt kvm --op start --reason booted --vm g --uuid U --vm-pid 4x2", "--vm-pid: '4x2' is not an integer")]
    [InlineData("control --virt kvm --op start --reason booted --vm g --uuid 3f1a8c52 --vm-pid 1", "--uuid: '3f1a8c52' is not a UUID")]
    [InlineData("resource --virt kvm --resrc shmem --reason start --vm g --uuid U --size -1 --path /dev/shm/s", "--size: '-1' is not a non-negative integer")]
    [InlineData("resource --virt kvm --resrc cgroup --reason allow --vm g --uuid U --cgroup c --class major --category major --maj 1FF --acl rwm", "--maj: '1FF' is not a hexadecimal byte")]
    [InlineData("resource --virt kvm --resrc net --reason open --vm g --uuid U --net 52:54:00:ab:cd --path /dev/net/tun --rdev 0A:C8", "--net: '52:54:00:ab:cd' is not a MAC address (52:54:00:ab:cd:01)")]
    [InlineData("resource --virt kvm --resrc net --reason open --vm g --uuid U --net 52:54:00:ab:cd:01 --path /dev/net/tun --rdev 0AC8", "--rdev: '0AC8' is not a device number (0A:C8)")]
    [InlineData("control --virt lxc --op init --vm g --uuid U --vm-pid 9 --init-pid ? --pid-ns 1", "InitPid (init-pid) is required when op=init and virt=lxc")]
    public void Each_value_kind_refuses_bad_text_naming_the_field_and_why(string args, string message)
    {
        var (code, stdout, stderr) = Emit(args);
        Assert.Equal(EmitCommand.UsageError, code);
        Assert.Equal("", stdout);
        Assert.Equal("virtaudit: emit: " + message, stderr.TrimEnd());
    }

    [Fact]
    public void A_kind_the_command_line_cannot_give_says_so()
    {
        var field = new EmitField("blob", EmitFieldKind.Other, "Blob", IsNullable: false);
        using var writer = new Utf8JsonWriter(new ArrayBufferWriter<byte>());
        writer.WriteStartObject();
        writer.WritePropertyName("blob");
        Assert.False(field.TryWrite(writer, "x", out string? problem));
        Assert.Equal("cannot be given on the command line (Blob)", problem);
    }

    [Theory]
    [InlineData("resource --virt kvm --resrc cgroup --reason allow --vm g --uuid U --cgroup /m --class major --category major --maj 88 --acl rwm", "virt=kvm resrc=cgroup reason=allow vm=\"g\" uuid=U cgroup=\"/m\" class=major category=major maj=88 acl=rwm")]
    [InlineData("resource --virt kvm --resrc cgroup --reason allow --vm g --uuid U --cgroup /m --class major --category major --maj 0x0a --acl rwm", "virt=kvm resrc=cgroup reason=allow vm=\"g\" uuid=U cgroup=\"/m\" class=major category=major maj=0A acl=rwm")]
    [InlineData("control --virt nvmm --op start --reason api --vm g --uuid U --vm-pid -1", "virt=nvmm op=start reason=api vm=\"g\" uuid=U vm-pid=-1")]
    [InlineData("resource --virt kvm --resrc shmem --reason start --vm g --uuid U --size 18446744073709551615 --path /dev/shm/s", "virt=kvm resrc=shmem reason=start vm=\"g\" uuid=U size=18446744073709551615 path=/dev/shm/s")]
    [InlineData("resource --virt kvm --resrc net --reason detach --vm g --uuid U --old-net 52:54:00:6b:3c:58 --new-net ?", "virt=kvm resrc=net reason=detach vm=\"g\" uuid=U old-net=\"52:54:00:6b:3c:58\" new-net=\"?\"")]
    [InlineData("machine-id --virt kvm --vm g --uuid U --vm-ctx ? --img-ctx ? --model none", "virt=kvm vm=\"g\" uuid=U vm-ctx=? img-ctx=? model=none")]
    public void Each_value_kind_is_written_as_libvirt_writes_it(string args, string payload)
    {
        var (code, stdout, stderr) = Emit(args);
        Assert.True(code == EmitCommand.Ok, stderr);
        Assert.Equal(payload.Replace("=U ", "=" + Uuid + " ", StringComparison.Ordinal), stdout.TrimEnd());
    }

    [Fact]
    public void A_field_not_given_keeps_the_structs_default()
    {
        foreach (EmitVariant variant in EmitVariant.All)
        {
            Assert.True(variant.TryBuild(new Dictionary<string, string>(), out IVirtAuditPayload? record, out string? error), error);
            Assert.Equal(Activator.CreateInstance(TypeOf(variant.Info)), record);
        }
    }

    /// <summary>Runs <c>emit</c> with <paramref name="args"/> split at spaces, <c>U</c> standing for the UUID.</summary>
    private static (int Code, string Stdout, string Stderr) Emit(string args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = EmitCommand.Run(args.Replace(" U ", " " + Uuid + " ", StringComparison.Ordinal).Split(' '), stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Builds <paramref name="record"/> again from its fields (up to 40 of a variant) and compares.</summary>
    private static void Rebuild(VirtAuditRecord record, Dictionary<string, int> seen)
    {
        string name = record.Variant!.Name;
        if (seen.TryGetValue(name, out int count) && count >= 40)
        {
            return;
        }

        seen[name] = count + 1;
        IVirtAuditPayload parsed = Typed(record);
        string kind = RecordBuilder.Kinds.Single(k => k.Value == record.Variant.RecordType).Key;
        Dictionary<string, string> fields = FieldsOf(parsed);
        Assert.True(RecordBuilder.TryBuild(kind, fields, out VirtAuditVariantInfo? variant, out IVirtAuditPayload? built, out string? error), $"{name}: {error} ({string.Join(" ", fields.Select(f => f.Key + "=" + f.Value))})");
        Assert.Same(record.Variant, variant);
        Assert.Equal(parsed, built);
        Assert.Equal(Payload(parsed), Payload(built!));
    }

    /// <summary>The fields a user would type for <paramref name="record"/>, from its JSON form (decoded values).</summary>
    private static Dictionary<string, string> FieldsOf(IVirtAuditPayload record)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        EmitVariant variant = EmitVariant.All.Single(v => v.Info.Name == record.GetType().Name);
        using JsonDocument json = JsonDocument.Parse(JsonSerializer.Serialize(record, record.GetType()));
        foreach (JsonProperty property in json.RootElement.EnumerateObject())
        {
            EmitField? field = variant.Fields.SingleOrDefault(f => f.AuditName == property.Name);
            string? text = property.Value.ValueKind switch
            {
                JsonValueKind.Null => field?.Kind == EmitFieldKind.Enum ? null : "?",
                JsonValueKind.Number when field?.Kind == EmitFieldKind.HexByte => "0x" + property.Value.GetByte().ToString("x2", System.Globalization.CultureInfo.InvariantCulture),
                JsonValueKind.Number => property.Value.GetRawText(),
                _ => property.Value.GetString(),
            };
            if (text is not null)
            {
                fields[property.Name] = text;
            }
        }

        return fields;
    }

    private static IVirtAuditPayload Typed(in VirtAuditRecord record) =>
        (IVirtAuditPayload)typeof(VirtAuditRecord).GetMethod(nameof(VirtAuditRecord.Get))!.MakeGenericMethod(TypeOf(record.Variant!)).Invoke(record, null)!;

    private static Type TypeOf(VirtAuditVariantInfo info) => typeof(VirtControl).Assembly.GetType("VirtAudit." + info.Name, throwOnError: true)!;

    private static string Payload(IVirtAuditPayload record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        record.WriteTo(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
