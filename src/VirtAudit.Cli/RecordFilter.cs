using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace VirtAudit.Cli;

/// <summary>
/// The record filters of <c>parse</c>, <c>follow</c> and <c>stats</c>: <c>--type</c>, <c>--vm</c>, <c>--uuid</c>,
/// <c>--resrc</c>, <c>--res</c>, <c>--since</c>/<c>--until</c> and <c>--all</c>. Without <c>--all</c> only VIRT_*
/// records (2500–2599) pass. A time filter drops records without a stamp (journald lines). Matching allocates nothing.
/// </summary>
internal sealed class RecordFilter
{
    private readonly byte[][] _typeNames;
    private readonly int[] _typeNumbers;
    private readonly byte[]? _vm;
    private readonly Guid? _uuid;
    private readonly byte[]? _resrc;
    private readonly byte[]? _res;
    private readonly long? _sinceMs;
    private readonly long? _untilMs;
    private readonly bool _all;

    public RecordFilter(IReadOnlyList<string>? types, string? vm, Guid? uuid, string? resrc, string? res, DateTimeOffset? since, DateTimeOffset? until, bool all)
    {
        var names = new List<byte[]>();
        var numbers = new List<int>();
        foreach (var type in types ?? Array.Empty<string>())
        {
            foreach (var one in type.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (int.TryParse(one, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    numbers.Add(number);
                }
                else
                {
                    var name = Encoding.UTF8.GetBytes(one.ToUpperInvariant());
                    names.Add(name);
                    if (AuditRecordTypes.TryGetNumber(name, out var known))
                    {
                        numbers.Add(known);
                    }
                }
            }
        }

        _typeNames = names.ToArray();
        _typeNumbers = numbers.ToArray();
        _vm = vm is null ? null : Encoding.UTF8.GetBytes(vm);
        _uuid = uuid;
        _resrc = resrc is null ? null : Encoding.UTF8.GetBytes(resrc);
        _res = res is null ? null : Encoding.UTF8.GetBytes(res);
        _sinceMs = since?.ToUnixTimeMilliseconds();
        _untilMs = until?.ToUnixTimeMilliseconds();
        _all = all || _typeNames.Length > 0 || _typeNumbers.Length > 0;
    }

    /// <summary>True when the record passes every filter given.</summary>
    public bool Matches(in AuditLogRecord record)
    {
        if (!_all && !record.IsVirt)
        {
            return false;
        }

        if ((_typeNames.Length > 0 || _typeNumbers.Length > 0) && !MatchesType(record))
        {
            return false;
        }

        if (_sinceMs is not null || _untilMs is not null)
        {
            if (!record.HasStamp)
            {
                return false;
            }

            var ms = (record.Stamp.Seconds * 1000) + record.Stamp.Milliseconds;
            if (ms < _sinceMs || ms > _untilMs)
            {
                return false;
            }
        }

        if (_vm is not null && !RecordFields.DecodedEquals(record, "vm"u8, _vm))
        {
            return false;
        }

        if (_uuid is not null && !(RecordFields.TryGetUuid(record, out var uuid) && uuid == _uuid.Value))
        {
            return false;
        }

        if (_resrc is not null && !(RecordFields.TryFind(record, "resrc"u8, out var resrc) && resrc.SequenceEqual(_resrc)))
        {
            return false;
        }

        return _res is null || (RecordFields.TryFind(record, "res"u8, out var res) && res.SequenceEqual(_res));
    }

    private bool MatchesType(in AuditLogRecord record)
    {
        if (record.TypeNumber != 0 && Array.IndexOf(_typeNumbers, record.TypeNumber) >= 0)
        {
            return true;
        }

        var name = record.TypeName.Span;
        foreach (var wanted in _typeNames)
        {
            if (name.SequenceEqual(wanted))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Reads a <c>--since</c>/<c>--until</c> value: ISO 8601 (<c>2026-11-24T17:52:13Z</c>; no offset means UTC), epoch
    /// seconds (<c>1795542733</c>, <c>1795542733.544</c>), or relative to <paramref name="now"/>: <c>-2h</c>, <c>-30m</c>,
    /// <c>-45s</c>, <c>-7d</c>, <c>-1w</c>.
    /// </summary>
    public static bool TryParseTime(string text, DateTimeOffset now, out DateTimeOffset time, out string? error)
    {
        time = default;
        error = null;
        text = text.Trim();
        if (text.Length >= 3 && text[0] == '-' && char.IsAsciiDigit(text[1]))
        {
            var unit = text[^1];
            if (long.TryParse(text.AsSpan(1, text.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
            {
                TimeSpan? span = unit switch
                {
                    's' => TimeSpan.FromSeconds(amount),
                    'm' => TimeSpan.FromMinutes(amount),
                    'h' => TimeSpan.FromHours(amount),
                    'd' => TimeSpan.FromDays(amount),
                    'w' => TimeSpan.FromDays(amount * 7),
                    _ => null,
                };
                if (span is not null)
                {
                    time = now - span.Value;
                    return true;
                }
            }
        }

        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var epoch) && epoch < 1e11m)
        {
            time = DateTimeOffset.FromUnixTimeMilliseconds((long)(epoch * 1000));
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time))
        {
            return true;
        }

        error = $"'{text}' is not a time: give ISO 8601 (2026-11-24T17:52:13Z), epoch seconds (1795542733) or a relative time (-2h, -30m, -7d)";
        return false;
    }
}

/// <summary>Field lookups on a record, without allocating.</summary>
internal static class RecordFields
{
    /// <summary>The first field named <paramref name="name"/> (inside <c>msg='…'</c> first).</summary>
    public static bool TryFindField(in AuditLogRecord record, ReadOnlySpan<byte> name, out AuditField found)
    {
        found = default;
        var foundOuter = false;
        foreach (var field in record.Fields)
        {
            if (field.NameEquals(name))
            {
                if (field.IsInner)
                {
                    found = field;
                    return true;
                }

                if (!foundOuter)
                {
                    found = field;
                    foundOuter = true;
                }
            }
        }

        return foundOuter;
    }

    /// <summary>The raw value of the first field named <paramref name="name"/> (inside <c>msg='…'</c> first).</summary>
    public static bool TryFind(in AuditLogRecord record, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        var found = TryFindField(record, name, out var field);
        value = found ? field.Value.Span : default;
        return found;
    }

    /// <summary>
    /// Writes the value as a reader means it into <paramref name="destination"/>: quotes removed; upper-case hex decoded
    /// only for fields in the audit encoding (<see cref="AuditField.IsEncoded"/>: a raw <c>new-mem=262144</c> is a
    /// number, not hex); other values as written.
    /// </summary>
    public static ReadOnlySpan<byte> Decode(in AuditField field, Span<byte> scratch, out byte[]? rented)
    {
        rented = null;
        var raw = field.Value.Span;
        if (raw.Length > 1 && raw[0] is (byte)'"' or (byte)'\'' && raw[^1] == raw[0])
        {
            return raw.Slice(1, raw.Length - 2);
        }

        if (!field.IsEncoded)
        {
            return raw;
        }

        var length = AuditField.GetDecodedLength(raw);
        if (length > scratch.Length)
        {
            scratch = rented = new byte[length];
        }

        return AuditField.TryDecode(raw, scratch, out var n) ? scratch.Slice(0, n) : raw;
    }

    /// <summary>The field's value as text (see <see cref="Decode"/>; allocates), or null when it is <c>?</c> or <c>"?"</c>.</summary>
    public static string? DecodeToString(in AuditField field)
    {
        var raw = field.Value.Span;
        if (raw.SequenceEqual("?"u8) || raw.SequenceEqual("\"?\""u8))
        {
            return null;
        }

        Span<byte> scratch = stackalloc byte[256];
        return Encoding.UTF8.GetString(Decode(field, scratch, out _));
    }

    /// <summary>True when the field's decoded value is <paramref name="expected"/>.</summary>
    public static bool DecodedEquals(in AuditLogRecord record, ReadOnlySpan<byte> name, ReadOnlySpan<byte> expected)
    {
        if (!TryFindField(record, name, out var field))
        {
            return false;
        }

        Span<byte> scratch = stackalloc byte[256];
        return Decode(field, scratch, out _).SequenceEqual(expected);
    }

    /// <summary>The record's <c>uuid=</c>.</summary>
    public static bool TryGetUuid(in AuditLogRecord record, out Guid uuid)
    {
        uuid = default;
        return TryFind(record, "uuid"u8, out var raw) && System.Buffers.Text.Utf8Parser.TryParse(raw, out uuid, out var used, 'D') && used == raw.Length;
    }

    /// <summary>
    /// The decoded <c>old-X</c> and <c>new-X</c> values of a resource record (allocates; null for <c>?</c> or a side
    /// it does not have), and whether it has either field: a record without them (dev, hostdev, shmem, …) carries its
    /// resource in other fields.
    /// </summary>
    public static bool TryGetOldNew(in AuditLogRecord record, out string? old, out string? @new)
    {
        old = null;
        @new = null;
        var found = false;
        foreach (var field in record.Fields)
        {
            if (!field.IsInner)
            {
                continue;
            }

            var name = field.Name.Span;
            if (name.StartsWith("old-"u8))
            {
                found = true;
                old = DecodeToString(field);
            }
            else if (name.StartsWith("new-"u8))
            {
                found = true;
                @new = DecodeToString(field);
            }
        }

        return found;
    }

    /// <summary>The field's decoded value as text (allocates), or null when absent or <c>?</c>.</summary>
    public static string? GetDecoded(in AuditLogRecord record, ReadOnlySpan<byte> name) =>
        TryFindField(record, name, out var field) ? DecodeToString(field) : null;
}
