using System;
using System.Buffers;
using System.ComponentModel;
using System.Text.Json;

namespace VirtAudit.Json;

/// <summary>
/// The JSON form of every value kind, used by the converters the generator writes for each record struct (one
/// spelling everywhere): text decoded, absent as <c>null</c>; integers as numbers; a UUID as its 8-4-4-4-12 string; a
/// MAC as <c>"52:54:00:ab:cd:01"</c>; a device number as <c>"0A:C8"</c>; a hex byte (<c>maj=88</c>) as the number it
/// stands for (136). Not meant to be called directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class AuditJson
{
    /// <summary>Writes <paramref name="value"/> decoded as a JSON string; absent as <c>null</c>. Bytes that are not UTF-8 become U+FFFD.</summary>
    public static void WriteText(Utf8JsonWriter writer, AuditText value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.IsAbsent)
        {
            writer.WriteNullValue();
            return;
        }

        var length = value.GetDecodedLength();
        byte[]? rented = null;
        var scratch = length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(length));
        value.TryDecode(scratch, out var n);
        var text = scratch.Slice(0, n);
        if (System.Text.Unicode.Utf8.IsValid(text))
        {
            writer.WriteStringValue(text);
        }
        else
        {
            writer.WriteStringValue(System.Text.Encoding.UTF8.GetString(text));
        }

        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Writes an integer, or <c>null</c>.</summary>
    public static void WriteInt64(Utf8JsonWriter writer, long? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } v)
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>Writes an unsigned integer, or <c>null</c>.</summary>
    public static void WriteUInt64(Utf8JsonWriter writer, ulong? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } v)
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>Writes a hex byte field (<c>maj=88</c>) as the number it stands for (136), or <c>null</c>.</summary>
    public static void WriteHexByte(Utf8JsonWriter writer, byte? value) => WriteInt64(writer, value);

    /// <summary>Writes a UUID as its lower-case 8-4-4-4-12 string, or <c>null</c>.</summary>
    public static void WriteUuid(Utf8JsonWriter writer, Guid? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } v)
        {
            writer.WriteStringValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>Writes a MAC address, or <c>null</c>.</summary>
    public static void WriteMac(Utf8JsonWriter writer, MacAddress? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } v)
        {
            Span<byte> text = stackalloc byte[MacAddress.FormattedLength];
            v.TryFormat(text, out var n);
            writer.WriteStringValue(text.Slice(0, n));
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>Writes a device number, or <c>null</c>.</summary>
    public static void WriteDeviceNumber(Utf8JsonWriter writer, DeviceNumber? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } v)
        {
            Span<byte> text = stackalloc byte[DeviceNumber.MaxFormattedLength];
            v.TryFormat(text, out var n);
            writer.WriteStringValue(text.Slice(0, n));
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>Reads a text (string or null).</summary>
    public static AuditText ReadText(ref Utf8JsonReader reader) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => AuditText.Absent,
            JsonTokenType.String => reader.GetString(),
            _ => throw new JsonException($"expected a string or null, not {reader.TokenType}"),
        };

    /// <summary>Reads an integer or null.</summary>
    public static long? ReadInt64(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetInt64();

    /// <summary>Reads an unsigned integer or null.</summary>
    public static ulong? ReadUInt64(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetUInt64();

    /// <summary>Reads a hex byte field's number or null.</summary>
    public static byte? ReadHexByte(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetByte();

    /// <summary>Reads a UUID string or null.</summary>
    public static Guid? ReadUuid(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetGuid();

    /// <summary>Reads a MAC address string or null.</summary>
    public static MacAddress? ReadMac(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String || !MacAddress.TryParse(reader.GetString().AsSpan(), out var mac))
        {
            throw new JsonException("expected a MAC address string such as \"52:54:00:ab:cd:01\"");
        }

        return mac;
    }

    /// <summary>Reads a device number string or null.</summary>
    public static DeviceNumber? ReadDeviceNumber(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String || !DeviceNumber.TryParse(reader.GetString().AsSpan(), out var number))
        {
            throw new JsonException("expected a device number string such as \"0A:C8\"");
        }

        return number;
    }

    /// <summary>The error for a field that must have a value.</summary>
    public static JsonException Missing(string record, string field) => new($"{record}: the field '{field}' needs a value, not null");

    /// <summary>The error for a constant field with another value (<c>"resrc": "net"</c> in a disk record).</summary>
    public static JsonException WrongConstant(string record, string field, string expected) => new($"{record}: the field '{field}' is always \"{expected}\"");

    /// <summary>The error for input that is not a JSON object.</summary>
    public static JsonException NotAnObject(string record, JsonTokenType token) => new($"{record}: expected a JSON object, not {token}");
}
