using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace VirtAudit.Benchmarks;

/// <summary>
/// A Stopwatch harness for the whole reader over one file, for profiling and for side-by-side runs with a peer
/// (<c>dotnet run -c Release --project bench/VirtAudit.Benchmarks -- throughput FILE [--rounds N] [--mode read|typed|check]</c>).
/// It reads the file from memory (a <see cref="MemoryStream"/>, so the figure is the reader's, not the disk's), types
/// every VIRT record, and prints MB/s, CPU seconds and bytes allocated per record.
/// </summary>
internal static class ReaderThroughput
{
    public static int Run(string[] args)
    {
        var path = args[1];
        var rounds = 5;
        var mode = "typed";
        for (var i = 2; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--rounds": rounds = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--mode": mode = args[i + 1]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }

        if (mode.StartsWith("ranges", StringComparison.Ordinal))
        {
            // The file itself (page cache), cut into ranges read on parallel threads: --mode ranges2 for two.
            var parts = int.Parse(mode.AsSpan(6), System.Globalization.CultureInfo.InvariantCulture);
            var length = new FileInfo(path).Length;
            for (var round = 0; round < rounds; round++)
            {
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                var ranges = AuditLogRange.Split(path, parts);
                var typed = new long[ranges.Count];
                System.Threading.Tasks.Parallel.For(0, ranges.Count, i =>
                {
                    using var reader = AuditLogReader.OpenRange(path, ranges[i]);
                    while (reader.Read())
                    {
                        ref readonly var item = ref reader.Current;
                        typed[i] += item.IsRecord && item.Record.IsTyped ? 1 : 0;
                    }
                });
                clock.Stop();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
                Console.WriteLine(FormattableString.Invariant(
                    $"round {round}: mode={mode} typed={typed.Sum()} wall_s={clock.Elapsed.TotalSeconds:F3} cpu_s={cpu.TotalSeconds:F3} MB/s={length / 1e6 / clock.Elapsed.TotalSeconds:F0}"));
            }

            return 0;
        }

        var bytes = File.ReadAllBytes(path);
        if (mode == "split")
        {
            for (var round = 0; round < rounds; round++)
            {
                var clock = Stopwatch.StartNew();
                long n = 0;
                var span = bytes.AsSpan();
                while (!span.IsEmpty)
                {
                    var lf = span.IndexOf((byte)'\n');
                    n++;
                    span = lf < 0 ? default : span.Slice(lf + 1);
                }

                Console.WriteLine(FormattableString.Invariant($"round {round}: mode=split lines={n} MB/s={bytes.Length / 1e6 / clock.Elapsed.TotalSeconds:F0}"));
            }

            return 0;
        }

        for (var round = 0; round < rounds; round++)
        {
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var alloc0 = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            var (records, typed, sum) = ReadAll(bytes, mode);
            clock.Stop();
            var alloc = GC.GetAllocatedBytesForCurrentThread() - alloc0;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
            Console.WriteLine(FormattableString.Invariant(
                $"round {round}: mode={mode} records={records} typed={typed} check={sum} wall_s={clock.Elapsed.TotalSeconds:F3} cpu_s={cpu.TotalSeconds:F3} MB/s={bytes.Length / 1e6 / clock.Elapsed.TotalSeconds:F0} alloc_bytes={alloc} alloc_per_record={(double)alloc / Math.Max(records, 1):F3}"));
        }

        return 0;
    }

    private static (long Records, long Typed, long Sum) ReadAll(byte[] bytes, string mode)
    {
        var options = new AuditLogReaderOptions { Registry = mode == "lines" ? null : VirtAuditRegistry.Default };
        using var reader = new AuditLogReader(new MemoryStream(bytes, writable: false), options);
        long records = 0, typed = 0, sum = 0;
        var scratch = new byte[AuditLimits.MaxMessageLength * 2];
        while (reader.Read())
        {
            ref readonly var item = ref reader.Current;
            if (!item.IsRecord)
            {
                continue;
            }

            records++;
            ref readonly var record = ref item.Record;
            if (mode is "read" or "lines")
            {
                sum += record.TypeNumber;
                continue;
            }

            if (record.Virt.IsTyped)
            {
                typed++;
                if (mode == "check" && record.Virt.TryReencode(scratch, out var written))
                {
                    sum += written;
                }
            }
        }

        return (records, typed, sum);
    }
}
