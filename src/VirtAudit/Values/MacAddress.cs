using System;
using System.Buffers;
using System.Text;

using VirtAudit.Schema;

namespace VirtAudit;

/// <summary>
/// A MAC address as libvirt prints it (<c>virMacAddrFormat</c>): lower-case <c>aa:bb:cc:dd:ee:ff</c>. Parses
/// either case.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(Json.MacAddressJsonConverter))]
public readonly struct MacAddress : IEquatable<MacAddress>, IUtf8SpanFormattable, ISpanFormattable
{
    /// <summary>The length of the text form, <c>aa:bb:cc:dd:ee:ff</c>.</summary>
    public const int FormattedLength = 17;

    private const string LowerHex = "0123456789abcdef";

    // The six bytes, first byte in the most significant position of the low 48 bits.
    private readonly ulong _value;

    /// <summary>Creates an address from its six bytes.</summary>
    /// <param name="bytes">Exactly six bytes, in transmission order.</param>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not six bytes long.</exception>
    public MacAddress(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 6)
        {
            throw new ArgumentException("A MAC address has six bytes.", nameof(bytes));
        }

        ulong value = 0;
        foreach (byte b in bytes)
        {
            value = (value << 8) | b;
        }

        _value = value;
    }

    private MacAddress(ulong value) => _value = value;

    /// <summary>Compares two addresses.</summary>
    /// <param name="left">The first address.</param>
    /// <param name="right">The second address.</param>
    public static bool operator ==(MacAddress left, MacAddress right) => left._value == right._value;

    /// <summary>Compares two addresses.</summary>
    /// <param name="left">The first address.</param>
    /// <param name="right">The second address.</param>
    public static bool operator !=(MacAddress left, MacAddress right) => left._value != right._value;

    /// <summary>Parses <c>aa:bb:cc:dd:ee:ff</c> (hex digits of either case).</summary>
    /// <param name="utf8">The text.</param>
    /// <param name="value">The address; <c>default</c> on failure.</param>
    /// <returns><see langword="true"/> on success.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out MacAddress value)
    {
        bool parsed = ValueGrammar.TryParseMac(utf8, out ulong result);
        value = parsed ? new MacAddress(result) : default;
        return parsed;
    }

    /// <summary>Parses <c>aa:bb:cc:dd:ee:ff</c> (hex digits of either case).</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The address; <c>default</c> on failure.</param>
    /// <returns><see langword="true"/> on success.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out MacAddress value)
    {
        Span<byte> utf8 = stackalloc byte[FormattedLength];
        if (text.Length != FormattedLength || Ascii.FromUtf16(text, utf8, out _) != OperationStatus.Done)
        {
            value = default;
            return false;
        }

        return TryParse(utf8, out value);
    }

    /// <summary>Parses <c>aa:bb:cc:dd:ee:ff</c> (hex digits of either case).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The address.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException"><paramref name="text"/> is not a MAC address.</exception>
    public static MacAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text.AsSpan(), out MacAddress value)
            ? value
            : throw new FormatException($"'{text}' is not a MAC address (aa:bb:cc:dd:ee:ff).");
    }

    /// <summary>Writes the six bytes.</summary>
    /// <param name="destination">At least six bytes.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    public bool TryWriteBytes(Span<byte> destination)
    {
        if (destination.Length < 6)
        {
            return false;
        }

        for (int i = 0; i < 6; i++)
        {
            destination[i] = GetByte(i);
        }

        return true;
    }

    /// <summary>Writes <c>aa:bb:cc:dd:ee:ff</c> (lower-case) as UTF-8.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="bytesWritten">17, or 0 when the destination is too small.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    public bool TryFormat(Span<byte> destination, out int bytesWritten)
    {
        if (destination.Length < FormattedLength)
        {
            bytesWritten = 0;
            return false;
        }

        for (int i = 0; i < 6; i++)
        {
            byte b = GetByte(i);
            int offset = 3 * i;
            if (i > 0)
            {
                destination[offset - 1] = (byte)':';
            }

            destination[offset] = (byte)LowerHex[b >> 4];
            destination[offset + 1] = (byte)LowerHex[b & 0xF];
        }

        bytesWritten = FormattedLength;
        return true;
    }

    /// <summary>Writes <c>aa:bb:cc:dd:ee:ff</c> (lower-case) as UTF-8; the format must be empty.</summary>
    /// <param name="utf8Destination">Where to write.</param>
    /// <param name="bytesWritten">17, or 0 when the destination is too small.</param>
    /// <param name="format">Unused; must be empty.</param>
    /// <param name="provider">Unused.</param>
    /// <returns><see langword="false"/> when <paramref name="utf8Destination"/> is too small.</returns>
    /// <exception cref="FormatException"><paramref name="format"/> is not empty.</exception>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        ThrowIfFormat(format);
        return TryFormat(utf8Destination, out bytesWritten);
    }

    /// <summary>Writes <c>aa:bb:cc:dd:ee:ff</c> (lower-case); the format must be empty.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="charsWritten">17, or 0 when the destination is too small.</param>
    /// <param name="format">Unused; must be empty.</param>
    /// <param name="provider">Unused.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    /// <exception cref="FormatException"><paramref name="format"/> is not empty.</exception>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        ThrowIfFormat(format);
        Span<byte> utf8 = stackalloc byte[FormattedLength];
        TryFormat(utf8, out _);
        if (Ascii.ToUtf16(utf8, destination, out charsWritten) == OperationStatus.Done)
        {
            return true;
        }

        charsWritten = 0;
        return false;
    }

    /// <summary>The lower-case text form; the format must be null or empty.</summary>
    /// <param name="format">Unused; must be null or empty.</param>
    /// <param name="formatProvider">Unused.</param>
    /// <returns>The text.</returns>
    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        ThrowIfFormat(format);
        return ToString();
    }

    /// <summary>The lower-case text form, <c>aa:bb:cc:dd:ee:ff</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Create(FormattedLength, _value, static (chars, value) =>
        new MacAddress(value).TryFormat(chars, out _, default, null));

    /// <summary>Compares two addresses.</summary>
    /// <param name="other">The other address.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public bool Equals(MacAddress other) => _value == other._value;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is MacAddress other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value.GetHashCode();

    private static void ThrowIfFormat(ReadOnlySpan<char> format)
    {
        if (!format.IsEmpty)
        {
            throw new FormatException("MacAddress has no format strings.");
        }
    }

    private byte GetByte(int index) => (byte)(_value >> (8 * (5 - index)));
}
