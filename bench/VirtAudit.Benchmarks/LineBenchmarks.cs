using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;

namespace VirtAudit.Benchmarks;

/// <summary>
/// Splitting one whole audit.log line with <see cref="AuditLine.TryParse"/>: node, type, stamp, kernel header,
/// <c>msg='…'</c> and the ENRICHED tail, as slices of the input.
/// </summary>
[MemoryDiagnoser]
public class LineBenchmarks
{
    private ReadOnlyMemory<byte> _line;

    /// <summary>The sample line (see <see cref="Samples.Lines"/>).</summary>
    [ParamsSource(nameof(Names))]
    public string Line { get; set; } = "virt-raw";

    /// <summary>The lines measured.</summary>
    public static IEnumerable<string> Names => Samples.Lines.Keys;

    /// <summary>Encodes the line once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _line = Samples.Utf8(Samples.Lines[Line]);
        if (!AuditLine.TryParse(_line, out _, out var error))
        {
            throw new InvalidOperationException($"{Line} does not parse: {error}");
        }
    }

    /// <summary>Parses the line; returns its record type number.</summary>
    [Benchmark]
    public int TryParse() => AuditLine.TryParse(_line, out var parsed, out _) ? parsed.TypeNumber : -1;
}
