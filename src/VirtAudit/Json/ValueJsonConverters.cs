using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VirtAudit.Json;

/// <summary>
/// <see cref="AuditText"/> as JSON: the decoded text (quotes removed, upper-case hex decoded) as a string, absent as
/// <c>null</c>. Reading gives a text built from the string, written back in the audit encoding libvirt would choose.
/// Attached to <see cref="AuditText"/>, so <see cref="JsonSerializer"/> and source-generated contexts use it.
/// </summary>
public sealed class AuditTextJsonConverter : JsonConverter<AuditText>
{
    /// <inheritdoc/>
    public override bool HandleNull => true;

    /// <inheritdoc/>
    public override AuditText Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => AuditJson.ReadText(ref reader);

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, AuditText value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        AuditJson.WriteText(writer, value);
    }
}

/// <summary>
/// <see cref="AuditEnum{TEnum}"/> as JSON: its audit text (<c>"start"</c>, or an unlisted value as written), unset as
/// <c>null</c>. Generic, so not attached to the type (that would need reflection): the generated record converters
/// use it, and it can be added to <see cref="JsonSerializerOptions.Converters"/> for a standalone value.
/// </summary>
/// <typeparam name="TEnum">The schema enum.</typeparam>
public sealed class AuditEnumJsonConverter<TEnum> : JsonConverter<AuditEnum<TEnum>>
    where TEnum : struct, Enum
{
    /// <summary>The shared instance.</summary>
    public static AuditEnumJsonConverter<TEnum> Instance { get; } = new();

    /// <inheritdoc/>
    public override bool HandleNull => true;

    /// <inheritdoc/>
    public override AuditEnum<TEnum> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => default,
            JsonTokenType.String => AuditEnum<TEnum>.FromText(reader.GetString()),
            _ => throw new JsonException($"expected a string or null for {typeof(TEnum).Name}, not {reader.TokenType}"),
        };

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, AuditEnum<TEnum> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (!value.IsSet)
        {
            writer.WriteNullValue();
        }
        else
        {
            AuditJson.WriteText(writer, value.Text);
        }
    }
}

/// <summary><see cref="MacAddress"/> as JSON: <c>"52:54:00:ab:cd:01"</c> (lower case).</summary>
public sealed class MacAddressJsonConverter : JsonConverter<MacAddress>
{
    /// <inheritdoc/>
    public override MacAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        AuditJson.ReadMac(ref reader) ?? throw new JsonException("expected a MAC address string such as \"52:54:00:ab:cd:01\", not null");

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, MacAddress value, JsonSerializerOptions options) => AuditJson.WriteMac(writer, value);
}

/// <summary><see cref="DeviceNumber"/> as JSON: <c>"0A:C8"</c>, as libvirt writes <c>rdev=</c>.</summary>
public sealed class DeviceNumberJsonConverter : JsonConverter<DeviceNumber>
{
    /// <inheritdoc/>
    public override DeviceNumber Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        AuditJson.ReadDeviceNumber(ref reader) ?? throw new JsonException("expected a device number string such as \"0A:C8\", not null");

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, DeviceNumber value, JsonSerializerOptions options) => AuditJson.WriteDeviceNumber(writer, value);
}
