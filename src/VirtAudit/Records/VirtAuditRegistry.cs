using System;
using System.Collections.Generic;
using System.Linq;

namespace VirtAudit;

/// <summary>
/// Matches a record type and payload to a generated variant. <see cref="Default"/> knows the built-in schema; a
/// consumer's generated registry (<c>MySchema.Registry</c>) adds its own variants with <see cref="With"/>.
/// </summary>
/// <remarks>
/// For a record of type T the candidates are the variants of T whose constant fields (<c>resrc=…</c>,
/// <c>reason=open</c>) all match the payload, most constants first and legacy shapes last; the first that parses
/// the whole payload types it. Matching allocates nothing.
/// </remarks>
public sealed class VirtAuditRegistry
{
    private readonly VirtAuditVariantInfo[] _variants;

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
    }

    /// <summary>The registry of the built-in schema (<c>schema/virt-audit.yaml</c>).</summary>
    public static VirtAuditRegistry Default => VirtAuditSchema.Registry;

    /// <summary>The variants, in the order they are tried.</summary>
    public IReadOnlyList<VirtAuditVariantInfo> Variants => _variants;

    /// <summary>A new registry with this one's variants and <paramref name="more"/>.</summary>
    public VirtAuditRegistry With(IEnumerable<VirtAuditVariantInfo> more) => new(_variants.Concat(more));

    /// <summary>True when some variant has the record type <paramref name="recordNumber"/>.</summary>
    public bool Handles(int recordNumber)
    {
        foreach (var v in _variants)
        {
            if (v.RecordNumber == recordNumber)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Types <paramref name="message"/> (the text inside <c>msg='…'</c>) of a record of type
    /// <paramref name="recordNumber"/>. The result is untyped (<see cref="VirtAuditRecord.IsTyped"/> false) with
    /// the reason when no variant parses it.
    /// </summary>
    public VirtAuditRecord Parse(int recordNumber, ReadOnlyMemory<byte> message)
    {
        AuditTrailer.TrySplit(message, out var libvirtPart, out var trailer);
        var span = libvirtPart.Span;
        VirtAuditVariantInfo? firstFailed = null;
        var anyOfType = false;
        foreach (var v in _variants)
        {
            if (v.RecordNumber != recordNumber)
            {
                continue;
            }

            anyOfType = true;
            if (!ConstantsMatch(v, span))
            {
                continue;
            }

            var reader = new PayloadReader(libvirtPart);
            if (v.TryRead(ref reader))
            {
                var legacy = reader.Legacy | trailer.Legacy | (v.IsLegacy ? LegacyShape.LegacyVariant : LegacyShape.None);
                return new VirtAuditRecord(v, recordNumber, message, libvirtPart, trailer, legacy, null, null, 0);
            }

            firstFailed ??= v;
        }

        // Untyped: read the first candidate again for its error, so that typing a payload never allocates.
        string? error = null;
        string? errorField = null;
        var errorOffset = 0;
        if (firstFailed is not null)
        {
            var reader = new PayloadReader(libvirtPart);
            firstFailed.TryRead(ref reader);
            error = reader.Error ?? "the payload does not parse as " + firstFailed.Name;
            errorField = reader.ErrorField.IsEmpty ? null : System.Text.Encoding.UTF8.GetString(reader.ErrorField);
            errorOffset = reader.ErrorOffset;
        }
        else
        {
            error = !anyOfType ? "no variant of this record type is registered" : "no variant matches the payload's constant fields (resrc, reason)";
        }

        if (!LooksLikeLibvirt(span))
        {
            error = "not a libvirt payload (libvirt's begin with virt=, or op=/resrc=/vm= before 0.9.3): " + error;
        }

        return new VirtAuditRecord(null, recordNumber, message, libvirtPart, trailer, trailer.Legacy, error, errorField, errorOffset);
    }

    private static bool ConstantsMatch(VirtAuditVariantInfo v, ReadOnlySpan<byte> payload)
    {
        for (var i = 0; i < v.ConstantKeys.Length; i++)
        {
            if (!FindValue(payload, v.ConstantKeys[i], out var value) || !value.SequenceEqual(v.ConstantValues[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Finds the value of the first field <paramref name="key"/> (at the start or after a space).</summary>
    private static bool FindValue(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        var offset = 0;
        while (offset < payload.Length)
        {
            var rest = payload.Slice(offset);
            var at = rest.IndexOf(key);
            if (at < 0)
            {
                break;
            }

            var start = offset + at;
            var end = start + key.Length;
            if ((start == 0 || payload[start - 1] == (byte)' ') && end < payload.Length && payload[end] == (byte)'=')
            {
                var v = payload.Slice(end + 1);
                var space = v.IndexOf((byte)' ');
                value = space < 0 ? v : v.Slice(0, space);
                return true;
            }

            offset = start + 1;
        }

        value = default;
        return false;
    }

    internal static bool LooksLikeLibvirt(ReadOnlySpan<byte> payload) =>
        payload.StartsWith("virt="u8) || payload.StartsWith("op="u8) || payload.StartsWith("resrc="u8) || payload.StartsWith("vm="u8);
}
