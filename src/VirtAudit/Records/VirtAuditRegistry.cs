using System;
using System.Collections.Generic;
using System.Linq;
using VirtAudit.CompilerServices;

namespace VirtAudit;

/// <summary>
/// Matches a record type and payload to a generated variant. <see cref="Default"/> knows the built-in schema; a
/// consumer's generated registry (<c>MySchema.Registry</c>) adds its own variants with <see cref="With"/>.
/// </summary>
/// <remarks>
/// For a record of type T the candidates are the variants of T whose constant fields (<c>resrc=…</c>,
/// <c>reason=open</c>) all match the payload, most constants first and legacy shapes last; the first that parses
/// the whole payload into a record libvirt could have written (<see cref="IVirtAuditPayload.IsValid"/>) types it.
/// Matching allocates nothing.
/// </remarks>
public sealed class VirtAuditRegistry
{
    private readonly VirtAuditVariantInfo[] _variants;

    // Every key some variant's constants name (resrc, reason), found once per payload; per variant, the index in
    // _keys of each of its constants.
    private readonly byte[][] _keys;
    private readonly int[][] _constantKeys;
    private readonly HashSet<int> _recordNumbers;

    // Per record type: its candidates (indexes into _variants, in order) and the constant keys they name, so that a
    // payload is searched only for the keys its type's variants use (a VIRT_CONTROL for none).
    private readonly Dictionary<int, TypeCandidates> _byType;
    private readonly TypeCandidates?[] _byVirtType = new TypeCandidates?[100];

    /// <summary>Creates a registry of <paramref name="variants"/>.</summary>
    /// <exception cref="ArgumentException">Two variants have the same name.</exception>
    public VirtAuditRegistry(IEnumerable<VirtAuditVariantInfo> variants)
    {
        ArgumentNullException.ThrowIfNull(variants);
        var list = variants.ToList();
        var duplicate = list.GroupBy(v => v.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"the variant '{duplicate.Key}' is registered twice", nameof(variants));
        }

        // Stable: most constant fields first, current shapes before legacy ones, then schema order.
        _variants = list
            .Select((v, i) => (v, i))
            .OrderBy(x => x.v.IsLegacy)
            .ThenByDescending(x => x.v.ConstantKeys.Length)
            .ThenBy(x => x.i)
            .Select(x => x.v)
            .ToArray();

        var keys = new List<byte[]>();
        _constantKeys = new int[_variants.Length][];
        for (var i = 0; i < _variants.Length; i++)
        {
            var own = _variants[i].ConstantKeys;
            _constantKeys[i] = new int[own.Length];
            for (var c = 0; c < own.Length; c++)
            {
                var at = keys.FindIndex(k => k.AsSpan().SequenceEqual(own[c]));
                if (at < 0)
                {
                    at = keys.Count;
                    keys.Add(own[c]);
                }

                _constantKeys[i][c] = at;
            }
        }

        _keys = keys.ToArray();
        _recordNumbers = new HashSet<int>(_variants.Select(v => v.RecordNumber));
        _byType = new Dictionary<int, TypeCandidates>();
        foreach (var number in _recordNumbers)
        {
            var indexes = Enumerable.Range(0, _variants.Length).Where(i => _variants[i].RecordNumber == number).ToArray();
            var used = indexes.SelectMany(i => _constantKeys[i]).Distinct().Order().ToArray();
            var candidates = new TypeCandidates(indexes, used);
            _byType[number] = candidates;
            if (number is >= 2500 and < 2600)
            {
                _byVirtType[number - 2500] = candidates;
            }
        }
    }

    private sealed record TypeCandidates(int[] Variants, int[] Keys);

    /// <summary>The registry of the built-in schema (<c>schema/virt-audit.yaml</c>).</summary>
    public static VirtAuditRegistry Default => VirtAuditSchema.Registry;

    /// <summary>The variants, in the order they are tried.</summary>
    public IReadOnlyList<VirtAuditVariantInfo> Variants => _variants;

    /// <summary>A new registry with this one's variants and <paramref name="more"/>.</summary>
    public VirtAuditRegistry With(IEnumerable<VirtAuditVariantInfo> more) => new(_variants.Concat(more));

    /// <summary>True when some variant has the record type <paramref name="recordNumber"/>.</summary>
    public bool Handles(int recordNumber) => _recordNumbers.Contains(recordNumber);

    /// <summary>
    /// Types <paramref name="message"/> (the text inside <c>msg='…'</c>) of a record of type
    /// <paramref name="recordNumber"/>. The result is untyped (<see cref="VirtAuditRecord.IsTyped"/> false) with
    /// the reason when no variant parses it into a valid record.
    /// </summary>
    public VirtAuditRecord Parse(int recordNumber, ReadOnlyMemory<byte> message)
    {
        Parse(recordNumber, message, null, out var record);
        return record;
    }

    /// <summary>
    /// <see cref="Parse(int, ReadOnlyMemory{byte})"/> into <paramref name="record"/>; with a <paramref name="store"/>,
    /// the typed struct is kept there, so that the record's <c>TryGet</c> and <c>TryReencode</c> do not parse again.
    /// </summary>
    internal void Parse(int recordNumber, ReadOnlyMemory<byte> message, ParsedRecords? store, out VirtAuditRecord record)
    {
        AuditTrailer.TrySplit(message, out var libvirtPart, out var trailer);
        var span = libvirtPart.Span;
        var candidates = recordNumber is >= 2500 and < 2600 ? _byVirtType[recordNumber - 2500] : _byType.GetValueOrDefault(recordNumber);
        var variants = candidates is null ? [] : candidates.Variants;

        // Where each constant key of this type's variants is (start, length; -1 when the payload lacks the key),
        // found once; keys no variant of the type names are not searched.
        var found = _keys.Length <= 16 ? stackalloc int[2 * _keys.Length] : new int[2 * _keys.Length];
        if (candidates is not null)
        {
            foreach (var k in candidates.Keys)
            {
                FindValue(span, _keys[k], out found[2 * k], out found[(2 * k) + 1]);
            }
        }

        VirtAuditVariantInfo? firstFailed = null;
        var anyOfType = variants.Length > 0;
        foreach (var i in variants)
        {
            var v = _variants[i];
            if (!ConstantsMatch(v, _constantKeys[i], span, found))
            {
                continue;
            }

            // Variants that share their constants (resrc=shmem: current, then the legacy shapes) are told apart by
            // their fields: only then is a parse thrown away.
            var part = libvirtPart;
            var tail = trailer;
            v.FitTrailer(message, ref part, ref tail);
            var reader = new PayloadReader(part);
            if (v.TryRead(ref reader, store, out var parsed, out var version))
            {
                var legacy = reader.Legacy | tail.Legacy | (v.IsLegacy ? LegacyShape.LegacyVariant : LegacyShape.None);
                record = new VirtAuditRecord(v, recordNumber, message, part, tail, legacy, null, null, 0, parsed, version, reader.AmbiguousFieldOffset, reader.AmbiguityOffset, reader.AmbiguousValueEnd);
                return;
            }

            firstFailed ??= v;
        }

        // Untyped: read the first candidate again for its error, so that typing a payload never allocates.
        string? error = null;
        string? errorField = null;
        var errorOffset = 0;
        if (firstFailed is not null)
        {
            var part = libvirtPart;
            var tail = trailer;
            firstFailed.FitTrailer(message, ref part, ref tail);
            var reader = new PayloadReader(part);
            firstFailed.TryRead(ref reader, null, out _, out _);
            error = reader.Error ?? "the payload does not parse as " + firstFailed.Name;
            errorField = reader.ErrorField.IsEmpty ? null : System.Text.Encoding.UTF8.GetString(reader.ErrorField);
            errorOffset = reader.ErrorOffset;
        }
        else
        {
            error = !anyOfType ? "no variant of this record type is registered" : NoVariantFor(recordNumber, span, found);
        }

        if (!LooksLikeLibvirt(span))
        {
            error = "not a libvirt payload (libvirt's begin with virt=, or op=/resrc=/vm= before 0.9.3): " + error;
        }

        record = new VirtAuditRecord(null, recordNumber, message, libvirtPart, trailer, trailer.Legacy, error, errorField, errorOffset);
    }

    /// <summary>
    /// Why no variant of type <paramref name="recordNumber"/> matched the payload's constant fields: the first constant
    /// key (<c>resrc</c> before <c>reason</c>) that the payload lacks or whose value no variant accepts
    /// (<c>resrc=vsock</c>). Allocates; only for untyped records.
    /// </summary>
    private string NoVariantFor(int recordNumber, ReadOnlySpan<byte> payload, ReadOnlySpan<int> found)
    {
        for (var k = 0; k < _keys.Length; k++)
        {
            var named = false;
            var accepted = false;
            var start = found[2 * k];
            for (var i = 0; i < _variants.Length && !accepted; i++)
            {
                var v = _variants[i];
                var at = Array.IndexOf(_constantKeys[i], k);
                if (v.RecordNumber != recordNumber || at < 0)
                {
                    continue;
                }

                named = true;
                accepted = start >= 0 && payload.Slice(start, found[(2 * k) + 1]).SequenceEqual(v.ConstantValues[at]);
            }

            if (!named || accepted)
            {
                continue;
            }

            var key = System.Text.Encoding.UTF8.GetString(_keys[k]);
            return start >= 0
                ? $"no variant for {key}={System.Text.Encoding.UTF8.GetString(payload.Slice(start, found[(2 * k) + 1]))} (extend the schema to type it)"
                : $"no variant for a payload without {key}= (extend the schema to type it)";
        }

        return "no variant matches the payload's constant fields";
    }

    private static bool ConstantsMatch(VirtAuditVariantInfo v, int[] keyIndexes, ReadOnlySpan<byte> payload, ReadOnlySpan<int> found)
    {
        for (var c = 0; c < keyIndexes.Length; c++)
        {
            var start = found[2 * keyIndexes[c]];
            if (start < 0 || !payload.Slice(start, found[(2 * keyIndexes[c]) + 1]).SequenceEqual(v.ConstantValues[c]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Where the value of the first field <paramref name="key"/> (at the start or after a space) is: its
    /// <paramref name="start"/> (-1 when the payload has no such field) and <paramref name="length"/>, up to the next space.
    /// </summary>
    private static void FindValue(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> key, out int start, out int length)
    {
        var at = PayloadReader.IndexOfField(payload, key);
        if (at < 0)
        {
            start = -1;
            length = 0;
            return;
        }

        start = at + key.Length + 1;
        var space = payload.Slice(start).IndexOf((byte)' ');
        length = space < 0 ? payload.Length - start : space;
    }

    internal static bool LooksLikeLibvirt(ReadOnlySpan<byte> payload) =>
        payload.StartsWith("virt="u8) || payload.StartsWith("op="u8) || payload.StartsWith("resrc="u8) || payload.StartsWith("vm="u8);
}
