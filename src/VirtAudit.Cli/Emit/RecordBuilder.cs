using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using VirtAudit.Schema;

namespace VirtAudit.Cli.Emit;

/// <summary>
/// Builds a record struct from audit field names and text values (<c>--vm rhel9</c>): picks the variant of the record
/// kind whose constants (<c>resrc=disk</c>, <c>reason=open</c>) the fields name, sets each property from the field of
/// its <see cref="AuditFieldAttribute"/>, and checks the record as the generated code does.
/// </summary>
internal static class RecordBuilder
{
    /// <summary>The record kinds <c>emit</c> takes, and their record type names.</summary>
    public static readonly IReadOnlyDictionary<string, string> Kinds = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["control"] = "VIRT_CONTROL",
        ["resource"] = "VIRT_RESOURCE",
        ["machine-id"] = "VIRT_MACHINE_ID",
    };

    private static readonly Dictionary<string, Type> s_types = typeof(VirtControl).Assembly.GetExportedTypes()
        .Where(t => t.IsValueType && t.GetCustomAttribute<AuditVariantAttribute>() is not null)
        .ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>Every audit field name of the current (not legacy) built-in variants, constants included, sorted.</summary>
    public static IReadOnlyList<string> FieldNames { get; } = VirtAuditRegistry.Default.Variants
        .Where(v => !v.IsLegacy)
        .SelectMany(v => Properties(v).Select(p => p.Field).Concat(v.Constants.Select(c => c.Substring(0, c.IndexOf('=')))))
        .Distinct(StringComparer.Ordinal)
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>Builds and checks a record.</summary>
    /// <param name="kind">control, resource or machine-id.</param>
    /// <param name="fields">Audit field name → text.</param>
    /// <param name="variant">The variant built.</param>
    /// <param name="record">The record.</param>
    /// <param name="error">Why not, naming the field.</param>
    /// <returns>Whether the record is one libvirt could write.</returns>
    public static bool TryBuild(string kind, IReadOnlyDictionary<string, string> fields, out VirtAuditVariantInfo? variant, out IVirtAuditPayload? record, out string? error)
    {
        record = null;
        variant = null;
        if (!Kinds.TryGetValue(kind, out string? recordType))
        {
            error = $"unknown record kind '{kind}' (one of {string.Join(", ", Kinds.Keys)})";
            return false;
        }

        var candidates = VirtAuditRegistry.Default.Variants.Where(v => v.RecordType == recordType && !v.IsLegacy).ToList();
        variant = candidates
            .Where(v => v.Constants.All(c => fields.TryGetValue(c.Substring(0, c.IndexOf('=')), out string? value) && value == c.Substring(c.IndexOf('=') + 1)))
            .OrderByDescending(v => v.Constants.Count)
            .FirstOrDefault();
        if (variant is null)
        {
            var choices = candidates.SelectMany(v => v.Constants).Distinct().Order(StringComparer.Ordinal);
            error = $"{kind}: no {recordType} variant has these constant fields; give one of: {string.Join(", ", choices.Select(c => "--" + c.Replace("=", " ", StringComparison.Ordinal)))}";
            return false;
        }

        Type type = s_types[variant.Name];
        object box = Activator.CreateInstance(type)!;
        var known = new HashSet<string>(variant.Constants.Select(c => c.Substring(0, c.IndexOf('='))), StringComparer.Ordinal);
        foreach (var (property, field) in Properties(variant))
        {
            known.Add(field);
            if (!fields.TryGetValue(field, out string? text))
            {
                continue;
            }

            if (!TryConvert(text, property.PropertyType, out object? value, out string? problem))
            {
                error = $"--{field}: '{text}' {problem}";
                return false;
            }

            property.SetValue(box, value);
        }

        string? stray = fields.Keys.FirstOrDefault(f => !known.Contains(f));
        if (stray is not null)
        {
            error = $"--{stray}: {variant.Name} ({recordType}) has no field '{stray}'; its fields: {string.Join(" ", Properties(variant).Select(p => p.Field))}";
            return false;
        }

        record = (IVirtAuditPayload)box;
        return record.IsValid(out error);
    }

    private static IEnumerable<(PropertyInfo Property, string Field)> Properties(VirtAuditVariantInfo variant) =>
        s_types.TryGetValue(variant.Name, out Type? type)
            ? type.GetProperties().Select(p => (p, p.GetCustomAttribute<AuditFieldAttribute>()?.AuditName)).Where(p => p.Item2 is not null).Select(p => (p.p, p.Item2!))
            : Enumerable.Empty<(PropertyInfo, string)>();

    private static bool TryConvert(string text, Type type, out object? value, out string? problem)
    {
        problem = null;
        Type target = Nullable.GetUnderlyingType(type) ?? type;
        value = null;
        if (target == typeof(AuditText))
        {
            value = (AuditText)text;
        }
        else if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(AuditEnum<>))
        {
            // The Native AOT build (bench/compare.sh's) keeps no metadata for this generic method: say so, not crash.
            var fromText = target.GetMethod(nameof(AuditEnum<VirtType>.FromText));
            value = fromText?.Invoke(null, new object[] { (AuditText)text });
            problem = fromText is null ? "cannot be converted in this build (Native AOT); use the dotnet tool build of virtaudit" : null;
        }
        else if (target == typeof(Guid))
        {
            value = Guid.TryParse(text, out Guid guid) ? guid : null;
            problem = "is not a UUID";
        }
        else if (target == typeof(long))
        {
            value = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number) ? number : null;
            problem = "is not an integer";
        }
        else if (target == typeof(ulong))
        {
            value = ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong number) ? number : null;
            problem = "is not a non-negative integer";
        }
        else if (target == typeof(byte))
        {
            string hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text.Substring(2) : text;
            value = byte.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte number) ? number : null;
            problem = "is not a hexadecimal byte";
        }
        else if (target == typeof(MacAddress))
        {
            value = MacAddress.TryParse(text.AsSpan(), out MacAddress mac) ? mac : null;
            problem = "is not a MAC address (52:54:00:ab:cd:01)";
        }
        else if (target == typeof(DeviceNumber))
        {
            value = DeviceNumber.TryParse(text.AsSpan(), out DeviceNumber rdev) ? rdev : null;
            problem = "is not a device number (0A:C8)";
        }
        else
        {
            problem = "cannot be given on the command line (" + target.Name + ")";
            return false;
        }

        return value is not null;
    }
}
