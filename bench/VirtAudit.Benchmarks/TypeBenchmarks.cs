using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;

namespace VirtAudit.Benchmarks;

/// <summary>
/// Typing one VIRT payload (the text inside <c>msg='…'</c>, trailer included) with
/// <see cref="VirtAuditRegistry.Default"/>: trailer split, variant match, full parse. The second benchmark adds what
/// <c>virtaudit check</c> does next for every record: re-encode and compare the bytes.
/// </summary>
[MemoryDiagnoser]
public class TypeBenchmarks
{
    private readonly byte[] _scratch = new byte[AuditLimits.MaxMessageLength * 2];
    private ReadOnlyMemory<byte> _message;
    private int _recordNumber;

    /// <summary>The sample payload (see <see cref="Samples.Payloads"/>).</summary>
    [ParamsSource(nameof(Names))]
    public string Payload { get; set; } = "disk";

    /// <summary>The payloads measured.</summary>
    public static IEnumerable<string> Names => Samples.Payloads.Keys;

    /// <summary>Encodes the payload once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _message = Samples.Utf8(Samples.Payloads[Payload]);
        _recordNumber = Payload.StartsWith("control", StringComparison.Ordinal) ? AuditRecordTypes.VirtControl
            : Payload.StartsWith("machine-id", StringComparison.Ordinal) ? AuditRecordTypes.VirtMachineId
            : AuditRecordTypes.VirtResource;
        var record = VirtAuditRegistry.Default.Parse(_recordNumber, _message);
        if (!record.IsTyped)
        {
            throw new InvalidOperationException($"{Payload} is not typed: {record.Error}");
        }
    }

    /// <summary><see cref="VirtAuditRegistry.Parse"/>: the variant and its legacy flags.</summary>
    [Benchmark(Baseline = true)]
    public VirtAuditVariantInfo? Type() => VirtAuditRegistry.Default.Parse(_recordNumber, _message).Variant;

    /// <summary>Type, re-encode payload and trailer, compare with the original bytes (one record of <c>virtaudit check</c>).</summary>
    [Benchmark]
    public bool TypeReencodeCompare()
    {
        var record = VirtAuditRegistry.Default.Parse(_recordNumber, _message);
        return record.TryReencode(_scratch, out var written) && _scratch.AsSpan(0, written).SequenceEqual(_message.Span);
    }
}
