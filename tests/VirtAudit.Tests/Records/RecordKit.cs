using System.Text;
using VirtAudit.Tests.Lines;

namespace VirtAudit.Tests.Records;

/// <summary>Parses <paramref name="message"/> with one generated type's own <c>TryParse</c> and formats it back.</summary>
internal delegate bool TypedRoundTrip(ReadOnlyMemory<byte> message, Span<byte> destination, out int payloadLength);

/// <summary>One generated variant: its name, record type, the generated parse → format path, and a sample payload.</summary>
internal sealed class VariantCase
{
    public VariantCase(VirtAuditVariantInfo info, TypedRoundTrip roundTrip, string sample)
    {
        Info = info;
        RoundTrip = roundTrip;
        Sample = Encoding.UTF8.GetBytes(sample);
    }

    public VirtAuditVariantInfo Info { get; }

    public string Name => Info.Name;

    public int RecordNumber => Info.RecordNumber;

    public TypedRoundTrip RoundTrip { get; }

    /// <summary>A whole message (libvirt part + trailer) of this variant, in canonical form.</summary>
    public byte[] Sample { get; }

    public override string ToString() => Name;
}

internal static class RecordKit
{
    public const string Trailer = """ exe="/usr/sbin/virtqemud" hostname=? addr=? terminal=? res=success""";

    private const string Guest = """vm="rhel9" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11""";

    private static readonly Lazy<Dictionary<string, VariantCase>> s_cases = new(BuildCases);

    /// <summary>Every variant of the built-in schema, keyed by C# type name.</summary>
    public static IReadOnlyDictionary<string, VariantCase> Cases => s_cases.Value;

    public static IEnumerable<object[]> CaseNames => Cases.Keys.Select(name => new object[] { name });

    public static byte[] U(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Bytes as Latin-1 text, one char per byte, for byte-exact assertions with readable diffs.</summary>
    public static string L(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>The audit.log line parsed, asserting it parses.</summary>
    public static AuditLine ParseLine(string line)
    {
        byte[] bytes = Corpus.Bytes(line);
        Assert.True(AuditLine.TryParse(bytes, out AuditLine parsed, out AuditLineError error), $"{error} in: {line}");
        return parsed;
    }

    /// <summary>The message (inside <c>msg='…'</c>) of an audit.log line.</summary>
    public static ReadOnlyMemory<byte> MessageOf(string line) => ParseLine(line).Message;

    /// <summary>Generated TryParse → TryFormat → trailer; the bytes written, or null when a step failed.</summary>
    public static byte[]? FormatThroughType(VariantCase variant, ReadOnlyMemory<byte> message)
    {
        AuditTrailer.TrySplit(message, out _, out AuditTrailer trailer);
        byte[] buffer = new byte[message.Length * 2 + 256];
        if (!variant.RoundTrip(message, buffer, out int payload)
            || !trailer.TryFormat(buffer.AsSpan(payload), out int tail))
        {
            return null;
        }

        return buffer.AsSpan(0, payload + tail).ToArray();
    }

    /// <summary>Registry → TryReencode; the bytes written, or null when it refused.</summary>
    public static byte[]? Reencode(in VirtAuditRecord record)
    {
        byte[] buffer = new byte[record.Message.Length * 2 + 256];
        return record.TryReencode(buffer, out int written) ? buffer.AsSpan(0, written).ToArray() : null;
    }

    /// <summary>A typed record's libvirt part formatted by its own TryFormat (no trailer).</summary>
    public static string Format<T>(in T record)
        where T : struct, IVirtAuditPayload
    {
        byte[] buffer = new byte[4096];
        Assert.True(record.TryFormat(buffer, out int written));
        return L(buffer.AsSpan(0, written));
    }

    /// <summary>
    /// The variant libvirt's own words imply for a record in today's format: the record type, then <c>resrc</c>
    /// (and <c>reason=open</c> for a host device opened for a NIC).
    /// </summary>
    public static string ExpectedVariant(int recordNumber, string payload)
    {
        switch (recordNumber)
        {
            case 2500:
                return "VirtControl";
            case 2502:
                return "VirtMachineId";
            case 2501:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(recordNumber), recordNumber, "not a VIRT_* record");
        }

        string? resrc = FieldToken(payload, "resrc");
        Assert.NotNull(resrc);
        if (resrc == "net" && FieldToken(payload, "reason") == "open")
        {
            return "VirtResourceNetOpen";
        }

        var name = new StringBuilder("VirtResource");
        foreach (string part in resrc.Split('-'))
        {
            name.Append(char.ToUpperInvariant(part[0])).Append(part, 1, part.Length - 1);
        }

        return name.ToString();
    }

    /// <summary>The token after <c> key=</c> (or <c>key=</c> at the start), up to the next space.</summary>
    public static string? FieldToken(string payload, string key)
    {
        string prefix = key + "=";
        int start;
        if (payload.StartsWith(prefix, StringComparison.Ordinal))
        {
            start = prefix.Length;
        }
        else
        {
            int at = payload.IndexOf(" " + prefix, StringComparison.Ordinal);
            if (at < 0)
            {
                return null;
            }

            start = at + 1 + prefix.Length;
        }

        int space = payload.IndexOf(' ', start);
        return space < 0 ? payload.Substring(start) : payload.Substring(start, space - start);
    }

    private static VariantCase Case<T>(TypedRoundTrip roundTrip, string libvirtPart)
        where T : struct, IVirtAuditVariant<T> => new(T.Variant, roundTrip, libvirtPart + Trailer);

    private static Dictionary<string, VariantCase> BuildCases()
    {
        // Each delegate calls the generated type's own static TryParse and instance TryFormat.
        VariantCase[] cases =
        {
            Case<VirtControl>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtControl.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"virt=kvm op=start reason=booted {Guest} vm-pid=24811"),
            Case<VirtMachineId>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtMachineId.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"virt=kvm {Guest} vm-ctx=system_u:system_r:svirt_t:s0:c123,c456 img-ctx=system_u:object_r:svirt_image_t:s0:c123,c456 model=selinux"),
            Case<VirtResourceDisk>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtResourceDisk.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"""virt=kvm resrc=disk reason=start {Guest} old-disk="?" new-disk="/var/lib/libvirt/images/rhel9.qcow2" """.TrimEnd()),
            Case<VirtResourceFs>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtResourceFs.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"""virt=kvm resrc=fs reason=start {Guest} old-fs="?" new-fs="/srv/share" """.TrimEnd()),
            Case<VirtResourceNet>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtResourceNet.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"""virt=kvm resrc=net reason=start {Guest} old-net="?" new-net="52:54:00:6b:3c:58" """.TrimEnd()),
            Case<VirtResourceChardev>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtResourceChardev.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"""virt=kvm resrc=chardev reason=start {Guest} old-chardev="?" new-chardev="/dev/pts/3" """.TrimEnd()),
            Case<VirtResourceSmartcard>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtResourceSmartcard.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"""virt=kvm resrc=smartcard reason=start {Guest} old-smartcard="?" new-smartcard="nss-smartcard-device" """.TrimEnd()),
            Case<VirtResourceRng>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtResourceRng.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"""virt=kvm resrc=rng reason=start {Guest} old-rng="?" new-rng="/dev/urandom" """.TrimEnd()),
            Case<VirtResourceNetOpen>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtResourceNetOpen.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"""virt=kvm resrc=net reason=open {Guest} net=52:54:00:6b:3c:58 path="/dev/net/tun" rdev=0A:C8"""),
            Case<VirtResourceDev>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtResourceDev.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"""virt=kvm resrc=dev reason=start {Guest} bus=pci device="0000:3b:00.1" """.TrimEnd()),
            Case<VirtResourceHostdev>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtResourceHostdev.TryParse(m, out var r) && r.TryFormat(d, out n); },
                """virt=lxc resrc=hostdev reason=attach vm="web1" uuid=9b2d6e1f-0c4a-4f3e-8d57-6a1b2c3d4e5f disk="/dev/sdb" """.TrimEnd()),
            Case<VirtResourceTpm>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtResourceTpm.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"""virt=kvm resrc=tpm reason=start {Guest} device="/dev/tpm0" """.TrimEnd()),
            Case<VirtResourceTpmEmulator>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtResourceTpmEmulator.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"""virt=kvm resrc=tpm-emulator reason=start {Guest} device="/run/libvirt/qemu/swtpm/3-rhel9-swtpm.sock" """.TrimEnd()),
            Case<VirtResourceTpmExternal>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtResourceTpmExternal.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"""virt=kvm resrc=tpm-external reason=start {Guest} device="/run/swtpm/external.sock" """.TrimEnd()),
            Case<VirtResourceCgroup>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtResourceCgroup.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"""virt=kvm resrc=cgroup reason=allow {Guest} cgroup="/sys/fs/cgroup/machine.slice/machine-qemu\x2d3\x2drhel9.scope/" class=path path="/dev/kvm" rdev=0A:E8 acl=rw"""),
            Case<VirtResourceMem>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtResourceMem.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"virt=kvm resrc=mem reason=start {Guest} old-mem=0 new-mem=4194304"),
            Case<VirtResourceVcpu>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtResourceVcpu.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"virt=kvm resrc=vcpu reason=update {Guest} old-vcpu=2 new-vcpu=4"),
            Case<VirtResourceIothread>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtResourceIothread.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"virt=kvm resrc=iothread reason=start {Guest} old-iothread=0 new-iothread=2"),
            Case<VirtResourceShmem>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtResourceShmem.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"virt=kvm resrc=shmem reason=start {Guest} size=4194304 path=/dev/shm/shmem0"),
            Case<VirtResourceIvshmemSocket>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtResourceIvshmemSocket.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"virt=kvm resrc=ivshmem-socket reason=attach {Guest} path=/var/lib/libvirt/shmem-ivsock0-sock"),
            Case<VirtResourceEvdev>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtResourceEvdev.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"virt=kvm resrc=evdev reason=start {Guest} path=/dev/input/by-id/usb-Logitech_USB_Receiver-event-kbd"),

            // Legacy shapes (spec §11, §12): parsed and written in their own shape.
            Case<VirtResourceRedir>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtResourceRedir.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"virt=kvm resrc=redir reason=start {Guest} bus=usb device=555342207265646972"),
            Case<VirtResourceNetHost>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtResourceNetHost.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"virt=kvm resrc=net reason=open {Guest} net=00:1b:21:3a:4c:5d rdev=eth0"),
            Case<VirtResourceShmemLegacy>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtResourceShmemLegacy.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"""virt=kvm resrc=shmem reason=start {Guest} size=4194304 shmem="shmem0" server="/var/lib/libvirt/shmem-shmem0-sock" """.TrimEnd()),
            Case<VirtResourceShmemSource>(
                static (ReadOnlyMemory<byte> m, Span<byte> d, out int n) => { n = 0; return VirtResourceShmemSource.TryParse(m, out var r) && r.TryFormat(d, out n); },
                $"""virt=kvm resrc=shmem reason=start {Guest} size=4194304 shmem="shmem0" source="?" """.TrimEnd()),
        };

        return cases.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }
}
