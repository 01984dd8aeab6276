using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;

namespace VirtAudit;

/// <summary>
/// Groups records into events as they stream by: the records of one event share origin and stamp
/// (<c>node</c>, <c>SECONDS.mmm</c>, <c>SERIAL</c>; spec §3.5). An event is complete on <c>EOE</c> or
/// <c>PROCTITLE</c>, at once for a record type that is always alone (every user-space message, so every VIRT_*
/// record: it waits only for the next record, which joins it when it has the same stamp, as the LSM-stacking
/// <c>UNKNOWN[1420]</c> record does), or when the bounded window has passed. Events come out in the order of their
/// first record. Memory is bounded by the window.
/// </summary>
/// <remarks>
/// Feed it with <see cref="Add"/>, call <see cref="Complete"/> at the end of the input, and take events with
/// <see cref="TryTake"/>; or use <see cref="AuditLogReader.ReadEvents"/>. Records are copied
/// (<see cref="AuditLogRecord.ToOwned"/>), so grouping allocates.
/// </remarks>
public sealed class AuditEventBuilder
{
    private const int Syscall = 1300;
    private const int PathType = 1302;
    private const int Cwd = 1307;
    private const int Execve = 1309;
    private const int Eoe = 1320;
    private const int Proctitle = 1327;
    private const int RecentCapacity = 256;

    private readonly int _windowRecords;
    private readonly long _windowMilliseconds;
    private readonly List<OpenEvent> _open = new();
    private readonly Queue<AuditEvent> _ready = new();
    private readonly (byte[] Origin, AuditStamp Stamp)[] _recent = new (byte[], AuditStamp)[RecentCapacity];
    private readonly List<(byte[] Origin, ulong Serial)> _serials = new();
    private int _recentNext;
    private long _sequence;
    private OpenEvent? _lastTouched;

    /// <summary>Creates a builder.</summary>
    /// <param name="options">The window; null for <see cref="AuditEventOptions.Default"/>.</param>
    public AuditEventBuilder(AuditEventOptions? options = null)
    {
        options ??= AuditEventOptions.Default;
        _windowRecords = options.WindowRecords;
        _windowMilliseconds = (long)options.WindowTime.TotalMilliseconds;
    }

    /// <summary>How many events are waiting: open, or complete behind an open one.</summary>
    public int Waiting => _open.Count;

    /// <summary>Adds the next record of the input (a copy of it is kept).</summary>
    /// <param name="record">The record, e.g. <see cref="AuditLogItem.Record"/>.</param>
    public void Add(in AuditLogRecord record)
    {
        AuditLogRecord owned = record.ToOwned();
        long sequence = ++_sequence;
        OpenEvent? target = null;
        bool late = false;
        if (owned.HasStamp)
        {
            target = FindOpen(owned.Origin.Span, owned.Stamp, out late);
            late |= target is null && WasCompleted(owned.Origin.Span, owned.Stamp);
        }

        if (target is null)
        {
            target = new OpenEvent(owned.Origin.ToArray(), owned.HasStamp, owned.Stamp);
            if (!owned.HasStamp)
            {
                target.Completion = AuditEventCompletion.Unstamped;
            }
            else
            {
                if (late)
                {
                    target.Issues |= AuditEventIssues.Late;
                }
                else if (SerialWentBack(target.Origin, owned.Stamp.Serial))
                {
                    target.Issues |= AuditEventIssues.SerialOutOfOrder;
                }

                target.AwaitingNext = owned.TypeNumber is (>= 1100 and <= 1299) or (>= 2100 and <= 2999);
            }

            _open.Add(target);
        }
        else if (!ReferenceEquals(target, _lastTouched))
        {
            target.Issues |= AuditEventIssues.Interleaved;
        }

        target.Add(owned, sequence);
        _lastTouched = target;
        bool timed = owned.HasStamp;
        long now = timed ? Milliseconds(owned.Stamp) : 0;
        foreach (OpenEvent pending in _open)
        {
            if (pending.Completion != AuditEventCompletion.None)
            {
                continue;
            }

            if (pending.AwaitingNext && !ReferenceEquals(pending, target))
            {
                pending.Completion = AuditEventCompletion.Single;
            }
            else if (sequence - pending.LastSequence > _windowRecords
                || (timed && pending.HasStamp && now - Milliseconds(pending.Stamp) > _windowMilliseconds))
            {
                pending.Completion = AuditEventCompletion.Window;
            }
        }

        Flush();
    }

    /// <summary>Ends the input: every waiting event is complete and can be taken.</summary>
    public void Complete()
    {
        foreach (OpenEvent pending in _open)
        {
            if (pending.Completion == AuditEventCompletion.None)
            {
                pending.Completion = pending.AwaitingNext ? AuditEventCompletion.Single : AuditEventCompletion.EndOfInput;
            }
        }

        Flush();
    }

    /// <summary>Takes the next complete event, in the order of their first records.</summary>
    /// <param name="auditEvent">The event; null when none is complete.</param>
    /// <returns>True when an event was taken.</returns>
    public bool TryTake([NotNullWhen(true)] out AuditEvent? auditEvent) => _ready.TryDequeue(out auditEvent);

    private static long Milliseconds(AuditStamp stamp) => (stamp.Seconds * 1000) + stamp.Milliseconds;

    private OpenEvent? FindOpen(ReadOnlySpan<byte> origin, AuditStamp stamp, out bool completed)
    {
        completed = false;
        for (int i = _open.Count - 1; i >= 0; i--)
        {
            OpenEvent pending = _open[i];
            if (pending.HasStamp && pending.Stamp == stamp && origin.SequenceEqual(pending.Origin))
            {
                if (pending.Completion == AuditEventCompletion.None)
                {
                    return pending;
                }

                completed = true;
                return null;
            }
        }

        return null;
    }

    private bool WasCompleted(ReadOnlySpan<byte> origin, AuditStamp stamp)
    {
        foreach ((byte[] Origin, AuditStamp Stamp) entry in _recent)
        {
            if (entry.Origin is not null && entry.Stamp == stamp && origin.SequenceEqual(entry.Origin))
            {
                return true;
            }
        }

        return false;
    }

    private bool SerialWentBack(byte[] origin, ulong serial)
    {
        for (int i = 0; i < _serials.Count; i++)
        {
            if (_serials[i].Origin.AsSpan().SequenceEqual(origin))
            {
                bool back = serial < _serials[i].Serial;
                if (!back)
                {
                    _serials[i] = (_serials[i].Origin, serial);
                }

                return back;
            }
        }

        _serials.Add((origin, serial));
        return false;
    }

    private void Flush()
    {
        int done = 0;
        while (done < _open.Count && _open[done].Completion != AuditEventCompletion.None)
        {
            OpenEvent pending = _open[done];
            _ready.Enqueue(pending.ToEvent());
            if (pending.HasStamp)
            {
                _recent[_recentNext] = (pending.Origin, pending.Stamp);
                _recentNext = (_recentNext + 1) % RecentCapacity;
            }

            done++;
        }

        if (done > 0)
        {
            _open.RemoveRange(0, done);
        }
    }

    private sealed class OpenEvent
    {
        private readonly List<AuditLogRecord> _records = new(4);
        private bool _hasSyscall;
        private bool _hasFollower;
        private long _items;
        private int _paths;

        public OpenEvent(byte[] origin, bool hasStamp, AuditStamp stamp)
        {
            Origin = origin;
            HasStamp = hasStamp;
            Stamp = stamp;
        }

        public byte[] Origin { get; }

        public bool HasStamp { get; }

        public AuditStamp Stamp { get; }

        public AuditEventCompletion Completion { get; set; }

        public AuditEventIssues Issues { get; set; }

        public bool AwaitingNext { get; set; }

        public long LastSequence { get; private set; }

        public void Add(in AuditLogRecord record, long sequence)
        {
            _records.Add(record);
            LastSequence = sequence;
            switch (record.TypeNumber)
            {
                case Syscall:
                    if (_hasFollower)
                    {
                        Issues |= AuditEventIssues.RecordsOutOfOrder;
                    }

                    _hasSyscall = true;
                    _items = ReadNumber(record, "items"u8);
                    break;
                case PathType:
                    if (ReadNumber(record, "item"u8) != _paths)
                    {
                        Issues |= AuditEventIssues.RecordsOutOfOrder;
                    }

                    _paths++;
                    _hasFollower = true;
                    break;
                case Cwd:
                case Execve:
                    _hasFollower = true;
                    break;
                case Proctitle:
                    _hasFollower = true;
                    Completion = AuditEventCompletion.LastRecord;
                    break;
                case Eoe:
                    Completion = AuditEventCompletion.EndOfEvent;
                    break;
            }
        }

        public AuditEvent ToEvent()
        {
            if ((Issues & AuditEventIssues.Late) == 0
                && ((_hasSyscall && _paths < _items) || (!_hasSyscall && _hasFollower)))
            {
                Issues |= AuditEventIssues.MissingRecords;
            }

            return new AuditEvent(Origin, HasStamp, Stamp, _records, Completion, Issues);
        }

        // The first field `name` of the record as a number; -1 when missing or not a number.
        private static long ReadNumber(in AuditLogRecord record, ReadOnlySpan<byte> name)
        {
            foreach (AuditField field in record.Fields)
            {
                if (field.NameEquals(name))
                {
                    return LineSyntax.TryParseDigits(field.Value.Span, out ulong value, out int digits) && digits == field.Value.Length && value <= long.MaxValue
                        ? (long)value
                        : -1;
                }
            }

            return -1;
        }
    }
}
