using System;
using System.ComponentModel;
using System.Buffers.Text;

namespace VirtAudit.CompilerServices;

/// <summary>
/// Writes the fields of the libvirt part of a payload into a <see cref="Span{T}"/>, without allocating. Used by
/// generated formatters.
/// </summary>
/// <remarks>
/// Every <c>Write*</c> appends <c> key=value</c> (no leading space for the first field) and returns
/// <see langword="false"/> when the span is too small; a field that does not fit is not written at all
/// (<see cref="BytesWritten"/> is unchanged).
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct PayloadWriter
{
    private readonly Span<byte> _destination;

    /// <summary>Creates a writer at the start of <paramref name="destination"/>.</summary>
    /// <param name="destination">Where to write.</param>
    public PayloadWriter(Span<byte> destination)
    {
        _destination = destination;
        BytesWritten = 0;
    }

    /// <summary>The number of bytes written so far.</summary>
    public int BytesWritten { readonly get; private set; }

    /// <summary>The bytes written so far.</summary>
    public readonly ReadOnlySpan<byte> Written => _destination.Slice(0, BytesWritten);

    /// <summary>Writes <c>key=value</c> with the value as given.</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The exact value text.</param>
    /// <returns><see langword="false"/> when the span is too small.</returns>
    public bool WriteConstant(scoped ReadOnlySpan<byte> key, scoped ReadOnlySpan<byte> value) =>
        TryBegin(key, out int start) && Commit(start, value.TryCopyTo(_destination.Slice(start)), value.Length);

    /// <summary>Writes an encoded (E) field: <c>"value"</c> or upper-case hex (spec §4.1), <c>"?"</c> when absent.</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="false"/> when the span is too small.</returns>
    public bool WriteEncoded(scoped ReadOnlySpan<byte> key, in AuditText value) =>
        TryBegin(key, out int start) && Commit(start, value.TryWriteEncoded(_destination.Slice(start), out int length), length);

    /// <summary>
    /// Writes an encoded (E) field for which libvirt also writes a bare <c>?</c> when absent (<c>cgroup=?</c>): an
    /// absent value parsed as a bare <c>?</c> (<see cref="AuditText.Form"/> <see cref="AuditValueForm.Bare"/>) is
    /// written bare, any other value as <see cref="WriteEncoded"/> writes it (<c>"?"</c> when absent).
    /// </summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="false"/> when the span is too small.</returns>
    public bool WriteEncodedOrBareAbsent(scoped ReadOnlySpan<byte> key, in AuditText value) =>
        value.IsAbsent && value.Form == AuditValueForm.Bare ? WriteConstant(key, "?"u8) : WriteEncoded(key, value);

    /// <summary>Writes a raw (R) field: the value as is, <c>?</c> when absent.</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="false"/> when the span is too small.</returns>
    public bool WriteRaw(scoped ReadOnlySpan<byte> key, in AuditText value) =>
        TryBegin(key, out int start) && Commit(start, value.TryWriteRaw(_destination.Slice(start), out int length), length);

    /// <summary>Writes a signed decimal integer (<c>%lld</c>).</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="false"/> when the span is too small.</returns>
    public bool WriteInt64(scoped ReadOnlySpan<byte> key, long value) =>
        TryBegin(key, out int start) && Commit(start, Utf8Formatter.TryFormat(value, _destination.Slice(start), out int length), length);

    /// <summary>Writes a signed decimal integer, or <c>?</c> when <see langword="null"/>.</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="false"/> when the span is too small.</returns>
    public bool WriteInt64(scoped ReadOnlySpan<byte> key, long? value) =>
        value.HasValue ? WriteInt64(key, value.GetValueOrDefault()) : WriteConstant(key, "?"u8);

    /// <summary>Writes an unsigned decimal integer (<c>%llu</c>).</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="false"/> when the span is too small.</returns>
    public bool WriteUInt64(scoped ReadOnlySpan<byte> key, ulong value) =>
        TryBegin(key, out int start) && Commit(start, Utf8Formatter.TryFormat(value, _destination.Slice(start), out int length), length);

    /// <summary>Writes an unsigned decimal integer, or <c>?</c> when <see langword="null"/>.</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="false"/> when the span is too small.</returns>
    public bool WriteUInt64(scoped ReadOnlySpan<byte> key, ulong? value) =>
        value.HasValue ? WriteUInt64(key, value.GetValueOrDefault()) : WriteConstant(key, "?"u8);

    /// <summary>Writes a UUID in lower-case <c>8-4-4-4-12</c> form.</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="false"/> when the span is too small.</returns>
    public bool WriteUuid(scoped ReadOnlySpan<byte> key, Guid value) =>
        TryBegin(key, out int start) && Commit(start, Utf8Formatter.TryFormat(value, _destination.Slice(start), out int length, 'D'), length);

    /// <summary>Writes a UUID in lower-case <c>8-4-4-4-12</c> form, or <c>?</c> when <see langword="null"/>.</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="false"/> when the span is too small.</returns>
    public bool WriteUuid(scoped ReadOnlySpan<byte> key, Guid? value) =>
        value.HasValue ? WriteUuid(key, value.GetValueOrDefault()) : WriteConstant(key, "?"u8);

    /// <summary>
    /// Writes a MAC address, lower-case. <paramref name="encoded"/>: as an E field, <c>"aa:bb:cc:dd:ee:ff"</c> or
    /// <c>"?"</c>; otherwise raw, <c>aa:bb:cc:dd:ee:ff</c> or <c>?</c>.
    /// </summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The address; <see langword="null"/> when absent.</param>
    /// <param name="encoded">Whether the field is encoded (E) rather than raw (R).</param>
    /// <returns><see langword="false"/> when the span is too small.</returns>
    public bool WriteMac(scoped ReadOnlySpan<byte> key, MacAddress? value, bool encoded)
    {
        if (!TryBegin(key, out int start))
        {
            return false;
        }

        Span<byte> text = stackalloc byte[MacAddress.FormattedLength];
        int length = 1;
        if (value.HasValue)
        {
            value.GetValueOrDefault().TryFormat(text, out length);
        }
        else
        {
            text[0] = (byte)'?';
        }

        text = text.Slice(0, length);
        return encoded
            ? Commit(start, AuditEncoding.TryWriteQuoted(text, _destination.Slice(start), out int written), written)
            : Commit(start, text.TryCopyTo(_destination.Slice(start)), length);
    }

    /// <summary>Writes a device number (<c>%02X:%02X</c>), or <c>?</c> when <see langword="null"/>.</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The device number; <see langword="null"/> when absent.</param>
    /// <returns><see langword="false"/> when the span is too small.</returns>
    public bool WriteDeviceNumber(scoped ReadOnlySpan<byte> key, DeviceNumber? value)
    {
        if (!value.HasValue)
        {
            return WriteConstant(key, "?"u8);
        }

        return TryBegin(key, out int start)
            && Commit(start, value.GetValueOrDefault().TryFormat(_destination.Slice(start), out int length), length);
    }

    /// <summary>Writes a byte as two upper-case hex digits (<c>%02X</c>).</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="false"/> when the span is too small.</returns>
    public bool WriteHexByte(scoped ReadOnlySpan<byte> key, byte value)
    {
        Span<byte> digits = stackalloc byte[2];
        digits[0] = AuditEncoding.UpperHexDigit(value >> 4);
        digits[1] = AuditEncoding.UpperHexDigit(value);
        return WriteConstant(key, digits);
    }

    /// <summary>Writes a byte as two upper-case hex digits, or <c>?</c> when <see langword="null"/>.</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="false"/> when the span is too small.</returns>
    public bool WriteHexByte(scoped ReadOnlySpan<byte> key, byte? value) =>
        value.HasValue ? WriteHexByte(key, value.GetValueOrDefault()) : WriteConstant(key, "?"u8);

    /// <summary>Writes an enum value (raw): its audit text, or the kept text of an <c>Other</c> value.</summary>
    /// <typeparam name="TEnum">The generated enum.</typeparam>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value; an unset value or an absent text is written as <c>?</c>.</param>
    /// <returns><see langword="false"/> when the span is too small.</returns>
    public bool WriteEnum<TEnum>(scoped ReadOnlySpan<byte> key, in AuditEnum<TEnum> value)
        where TEnum : struct, Enum =>
        TryBegin(key, out int start) && Commit(start, value.TryWrite(_destination.Slice(start), out int length), length);

    private readonly bool TryBegin(scoped ReadOnlySpan<byte> key, out int valueStart)
    {
        int separator = BytesWritten > 0 ? 1 : 0;
        Span<byte> free = _destination.Slice(BytesWritten);
        if (free.Length < separator + key.Length + 1)
        {
            valueStart = 0;
            return false;
        }

        if (separator == 1)
        {
            free[0] = (byte)' ';
        }

        key.CopyTo(free.Slice(separator));
        free[separator + key.Length] = (byte)'=';
        valueStart = BytesWritten + separator + key.Length + 1;
        return true;
    }

    private bool Commit(int valueStart, bool written, int valueLength)
    {
        if (!written)
        {
            return false;
        }

        BytesWritten = valueStart + valueLength;
        return true;
    }
}
