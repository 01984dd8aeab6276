using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using VirtAudit.Schema;

namespace VirtAudit.Cli.Emit;

/// <summary>
/// A record struct <c>emit</c> can build, with its audit fields (name and value kind, read once from the generated
/// properties' <see cref="AuditFieldAttribute"/>s) and its generated <c>JsonConverter</c>: the record is built by
/// writing the command line's fields as the JSON object that converter reads. Nothing is created, set or invoked by
/// reflection: it only reads the properties' attributes and types, once, and the <c>DynamicallyAccessedMembers</c>
/// annotation keeps them for trimming, so the JIT (dotnet tool) and Native AOT builds behave the same
/// (scripts/emit-aot.sh compares them).
/// </summary>
internal abstract class EmitVariant
{
    private static readonly JsonSerializerOptions s_options = new();

    private EmitVariant(VirtAuditVariantInfo info, IReadOnlyList<EmitField> fields)
    {
        Info = info;
        Fields = fields;
    }

    /// <summary>
    /// Every built-in variant, legacy ones included (<c>emit</c> skips those). A test checks that this is the registry's
    /// list; a variant added to the schema is added here.
    /// </summary>
    public static IReadOnlyList<EmitVariant> All { get; } = new EmitVariant[]
    {
        Of(new VirtControl.JsonConverter()),
        Of(new VirtMachineId.JsonConverter()),
        Of(new VirtResourceDisk.JsonConverter()),
        Of(new VirtResourceFs.JsonConverter()),
        Of(new VirtResourceNet.JsonConverter()),
        Of(new VirtResourceChardev.JsonConverter()),
        Of(new VirtResourceSmartcard.JsonConverter()),
        Of(new VirtResourceRng.JsonConverter()),
        Of(new VirtResourceNetOpen.JsonConverter()),
        Of(new VirtResourceDev.JsonConverter()),
        Of(new VirtResourceHostdev.JsonConverter()),
        Of(new VirtResourceTpm.JsonConverter()),
        Of(new VirtResourceTpmEmulator.JsonConverter()),
        Of(new VirtResourceTpmExternal.JsonConverter()),
        Of(new VirtResourceCgroup.JsonConverter()),
        Of(new VirtResourceMem.JsonConverter()),
        Of(new VirtResourceVcpu.JsonConverter()),
        Of(new VirtResourceIothread.JsonConverter()),
        Of(new VirtResourceShmem.JsonConverter()),
        Of(new VirtResourceIvshmemSocket.JsonConverter()),
        Of(new VirtResourceEvdev.JsonConverter()),
        Of(new VirtResourceRedir.JsonConverter()),
        Of(new VirtResourceNetHost.JsonConverter()),
        Of(new VirtResourceShmemLegacy.JsonConverter()),
        Of(new VirtResourceShmemSource.JsonConverter()),
    };

    /// <summary>The registry's description (record type, constants).</summary>
    public VirtAuditVariantInfo Info { get; }

    /// <summary>The settable audit fields, in the order the struct declares them; constants are not among them.</summary>
    public IReadOnlyList<EmitField> Fields { get; }

    /// <summary>
    /// Builds the record from field texts (audit name → text); a field not given keeps the struct's default, as an
    /// object initializer that leaves it out would.
    /// </summary>
    /// <param name="fields">The texts; names that are not among <see cref="Fields"/> are ignored.</param>
    /// <param name="record">The record, not yet checked.</param>
    /// <param name="error">Which field did not convert and why.</param>
    /// <returns>Whether every given field converted.</returns>
    public bool TryBuild(IReadOnlyDictionary<string, string> fields, [NotNullWhen(true)] out IVirtAuditPayload? record, [NotNullWhen(false)] out string? error)
    {
        record = null;
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            foreach (EmitField field in Fields)
            {
                if (fields.TryGetValue(field.AuditName, out string? text))
                {
                    writer.WritePropertyName(field.AuditName);
                    if (!field.TryWrite(writer, text, out string? problem))
                    {
                        error = $"--{field.AuditName}: '{text}' {problem}";
                        return false;
                    }
                }
                else if (field.DefaultJson is { } blank)
                {
                    // The converter calls a required, non-nullable value missing; the struct's default is what emit gives.
                    writer.WritePropertyName(field.AuditName);
                    writer.WriteRawValue(blank, skipInputValidation: true);
                }
            }

            writer.WriteEndObject();
        }

        try
        {
            record = Read(json.WrittenSpan);
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            error = $"{Info.Name}: {e.Message}";
            return false;
        }
    }

    /// <summary>The record from the JSON object of its fields, through the generated converter.</summary>
    private protected abstract IVirtAuditPayload Read(ReadOnlySpan<byte> json);

    private static Typed<T> Of<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(JsonConverter<T> converter)
        where T : struct, IVirtAuditVariant<T> => new(converter);

    private sealed class Typed<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T> : EmitVariant
        where T : struct, IVirtAuditVariant<T>
    {
        private readonly JsonConverter<T> _converter;

        public Typed(JsonConverter<T> converter)
            : base(T.Variant, EmitField.Of(typeof(T).GetProperties())) => _converter = converter;

        private protected override IVirtAuditPayload Read(ReadOnlySpan<byte> json)
        {
            var reader = new Utf8JsonReader(json);
            reader.Read();
            return _converter.Read(ref reader, typeof(T), s_options);
        }
    }
}

/// <summary>An audit field of a record struct as <c>emit</c> takes it: its name, and how its text becomes JSON.</summary>
/// <param name="AuditName">The key, e.g. <c>vm-pid</c>.</param>
/// <param name="Kind">The property's value kind.</param>
/// <param name="TypeName">The property's type name, for a kind the command line cannot give.</param>
/// <param name="IsNullable">Whether the property is <see cref="Nullable{T}"/>.</param>
internal sealed record EmitField(string AuditName, EmitFieldKind Kind, string TypeName, bool IsNullable)
{
    /// <summary>
    /// For a non-nullable value property (which the converter requires): the JSON of its default value, written when
    /// the field is not given; null for the others.
    /// </summary>
    public string? DefaultJson => IsNullable ? null : Kind switch
    {
        EmitFieldKind.Int64 or EmitFieldKind.UInt64 or EmitFieldKind.HexByte => "0",
        EmitFieldKind.Uuid => $"\"{Guid.Empty}\"",
        EmitFieldKind.Mac => $"\"{default(MacAddress)}\"",
        EmitFieldKind.DeviceNumber => $"\"{default(DeviceNumber)}\"",
        _ => null,
    };

    /// <summary>The audit fields among <paramref name="properties"/>, in their order.</summary>
    public static IReadOnlyList<EmitField> Of(PropertyInfo[] properties)
    {
        var fields = new List<EmitField>();
        foreach (PropertyInfo property in properties)
        {
            if (property.GetCustomAttribute<AuditFieldAttribute>() is { } audit)
            {
                Type? underlying = Nullable.GetUnderlyingType(property.PropertyType);
                Type type = underlying ?? property.PropertyType;
                fields.Add(new EmitField(audit.AuditName, KindOf(type), type.Name, underlying is not null));
            }
        }

        return fields;
    }

    /// <summary>Writes <paramref name="text"/> as this field's JSON value, or says why it is not one.</summary>
    /// <param name="writer">The writer, after the property name.</param>
    /// <param name="text">The command line's text.</param>
    /// <param name="problem">Why not (after the quoted text in the message).</param>
    /// <returns>Whether the text is a value of this kind.</returns>
    public bool TryWrite(Utf8JsonWriter writer, string text, [NotNullWhen(false)] out string? problem)
    {
        problem = null;
        if (IsNullable && text == "?")
        {
            writer.WriteNullValue(); // absent, as libvirt writes it (a nullable MAC, number or device number)
            return true;
        }

        switch (Kind)
        {
            case EmitFieldKind.Text or EmitFieldKind.Enum:
                // The converter reads a string as the text as given ("?" is absent), an enum's as AuditEnum.FromText.
                writer.WriteStringValue(text);
                return true;
            case EmitFieldKind.Uuid when Guid.TryParse(text, out Guid guid):
                writer.WriteStringValue(guid);
                return true;
            case EmitFieldKind.Int64 when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number):
                writer.WriteNumberValue(number);
                return true;
            case EmitFieldKind.UInt64 when ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong number):
                writer.WriteNumberValue(number);
                return true;
            case EmitFieldKind.HexByte when byte.TryParse(text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text.Substring(2) : text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte number):
                writer.WriteNumberValue(number);
                return true;
            case EmitFieldKind.Mac when MacAddress.TryParse(text.AsSpan(), out _):
            case EmitFieldKind.DeviceNumber when DeviceNumber.TryParse(text.AsSpan(), out _):
                writer.WriteStringValue(text); // the converter parses the text as these TryParse did
                return true;
        }

        problem = Kind switch
        {
            EmitFieldKind.Uuid => "is not a UUID",
            EmitFieldKind.Int64 => "is not an integer",
            EmitFieldKind.UInt64 => "is not a non-negative integer",
            EmitFieldKind.HexByte => "is not a hexadecimal byte",
            EmitFieldKind.Mac => "is not a MAC address (52:54:00:ab:cd:01)",
            EmitFieldKind.DeviceNumber => "is not a device number (0A:C8)",
            _ => "cannot be given on the command line (" + TypeName + ")",
        };
        return false;
    }

    private static EmitFieldKind KindOf(Type type) =>
        type == typeof(AuditText) ? EmitFieldKind.Text
        : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(AuditEnum<>) ? EmitFieldKind.Enum
        : type == typeof(Guid) ? EmitFieldKind.Uuid
        : type == typeof(long) ? EmitFieldKind.Int64
        : type == typeof(ulong) ? EmitFieldKind.UInt64
        : type == typeof(byte) ? EmitFieldKind.HexByte
        : type == typeof(MacAddress) ? EmitFieldKind.Mac
        : type == typeof(DeviceNumber) ? EmitFieldKind.DeviceNumber
        : EmitFieldKind.Other;
}

/// <summary>The value kinds of generated properties.</summary>
internal enum EmitFieldKind
{
    /// <summary><see cref="AuditText"/>.</summary>
    Text,

    /// <summary><see cref="AuditEnum{TEnum}"/>.</summary>
    Enum,

    /// <summary><see cref="Guid"/>.</summary>
    Uuid,

    /// <summary><see cref="long"/>.</summary>
    Int64,

    /// <summary><see cref="ulong"/>.</summary>
    UInt64,

    /// <summary>A hex byte (<c>maj=88</c>).</summary>
    HexByte,

    /// <summary><see cref="MacAddress"/>.</summary>
    Mac,

    /// <summary><see cref="DeviceNumber"/>.</summary>
    DeviceNumber,

    /// <summary>A type the command line cannot give.</summary>
    Other,
}
