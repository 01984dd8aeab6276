using System;

namespace VirtAudit.Cli.Output;

/// <summary>
/// A typed record's fields as the record reads them when it is ambiguous (issue 12): <see cref="AuditFieldEnumerator"/>
/// splits at every <c> key=</c>, so the raw value that holds key text comes as several fields; the first is the
/// field itself (its value is <see cref="VirtAuditRecord.AmbiguousValue"/>), the others lie inside that value.
/// </summary>
internal static class AmbiguousFields
{
    public enum Role
    {
        /// <summary>A field as enumerated.</summary>
        Plain,

        /// <summary>The ambiguous raw field: show <see cref="VirtAuditRecord.AmbiguousValue"/> as its value.</summary>
        Ambiguous,

        /// <summary>Key text inside the ambiguous value: already shown, skip.</summary>
        Inside,
    }

    public static Role Of(in VirtAuditRecord virt, in AuditField field)
    {
        if (!virt.IsAmbiguous)
        {
            return Role.Plain;
        }

        var part = virt.LibvirtPart.Span;
        var value = virt.AmbiguousValue.Span;
        if (!part.Overlaps(value, out var valueStart) || !part.Overlaps(field.Name.Span, out var nameStart))
        {
            return Role.Plain;
        }

        return nameStart + field.Name.Length + 1 == valueStart ? Role.Ambiguous
            : nameStart > valueStart && nameStart < valueStart + value.Length ? Role.Inside
            : Role.Plain;
    }
}
