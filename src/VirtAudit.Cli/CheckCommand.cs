using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace VirtAudit.Cli;

/// <summary>
/// <c>virtaudit check</c>: every line must parse; every libvirt VIRT record must be typed and re-encode to the
/// same bytes. A record in a legacy shape (spec §12) is typed and counted as <c>legacy</c>; it is not an error when
/// its re-encoding in today's format differs.
/// </summary>
internal static class CheckCommand
{
    internal const string SampleResource = "VirtAudit.Cli.Sample.audit.log";

    public static int Run(string[] files, TextWriter stdout, TextWriter stderr, bool stdinRedirected)
    {
        var counts = new CheckCounts();
        var inputs = new List<(string Name, Func<Stream> Open)>();
        if (files.Length == 0)
        {
            var piped = stdinRedirected ? OpenPipedInput() : null;
            if (piped is not null)
            {
                inputs.Add(("<stdin>", () => piped));
            }
            else
            {
                stderr.WriteLine("virtaudit: no FILE given and nothing piped in: checking the embedded sample (libvirt 9.0.0 + auditd 3.0.9 capture)");
                inputs.Add(("<embedded sample>", OpenSample));
            }
        }
        else
        {
            foreach (var f in files)
            {
                inputs.Add(f == "-" ? ("<stdin>", Console.OpenStandardInput) : (f, () => File.OpenRead(f)));
            }
        }

        var unreadable = false;
        foreach (var (name, open) in inputs)
        {
            Stream stream;
            try
            {
                stream = open();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"virtaudit: {name}: {ex.Message}");
                unreadable = true;
                continue;
            }

            using var reader = new AuditLogReader(stream);
            Check(name, reader, counts, stdout, inputs.Count > 1);
        }

        stdout.WriteLine(counts.Summary());
        return unreadable ? 3 : counts.Errors == 0 ? 0 : 1;
    }

    /// <summary>Standard input when something is piped in; null when it is empty (e.g. /dev/null).</summary>
    private static Stream? OpenPipedInput()
    {
        var stdin = Console.OpenStandardInput();
        var first = new byte[1];
        if (stdin.Read(first, 0, 1) == 0)
        {
            stdin.Dispose();
            return null;
        }

        return new PrefixedStream(first[0], stdin);
    }

    internal static Stream OpenSample() =>
        typeof(CheckCommand).Assembly.GetManifestResourceStream(SampleResource) ?? throw new InvalidOperationException("the embedded sample is missing");

    internal static void Check(string name, AuditLogReader reader, CheckCounts counts, TextWriter stdout, bool prefixName)
    {
        var prefix = prefixName ? name + ":" : string.Empty;
        var registry = VirtAuditRegistry.Default;
        var scratch = new byte[AuditLimits.MaxMessageLength * 2];
        while (reader.TryReadLine(out var line, out var lineNumber, out var offset))
        {
            counts.Lines++;
            if (!AuditLine.TryParse(line, out var parsed, out var error))
            {
                counts.Errors++;
                stdout.WriteLine($"{prefix}line {lineNumber} (byte {offset + error.Offset}): {error}");
                continue;
            }

            if (!registry.Handles(parsed.TypeNumber))
            {
                continue;
            }

            counts.Virt++;
            var record = registry.Parse(parsed.TypeNumber, parsed.Message);
            if (!record.IsTyped)
            {
                counts.Errors++;
                var at = offset + parsed.MessageOffset + record.ErrorOffset;
                stdout.WriteLine($"{prefix}line {lineNumber} (byte {at}): {Encoding.UTF8.GetString(parsed.TypeName.Span)} not typed: {record.Error}{(record.ErrorField is null ? string.Empty : $" (field {record.ErrorField})")}");
                continue;
            }

            counts.Typed++;
            var identical = record.TryReencode(scratch, out var written) && scratch.AsSpan(0, written).SequenceEqual(parsed.Message.Span);
            if (identical)
            {
                counts.RoundTripOk++;
            }

            if (record.IsLegacy)
            {
                counts.Legacy++;
            }
            else if (!identical)
            {
                counts.Errors++;
                stdout.WriteLine($"{prefix}line {lineNumber} (byte {offset}): {record.Variant!.Name} re-encodes differently: {Describe(scratch.AsSpan(0, written), parsed.Message.Span)}");
            }
        }
    }

    private static string Describe(ReadOnlySpan<byte> actual, ReadOnlySpan<byte> expected)
    {
        var common = actual.CommonPrefixLength(expected);
        string Around(ReadOnlySpan<byte> s) => Encoding.UTF8.GetString(s.Slice(Math.Max(0, common - 20), Math.Min(s.Length, common + 20) - Math.Max(0, common - 20)));
        return $"first difference at byte {common}: original …{Around(expected)}…, re-encoded …{Around(actual)}…";
    }
}

/// <summary>What <c>virtaudit check</c> counted.</summary>
internal sealed class CheckCounts
{
    public long Lines { get; set; }

    public long Virt { get; set; }

    public long Typed { get; set; }

    public long RoundTripOk { get; set; }

    public long Legacy { get; set; }

    public long Errors { get; set; }

    public string Summary() => $"lines={Lines} virt={Virt} typed={Typed} roundtrip_ok={RoundTripOk} legacy={Legacy} errors={Errors}";
}

/// <summary>A read-only stream that yields one byte already read, then the rest of an inner stream.</summary>
internal sealed class PrefixedStream(byte first, Stream inner) : Stream
{
    private bool _firstPending = true;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (count == 0)
        {
            return 0;
        }

        if (_firstPending)
        {
            _firstPending = false;
            buffer[offset] = first;
            return 1 + inner.Read(buffer, offset + 1, count - 1);
        }

        return inner.Read(buffer, offset, count);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
