using System;
using System.Buffers;
using System.Buffers.Text;
using System.Text;

using VirtAudit.Schema;

namespace VirtAudit;

/// <summary>
/// A device number (major:minor) as libvirt prints it for <c>rdev</c>: <c>%02X:%02X</c>, upper-case hex with at
/// least two digits each, more when the number is 256 or above (e.g. <c>103:00</c>). Parses either case.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(Json.DeviceNumberJsonConverter))]
public readonly struct DeviceNumber : IEquatable<DeviceNumber>, IUtf8SpanFormattable, ISpanFormattable
{
    /// <summary>The longest text form: two eight-digit numbers and a colon.</summary>
    public const int MaxFormattedLength = 17;

    private static readonly StandardFormat s_hex2 = new('X', 2);

    /// <summary>Creates a device number.</summary>
    /// <param name="major">The major number.</param>
    /// <param name="minor">The minor number.</param>
    public DeviceNumber(uint major, uint minor)
    {
        Major = major;
        Minor = minor;
    }

    /// <summary>The major number.</summary>
    public uint Major { get; }

    /// <summary>The minor number.</summary>
    public uint Minor { get; }

    /// <summary>Compares two device numbers.</summary>
    /// <param name="left">The first number.</param>
    /// <param name="right">The second number.</param>
    public static bool operator ==(DeviceNumber left, DeviceNumber right) => left.Equals(right);

    /// <summary>Compares two device numbers.</summary>
    /// <param name="left">The first number.</param>
    /// <param name="right">The second number.</param>
    public static bool operator !=(DeviceNumber left, DeviceNumber right) => !left.Equals(right);

    /// <summary>Parses <c>MAJ:MIN</c>: one to eight hex digits (either case) on each side of the colon.</summary>
    /// <param name="utf8">The text.</param>
    /// <param name="value">The device number; <c>default</c> on failure.</param>
    /// <returns><see langword="true"/> on success.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out DeviceNumber value)
    {
        bool parsed = ValueGrammar.TryParseDeviceNumber(utf8, out uint major, out uint minor);
        value = parsed ? new DeviceNumber(major, minor) : default;
        return parsed;
    }

    /// <summary>Parses <c>MAJ:MIN</c>: one to eight hex digits (either case) on each side of the colon.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The device number; <c>default</c> on failure.</param>
    /// <returns><see langword="true"/> on success.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out DeviceNumber value)
    {
        Span<byte> utf8 = stackalloc byte[MaxFormattedLength];
        if (text.Length > MaxFormattedLength || Ascii.FromUtf16(text, utf8, out int length) != OperationStatus.Done)
        {
            value = default;
            return false;
        }

        return TryParse(utf8.Slice(0, length), out value);
    }

    /// <summary>Parses <c>MAJ:MIN</c> in hex.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The device number.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException"><paramref name="text"/> is not a device number.</exception>
    public static DeviceNumber Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text.AsSpan(), out DeviceNumber value)
            ? value
            : throw new FormatException($"'{text}' is not a device number (hex MAJ:MIN).");
    }

    /// <summary>Writes <c>%02X:%02X</c> as UTF-8.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="bytesWritten">The number of bytes written; 0 when the destination is too small.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    public bool TryFormat(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (!Utf8Formatter.TryFormat(Major, destination, out int majorLength, s_hex2)
            || destination.Length <= majorLength
            || !Utf8Formatter.TryFormat(Minor, destination.Slice(majorLength + 1), out int minorLength, s_hex2))
        {
            return false;
        }

        destination[majorLength] = (byte)':';
        bytesWritten = majorLength + 1 + minorLength;
        return true;
    }

    /// <summary>Writes <c>%02X:%02X</c> as UTF-8; the format must be empty.</summary>
    /// <param name="utf8Destination">Where to write.</param>
    /// <param name="bytesWritten">The number of bytes written; 0 when the destination is too small.</param>
    /// <param name="format">Unused; must be empty.</param>
    /// <param name="provider">Unused.</param>
    /// <returns><see langword="false"/> when <paramref name="utf8Destination"/> is too small.</returns>
    /// <exception cref="FormatException"><paramref name="format"/> is not empty.</exception>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        ThrowIfFormat(format);
        return TryFormat(utf8Destination, out bytesWritten);
    }

    /// <summary>Writes <c>%02X:%02X</c>; the format must be empty.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="charsWritten">The number of chars written; 0 when the destination is too small.</param>
    /// <param name="format">Unused; must be empty.</param>
    /// <param name="provider">Unused.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    /// <exception cref="FormatException"><paramref name="format"/> is not empty.</exception>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        ThrowIfFormat(format);
        Span<byte> utf8 = stackalloc byte[MaxFormattedLength];
        TryFormat(utf8, out int length);
        if (Ascii.ToUtf16(utf8.Slice(0, length), destination, out charsWritten) == OperationStatus.Done)
        {
            return true;
        }

        charsWritten = 0;
        return false;
    }

    /// <summary>The text form; the format must be null or empty.</summary>
    /// <param name="format">Unused; must be null or empty.</param>
    /// <param name="formatProvider">Unused.</param>
    /// <returns>The text.</returns>
    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        ThrowIfFormat(format);
        return ToString();
    }

    /// <summary>The text form, <c>%02X:%02X</c> (e.g. <c>0A:C8</c>).</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        Span<byte> utf8 = stackalloc byte[MaxFormattedLength];
        TryFormat(utf8, out int length);
        return Encoding.ASCII.GetString(utf8.Slice(0, length));
    }

    /// <summary>Compares two device numbers.</summary>
    /// <param name="other">The other number.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public bool Equals(DeviceNumber other) => Major == other.Major && Minor == other.Minor;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DeviceNumber other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Major, Minor);

    private static void ThrowIfFormat(ReadOnlySpan<char> format)
    {
        if (!format.IsEmpty)
        {
            throw new FormatException("DeviceNumber has no format strings.");
        }
    }
}
