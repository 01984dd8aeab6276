using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using VirtAudit.LogGenerator;

namespace VirtAudit.Benchmarks;

/// <summary>
/// The whole reader over a generated log of about 100 MB held in memory (generated at setup by
/// <c>src/VirtAudit.LogGenerator</c>, never committed): every line split, every VIRT record typed. <c>Check</c> adds
/// what <c>virtaudit check</c> does per typed record (re-encode the kept struct and compare). One operation reads the
/// whole log: divide the log's size by the time for MB/s; the allocation column is per log, so 0 B is 0 B per record.
/// </summary>
[MemoryDiagnoser]
public class ReaderBenchmarks
{
    private readonly byte[] _scratch = new byte[AuditLimits.MaxMessageLength * 2];
    private byte[] _log = [];

    /// <summary>RAW, ENRICHED or both (half the events each).</summary>
    [Params(LogFormat.Raw, LogFormat.Enriched, LogFormat.Mixed)]
    public LogFormat Format { get; set; } = LogFormat.Mixed;

    /// <summary>Generates the log: 330,000 lines, about 100 MB, half of them VIRT records.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _log = AuditLogGenerator.Generate(new LogGeneratorOptions { Lines = 330_000, Seed = 1, VirtShare = 0.5, Format = Format }).Log;
        Console.WriteLine($"// log: {_log.Length / 1e6:F1} MB, {Format}");
    }

    /// <summary>Reads every line and types every VIRT record; returns the typed count.</summary>
    [Benchmark(Baseline = true)]
    public long Read()
    {
        using var reader = new AuditLogReader(new MemoryStream(_log, writable: false));
        long typed = 0;
        while (reader.Read())
        {
            ref readonly var item = ref reader.Current;
            typed += item.IsRecord && item.Record.IsTyped ? 1 : 0;
        }

        return typed;
    }

    /// <summary>Reads, types, and re-encodes every typed record and compares it with its bytes.</summary>
    [Benchmark]
    public long Check()
    {
        using var reader = new AuditLogReader(new MemoryStream(_log, writable: false));
        long same = 0;
        while (reader.Read())
        {
            ref readonly var item = ref reader.Current;
            if (!item.IsRecord)
            {
                continue;
            }

            ref readonly var virt = ref item.Record.Virt;
            if (virt.IsTyped && virt.TryReencode(_scratch, out var written) && _scratch.AsSpan(0, written).SequenceEqual(item.Record.Line.Message.Span))
            {
                same++;
            }
        }

        return same;
    }

    /// <summary>Only the lines: no registry, so VIRT records are split but not typed.</summary>
    [Benchmark]
    public long LinesOnly()
    {
        using var reader = new AuditLogReader(new MemoryStream(_log, writable: false), new AuditLogReaderOptions { Registry = null });
        long records = 0;
        while (reader.Read())
        {
            records += reader.Current.IsRecord ? 1 : 0;
        }

        return records;
    }
}
