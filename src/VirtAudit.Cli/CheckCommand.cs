using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace VirtAudit.Cli;

/// <summary>
/// <c>virtaudit check</c>: every line must be a record in one of the renderings the reader knows; every libvirt VIRT
/// record must be typed and re-encode to the same bytes. A record in a legacy shape (spec §12) is typed and counted
/// as <c>legacy</c>; it is not an error when its re-encoding in today's format differs. VIRT records of other
/// software and of <c>ausearch -i</c> output (decoded values) are counted on the <c>notes:</c> line, not typed.
/// Blank lines and ausearch separators are counted as <c>skipped</c>. A VIRT record the log cut short
/// (<see cref="AuditRecordNotes.Truncated"/>) that cannot be typed is reported and counted as <c>truncated</c>, not
/// as an error: its bytes were lost before the reader saw them.
/// </summary>
internal static class CheckCommand
{
    public static int Run(IReadOnlyList<string> files, CliConsole console, bool stats = false)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long bytes = 0;
        var counts = new CheckCounts();
        var stdout = console.Out;
        var inputs = Inputs.Resolve(files, console);
        var readable = Inputs.ForEach(inputs, console, (input, reader, progress) =>
        {
            try
            {
                Check(input.Name, reader, counts, stdout, inputs.Count > 1, progress, console.Cancellation);
            }
            finally
            {
                bytes += reader.BytesRead;
            }
        });

        stdout.WriteLine(counts.Renderings());
        stdout.WriteLine(counts.Types());
        stdout.WriteLine(counts.Notes());
        stdout.WriteLine(counts.Summary());
        stdout.Flush();
        if (stats)
        {
            var seconds = clock.Elapsed.TotalSeconds;
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            console.Error.WriteLine(FormattableString.Invariant(
                $"stats: bytes={bytes} seconds={seconds:F3} mb_per_s={bytes / 1e6 / Math.Max(seconds, 1e-9):F1} peak_working_set_mib={self.PeakWorkingSet64 / 1048576.0:F1}"));
        }

        return !readable ? ExitCodes.ReadFailure : counts.Errors == 0 ? ExitCodes.Ok : ExitCodes.Findings;
    }

    internal static void Check(string name, AuditLogReader reader, CheckCounts counts, TextWriter stdout, bool prefixName, Progress? progress = null, System.Threading.CancellationToken cancellation = default)
    {
        var prefix = prefixName ? name + ":" : string.Empty;
        var scratch = new byte[AuditLimits.MaxMessageLength * 2];
        try
        {
            CheckItems(prefix, reader, counts, stdout, scratch, progress, cancellation);
        }
        finally
        {
            // Lines that became no item: a daemon log's other lines, and failed sends joined to their message's record.
            counts.Lines += reader.LinesSkipped + reader.LinesJoined;
            counts.Skipped += reader.LinesSkipped;
            counts.Joined += reader.LinesJoined;
        }
    }

    private static void CheckItems(string prefix, AuditLogReader reader, CheckCounts counts, TextWriter stdout, byte[] scratch, Progress? progress, System.Threading.CancellationToken cancellation)
    {
        while (reader.Read(cancellation))
        {
            ref readonly var item = ref reader.Current;
            progress?.Update(reader.BytesRead);
            counts.Lines++;
            if (item.IsError)
            {
                ref readonly var error = ref item.Error;
                if (error.IsSkippable)
                {
                    counts.Skipped++;
                    continue;
                }

                counts.Errors++;
                stdout.WriteLine($"{prefix}{error}");
                continue;
            }

            // By reference: the record and its typed payload stay where the reader put them. TryReencode writes the
            // struct the reader's registry built when it typed the record; nothing is parsed a second time.
            ref readonly var record = ref item.Record;
            counts.Count(record);
            if (!(record.IsVirt || record.DaemonLog.IsPresent) || (record.Notes & (AuditRecordNotes.NotLibvirt | AuditRecordNotes.Interpreted | AuditRecordNotes.OtherVirtType)) != 0)
            {
                continue;
            }

            counts.Virt++;
            counts.NotSent += record.DaemonLog.IsNotSent ? 1 : 0;
            ref readonly var virt = ref record.Virt;
            if (!virt.IsTyped)
            {
                var at = record.Offset + record.Line.MessageOffset + virt.ErrorOffset;
                var why = $"{virt.Error}{(virt.ErrorField is null ? string.Empty : $" (field {virt.ErrorField})")}";
                if ((record.Notes & AuditRecordNotes.Truncated) != 0)
                {
                    // The log lost the end of the record, not the reader: say so, count it on the notes line.
                    stdout.WriteLine($"{prefix}line {record.LineNumber} (byte {at}): {Encoding.UTF8.GetString(record.TypeName.Span)} cut short ({record.Line.Message.Length}-byte message), not typed: {why}");
                    continue;
                }

                counts.Errors++;
                var what = record.TypeName.IsEmpty ? (record.TypeNumber != 0 ? AuditRecordTypes.GetName(record.TypeNumber) : "audit message") : Encoding.UTF8.GetString(record.TypeName.Span);
                stdout.WriteLine($"{prefix}line {record.LineNumber} (byte {at}): {what} not typed: {why}");
                continue;
            }

            counts.Typed++;
            if (virt.IsAmbiguous)
            {
                // Typed with the reading libvirt's format implies, but a raw value holds a later field's key: a note,
                // listed with its line, not an error (issue 12, ambiguity).
                var at = record.Offset + record.Line.MessageOffset + virt.AmbiguityOffset;
                stdout.WriteLine($"{prefix}line {record.LineNumber} (byte {at}): {virt.Variant!.Name} ambiguous: {virt.AmbiguityDescription}");
            }

            var message = record.Line.Message.Span;
            int written;
            while (!virt.TryReencode(scratch, out written) && scratch.Length < 4 * (message.Length + AuditLimits.MaxMessageLength))
            {
                scratch = new byte[scratch.Length * 2]; // a record over libaudit's size re-encodes into a bigger buffer (issue 12, finding 9)
            }

            var identical = scratch.AsSpan(0, written).SequenceEqual(message);
            if (identical)
            {
                counts.RoundTripOk++;
            }

            if (virt.IsLegacy)
            {
                counts.Legacy++;
            }
            else if (!identical)
            {
                counts.Errors++;
                stdout.WriteLine($"{prefix}line {record.LineNumber} (byte {record.Offset}): {virt.Variant!.Name} re-encodes differently: {Describe(scratch.AsSpan(0, written), message)}");
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
    private readonly long[] _renderings = new long[8];
    private readonly Dictionary<int, long> _types = new();
    private readonly Dictionary<string, long> _unknownTypes = new(StringComparer.Ordinal);

    /// <summary>At most this many distinct types are counted by name; the rest go to <c>other</c> (issue 12, finding 2).</summary>
    public const int MaxTypes = 256;

    private long _otherTypes;

    public long Lines { get; set; }

    public long Virt { get; set; }

    public long Typed { get; set; }

    public long RoundTripOk { get; set; }

    public long Legacy { get; set; }

    /// <summary>Typed records with another reading (<see cref="AuditRecordNotes.Ambiguous"/>), each listed with its line.</summary>
    public long Ambiguous { get; set; }

    public long Errors { get; set; }

    public long Skipped { get; set; }

    public long Joined { get; set; }

    public long NotSent { get; set; }

    public long NotLibvirt { get; private set; }

    public long InterpretedVirt { get; private set; }

    public long OtherVirtType { get; private set; }

    public long Truncated { get; private set; }

    /// <summary>Counts a record by rendering, type and notes.</summary>
    public void Count(in AuditLogRecord record)
    {
        _renderings[(int)record.Rendering]++;
        bool full = _types.Count + _unknownTypes.Count >= MaxTypes;
        if (record.TypeNumber != 0 || record.TypeName.IsEmpty)
        {
            if (_types.TryGetValue(record.TypeNumber, out long seen) || !full)
            {
                _types[record.TypeNumber] = seen + 1;
            }
            else
            {
                _otherTypes++;
            }
        }
        else
        {
            var typeName = Encoding.UTF8.GetString(record.TypeName.Span);
            if (_unknownTypes.TryGetValue(typeName, out long seen) || !full)
            {
                _unknownTypes[typeName] = seen + 1;
            }
            else
            {
                _otherTypes++;
            }
        }

        var notes = record.Notes;
        NotLibvirt += (notes & AuditRecordNotes.NotLibvirt) != 0 ? 1 : 0;
        InterpretedVirt += (notes & AuditRecordNotes.Interpreted) != 0 ? 1 : 0;
        OtherVirtType += (notes & AuditRecordNotes.OtherVirtType) != 0 ? 1 : 0;
        Truncated += (notes & AuditRecordNotes.Truncated) != 0 ? 1 : 0;
        Ambiguous += (notes & AuditRecordNotes.Ambiguous) != 0 ? 1 : 0;
    }

    /// <summary>Records per rendering, and the lines that carry nothing (blank lines, ausearch separators).</summary>
    public string Renderings() =>
        $"renderings: raw={_renderings[(int)AuditRendering.Raw]} enriched={_renderings[(int)AuditRendering.Enriched]} syslog={_renderings[(int)AuditRendering.Syslog]} printk={_renderings[(int)AuditRendering.Printk]} interpreted={_renderings[(int)AuditRendering.Interpreted]} libvirt_log={_renderings[(int)AuditRendering.LibvirtLog]} kubevirt_log={_renderings[(int)AuditRendering.KubeVirtLog]} skipped={Skipped} joined={Joined}";

    /// <summary>Records per type, most frequent first.</summary>
    public string Types()
    {
        var all = new List<KeyValuePair<string, long>>();
        foreach (var (number, count) in _types)
        {
            all.Add(new(AuditRecordTypes.GetName(number), count));
        }

        all.AddRange(_unknownTypes);
        if (_otherTypes != 0)
        {
            all.Add(new("other", _otherTypes));
        }
        all.Sort((a, b) => a.Value != b.Value ? b.Value.CompareTo(a.Value) : string.CompareOrdinal(a.Key, b.Key));
        var text = new StringBuilder("types:");
        foreach (var (type, count) in all)
        {
            text.Append(' ').Append(type).Append('=').Append(count);
        }

        return text.ToString();
    }

    /// <summary>VIRT_* records that are not libvirt's to type, and cut records.</summary>
    public string Notes() =>
        $"notes: not_libvirt={NotLibvirt} interpreted_virt={InterpretedVirt} other_virt_type={OtherVirtType} truncated={Truncated} not_sent={NotSent} ambiguous={Ambiguous}";

    public string Summary() => $"lines={Lines} virt={Virt} typed={Typed} roundtrip_ok={RoundTripOk} legacy={Legacy} errors={Errors}";
}
