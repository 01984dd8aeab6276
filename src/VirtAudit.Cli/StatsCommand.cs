using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using VirtAudit.Cli.Output;

namespace VirtAudit.Cli;

/// <summary>
/// <c>virtaudit stats</c>: the records that pass the filters counted by type, variant, reason, result and guest, the
/// first and last time, and the failed operations listed. Memory is bounded whatever the input: at most
/// <see cref="MaxKeys"/> distinct keys per count (the rest under <c>(other)</c>), <see cref="MaxGuests"/> guests and
/// <see cref="MaxFailures"/> listed failures (the rest counted).
/// </summary>
internal static class StatsCommand
{
    internal const int MaxKeys = 1000;
    internal const int MaxGuests = 10000;
    internal const int MaxFailures = 100;

    public static int Run(IReadOnlyList<string> files, RecordFilter filter, CliConsole console)
    {
        var stats = new Stats();
        long errors = 0;
        var inputs = Inputs.Resolve(files, console);
        var readable = Inputs.ForEach(inputs, console, (input, reader, progress) =>
        {
            while (reader.Read(console.Cancellation))
            {
                progress?.Update(reader.BytesRead);
                ref readonly var item = ref reader.Current;
                stats.Lines++;
                if (item.IsError)
                {
                    if (!item.Error.IsSkippable)
                    {
                        errors++;
                        console.Error.WriteLine(ParseCommand.Describe(input.Name, item.Error));
                    }

                    continue;
                }

                if (filter.Matches(item.Record))
                {
                    stats.Add(item.Record, input.Name);
                }
            }
        });

        stats.Errors = errors;
        stats.Write(console.Out);
        console.Out.Flush();
        return ParseCommand.Finish(readable, errors, console);
    }

    private sealed class Stats
    {
        private readonly Counter _types = new();
        private readonly Counter _variants = new();
        private readonly Counter _reasons = new();
        private readonly Counter _results = new();
        private readonly Dictionary<Guid, Guest> _guests = new();
        private readonly List<string> _failures = new();
        private long _otherGuests;
        private long _failureCount;
        private long _records;
        private AuditStamp? _first;
        private AuditStamp? _last;

        public long Lines { get; set; }

        public long Errors { get; set; }

        public void Add(in AuditLogRecord record, string inputName)
        {
            _records++;
            var type = Encoding.UTF8.GetString(record.TypeName.Span);
            _types.Add(type);
            if (record.Virt.IsTyped)
            {
                _variants.Add(record.Virt.Variant!.Name);
            }
            else if (record.IsVirt)
            {
                _variants.Add((record.Notes & AuditRecordNotes.NotLibvirt) != 0 ? "(not libvirt)" : "(untyped)");
            }

            var op = RecordFields.GetDecoded(record, "op"u8) ?? RecordFields.GetDecoded(record, "resrc"u8);
            var reason = RecordFields.GetDecoded(record, "reason"u8);
            if (record.IsVirt && (op is not null || reason is not null))
            {
                _reasons.Add(op is null ? reason! : reason is null ? op : op + " " + reason);
            }

            var res = RecordFields.GetDecoded(record, "res"u8);
            _results.Add(res ?? "(none)");
            if (record.HasStamp)
            {
                var stamp = record.Stamp;
                if (_first is null || Compare(stamp, _first.Value) < 0)
                {
                    _first = stamp;
                }

                if (_last is null || Compare(stamp, _last.Value) > 0)
                {
                    _last = stamp;
                }
            }

            var failed = res == "failed";
            if (RecordFields.TryGetUuid(record, out var uuid))
            {
                if (!_guests.TryGetValue(uuid, out var guest))
                {
                    if (_guests.Count >= MaxGuests)
                    {
                        _otherGuests++;
                        guest = null;
                    }
                    else
                    {
                        _guests[uuid] = guest = new Guest();
                    }
                }

                if (guest is not null)
                {
                    guest.Name = RecordFields.GetDecoded(record, "vm"u8) ?? guest.Name;
                    guest.Records++;
                    guest.Starts += op == "start" && type == "VIRT_CONTROL" ? 1 : 0;
                    guest.Stops += op == "stop" && type == "VIRT_CONTROL" ? 1 : 0;
                    guest.Failures += failed ? 1 : 0;
                }
            }

            if (failed)
            {
                _failureCount++;
                if (_failures.Count < MaxFailures)
                {
                    _failures.Add(string.Create(CultureInfo.InvariantCulture, $"  {inputName}:{record.LineNumber}  {Time(record)}  {type}  {RecordFields.GetDecoded(record, "vm"u8) ?? "-"}  {(op is null ? string.Empty : op + " ")}{reason}"));
                }
            }
        }

        public void Write(System.IO.TextWriter o)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lines={Lines} records={_records} errors={Errors}"));
            o.WriteLine($"first: {(_first is { } f ? RecordJson.Iso(f) : "-")}");
            o.WriteLine($"last: {(_last is { } l ? RecordJson.Iso(l) : "-")}");
            o.WriteLine("types:" + _types);
            o.WriteLine("variants:" + _variants);
            o.WriteLine("reasons:" + _reasons);
            o.WriteLine("results:" + _results);
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"guests: {_guests.Count + (_otherGuests > 0 ? 1 : 0)}"));
            var guests = new List<KeyValuePair<Guid, Guest>>(_guests);
            guests.Sort((a, b) => a.Value.Records != b.Value.Records ? b.Value.Records.CompareTo(a.Value.Records) : a.Key.CompareTo(b.Key));
            foreach (var (uuid, guest) in guests)
            {
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {uuid}  {guest.Name ?? "?"}  records={guest.Records} starts={guest.Starts} stops={guest.Stops} failed={guest.Failures}"));
            }

            if (_otherGuests > 0)
            {
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  (more guests than {MaxGuests}: {_otherGuests} records not counted per guest)"));
            }

            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"failures: {_failureCount}"));
            foreach (var failure in _failures)
            {
                o.WriteLine(failure);
            }

            if (_failureCount > _failures.Count)
            {
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  … and {_failureCount - _failures.Count} more"));
            }
        }

        private static int Compare(AuditStamp a, AuditStamp b) =>
            a.Seconds != b.Seconds ? a.Seconds.CompareTo(b.Seconds) : a.Milliseconds.CompareTo(b.Milliseconds);

        private static string Time(in AuditLogRecord record) => record.HasStamp ? RecordJson.Iso(record.Stamp) : "-";

    }

    private sealed class Guest
    {
        public string? Name { get; set; }

        public long Records { get; set; }

        public long Starts { get; set; }

        public long Stops { get; set; }

        public long Failures { get; set; }
    }

    /// <summary>Counts by key, most frequent first; at most <see cref="MaxKeys"/> keys, the rest as <c>(other)</c>.</summary>
    private sealed class Counter
    {
        private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

        public void Add(string key)
        {
            if (!_counts.ContainsKey(key) && _counts.Count >= MaxKeys)
            {
                key = "(other)";
            }

            _counts[key] = _counts.GetValueOrDefault(key) + 1;
        }

        public override string ToString()
        {
            var all = new List<KeyValuePair<string, long>>(_counts);
            all.Sort((a, b) => a.Value != b.Value ? b.Value.CompareTo(a.Value) : string.CompareOrdinal(a.Key, b.Key));
            var text = new StringBuilder();
            foreach (var (key, count) in all)
            {
                text.Append(' ').Append(key.Contains(' ', StringComparison.Ordinal) ? "\"" + key + "\"" : key).Append('=').Append(count.ToString(CultureInfo.InvariantCulture));
            }

            return text.ToString();
        }
    }
}
