using System;

namespace VirtAudit;

/// <summary>
/// The libaudit value encoding that libvirt applies to its encoded fields (<c>virAuditEncode</c>, spec §4.1), and
/// decoding by form (spec §4.4). Everything works on UTF-8 spans and allocates nothing.
/// </summary>
public static class AuditEncoding
{
    private static ReadOnlySpan<byte> HexDigits => "0123456789ABCDEF"u8;

    // The bytes libaudit writes inside quotes: 0x21–0x7E except the double quote. Any other byte makes a value hex.
    private static readonly System.Buffers.SearchValues<byte> s_plain = System.Buffers.SearchValues.Create(
        "!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    /// <summary>
    /// Whether libaudit hex-encodes <paramref name="value"/>: true when any byte is <c>"</c>, below 0x21 (space and
    /// control bytes) or above 0x7E (DEL and every non-ASCII byte).
    /// </summary>
    /// <param name="value">The value's bytes (UTF-8).</param>
    /// <returns><see langword="true"/> when the value is written as hex, <see langword="false"/> when quoted.</returns>
    public static bool NeedsEncoding(ReadOnlySpan<byte> value) => value.IndexOfAnyExcept(s_plain) >= 0;

    /// <summary>The length of the encoded form of <paramref name="value"/>: two per byte as hex, else the length plus two quotes.</summary>
    /// <param name="value">The value's bytes (UTF-8).</param>
    /// <returns>The number of bytes <see cref="TryEncode"/> writes.</returns>
    public static int GetEncodedLength(ReadOnlySpan<byte> value) =>
        NeedsEncoding(value) ? 2 * value.Length : value.Length + 2;

    /// <summary>
    /// Writes the encoded form of <paramref name="value"/> (without the key): <c>"value"</c>, or upper-case hex when the
    /// value needs encoding. An empty value gives <c>""</c>.
    /// </summary>
    /// <param name="value">The value's bytes (UTF-8).</param>
    /// <param name="destination">Where to write.</param>
    /// <param name="bytesWritten">The number of bytes written; 0 when the destination is too small.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    public static bool TryEncode(ReadOnlySpan<byte> value, Span<byte> destination, out int bytesWritten)
    {
        if (NeedsEncoding(value))
        {
            return TryWriteHex(value, destination, out bytesWritten);
        }

        return TryWriteQuoted(value, destination, out bytesWritten);
    }

    /// <summary>
    /// The form of a value token as it stands in a payload: <c>"…"</c> is <see cref="AuditValueForm.Quoted"/>, an even
    /// number (at least two) of upper-case hex digits is <see cref="AuditValueForm.Hex"/>, <c>'…'</c> is
    /// <see cref="AuditValueForm.SingleQuoted"/>, anything else (including an empty token) is
    /// <see cref="AuditValueForm.Bare"/>.
    /// </summary>
    /// <param name="token">The token after <c>key=</c>.</param>
    /// <returns>The token's form; never <see cref="AuditValueForm.None"/>.</returns>
    public static AuditValueForm Classify(ReadOnlySpan<byte> token)
    {
        if (token.Length >= 2)
        {
            byte first = token[0];
            byte last = token[token.Length - 1];
            if (first == (byte)'"' && last == (byte)'"')
            {
                return AuditValueForm.Quoted;
            }

            if (first == (byte)'\'' && last == (byte)'\'')
            {
                return AuditValueForm.SingleQuoted;
            }

            if ((token.Length & 1) == 0 && IsUpperHex(token))
            {
                return AuditValueForm.Hex;
            }
        }

        return AuditValueForm.Bare;
    }

    /// <summary>The length of the value <see cref="TryDecode(ReadOnlySpan{byte}, Span{byte}, out int)"/> produces from <paramref name="token"/>.</summary>
    /// <param name="token">The token after <c>key=</c>.</param>
    /// <returns>The decoded length in bytes.</returns>
    public static int GetDecodedLength(ReadOnlySpan<byte> token) => Classify(token) switch
    {
        AuditValueForm.Quoted or AuditValueForm.SingleQuoted => token.Length - 2,
        AuditValueForm.Hex => token.Length / 2,
        _ => token.Length,
    };

    /// <summary>
    /// Decodes a value token by its form (spec §4.4): quoted and single-quoted → the text inside, hex → its bytes,
    /// anything else → the token as is.
    /// </summary>
    /// <param name="token">The token after <c>key=</c>.</param>
    /// <param name="destination">Where to write the value.</param>
    /// <param name="bytesWritten">The number of bytes written; 0 when the destination is too small.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> token, Span<byte> destination, out int bytesWritten) =>
        TryDecode(token, Classify(token), destination, out bytesWritten);

    internal static bool TryDecode(ReadOnlySpan<byte> token, AuditValueForm form, Span<byte> destination, out int bytesWritten)
    {
        if (form == AuditValueForm.Hex)
        {
            return TryDecodeHex(token, destination, out bytesWritten);
        }

        ReadOnlySpan<byte> inner = Unwrap(token, form);
        if (!inner.TryCopyTo(destination))
        {
            bytesWritten = 0;
            return false;
        }

        bytesWritten = inner.Length;
        return true;
    }

    /// <summary>The decoded value of a token of any form but <see cref="AuditValueForm.Hex"/>: a slice of the token.</summary>
    internal static ReadOnlySpan<byte> Unwrap(ReadOnlySpan<byte> token, AuditValueForm form) =>
        form is AuditValueForm.Quoted or AuditValueForm.SingleQuoted ? token.Slice(1, token.Length - 2) : token;

    internal static bool IsTrigger(byte b) => b == (byte)'"' || b < 0x21 || b > 0x7E;

    /// <summary>Whether the bytes that an upper-case hex token stands for need encoding (no buffer needed).</summary>
    internal static bool HexValueNeedsEncoding(ReadOnlySpan<byte> hexToken)
    {
        for (int i = 0; i + 1 < hexToken.Length; i += 2)
        {
            if (IsTrigger((byte)((HexValue(hexToken[i]) << 4) | HexValue(hexToken[i + 1]))))
            {
                return true;
            }
        }

        return false;
    }

    internal static bool TryWriteQuoted(ReadOnlySpan<byte> value, Span<byte> destination, out int bytesWritten)
    {
        if (destination.Length < value.Length + 2)
        {
            bytesWritten = 0;
            return false;
        }

        destination[0] = (byte)'"';
        value.CopyTo(destination.Slice(1));
        destination[value.Length + 1] = (byte)'"';
        bytesWritten = value.Length + 2;
        return true;
    }

    internal static bool TryWriteHex(ReadOnlySpan<byte> value, Span<byte> destination, out int bytesWritten)
    {
        if (destination.Length < 2 * value.Length)
        {
            bytesWritten = 0;
            return false;
        }

        // Front to back, so that value may lie in destination[value.Length..] (in-place expansion).
        for (int i = 0; i < value.Length; i++)
        {
            byte b = value[i];
            destination[2 * i] = HexDigits[b >> 4];
            destination[(2 * i) + 1] = HexDigits[b & 0xF];
        }

        bytesWritten = 2 * value.Length;
        return true;
    }

    internal static bool TryDecodeHex(ReadOnlySpan<byte> hex, Span<byte> destination, out int bytesWritten)
    {
        int length = hex.Length / 2;
        if (destination.Length < length)
        {
            bytesWritten = 0;
            return false;
        }

        for (int i = 0; i < length; i++)
        {
            destination[i] = (byte)((HexValue(hex[2 * i]) << 4) | HexValue(hex[(2 * i) + 1]));
        }

        bytesWritten = length;
        return true;
    }

    /// <summary>The value of a hex digit of either case, or -1.</summary>
    internal static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        _ => -1,
    };

    internal static byte UpperHexDigit(int nibble) => HexDigits[nibble & 0xF];

    private static bool IsUpperHex(ReadOnlySpan<byte> token)
    {
        foreach (byte b in token)
        {
            if (!((b >= (byte)'0' && b <= (byte)'9') || (b >= (byte)'A' && b <= (byte)'F')))
            {
                return false;
            }
        }

        return true;
    }
}
