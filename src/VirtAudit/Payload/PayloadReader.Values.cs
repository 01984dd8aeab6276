using System;

namespace VirtAudit.CompilerServices;

// Typed reads: numbers, UUIDs, MAC addresses, device numbers, hex bytes, enums.
public ref partial struct PayloadReader
{
    /// <summary>Reads a signed decimal integer (<c>%lld</c>). A negative value is accepted as is.</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when read; an error is recorded for a value that is not an integer.</returns>
    public bool TryReadInt64(ReadOnlySpan<byte> key, out long value) =>
        TryReadScalar(key, ParseInt64, "expected a decimal integer", out value);

    /// <summary>Reads a signed decimal integer, or <c>?</c> (absent).</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value; <see langword="null"/> for <c>?</c>.</param>
    /// <returns><see langword="true"/> when read; an error is recorded for a value that is neither.</returns>
    public bool TryReadNullableInt64(ReadOnlySpan<byte> key, out long? value) =>
        TryReadNullable(key, ParseInt64, "expected a decimal integer or ?", out value);

    /// <summary>Reads an unsigned decimal integer (<c>%llu</c>).</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when read; an error is recorded for a value that is not an integer.</returns>
    public bool TryReadUInt64(ReadOnlySpan<byte> key, out ulong value) =>
        TryReadScalar(key, ParseUInt64, "expected an unsigned decimal integer", out value);

    /// <summary>Reads an unsigned decimal integer, or <c>?</c> (absent).</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value; <see langword="null"/> for <c>?</c>.</param>
    /// <returns><see langword="true"/> when read; an error is recorded for a value that is neither.</returns>
    public bool TryReadNullableUInt64(ReadOnlySpan<byte> key, out ulong? value) =>
        TryReadNullable(key, ParseUInt64, "expected an unsigned decimal integer or ?", out value);

    /// <summary>Reads a UUID, <c>8-4-4-4-12</c>; upper-case hex is accepted and flagged non-canonical.</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when read; an error is recorded for a value that is not a UUID.</returns>
    public bool TryReadUuid(ReadOnlySpan<byte> key, out Guid value) =>
        TryReadScalar(key, ParseUuid, "expected a UUID (8-4-4-4-12 hex digits)", out value);

    /// <summary>Reads a UUID, or <c>?</c> (absent).</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value; <see langword="null"/> for <c>?</c>.</param>
    /// <returns><see langword="true"/> when read; an error is recorded for a value that is neither.</returns>
    public bool TryReadNullableUuid(ReadOnlySpan<byte> key, out Guid? value) =>
        TryReadNullable(key, ParseUuid, "expected a UUID (8-4-4-4-12 hex digits) or ?", out value);

    /// <summary>
    /// Reads a MAC address. <paramref name="encoded"/>: the field is an E field (<c>"aa:bb:cc:dd:ee:ff"</c> or
    /// <c>"?"</c>), and the legacy bare form (<c>aa:…</c>, <c>?</c>) and <c>'aa:…'</c> are accepted and flagged.
    /// Otherwise it is an R field: <c>aa:…</c> or <c>?</c>, and <c>'aa:…'</c> is accepted and flagged.
    /// </summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="encoded">Whether the field is encoded (E) rather than raw (R).</param>
    /// <param name="value">The address; <see langword="null"/> for <c>?</c>.</param>
    /// <returns><see langword="true"/> when read; an error is recorded for a value that is not a MAC address.</returns>
    public bool TryReadMac(ReadOnlySpan<byte> key, bool encoded, out MacAddress? value)
    {
        value = null;
        if (!TryBegin(key, out int start))
        {
            return false;
        }

        int end;
        AuditValueForm form;
        ReadOnlySpan<byte> token;
        if (encoded)
        {
            if (!TryEncodedTokenEnd(start, out end))
            {
                return false;
            }

            token = _payload.Span.Slice(start, end - start);
            form = AuditEncoding.Classify(token);
        }
        else
        {
            end = TokenEnd(start);
            token = _payload.Span.Slice(start, end - start);
            form = AuditEncoding.Classify(token) == AuditValueForm.SingleQuoted ? AuditValueForm.SingleQuoted : AuditValueForm.Bare;
        }

        Span<byte> decoded = stackalloc byte[MacAddress.FormattedLength];
        scoped ReadOnlySpan<byte> text;
        if (form == AuditValueForm.Hex)
        {
            if (!AuditEncoding.TryDecodeHex(token, decoded, out int length))
            {
                return SetError(start, "expected a MAC address or ?");
            }

            text = decoded.Slice(0, length);
        }
        else
        {
            text = AuditEncoding.Unwrap(token, form);
        }

        LegacyShape legacy = form switch
        {
            AuditValueForm.Bare when encoded => LegacyShape.BareValue,
            AuditValueForm.SingleQuoted => LegacyShape.SingleQuotedValue,
            AuditValueForm.Hex => LegacyShape.NonCanonicalEncoding,
            _ => LegacyShape.None,
        };
        if (!text.SequenceEqual("?"u8))
        {
            if (!MacAddress.TryParse(text, out MacAddress mac))
            {
                return SetError(start, "expected a MAC address or ?");
            }

            if (HasUpperHexLetter(text))
            {
                legacy |= LegacyShape.NonCanonicalEncoding;
            }

            value = mac;
        }

        Legacy |= legacy;
        Position = end;
        return true;
    }

    /// <summary>Reads a device number (<c>%02X:%02X</c>, raw), or <c>?</c>.</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The device number; <see langword="null"/> for <c>?</c>.</param>
    /// <returns><see langword="true"/> when read; an error is recorded for a value that is neither.</returns>
    public bool TryReadDeviceNumber(ReadOnlySpan<byte> key, out DeviceNumber? value)
    {
        value = null;
        if (!TryBegin(key, out int start))
        {
            return false;
        }

        int end = TokenEnd(start);
        ReadOnlySpan<byte> token = _payload.Span.Slice(start, end - start);
        if (!IsQuestionMark(start, end))
        {
            if (!DeviceNumber.TryParse(token, out DeviceNumber number))
            {
                return SetError(start, "expected a device number (hex MAJ:MIN) or ?");
            }

            Span<byte> canonical = stackalloc byte[DeviceNumber.MaxFormattedLength];
            number.TryFormat(canonical, out int length);
            if (!token.SequenceEqual(canonical.Slice(0, length)))
            {
                Legacy |= LegacyShape.NonCanonicalEncoding;
            }

            value = number;
        }

        Position = end;
        return true;
    }

    /// <summary>Reads a byte as two upper-case hex digits (<c>%02X</c>); other spellings are flagged non-canonical.</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when read; an error is recorded for a value that is not a hex byte.</returns>
    public bool TryReadHexByte(ReadOnlySpan<byte> key, out byte value) =>
        TryReadScalar(key, ParseHexByte, "expected a hex byte (two hex digits)", out value);

    /// <summary>Reads a byte as two upper-case hex digits, or <c>?</c> (absent).</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value; <see langword="null"/> for <c>?</c>.</param>
    /// <returns><see langword="true"/> when read; an error is recorded for a value that is neither.</returns>
    public bool TryReadNullableHexByte(ReadOnlySpan<byte> key, out byte? value) =>
        TryReadNullable(key, ParseHexByte, "expected a hex byte (two hex digits) or ?", out value);

    /// <summary>
    /// Reads an enum value (raw, up to the next space): a registered audit text gives the member, any other text is
    /// kept as an <c>Other</c> value (<c>?</c> as an absent text).
    /// </summary>
    /// <typeparam name="TEnum">The generated enum.</typeparam>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when read.</returns>
    public bool TryReadEnum<TEnum>(ReadOnlySpan<byte> key, out AuditEnum<TEnum> value)
        where TEnum : struct, Enum
    {
        value = default;
        if (!TryBegin(key, out int start))
        {
            return false;
        }

        int end = TokenEnd(start);
        value = AuditEnum<TEnum>.FromText(AuditText.FromRawToken(_payload.Slice(start, end - start)));
        Position = end;
        return true;
    }

    private static bool HasUpperHexLetter(ReadOnlySpan<byte> text)
    {
        foreach (byte b in text)
        {
            if (b >= (byte)'A' && b <= (byte)'F')
            {
                return true;
            }
        }

        return false;
    }
}
