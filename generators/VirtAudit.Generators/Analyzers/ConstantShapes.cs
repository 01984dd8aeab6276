using System;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using VirtAudit.Schema;

namespace VirtAudit.Generators.Analyzers;

/// <summary>What a constant string given for a field stands for.</summary>
internal enum ConstantKind
{
    /// <summary>The field's text itself (a string literal through <c>AuditText</c>'s conversion, or a <c>string</c> property).</summary>
    Text,

    /// <summary>The argument of <c>MacAddress.Parse</c>.</summary>
    MacAddress,

    /// <summary>The argument of <c>DeviceNumber.Parse</c>.</summary>
    DeviceNumber,

    /// <summary>The argument of <c>Guid.Parse</c> or <c>new Guid(string)</c>.</summary>
    Uuid,

    /// <summary>The argument of <c>AuditEnum&lt;T&gt;.FromText</c>: a value the enum may not list, written as one word.</summary>
    EnumText,
}

/// <summary>A constant string found in a field's value, and the operation to point at.</summary>
internal readonly struct FieldConstant
{
    public FieldConstant(string text, ConstantKind kind, IOperation operation)
    {
        Text = text;
        Kind = kind;
        Operation = operation;
    }

    public string Text { get; }

    public ConstantKind Kind { get; }

    public IOperation Operation { get; }
}

/// <summary>
/// Rule 5: the shapes libvirt writes, for constant values, judged by the runtime's own grammar
/// (<see cref="ValueGrammar"/>, compiled into both assemblies) and the BCL's <see cref="Guid.TryParse(string, out Guid)"/>
/// that <c>Guid.Parse</c> runs: a constant is reported exactly when the runtime would refuse it.
/// </summary>
internal static class ConstantShapes
{
    /// <summary>Finds the constant string that <paramref name="value"/> is made from, if there is one.</summary>
    public static bool TryGetConstant(IOperation value, out FieldConstant constant)
    {
        for (IOperation? operation = value; operation is not null; operation = (operation as IConversionOperation)?.Operand)
        {
            if (operation.ConstantValue is { HasValue: true, Value: string text })
            {
                constant = new FieldConstant(text, ConstantKind.Text, operation);
                return true;
            }

            if (operation is IInvocationOperation { TargetMethod: { IsStatic: true } method } invocation
                && invocation.Arguments.Length == 1
                && GetInvocationKind(method) is { } kind
                && GetString(invocation.Arguments[0].Value) is { } argument)
            {
                constant = new FieldConstant(argument.Text, kind, argument.Operation);
                return true;
            }

            if (operation is IObjectCreationOperation creation
                && SymbolFacts.Is(creation.Type, "System", "Guid")
                && creation.Arguments.Length == 1
                && creation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string guid })
            {
                constant = new FieldConstant(guid, ConstantKind.Uuid, creation.Arguments[0].Value);
                return true;
            }
        }

        constant = default;
        return false;
    }

    /// <summary>
    /// Null when <paramref name="constant"/> has its kind's shape (and, for the field's own text, the shape the
    /// field is written in); otherwise the end of the message ("is not a MAC address …").
    /// </summary>
    public static string? CheckKind(FieldConstant constant, FieldShape field) => constant.Kind switch
    {
        ConstantKind.MacAddress when !ValueGrammar.TryParseMac(Encoding.UTF8.GetBytes(constant.Text), out _) => "is not a MAC address (six hex bytes separated by colons, as 52:54:00:12:34:56)",
        ConstantKind.DeviceNumber when !ValueGrammar.TryParseDeviceNumber(Encoding.UTF8.GetBytes(constant.Text), out _, out _) => "is not a device number (major:minor, one to eight hex digits each, as 0A:C8)",
        ConstantKind.Uuid when !Guid.TryParse(constant.Text, out _) => "is not a UUID (as 9b0a5e4c-6a8f-4a7e-9d3c-1f2e3d4c5b6a)",
        ConstantKind.EnumText when !ValueGrammar.IsToken(constant.Text.AsSpan()) => "is written as one word: it cannot be empty or hold a space, a control character or DEL",
        ConstantKind.Text when field.Token && !ValueGrammar.IsToken(constant.Text.AsSpan()) => "is written as is, as one word: it cannot be empty or hold a space, a control character or DEL",
        ConstantKind.Text when field.Raw && !ValueGrammar.IsRaw(constant.Text.AsSpan()) => "is written as is: it cannot be empty or hold a control character or DEL",
        _ => null,
    };

    /// <summary>Whether <paramref name="text"/> matches <paramref name="pattern"/> (UTF-8, as <c>SchemaMetadata.GetPattern</c> gives it).</summary>
    public static bool IsMatch(byte[] pattern, string text) => ValueGrammar.IsMatch(pattern, Encoding.UTF8.GetBytes(text));

    private static (string Text, IOperation Operation)? GetString(IOperation value)
    {
        for (IOperation? operation = value; operation is not null; operation = (operation as IConversionOperation)?.Operand)
        {
            if (operation.ConstantValue is { HasValue: true, Value: string text })
            {
                return (text, operation);
            }
        }

        return null;
    }

    private static ConstantKind? GetInvocationKind(IMethodSymbol method)
    {
        var type = method.ContainingType;
        if (method.Name == "FromText")
        {
            return type.IsGenericType && SymbolFacts.Is(type.OriginalDefinition, "VirtAudit", "AuditEnum") ? ConstantKind.EnumText : null;
        }

        if (method.Name != "Parse")
        {
            return null;
        }

        if (SymbolFacts.Is(type, "System", "Guid"))
        {
            return ConstantKind.Uuid;
        }

        if (SymbolFacts.Is(type, "VirtAudit", "MacAddress"))
        {
            return ConstantKind.MacAddress;
        }

        return SymbolFacts.Is(type, "VirtAudit", "DeviceNumber") ? ConstantKind.DeviceNumber : null;
    }
}
