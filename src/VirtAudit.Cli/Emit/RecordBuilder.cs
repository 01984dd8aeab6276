using System;
using System.Collections.Generic;
using System.Linq;
using VirtAudit.Schema;

namespace VirtAudit.Cli.Emit;

/// <summary>
/// Builds a record struct from audit field names and text values (<c>--vm rhel9</c>): picks the variant of the record
/// kind whose constants (<c>resrc=disk</c>, <c>reason=open</c>) the fields name, builds it through its generated JSON
/// converter (<see cref="EmitVariant"/>: no reflection on the record, so Native AOT builds it too), and checks the
/// record as the generated code does.
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

    /// <summary>Every audit field name of the current (not legacy) built-in variants, constants included, sorted.</summary>
    public static IReadOnlyList<string> FieldNames { get; } = EmitVariant.All
        .Where(v => !v.Info.IsLegacy)
        .SelectMany(v => v.Fields.Select(f => f.AuditName).Concat(v.Info.Constants.Select(c => c.Substring(0, c.IndexOf('=')))))
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

        var candidates = EmitVariant.All.Where(v => v.Info.RecordType == recordType && !v.Info.IsLegacy).ToList();
        EmitVariant? chosen = candidates
            .Where(v => v.Info.Constants.All(c => fields.TryGetValue(c.Substring(0, c.IndexOf('=')), out string? value) && value == c.Substring(c.IndexOf('=') + 1)))
            .OrderByDescending(v => v.Info.Constants.Count)
            .FirstOrDefault();
        if (chosen is null)
        {
            var choices = candidates.SelectMany(v => v.Info.Constants).Distinct().Order(StringComparer.Ordinal);
            error = $"{kind}: no {recordType} variant has these constant fields; give one of: {string.Join(", ", choices.Select(c => "--" + c.Replace("=", " ", StringComparison.Ordinal)))}";
            return false;
        }

        variant = chosen.Info;
        if (!chosen.TryBuild(fields, out IVirtAuditPayload? built, out error))
        {
            return false;
        }

        var known = new HashSet<string>(variant.Constants.Select(c => c.Substring(0, c.IndexOf('='))).Concat(chosen.Fields.Select(f => f.AuditName)), StringComparer.Ordinal);
        string? stray = fields.Keys.FirstOrDefault(f => !known.Contains(f));
        if (stray is not null)
        {
            error = $"--{stray}: {variant.Name} ({recordType}) has no field '{stray}'; its fields: {string.Join(" ", chosen.Fields.Select(f => f.AuditName))}";
            return false;
        }

        record = built;
        return record.IsValid(out error);
    }
}
