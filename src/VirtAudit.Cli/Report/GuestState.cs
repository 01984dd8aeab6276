using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using VirtAudit.Cli.Output;

namespace VirtAudit.Cli.Report;

/// <summary>
/// One guest while the report is built: its runs, kept events, labels and resource sets. A record is applied in the
/// order read: <c>reason=start</c> resources gather into the next start's set; <c>op=start</c> opens a run with that set
/// (a failed start is a run of its own that never ran); <c>op=stop</c> closes the open run (or one that began before
/// the input); attach, detach and update change the running set unless they failed.
/// </summary>
internal sealed class GuestState
{
    private const int MaxNames = 32;
    private const int MaxLabels = 32;
    private const int MaxOmittedKinds = 64;
    private readonly ReportLimits _limits;
    private readonly BoundedLog<GuestEvent> _events;
    private readonly BoundedLog<RunReport> _runs;
    private readonly Dictionary<string, long> _omittedByKind = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SecurityLabel> _labels = new(StringComparer.Ordinal);
    private List<ResourceItem> _pending = new();
    private List<ResourceItem> _current = new();
    private List<ResourceItem>? _previousStart;
    private RunReport? _open;
    private long? _firstMs;
    private long? _lastMs;
    private int _nextEvent;
    private long _runNumber;

    public GuestState(Guid uuid, ReportLimits limits)
    {
        _limits = limits;
        Report = new GuestReport { Uuid = uuid.ToString() };
        _events = new BoundedLog<GuestEvent>(limits.MaxEventsPerGuest);
        _runs = new BoundedLog<RunReport>(limits.MaxRunsPerGuest);
    }

    public GuestReport Report { get; }

    public string? LastName { get; private set; }

    /// <summary>Applies a VIRT record of this guest; returns the event kept for it, if any.</summary>
    public GuestEvent? Add(in AuditLogRecord record, ReportInput input, long? ms, bool failed, bool notSent)
    {
        var g = Report;
        g.Records++;
        g.NotSent += notSent ? 1 : 0;
        if (ms is { } t)
        {
            _firstMs = _firstMs is { } f ? Math.Min(f, t) : t;
            _lastMs = _lastMs is { } l ? Math.Max(l, t) : t;
        }

        Note(g.Names, RecordFields.GetDecoded(record, "vm"u8), MaxNames, name => LastName = name);
        Note(g.Virt, RecordFields.GetDecoded(record, "virt"u8), MaxNames, null);
        if (record.Origin.Length > 0)
        {
            Note(g.Hosts, Encoding.UTF8.GetString(record.Origin.Span), MaxNames, null);
        }

        var reason = RecordFields.GetDecoded(record, "reason"u8);
        g.FailedOperations += failed ? 1 : 0;
        switch (record.TypeNumber)
        {
            case 2500:
                return Control(record, input, ms, reason, failed, notSent);
            case 2501:
                return Resource(record, input, ms, reason, failed, notSent);
            case 2502:
                Label(record, input, ms);
                return failed ? Keep(record, input, ms, "label", failed, notSent, "security label " + Fields(record)) : null;
            default:
                return Keep(record, input, ms, "control", failed, notSent, ReportBuilder.Describe(record));
        }
    }

    private GuestEvent? Control(in AuditLogRecord record, ReportInput input, long? ms, string? reason, bool failed, bool notSent)
    {
        var g = Report;
        var op = RecordFields.GetDecoded(record, "op"u8);
        var pid = RecordFields.GetDecoded(record, "vm-pid"u8);
        if (op == "start")
        {
            g.Starts++;
            g.FailedStarts += failed ? 1 : 0;
            var run = new RunReport
            {
                Number = ++_runNumber,
                StartReason = reason ?? "?",
                StartMs = ms,
                StartFailed = failed,
                Pid = pid is null or "0" ? null : pid,
                HasPreviousStart = _previousStart is not null,
            };
            SetResources(run, _pending);
            if (_previousStart is not null)
            {
                run.ChangesSincePreviousStart = Diff(_previousStart, _pending);
            }

            _previousStart = _pending;
            _pending = new List<ResourceItem>();
            _runs.Add(run, out _);
            var e = Keep(record, input, ms, "start", failed, notSent, $"start {reason ?? "?"}{(run.Pid is null ? string.Empty : " pid=" + run.Pid)}{(failed ? " FAILED" : string.Empty)}", run.Number);
            run.StartEvent = e?.Id;
            if (failed)
            {
                run.StopMs = ms;
                _current = new List<ResourceItem>();
                _open = null;
            }
            else
            {
                _current = new List<ResourceItem>(_previousStart);
                _open = run;
            }

            return e;
        }

        if (op == "stop")
        {
            g.Stops++;
            var run = _open;
            if (run is null)
            {
                // A stop without a start in the input: the run began before it.
                run = new RunReport { Number = ++_runNumber };
                _runs.Add(run, out _);
            }

            var e = Keep(record, input, ms, "stop", failed, notSent, $"stop {reason ?? "?"}{(failed ? " FAILED" : string.Empty)}", run.Number);
            run.StopReason = reason ?? "?";
            run.StopMs = ms;
            run.StopEvent = e?.Id;
            run.StopFailed = failed;
            _open = null;
            _pending.Clear();
            return e;
        }

        return Keep(record, input, ms, "control", failed, notSent, $"{op ?? "?"} {reason ?? string.Empty}{(failed ? " FAILED" : string.Empty)}".TrimEnd(), _open?.Number);
    }

    private GuestEvent? Resource(in AuditLogRecord record, ReportInput input, long? ms, string? reason, bool failed, bool notSent)
    {
        var kind = RecordFields.GetDecoded(record, "resrc"u8) ?? "?";
        var (old, @new) = OldNew(record, kind, reason);
        if (reason == "start")
        {
            if (!failed && @new is not null)
            {
                _pending.Add(new ResourceItem { Kind = kind, Value = @new });
            }

            return failed ? Keep(record, input, ms, "resource", failed, notSent, $"start {kind} {@new ?? "?"}{(failed ? " FAILED" : string.Empty)}") : null;
        }

        if (reason is "open" or "allow" or "deny")
        {
            // Device ACLs and tap opens come with starts and hotplugs; they are not resources of their own.
            Report.AccessRecords++;
            return failed ? Keep(record, input, ms, "access", failed, notSent, $"{reason} {kind} {Fields(record)}{(failed ? " FAILED" : string.Empty)}", _open?.Number) : null;
        }

        Report.Changes++;
        var summary = reason switch
        {
            "attach" => $"attach {kind} {@new ?? old ?? "?"}",
            "detach" => $"detach {kind} {old ?? @new ?? "?"}",
            _ => $"{reason ?? "?"} {kind} {old ?? "?"} \u2192 {@new ?? "?"}",
        };
        var kindName = reason is "attach" or "detach" or "update" ? reason : "resource";
        var e = Keep(record, input, ms, kindName, failed, notSent, summary + (failed ? " FAILED" : string.Empty), _open?.Number);
        if (!failed)
        {
            Apply(kind, reason, old, @new);
        }

        return e;
    }

    private void Apply(string kind, string? reason, string? old, string? @new)
    {
        if (IsScalar(kind))
        {
            _current.RemoveAll(r => r.Kind == kind);
            if (@new is not null)
            {
                _current.Add(new ResourceItem { Kind = kind, Value = @new });
            }

            return;
        }

        if (reason == "detach")
        {
            old ??= @new;
            @new = null;
        }

        if (old is not null)
        {
            var i = _current.FindIndex(r => r.Kind == kind && r.Value == old);
            if (i >= 0)
            {
                _current.RemoveAt(i);
            }
        }

        if (@new is not null && _current.Count < _limits.MaxResources)
        {
            _current.Add(new ResourceItem { Kind = kind, Value = @new });
        }
    }

    private void Label(in AuditLogRecord record, ReportInput input, long? ms)
    {
        var model = RecordFields.GetDecoded(record, "model"u8) ?? "?";
        var vm = RecordFields.GetDecoded(record, "vm-ctx"u8);
        var img = RecordFields.GetDecoded(record, "img-ctx"u8);
        var key = model + "\n" + vm + "\n" + img;
        if (_labels.TryGetValue(key, out var label))
        {
            label.Count++;
        }
        else if (_labels.Count < MaxLabels)
        {
            _labels[key] = new SecurityLabel { Model = model, VmCtx = vm, ImgCtx = img, Count = 1, Input = input.Name, FirstLine = record.LineNumber, FirstTime = ReportBuilder.Iso(ms) };
        }
    }

    private GuestEvent? Keep(in AuditLogRecord record, ReportInput input, long? ms, string kind, bool failed, bool notSent, string summary, long? run = null)
    {
        var id = _nextEvent++;
        var reason = RecordFields.GetDecoded(record, "reason"u8);
        var what = RecordFields.GetDecoded(record, record.TypeNumber == 2500 ? "op"u8 : "resrc"u8);
        var e = new GuestEvent
        {
            Id = id,
            Kind = kind,
            Type = ReportBuilder.TypeName(record),
            Variant = record.Virt.Variant?.Name,
            What = what,
            Reason = reason,
            Result = RecordFields.GetDecoded(record, "res"u8),
            Failed = failed,
            NotSent = notSent,
            NotSentReason = notSent ? record.DaemonLog.SendFailure.ToString() : null,
            Ms = ms,
            Run = run,
            Summary = summary,
            Input = input.Name,
            Line = record.LineNumber,
            Rendering = RecordJson.RenderingName(record.Rendering),
            RawBytes = record.Bytes.Length > _limits.MaxRawBytes ? record.Bytes.Span.Slice(0, _limits.MaxRawBytes).ToArray() : record.Bytes.ToArray(),
            RawLength = record.Bytes.Length,
        };

        if (_events.Add(e, out var dropped) && dropped is not null)
        {
            var key = dropped.Failed ? dropped.Kind + " (failed)" : dropped.Kind;
            if (_omittedByKind.ContainsKey(key) || _omittedByKind.Count < MaxOmittedKinds)
            {
                _omittedByKind[key] = _omittedByKind.GetValueOrDefault(key) + 1;
            }
        }

        return e;
    }

    public GuestReport Finish()
    {
        var g = Report;
        g.FirstTime = ReportBuilder.Iso(_firstMs);
        g.LastTime = ReportBuilder.Iso(_lastMs);
        g.Events = _events.ToList();
        g.EventsOmitted = _events.Omitted;
        g.Runs = _runs.ToList();
        g.RunsOmitted = _runs.Omitted;
        foreach (var (key, count) in _omittedByKind)
        {
            g.EventsOmittedByKind.Add(new KeyCount { Key = key, Count = count });
        }

        g.EventsOmittedByKind.Sort((a, b) => b.Count.CompareTo(a.Count));
        g.Labels = new List<SecurityLabel>(_labels.Values);
        g.CurrentResources = _current;
        return g;
    }

    private void SetResources(RunReport run, List<ResourceItem> set)
    {
        var keep = Math.Min(set.Count, _limits.MaxResources);
        run.Resources = set.GetRange(0, keep);
        run.ResourcesOmitted = set.Count - keep;
        if (set.Count > _limits.MaxResources)
        {
            set.RemoveRange(_limits.MaxResources, set.Count - _limits.MaxResources);
        }
    }

    /// <summary>What differs between two starts' sets: scalars (mem, vcpu, iothread) changed; other resources added or removed (as multisets).</summary>
    internal static List<ResourceChange> Diff(List<ResourceItem> before, List<ResourceItem> after)
    {
        var changes = new List<ResourceChange>();
        var remaining = new List<ResourceItem>(before);
        foreach (var item in after)
        {
            if (IsScalar(item.Kind))
            {
                var old = remaining.Find(r => r.Kind == item.Kind);
                if (old is null)
                {
                    changes.Add(new ResourceChange { Kind = item.Kind, Change = "added", New = item.Value });
                }
                else
                {
                    remaining.Remove(old);
                    if (old.Value != item.Value)
                    {
                        changes.Add(new ResourceChange { Kind = item.Kind, Change = "changed", Old = old.Value, New = item.Value });
                    }
                }

                continue;
            }

            var i = remaining.FindIndex(r => r.Kind == item.Kind && r.Value == item.Value);
            if (i >= 0)
            {
                remaining.RemoveAt(i);
            }
            else
            {
                changes.Add(new ResourceChange { Kind = item.Kind, Change = "added", New = item.Value });
            }
        }

        foreach (var gone in remaining)
        {
            changes.Add(new ResourceChange { Kind = gone.Kind, Change = "removed", Old = gone.Value });
        }

        return changes;
    }

    /// <summary>
    /// The old and new value of a resource record: <c>old-X</c>/<c>new-X</c> (<c>?</c> is none; memory in KiB), else the
    /// record's other fields as one value (the new one, or the old one for a detach).
    /// </summary>
    internal static (string? Old, string? New) OldNew(in AuditLogRecord record, string kind, string? reason)
    {
        if (RecordFields.TryGetOldNew(record, out var old, out var @new))
        {
            return kind == "mem" ? (old is null ? null : old + " KiB", @new is null ? null : @new + " KiB") : (old, @new);
        }

        var value = Fields(record);
        return reason == "detach" ? (value, null) : (null, value);
    }

    /// <summary>The payload's own fields as <c>name=value</c> text, without the ones every record has.</summary>
    internal static string Fields(in AuditLogRecord record)
    {
        var text = new StringBuilder();
        foreach (var field in record.Fields)
        {
            if (!field.IsInner && !record.DaemonLog.IsPresent)
            {
                continue;
            }

            var name = Encoding.UTF8.GetString(field.Name.Span);
            if (name is "virt" or "resrc" or "reason" or "vm" or "uuid" or "exe" or "hostname" or "addr" or "terminal" or "res" or "success" or "model" or "op")
            {
                continue;
            }

            text.Append(text.Length == 0 ? string.Empty : " ").Append(name).Append('=').Append(RecordFields.DecodeToString(field) ?? "?");
        }

        return text.ToString();
    }

    private static bool IsScalar(string kind) => ReportBuilder.IsScalar(kind);

    private static void Note(List<string> list, string? value, int max, Action<string>? last)
    {
        if (value is null)
        {
            return;
        }

        last?.Invoke(value);
        if (list.Count < max && !list.Contains(value))
        {
            list.Add(value);
        }
    }
}

/// <summary>
/// A list that keeps its first half and, in a ring, its last half: the middle of a long history is dropped and counted.
/// </summary>
internal sealed class BoundedLog<T>(int capacity)
    where T : class
{
    private readonly List<T> _head = new();
    private readonly T?[] _ring = new T?[Math.Max(0, capacity - Math.Max(1, (capacity + 1) / 2))];
    private int _ringStart;
    private int _ringCount;

    public long Omitted { get; private set; }

    private int HeadCapacity => Math.Max(1, (capacity + 1) / 2);

    /// <summary>Adds an item; <paramref name="dropped"/> is the one that fell out of the ring to make room, if any.</summary>
    /// <returns>True when an item was dropped.</returns>
    public bool Add(T item, out T? dropped)
    {
        dropped = null;
        if (_head.Count < HeadCapacity)
        {
            _head.Add(item);
            return false;
        }

        if (_ring.Length == 0)
        {
            dropped = item;
            Omitted++;
            return true;
        }

        if (_ringCount < _ring.Length)
        {
            _ring[(_ringStart + _ringCount) % _ring.Length] = item;
            _ringCount++;
            return false;
        }

        dropped = _ring[_ringStart];
        _ring[_ringStart] = item;
        _ringStart = (_ringStart + 1) % _ring.Length;
        Omitted++;
        return true;
    }

    public List<T> ToList()
    {
        var list = new List<T>(_head.Count + _ringCount);
        list.AddRange(_head);
        for (var i = 0; i < _ringCount; i++)
        {
            list.Add(_ring[(_ringStart + i) % _ring.Length]!);
        }

        return list;
    }
}
