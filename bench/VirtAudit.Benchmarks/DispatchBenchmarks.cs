using System;
using BenchmarkDotNet.Attributes;
using VirtAudit.CompilerServices;

namespace VirtAudit.Benchmarks;

/// <summary>
/// What the registry adds to a variant's own parser: <see cref="VirtAuditRegistry.Parse"/> against the generated
/// <c>TryParse</c> of the variant it finds, for variants early and late in the registry's candidate order; and
/// <c>virtaudit check</c>'s per-record work (type, re-encode, compare) done through the registry against the same
/// work done with the typed record in hand (one parse).
/// </summary>
[MemoryDiagnoser]
public class DispatchBenchmarks
{
    private readonly byte[] _scratch = new byte[AuditLimits.MaxMessageLength * 2];
    private ReadOnlyMemory<byte> _message;

    /// <summary>The sample payload (see <see cref="Samples.Payloads"/>); all are <c>VIRT_RESOURCE</c>.</summary>
    [Params("disk", "cgroup-path", "mem", "evdev", "legacy-shmem")]
    public string Payload { get; set; } = "disk";

    /// <summary>Encodes the payload once and checks that the registry finds the variant the direct path uses.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _message = Samples.Utf8(Samples.Payloads[Payload]);
        var record = VirtAuditRegistry.Default.Parse(AuditRecordTypes.VirtResource, _message);
        var expected = Payload switch
        {
            "disk" => VirtResourceDisk.Variant,
            "cgroup-path" => VirtResourceCgroup.Variant,
            "mem" => VirtResourceMem.Variant,
            "evdev" => VirtResourceEvdev.Variant,
            _ => VirtResourceShmemSource.Variant,
        };
        if (!ReferenceEquals(record.Variant, expected) || !Direct() || !DirectReencodeCompare())
        {
            throw new InvalidOperationException($"{Payload}: the registry typed it as {record}, not {expected.Name}");
        }
    }

    /// <summary>The variant's own parser (trailer split, then the generated reader).</summary>
    [Benchmark(Baseline = true)]
    public bool Direct() => Payload switch
    {
        "disk" => VirtResourceDisk.TryParse(_message, out _),
        "cgroup-path" => VirtResourceCgroup.TryParse(_message, out _),
        "mem" => VirtResourceMem.TryParse(_message, out _),
        "evdev" => VirtResourceEvdev.TryParse(_message, out _),
        _ => VirtResourceShmemSource.TryParse(_message, out _),
    };

    /// <summary>The registry: trailer split, candidate matching, the same parse.</summary>
    [Benchmark]
    public bool Registry() => VirtAuditRegistry.Default.Parse(AuditRecordTypes.VirtResource, _message).IsTyped;

    /// <summary>Parse once, write the typed record and the trailer back, compare with the original.</summary>
    [Benchmark]
    public bool DirectReencodeCompare() => Payload switch
    {
        "disk" => ReencodeCompare<VirtResourceDisk>(),
        "cgroup-path" => ReencodeCompare<VirtResourceCgroup>(),
        "mem" => ReencodeCompare<VirtResourceMem>(),
        "evdev" => ReencodeCompare<VirtResourceEvdev>(),
        _ => ReencodeCompare<VirtResourceShmemSource>(),
    };

    /// <summary>As <c>virtaudit check</c> does it: <see cref="VirtAuditRegistry.Parse"/>, then <see cref="VirtAuditRecord.TryReencode"/>.</summary>
    [Benchmark]
    public bool RegistryReencodeCompare()
    {
        var record = VirtAuditRegistry.Default.Parse(AuditRecordTypes.VirtResource, _message);
        return record.TryReencode(_scratch, out var written) && _scratch.AsSpan(0, written).SequenceEqual(_message.Span);
    }

    private bool ReencodeCompare<T>()
        where T : struct, IVirtAuditVariant<T>
    {
        AuditTrailer.TrySplit(_message, out var libvirtPart, out var trailer);
        var reader = new PayloadReader(libvirtPart);
        if (!T.TryRead(ref reader, out var record) || !record.TryFormat(_scratch, out var payload)
            || !trailer.TryFormat(_scratch.AsSpan(payload), out var tail))
        {
            return false;
        }

        return _scratch.AsSpan(0, payload + tail).SequenceEqual(_message.Span);
    }
}
