using System;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

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

/// <summary>Rule 5: the shapes libvirt writes, for constant values.</summary>
internal static class ConstantShapes
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(500);

    /// <summary><c>virMacAddrFormat</c>: six hex bytes separated by colons (the runtime parses either case).</summary>
    private static readonly Regex Mac = new("^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}$", RegexOptions.CultureInvariant, Timeout);

    /// <summary><c>%02X:%02X</c>: major and minor in hex, at least two digits each.</summary>
    private static readonly Regex DeviceNumber = new("^[0-9A-Fa-f]{2,8}:[0-9A-Fa-f]{2,8}$", RegexOptions.CultureInvariant, Timeout);

    private static readonly string[] GuidFormats = { "D", "N", "B", "P" };

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

            if (operation is IInvocationOperation { TargetMethod: { Name: "Parse", IsStatic: true } method } invocation
                && invocation.Arguments.Length == 1
                && GetParseKind(method.ContainingType) is { } kind
                && invocation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string argument })
            {
                constant = new FieldConstant(argument, kind, invocation.Arguments[0].Value);
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
    /// Null when <paramref name="constant"/> has its kind's shape; otherwise the end of the message
    /// ("is not a MAC address …").
    /// </summary>
    public static string? CheckKind(FieldConstant constant) => constant.Kind switch
    {
        ConstantKind.MacAddress when !IsMatch(Mac, constant.Text) => "is not a MAC address (six hex bytes separated by colons, as 52:54:00:12:34:56)",
        ConstantKind.DeviceNumber when !IsMatch(DeviceNumber, constant.Text) => "is not a device number (major:minor in hex, as 0A:C8)",
        ConstantKind.Uuid when !IsGuid(constant.Text) => "is not a UUID (as 9b0a5e4c-6a8f-4a7e-9d3c-1f2e3d4c5b6a)",
        _ => null,
    };

    /// <summary>Whether <paramref name="text"/> matches; true when the match timed out (nothing to judge).</summary>
    public static bool IsMatch(Regex regex, string text)
    {
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return true;
        }
    }

    private static ConstantKind? GetParseKind(INamedTypeSymbol type)
    {
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

    private static bool IsGuid(string text)
    {
        foreach (var format in GuidFormats)
        {
            if (Guid.TryParseExact(text, format, out _))
            {
                return true;
            }
        }

        return false;
    }
}
