using System;
using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace VirtAudit.Cli.Output;

/// <summary>Writes audit values as JSON: bytes that are not UTF-8 become U+FFFD, never an exception.</summary>
internal static class JsonValues
{
    /// <summary>Writes UTF-8 (or any bytes) as a JSON string.</summary>
    public static void WriteString(Utf8JsonWriter writer, ReadOnlySpan<byte> utf8)
    {
        if (Utf8.IsValid(utf8))
        {
            writer.WriteStringValue(utf8);
        }
        else
        {
            writer.WriteStringValue(Encoding.UTF8.GetString(utf8));
        }
    }

    /// <summary>Writes a property whose value is UTF-8 (or any bytes).</summary>
    public static void WriteString(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ReadOnlySpan<byte> utf8)
    {
        WritePropertyName(writer, name);
        WriteString(writer, utf8);
    }

    /// <summary>Writes a property name given as bytes.</summary>
    public static void WritePropertyName(Utf8JsonWriter writer, ReadOnlySpan<byte> name)
    {
        if (Utf8.IsValid(name))
        {
            writer.WritePropertyName(name);
        }
        else
        {
            writer.WritePropertyName(Encoding.UTF8.GetString(name));
        }
    }

    /// <summary>Writes an audit-encoded value decoded (quotes removed, upper-case hex decoded).</summary>
    public static void WriteDecoded(Utf8JsonWriter writer, ReadOnlySpan<byte> value)
    {
        var length = AuditField.GetDecodedLength(value);
        byte[]? rented = null;
        var scratch = length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(length));
        if (AuditField.TryDecode(value, scratch, out var n))
        {
            WriteString(writer, scratch.Slice(0, n));
        }
        else
        {
            WriteString(writer, value);
        }

        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Writes an <see cref="AuditText"/> decoded; absent as null.</summary>
    public static void WriteText(Utf8JsonWriter writer, in AuditText text)
    {
        if (text.IsAbsent)
        {
            writer.WriteNullValue();
            return;
        }

        var length = text.GetDecodedLength();
        byte[]? rented = null;
        var scratch = length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(length));
        text.TryDecode(scratch, out var n);
        WriteString(writer, scratch.Slice(0, n));
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>True for a canonical decimal integer: <c>0</c>, <c>-1</c>, <c>4711</c> (no sign +, no leading zero).</summary>
    public static bool IsInteger(ReadOnlySpan<byte> value, out long number)
    {
        number = 0;
        var digits = value.Length > 0 && value[0] == (byte)'-' ? value.Slice(1) : value;
        if (digits.Length is 0 or > 18 || (digits[0] == (byte)'0' && digits.Length > 1))
        {
            return false;
        }

        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            number = (number * 10) + (b - '0');
        }

        if (digits.Length != value.Length)
        {
            number = -number;
        }

        return !(number == 0 && digits.Length != value.Length);
    }
}
