using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using VirtAudit.LogGenerator;

namespace VirtAudit.Fuzz;

/// <summary>
/// The starting inputs of each target, made from the repository's real capture (corpus/libvirt-9.0: audit.log and
/// the daemon logs) and from the project's generator (every rendering it writes). Small and varied: one line of each
/// record shape, not all 451, so afl's calibration stays short.
/// </summary>
public static class FuzzSeeds
{
    /// <summary>The seeds of <paramref name="target"/> from the repository at <paramref name="root"/>.</summary>
    public static IReadOnlyList<byte[]> For(string target, string root)
    {
        var lines = DistinctShapes(RealLines(root).Concat(GeneratedLines())).ToList();
        switch (target)
        {
            case "line":
                return lines;
            case "dispatch":
                return DispatchSeeds(lines).ToList();
            case "reader":
                return ReaderSeeds(root).ToList();
            default:
                throw new ArgumentException($"unknown target '{target}' (line, dispatch, reader)", nameof(target));
        }
    }

    /// <summary>Every line of the real capture and the daemon logs.</summary>
    public static IEnumerable<byte[]> RealLines(string root)
    {
        foreach (var file in RealFiles(root))
        {
            foreach (var line in SplitLines(File.ReadAllBytes(file)))
            {
                yield return line;
            }
        }
    }

    /// <summary>The real files: audit.log, libvirtd.log and virt-launcher.log.</summary>
    public static IEnumerable<string> RealFiles(string root)
    {
        var corpus = Path.Combine(root, "corpus", "libvirt-9.0");
        yield return Path.Combine(corpus, "audit.log");
        yield return Path.Combine(corpus, "daemon-logs", "libvirtd.log");
        yield return Path.Combine(corpus, "daemon-logs", "virt-launcher.log");
    }

    /// <summary>A short generated log in each rendering the generator writes.</summary>
    public static IEnumerable<byte[]> GeneratedLogs(int lines)
    {
        foreach (var rendering in Enum.GetValues<LogRendering>())
        {
            foreach (var format in rendering == LogRendering.Auditd ? Enum.GetValues<LogFormat>() : new[] { LogFormat.Mixed })
            {
                var options = new LogGeneratorOptions { Lines = lines, Seed = 12, Rendering = rendering, Format = format, VirtShare = 0.8, Awkward = 0.5 };
                yield return AuditLogGenerator.Generate(options).Log;
            }
        }
    }

    /// <summary>The lines of <paramref name="log"/> without their LF.</summary>
    public static IEnumerable<byte[]> SplitLines(byte[] log)
    {
        int start = 0;
        for (int i = 0; i <= log.Length; i++)
        {
            if (i == log.Length || log[i] == (byte)'\n')
            {
                if (i > start)
                {
                    yield return log.AsSpan(start, i - start).ToArray();
                }

                start = i + 1;
            }
        }
    }

    private static IEnumerable<byte[]> GeneratedLines() => GeneratedLogs(200).SelectMany(SplitLines);

    /// <summary>One line per shape: the rendering, the record type and the VIRT variant or parse error.</summary>
    private static IEnumerable<byte[]> DistinctShapes(IEnumerable<byte[]> lines)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            string shape;
            if (AuditLine.TryParseAny(line, out var parsed, out var error))
            {
                var virt = parsed.TypeNumber is >= 2500 and <= 2599
                    ? VirtAuditRegistry.Default.Parse(parsed.TypeNumber, parsed.Message).ToString()
                    : "";
                shape = $"{parsed.Rendering}/{Encoding.ASCII.GetString(parsed.TypeName.Span)}/{parsed.Enrichment.Length > 0}/{virt}";
            }
            else
            {
                shape = "error/" + error.Part;
            }

            if (seen.Add(shape))
            {
                yield return line;
            }
        }
    }

    private static IEnumerable<byte[]> DispatchSeeds(IEnumerable<byte[]> lines)
    {
        foreach (var line in lines)
        {
            if (AuditLine.TryParseAny(line, out var parsed, out _) && parsed.TypeNumber is >= 2500 and <= 2502 && parsed.Message.Length > 0)
            {
                var seed = new byte[parsed.Message.Length + 1];
                seed[0] = (byte)(parsed.TypeNumber - 2500);
                parsed.Message.Span.CopyTo(seed.AsSpan(1));
                yield return seed;
            }
        }
    }

    private static IEnumerable<byte[]> ReaderSeeds(string root)
    {
        const int Chunk = 12;
        foreach (var file in RealFiles(root))
        {
            var lines = SplitLines(File.ReadAllBytes(file)).ToList();
            for (int i = 0; i < lines.Count && i < 6 * Chunk; i += Chunk)
            {
                yield return Join(lines.Skip(i).Take(Chunk));
            }
        }

        foreach (var log in GeneratedLogs(Chunk))
        {
            yield return log;
        }

        using var gz = new MemoryStream();
        using (var zip = new GZipStream(gz, CompressionLevel.Optimal, leaveOpen: true))
        {
            zip.Write(Join(SplitLines(File.ReadAllBytes(RealFiles(root).First())).Take(4)));
        }

        yield return gz.ToArray();
    }

    private static byte[] Join(IEnumerable<byte[]> lines)
    {
        var output = new MemoryStream();
        foreach (var line in lines)
        {
            output.Write(line);
            output.WriteByte((byte)'\n');
        }

        return output.ToArray();
    }
}
