using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;

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
        var counts = new CheckCounts();
        var stdout = console.Out;
        var inputs = Inputs.Resolve(files, console);

        // A plain file is read on every core: blocks counted apart, merged in file order (types too: CheckCounts.Add).
        var readable = BlockSettings.From(console).ReadInputs(
            inputs,
            console,
            stdout,
            counts,
            () => new CheckCounts(),
            (input, reader, into, output, progress, cancel) => Check(inputs.Count > 1 ? input.Name + ":" : string.Empty, reader, into, output, progress, cancel),
            (block, input, range) => counts.Add(block, () => CountTypes(input.Path!, range, counts, console.Cancellation)),
            out long bytes);

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

    /// <summary>Checks every item of <paramref name="reader"/> into <paramref name="counts"/>; findings go to <paramref name="output"/>, each line prefixed with <paramref name="prefix"/>.</summary>
    internal static void Check(string prefix, AuditLogReader reader, CheckCounts counts, LineOutput output, Progress? progress, CancellationToken cancellation)
    {
        var scratch = new byte[AuditLimits.MaxMessageLength * 2];
        try
        {
            CheckItems(prefix + "line ", reader, counts, output, scratch, progress, cancellation);
        }
        finally
        {
            // Lines that became no item: a daemon log's other lines, and failed sends joined to their message's record.
            counts.Lines += reader.LinesSkipped + reader.LinesJoined;
            counts.Skipped += reader.LinesSkipped;
            counts.Joined += reader.LinesJoined;
        }
    }

    // The types of a block's records counted again into the whole, in order (a block that met more distinct types
    // than CheckCounts keeps by name).
    private static void CountTypes(string path, AuditLogRange range, CheckCounts counts, CancellationToken cancellation)
    {
        using var reader = AuditLogReader.OpenRange(path, range with { FirstLineNumber = 1 });
        while (reader.Read(cancellation))
        {
            if (reader.Current.IsRecord)
            {
                counts.CountType(reader.Current.Record);
            }
        }
    }

    // Each finding is "{prefix}line N (byte B): …": `before` is "{prefix}line ", the rest follows the line number.
    private static void CheckItems(string before, AuditLogReader reader, CheckCounts counts, LineOutput output, byte[] scratch, Progress? progress, CancellationToken cancellation)
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
                output.WriteLine(before, error.LineNumber, Invariant($" (byte {error.ErrorOffset}): {error.Part}: {error.Reason}"));
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
                    output.WriteLine(before, record.LineNumber, Invariant($" (byte {at}): {Encoding.UTF8.GetString(record.TypeName.Span)} cut short ({record.Line.Message.Length}-byte message), not typed: {why}"));
                    continue;
                }

                counts.Errors++;
                var what = record.TypeName.IsEmpty ? (record.TypeNumber != 0 ? AuditRecordTypes.GetName(record.TypeNumber) : "audit message") : Encoding.UTF8.GetString(record.TypeName.Span);
                output.WriteLine(before, record.LineNumber, Invariant($" (byte {at}): {what} not typed: {why}"));
                continue;
            }

            counts.Typed++;
            if (virt.IsAmbiguous)
            {
                // Typed with the reading libvirt's format implies, but a raw value holds a later field's key: a note,
                // listed with its line, not an error (issue 12, ambiguity).
                var at = record.Offset + record.Line.MessageOffset + virt.AmbiguityOffset;
                output.WriteLine(before, record.LineNumber, Invariant($" (byte {at}): {virt.Variant!.Name} ambiguous: {virt.AmbiguityDescription}"));
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
                output.WriteLine(before, record.LineNumber, Invariant($" (byte {record.Offset}): {virt.Variant!.Name} re-encodes differently: {Describe(scratch.AsSpan(0, written), message)}"));
            }
        }
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

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

    // The types counted by name, in the order they were met (at most MaxTypes).
    private readonly List<TypeKey> _typeOrder = new();

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
        CountType(record);
        var notes = record.Notes;
        NotLibvirt += (notes & AuditRecordNotes.NotLibvirt) != 0 ? 1 : 0;
        InterpretedVirt += (notes & AuditRecordNotes.Interpreted) != 0 ? 1 : 0;
        OtherVirtType += (notes & AuditRecordNotes.OtherVirtType) != 0 ? 1 : 0;
        Truncated += (notes & AuditRecordNotes.Truncated) != 0 ? 1 : 0;
        Ambiguous += (notes & AuditRecordNotes.Ambiguous) != 0 ? 1 : 0;
    }

    /// <summary>Counts a record by type: by name while fewer than <see cref="MaxTypes"/> types are known, else as <c>other</c>.</summary>
    public void CountType(in AuditLogRecord record) =>
        CountType(record.TypeNumber != 0 || record.TypeName.IsEmpty ? new TypeKey(record.TypeNumber, null) : new TypeKey(0, Encoding.UTF8.GetString(record.TypeName.Span)), 1);

    /// <summary>
    /// Adds the counts of <paramref name="block"/>, the part of the input that follows what was counted here, as if its
    /// records had been counted here in order. A type is counted by name when it was one of the first
    /// <see cref="MaxTypes"/> distinct types of the whole input, which the block's types in the order it met them
    /// tell, unless the block met more distinct types than it keeps: then <paramref name="countTypesAgain"/> counts
    /// its records' types here one by one (<see cref="CountType(in AuditLogRecord)"/>).
    /// </summary>
    public void Add(CheckCounts block, Action countTypesAgain)
    {
        for (int i = 0; i < _renderings.Length; i++)
        {
            _renderings[i] += block._renderings[i];
        }

        Lines += block.Lines;
        Virt += block.Virt;
        Typed += block.Typed;
        RoundTripOk += block.RoundTripOk;
        Legacy += block.Legacy;
        Ambiguous += block.Ambiguous;
        Errors += block.Errors;
        Skipped += block.Skipped;
        Joined += block.Joined;
        NotSent += block.NotSent;
        NotLibvirt += block.NotLibvirt;
        InterpretedVirt += block.InterpretedVirt;
        OtherVirtType += block.OtherVirtType;
        Truncated += block.Truncated;
        if (block._otherTypes != 0)
        {
            countTypesAgain();
            return;
        }

        foreach (var key in block._typeOrder)
        {
            CountType(key, key.Name is null ? block._types[key.Number] : block._unknownTypes[key.Name]);
        }
    }

    private void CountType(TypeKey key, long count)
    {
        bool full = _typeOrder.Count >= MaxTypes;
        if (key.Name is null)
        {
            if (_types.TryGetValue(key.Number, out long seen) || !full)
            {
                _types[key.Number] = seen + count;
                AddOrder(key, seen);
                return;
            }
        }
        else if (_unknownTypes.TryGetValue(key.Name, out long seen) || !full)
        {
            _unknownTypes[key.Name] = seen + count;
            AddOrder(key, seen);
            return;
        }

        _otherTypes += count;
    }

    private void AddOrder(TypeKey key, long seen)
    {
        if (seen == 0)
        {
            _typeOrder.Add(key); // met for the first time
        }
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

    /// <summary>A record type counted by name: its number, or the name of a type without one.</summary>
    private readonly record struct TypeKey(int Number, string? Name);
}
