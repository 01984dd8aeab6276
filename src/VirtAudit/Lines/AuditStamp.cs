using System;
using System.Buffers;
using System.Buffers.Text;
using System.Globalization;

namespace VirtAudit;

/// <summary>
/// The event stamp of an audit record, <c>audit(SECONDS.MILLIS:SERIAL)</c>. The records of one event share it
/// (together with the node); every libvirt record is its own event.
/// </summary>
public readonly struct AuditStamp : IEquatable<AuditStamp>
{
    /// <summary>Creates a stamp.</summary>
    /// <param name="seconds">Seconds since the Unix epoch.</param>
    /// <param name="milliseconds">Milliseconds within the second, 0 to 999.</param>
    /// <param name="serial">The kernel's event serial.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range.</exception>
    public AuditStamp(long seconds, int milliseconds, ulong serial)
    {
        if (seconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "Seconds cannot be negative.");
        }

        if ((uint)milliseconds > 999)
        {
            throw new ArgumentOutOfRangeException(nameof(milliseconds), milliseconds, "Milliseconds must be 0 to 999.");
        }

        Seconds = seconds;
        Milliseconds = milliseconds;
        Serial = serial;
    }

    /// <summary>Seconds since the Unix epoch (the kernel's <c>%llu</c>).</summary>
    public long Seconds { get; }

    /// <summary>Milliseconds within the second, 0 to 999 (the kernel's <c>%03lu</c>).</summary>
    public int Milliseconds { get; }

    /// <summary>The kernel's event serial (<c>%u</c>); unique per event, not per record.</summary>
    public ulong Serial { get; }

    /// <summary>The time of the stamp, in UTC.</summary>
    /// <returns>The time as a <see cref="DateTimeOffset"/> with a zero offset.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The seconds lie beyond year 9999.</exception>
    public DateTimeOffset ToDateTimeOffset() => DateTimeOffset.FromUnixTimeSeconds(Seconds).AddMilliseconds(Milliseconds);

    /// <summary>The length of the stamp as auditd prints it, <c>SECONDS.mmm:SERIAL</c>, in bytes.</summary>
    /// <returns>The length in bytes.</returns>
    public int GetFormattedLength()
    {
        Span<byte> buffer = stackalloc byte[48];
        TryFormat(buffer, out int length);
        return length;
    }

    /// <summary>Writes the stamp as auditd prints it inside <c>audit(…)</c>: <c>SECONDS.mmm:SERIAL</c>, UTF-8.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="bytesWritten">The number of bytes written; 0 when the destination is too small.</param>
    /// <returns>False when the destination is too small.</returns>
    public bool TryFormat(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (!Utf8Formatter.TryFormat(Seconds, destination, out int position)
            || destination.Length < position + 5)
        {
            return false;
        }

        destination[position++] = (byte)'.';
        Utf8Formatter.TryFormat(Milliseconds, destination.Slice(position), out int written, new StandardFormat('D', 3));
        position += written;
        destination[position++] = (byte)':';
        if (!Utf8Formatter.TryFormat(Serial, destination.Slice(position), out written))
        {
            return false;
        }

        bytesWritten = position + written;
        return true;
    }

    /// <summary>The stamp as auditd prints it: <c>SECONDS.mmm:SERIAL</c>.</summary>
    /// <returns>The text of the stamp.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Seconds}.{Milliseconds:D3}:{Serial}");

    /// <summary>Compares seconds, milliseconds and serial.</summary>
    /// <param name="other">The stamp to compare with.</param>
    /// <returns>True when all three are equal.</returns>
    public bool Equals(AuditStamp other) =>
        Seconds == other.Seconds && Milliseconds == other.Milliseconds && Serial == other.Serial;

    /// <summary>Compares with another boxed stamp.</summary>
    /// <param name="obj">The object to compare with.</param>
    /// <returns>True when <paramref name="obj"/> is an equal <see cref="AuditStamp"/>.</returns>
    public override bool Equals(object? obj) => obj is AuditStamp other && Equals(other);

    /// <summary>A hash of seconds, milliseconds and serial.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Seconds, Milliseconds, Serial);

    /// <summary>True when both stamps are equal.</summary>
    /// <param name="left">The first stamp.</param>
    /// <param name="right">The second stamp.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(AuditStamp left, AuditStamp right) => left.Equals(right);

    /// <summary>True when the stamps differ.</summary>
    /// <param name="left">The first stamp.</param>
    /// <param name="right">The second stamp.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(AuditStamp left, AuditStamp right) => !left.Equals(right);

    /// <summary>
    /// Reads auditd's <c>SECONDS.mmm:SERIAL):</c> at <paramref name="position"/> (after <c>audit(</c>); on success
    /// <paramref name="position"/> is after the colon.
    /// </summary>
    internal static bool TryParseAt(ReadOnlySpan<byte> s, ref int position, out AuditStamp stamp, out AuditLineError error)
    {
        stamp = default;
        if (!LineSyntax.TryParseDigits(s.Slice(position), out ulong seconds, out int digits) || seconds > long.MaxValue)
        {
            return AuditLineError.Fail(out error, position, digits == 0 ? "expected digits" : "number too large", LineParts.Seconds);
        }

        position += digits;
        if (position >= s.Length || s[position] != (byte)'.')
        {
            return AuditLineError.Fail(out error, position, "expected '.' after the seconds", LineParts.Stamp);
        }

        position++;
        LineSyntax.TryParseDigits(s.Slice(position), out ulong milliseconds, out digits);
        if (digits != 3)
        {
            return AuditLineError.Fail(out error, position, "expected three digits", LineParts.Milliseconds);
        }

        position += 3;
        if (position >= s.Length || s[position] != (byte)':')
        {
            return AuditLineError.Fail(out error, position, "expected ':' after the milliseconds", LineParts.Stamp);
        }

        position++;
        if (!LineSyntax.TryParseDigits(s.Slice(position), out ulong serial, out digits))
        {
            return AuditLineError.Fail(out error, position, digits == 0 ? "expected digits" : "number too large", LineParts.Serial);
        }

        position += digits;
        if (!s.Slice(position).StartsWith("):"u8))
        {
            return AuditLineError.Fail(out error, position, "expected '):' after the serial", LineParts.Stamp);
        }

        position += 2;
        stamp = new AuditStamp((long)seconds, (int)milliseconds, serial);
        error = default;
        return true;
    }
}
