using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using VirtAudit.Cli.Output;

namespace VirtAudit.Cli.Report;

/// <summary>
/// Builds a <see cref="ReportModel"/> in one pass over the items of one or more readers. Memory grows with the guests and
/// the events kept (every list is bounded by <see cref="ReportLimits"/>), never with the input's length: a record is
/// copied out of the reader's buffer only when it is kept. The resource set of each start is rebuilt from the
/// <c>reason=start</c> records libvirt writes just before the <c>op=start</c> record (spec §9), the running set is kept
/// up to date by attach, detach and update records (failed ones are not applied), and each start's set is compared with
/// the previous start's.
/// </summary>
internal sealed class ReportBuilder
{
    private static readonly string[] ScalarKinds = ["mem", "vcpu", "iothread"];
    private static readonly string[] VirtTypeNames = ["VIRT_CONTROL", "VIRT_RESOURCE", "VIRT_MACHINE_ID"];
    private readonly ReportLimits _limits;
    private readonly ReportModel _model;
    private readonly Dictionary<Guid, GuestState> _guests = new();
    private readonly HashSet<Guid> _otherGuests = new();
    private readonly long[] _renderings = new long[16];
    private readonly Dictionary<int, long> _types = new();
    private readonly KeyCounter _typeNames;
    private readonly KeyCounter _variants;
    private readonly KeyCounter _results;
    private readonly KeyCounter _hosts;
    private byte[] _lastOrigin = Array.Empty<byte>();
    private string? _lastOriginName;
    private long? _firstMs;
    private long? _lastMs;
    private ReportInput? _input;
    private long[] _inputRenderings = new long[16];

    public ReportBuilder(ReportLimits? limits = null)
    {
        _limits = limits ?? new ReportLimits();
        _model = new ReportModel { Limits = _limits };
        _typeNames = new KeyCounter(_limits.MaxListed);
        _variants = new KeyCounter(_limits.MaxListed);
        _results = new KeyCounter(_limits.MaxListed);
        _hosts = new KeyCounter(_limits.MaxListed);
    }

    /// <summary>Starts the next input.</summary>
    public void BeginInput(string name, long length)
    {
        _input = new ReportInput { Name = name, Bytes = length };
        _inputRenderings = new long[16];
        _model.Inputs.Add(_input);
    }

    /// <summary>Ends the current input with its reader's counts (lines read, skipped and joined).</summary>
    public void EndInput(AuditLogReader? reader, string? readError)
    {
        var input = _input ?? throw new InvalidOperationException("no input begun");
        if (reader is not null)
        {
            input.Lines = reader.LinesRead;
            input.LinesSkipped = reader.LinesSkipped;
            input.LinesJoined = reader.LinesJoined;
            input.Bytes = Math.Max(input.Bytes, reader.BytesRead);
        }

        input.ReadError = readError;
        input.Renderings = RenderingCounts(_inputRenderings);
        _model.Lines += input.Lines;
        _input = null;
    }

    /// <summary>Adds one item of the current input's reader.</summary>
    public void Add(in AuditLogItem item)
    {
        var input = _input ?? throw new InvalidOperationException("no input begun");
        if (item.IsError)
        {
            if (!item.Error.IsSkippable)
            {
                input.Errors++;
                _model.ParseErrorCount++;
                if (_model.ParseErrors.Count < _limits.MaxListed)
                {
                    var error = item.Error;
                    _model.ParseErrors.Add(new RecordRef
                    {
                        Input = input.Name,
                        Line = error.LineNumber,
                        Offset = error.ErrorOffset,
                        Summary = string.IsNullOrEmpty(error.Part) ? error.Reason : $"{error.Part}: {error.Reason} (byte {error.Position} of the line)",
                        Raw = Raw(error.Line.Span, error.LineLength),
                    });
                }
            }

            return;
        }

        AddRecord(item.Record, input);
    }

    private void AddRecord(in AuditLogRecord record, ReportInput input)
    {
        input.Records++;
        _model.Records++;
        var rendering = (int)record.Rendering;
        if (rendering < _renderings.Length)
        {
            _renderings[rendering]++;
            _inputRenderings[rendering]++;
        }

        CountType(record);
        CountHost(record);
        var ms = Milliseconds(record);
        if (ms is { } t)
        {
            _firstMs = _firstMs is { } f ? Math.Min(f, t) : t;
            _lastMs = _lastMs is { } l ? Math.Max(l, t) : t;
        }

        var cut = (record.Notes & AuditRecordNotes.Truncated) != 0;
        if (cut)
        {
            _model.CutRecordCount++;
        }

        if (!record.IsVirt)
        {
            if (cut && _model.CutRecords.Count < _limits.MaxListed)
            {
                _model.CutRecords.Add(Ref(record, input, ms, "cut: " + TypeName(record)));
            }

            return;
        }

        _model.VirtRecords++;
        _variants.Add(record.Virt.Variant?.Name ?? ((record.Notes & AuditRecordNotes.NotLibvirt) != 0 ? "(not libvirt)" : "(untyped)"));
        var res = RecordFields.GetDecoded(record, "res"u8);
        _results.Add(res ?? "(none)");
        var failed = res is "failed" or "0" or "no";
        var daemon = record.DaemonLog;
        var notSent = daemon.IsPresent && daemon.IsNotSent;
        if (daemon.IsPresent && daemon.Success == false)
        {
            failed = true;
        }

        GuestState? guest = null;
        if (RecordFields.TryGetUuid(record, out var uuid))
        {
            guest = Guest(uuid);
        }

        GuestEvent? kept = null;
        if (guest is not null)
        {
            kept = guest.Add(record, input, ms, failed, notSent);
        }

        var what = guest is null ? Describe(record) : kept?.Summary ?? Describe(record);
        if (cut && _model.CutRecords.Count < _limits.MaxListed)
        {
            _model.CutRecords.Add(Ref(record, input, ms, "cut: " + what, guest, kept));
        }

        if (notSent)
        {
            _model.NotSentCount++;
            if (_model.NotSent.Count < _limits.MaxListed)
            {
                _model.NotSent.Add(Ref(record, input, ms, $"{what}: not sent to the kernel: {daemon.SendFailure}", guest, kept));
            }
        }

        if (failed)
        {
            _model.FailureCount++;
            if (_model.Failures.Count < _limits.MaxListed)
            {
                _model.Failures.Add(Ref(record, input, ms, what, guest, kept));
            }
        }
    }

    /// <summary>The finished model; the builder is not used after.</summary>
    public ReportModel Finish()
    {
        var m = _model;
        m.FirstTime = Iso(_firstMs);
        m.LastTime = Iso(_lastMs);
        m.Renderings = RenderingCounts(_renderings);
        var types = new KeyCounter(int.MaxValue);
        foreach (var (number, count) in _types)
        {
            types.Add(AuditRecordTypes.GetName(number), count);
        }

        types.AddAll(_typeNames);
        m.Types = types.ToList();
        m.Variants = _variants.ToList();
        m.Results = _results.ToList();
        m.Hosts = _hosts.ToList();
        m.GuestCount = _guests.Count + _otherGuests.Count;
        foreach (var guest in _guests.Values)
        {
            m.Guests.Add(guest.Finish());
        }

        DropLinksToOmittedEvents(m);
        m.Guests.Sort((a, b) => string.CompareOrdinal(a.Names.Count > 0 ? a.Names[0] : a.Uuid, b.Names.Count > 0 ? b.Names[0] : b.Uuid));
        Summarise(m);
        return m;
    }

    /// <summary>Runs and overview entries whose event fell out of a guest's kept events link to nothing.</summary>
    private static void DropLinksToOmittedEvents(ReportModel m)
    {
        var kept = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        foreach (var g in m.Guests)
        {
            var ids = new HashSet<int>();
            foreach (var e in g.Events)
            {
                ids.Add(e.Id);
            }

            kept[g.Uuid] = ids;
            foreach (var run in g.Runs)
            {
                run.StartEvent = run.StartEvent is { } s && ids.Contains(s) ? s : null;
                run.StopEvent = run.StopEvent is { } t && ids.Contains(t) ? t : null;
            }
        }

        foreach (var list in new[] { m.CutRecords, m.NotSent, m.Failures })
        {
            foreach (var r in list)
            {
                if (r.EventId is { } id && (r.Guest is null || !kept.TryGetValue(r.Guest, out var ids) || !ids.Contains(id)))
                {
                    r.EventId = null;
                }
            }
        }
    }

    private void Summarise(ReportModel m)
    {
        var s = m.Summaries;
        if (_otherGuests.Count > 0)
        {
            s.Add(Invariant($"More guests than {_limits.MaxGuests}: {_otherGuests.Count} later guests ({m.GuestRecordsOmitted} records) are counted in the overview only."));
        }

        var eventsCut = m.Guests.FindAll(g => g.EventsOmitted > 0);
        if (eventsCut.Count > 0)
        {
            s.Add(Invariant($"{eventsCut.Count} guests have more than {_limits.MaxEventsPerGuest} events: the first and last {_limits.MaxEventsPerGuest / 2} of each are shown, the {Sum(eventsCut, g => g.EventsOmitted)} in between are counted by kind (in each guest's section)."));
        }

        var runsCut = m.Guests.FindAll(g => g.RunsOmitted > 0);
        if (runsCut.Count > 0)
        {
            s.Add(Invariant($"{runsCut.Count} guests have more than {_limits.MaxRunsPerGuest} runs: the first and last {_limits.MaxRunsPerGuest / 2} of each are shown, {Sum(runsCut, g => g.RunsOmitted)} runs in between are counted only."));
        }

        AddListSummary(s, "parse errors", m.ParseErrorCount, m.ParseErrors.Count);
        AddListSummary(s, "cut records", m.CutRecordCount, m.CutRecords.Count);
        AddListSummary(s, "records not sent to the kernel", m.NotSentCount, m.NotSent.Count);
        AddListSummary(s, "failed operations", m.FailureCount, m.Failures.Count);
    }

    private static long Sum(List<GuestReport> guests, Func<GuestReport, long> value)
    {
        long sum = 0;
        foreach (var g in guests)
        {
            sum += value(g);
        }

        return sum;
    }

    private static void AddListSummary(List<string> s, string what, long count, int listed)
    {
        if (count > listed)
        {
            s.Add(Invariant($"{count} {what}: the first {listed} are listed."));
        }
    }

    private GuestState? Guest(Guid uuid)
    {
        if (_guests.TryGetValue(uuid, out var guest))
        {
            return guest;
        }

        if (_guests.Count >= _limits.MaxGuests)
        {
            // Counted up to a bound that keeps the set small (16 bytes a guest); beyond it the count is a floor.
            if (_otherGuests.Count < 100_000)
            {
                _otherGuests.Add(uuid);
            }

            _model.GuestRecordsOmitted++;
            return null;
        }

        _guests[uuid] = guest = new GuestState(uuid, _limits);
        return guest;
    }

    private void CountType(in AuditLogRecord record)
    {
        var number = record.TypeNumber;
        if (number != 0)
        {
            _types[number] = _types.GetValueOrDefault(number) + 1;
        }
        else
        {
            _typeNames.Add(record.TypeName.Length == 0 ? "(unknown)" : Encoding.UTF8.GetString(record.TypeName.Span));
        }
    }

    private void CountHost(in AuditLogRecord record)
    {
        var origin = record.Origin.Span;
        if (origin.IsEmpty)
        {
            return;
        }

        if (_lastOriginName is null || !origin.SequenceEqual(_lastOrigin))
        {
            _lastOrigin = origin.ToArray();
            _lastOriginName = Encoding.UTF8.GetString(origin);
        }

        _hosts.Add(_lastOriginName);
    }

    private RecordRef Ref(in AuditLogRecord record, ReportInput input, long? ms, string summary, GuestState? guest = null, GuestEvent? kept = null) => new()
    {
        Input = input.Name,
        Line = record.LineNumber,
        Offset = record.Offset,
        Time = Iso(ms),
        Type = TypeName(record),
        Guest = guest?.Report.Uuid,
        GuestName = guest?.LastName,
        EventId = kept?.Id,
        Summary = summary,
        Raw = Raw(record.Bytes.Span, record.Bytes.Length),
    };

    private string Raw(ReadOnlySpan<byte> line, long length) =>
        length > _limits.MaxRawBytes || line.Length > _limits.MaxRawBytes
            ? Encoding.UTF8.GetString(line.Slice(0, Math.Min(line.Length, _limits.MaxRawBytes))) + Invariant($"… ({length} bytes)")
            : Encoding.UTF8.GetString(line);

    private static List<KeyCount> RenderingCounts(long[] counts)
    {
        var list = new List<KeyCount>();
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] > 0)
            {
                list.Add(new KeyCount { Key = RecordJson.RenderingName((AuditRendering)i), Count = counts[i] });
            }
        }

        list.Sort((a, b) => b.Count.CompareTo(a.Count));
        return list;
    }

    internal static string TypeName(in AuditLogRecord record) =>
        record.TypeNumber is >= 2500 and <= 2502 ? VirtTypeNames[record.TypeNumber - 2500]
        : record.TypeName.Length > 0 ? Encoding.UTF8.GetString(record.TypeName.Span) : AuditRecordTypes.GetName(record.TypeNumber);

    /// <summary>The fields of a kept line, decoded: parsed again from its bytes (an event keeps no other copy of them).</summary>
    internal static List<KeyValue> FieldsOf(byte[] line)
    {
        var fields = new List<KeyValue>();
        if (!AuditLine.TryParseAny(line, out var parsed, out _))
        {
            return fields;
        }

        foreach (var field in parsed.Fields)
        {
            fields.Add(new KeyValue { Name = Encoding.UTF8.GetString(field.Name.Span), Value = RecordFields.DecodeToString(field) ?? "?" });
        }

        return fields;
    }

    /// <summary>A record in a few words: <c>op reason</c> or <c>resrc reason</c>.</summary>
    internal static string Describe(in AuditLogRecord record)
    {
        var op = RecordFields.GetDecoded(record, "op"u8) ?? RecordFields.GetDecoded(record, "resrc"u8);
        var reason = RecordFields.GetDecoded(record, "reason"u8);
        var what = op is null ? reason : reason is null ? op : op + " " + reason;
        return what ?? TypeName(record);
    }

    /// <summary>Unix milliseconds of the record: its stamp, else the time a daemon log printed; null without either.</summary>
    internal static long? Milliseconds(in AuditLogRecord record)
    {
        if (record.HasStamp)
        {
            return (record.Stamp.Seconds * 1000) + record.Stamp.Milliseconds;
        }

        var daemon = record.DaemonLog;
        if (daemon.IsPresent && daemon.Timestamp.Length > 0)
        {
            var text = Encoding.ASCII.GetString(daemon.Timestamp.Span);
            // libvirt: 2026-11-24 17:52:12.200+0000; KubeVirt: 2026-11-24T17:52:12.200000Z.
            if (text.Length == 28 && text[10] == ' ' && (text[23] is '+' or '-'))
            {
                text = text.Substring(0, 26) + ":" + text.Substring(26);
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                return time.ToUnixTimeMilliseconds();
            }
        }

        return null;
    }

    internal static string? Iso(long? ms) =>
        ms is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) : null;

    internal static bool IsScalar(string kind) => Array.IndexOf(ScalarKinds, kind) >= 0;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Counts by key, at most a bound of distinct keys (the rest under <c>(other)</c>).</summary>
    private sealed class KeyCounter(int max)
    {
        private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

        public void Add(string key, long count = 1)
        {
            if (!_counts.ContainsKey(key) && _counts.Count >= max)
            {
                key = "(other)";
            }

            _counts[key] = _counts.GetValueOrDefault(key) + count;
        }

        public void AddAll(KeyCounter other)
        {
            foreach (var (key, count) in other._counts)
            {
                Add(key, count);
            }
        }

        public List<KeyCount> ToList()
        {
            var list = new List<KeyCount>(_counts.Count);
            foreach (var (key, count) in _counts)
            {
                list.Add(new KeyCount { Key = key, Count = count });
            }

            list.Sort((a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : string.CompareOrdinal(a.Key, b.Key));
            return list;
        }
    }
}
