using System;

namespace VirtAudit;

/// <summary>
/// One <c>name=value</c> field of an audit record body or of the ENRICHED tail, as slices of the line. The value is
/// raw: quotes and hex stay as printed; <see cref="TryDecodeValue(Span{byte}, out int)"/> decodes it.
/// </summary>
public readonly struct AuditField
{
    internal AuditField(ReadOnlyMemory<byte> name, ReadOnlyMemory<byte> value, bool isInner)
    {
        Name = name;
        Value = value;
        IsInner = isInner;
    }

    /// <summary>
    /// The field name, the bytes before the first <c>=</c>; empty for text without <c>=</c> that precedes every
    /// field (the legacy <c>user</c> token, an AVC's <c>avc:  denied  { read } for</c>).
    /// </summary>
    public ReadOnlyMemory<byte> Name { get; }

    /// <summary>
    /// The raw value after the <c>=</c>. Following space-separated words without <c>=</c> belong to it, with the
    /// spaces between them (<c>op=adding group to /etc/group</c>, <c>subj=docker (enforce)</c>).
    /// </summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>True for a field inside the <c>msg='…'</c> of a user-space message; false for the kernel header.</summary>
    public bool IsInner { get; }

    /// <summary>
    /// True when the field's name is one whose values are written in the audit encoding, quoted or upper-case hex:
    /// libvirt's encoded fields (<c>vm</c>, <c>old-disk</c>, <c>device</c>, <c>cgroup</c>, <c>disk</c>, …) and the
    /// untrusted strings of the kernel and libaudit (<c>exe</c>, <c>comm</c>, <c>name</c>, <c>cwd</c>,
    /// <c>proctitle</c>, <c>key</c>, …). Decode such a value with <see cref="TryDecodeValue"/>.
    /// </summary>
    public bool IsEncoded => AuditFieldNames.IsEncoded(Name.Span);

    /// <summary>Compares the name with UTF-8 bytes, exactly.</summary>
    /// <param name="name">The name to compare with, e.g. <c>"uid"u8</c>.</param>
    /// <returns>True when equal.</returns>
    public bool NameEquals(ReadOnlySpan<byte> name) => Name.Span.SequenceEqual(name);

    /// <summary>The length of the decoded value (see <see cref="TryDecode"/>).</summary>
    /// <returns>The length in bytes.</returns>
    public int GetDecodedValueLength() => GetDecodedLength(Value.Span);

    /// <summary>Decodes the value into a span (see <see cref="TryDecode"/>).</summary>
    /// <param name="destination">Where to write the decoded bytes.</param>
    /// <param name="bytesWritten">The number of bytes written; 0 when the destination is too small.</param>
    /// <returns>False when the destination is too small.</returns>
    public bool TryDecodeValue(Span<byte> destination, out int bytesWritten) => TryDecode(Value.Span, destination, out bytesWritten);

    /// <summary>The length of a raw value once decoded by <see cref="TryDecode"/>.</summary>
    /// <param name="value">The raw value.</param>
    /// <returns>The length in bytes.</returns>
    public static int GetDecodedLength(ReadOnlySpan<byte> value)
    {
        if (IsQuoted(value))
        {
            return value.Length - 2;
        }

        return IsHex(value) ? value.Length / 2 : value.Length;
    }

    /// <summary>
    /// Decodes a raw value by its form, as auparse does for encoded fields (spec §4.4): a quoted value
    /// (<c>"…"</c> or <c>'…'</c>) gives what is inside; an even-length run of upper-case hex digits gives the bytes it
    /// spells; anything else is copied as is. Apply it only to fields known to be encoded: a bare number such as
    /// <c>1234</c> is even-length hex too.
    /// </summary>
    /// <param name="value">The raw value.</param>
    /// <param name="destination">Where to write the decoded bytes.</param>
    /// <param name="bytesWritten">The number of bytes written; 0 when the destination is too small.</param>
    /// <returns>False when the destination is too small.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> value, Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (IsQuoted(value))
        {
            value = value.Slice(1, value.Length - 2);
        }
        else if (IsHex(value))
        {
            int length = value.Length / 2;
            if (destination.Length < length)
            {
                return false;
            }

            for (int i = 0; i < length; i++)
            {
                destination[i] = (byte)((HexDigit(value[2 * i]) << 4) | HexDigit(value[(2 * i) + 1]));
            }

            bytesWritten = length;
            return true;
        }

        if (!value.TryCopyTo(destination))
        {
            return false;
        }

        bytesWritten = value.Length;
        return true;
    }

    private static bool IsQuoted(ReadOnlySpan<byte> value) =>
        value.Length >= 2
        && (value[0] == (byte)'"' || value[0] == (byte)'\'')
        && value[value.Length - 1] == value[0];

    private static bool IsHex(ReadOnlySpan<byte> value) =>
        value.Length >= 2 && (value.Length & 1) == 0 && value.IndexOfAnyExcept("0123456789ABCDEF"u8) < 0;

    private static int HexDigit(byte digit) => digit <= (byte)'9' ? digit - '0' : digit - 'A' + 10;
}
