using System;

namespace VirtAudit.Schema;

/// <summary>How often a field appears in a payload.</summary>
public enum AuditPresence
{
    /// <summary>Always written.</summary>
    Required = 0,
    /// <summary>May be missing.</summary>
    Optional = 1,
    /// <summary>Written exactly when the condition in <see cref="AuditFieldAttribute.When"/> holds.</summary>
    Conditional = 2,
}

/// <summary>
/// Marks a generated property with the schema facts about its audit field. The VirtAudit analyzer reads these
/// facts from symbols, so its rules hold for the built-in types and for types generated from a consumer's schema.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class AuditFieldAttribute : Attribute
{
    /// <summary>Creates the attribute for the field written as <paramref name="auditName"/>.</summary>
    public AuditFieldAttribute(string auditName) => AuditName = auditName;

    /// <summary>The key as written in the payload, e.g. <c>vm-pid</c>.</summary>
    public string AuditName { get; }

    /// <summary>How often the field appears.</summary>
    public AuditPresence Presence { get; set; }

    /// <summary>
    /// For <see cref="AuditPresence.Conditional"/> fields: the condition, as clauses joined by <c>;</c> that must all
    /// hold. A clause is <c>Property=Member</c>, <c>Property=Member|Member</c> or <c>Property!=Member</c>, with C#
    /// property names and enum member names, e.g. <c>Op=Init;Virt=Lxc</c>.
    /// </summary>
    public string? When { get; set; }

    /// <summary>
    /// The pattern the field's text must match (a subset of regular expressions, matched on the UTF-8 bytes; see
    /// docs/schema-format.md). The generated <c>IsValid</c> checks it at run time, the analyzer on constants.
    /// </summary>
    public string? Pattern { get; set; }

    /// <summary>With <see cref="PatternsByValue"/>: the property whose constant value selects the pattern.</summary>
    public string? PatternField { get; set; }

    /// <summary>Patterns by the value of <see cref="PatternField"/>: <c>Member=pattern</c> entries separated by a newline.</summary>
    public string? PatternsByValue { get; set; }

    /// <summary>A text field written as is: it cannot hold a byte below 0x20 or DEL.</summary>
    public bool Raw { get; set; }

    /// <summary>A text field written as is as one word: not empty, no space, no byte below 0x20, no DEL.</summary>
    public bool Token { get; set; }

    /// <summary>Whether the value may be absent (<c>"?"</c>).</summary>
    public bool Nullable { get; set; }

    /// <summary>
    /// An enum field whose enum lists every value written there (schema <c>closed: true</c>, e.g. VIRT_CONTROL's
    /// <c>op</c>): <c>Other</c>, or text no member has, is not valid.
    /// </summary>
    public bool Closed { get; set; }

    /// <summary>
    /// For an enum field: the only members this variant writes there, joined by <c>|</c> (schema <c>values:</c>, e.g.
    /// <c>Allow|Deny</c> for the cgroup record's reason); null: any.
    /// </summary>
    public string? Values { get; set; }
}

/// <summary>Exactly one of the named properties must be set (e.g. a hostdev's <c>Disk</c> or <c>Chardev</c>).</summary>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AuditExactlyOneAttribute : Attribute
{
    /// <summary>Creates the constraint over <paramref name="properties"/>.</summary>
    public AuditExactlyOneAttribute(params string[] properties) => Properties = properties;

    /// <summary>The C# property names.</summary>
    public string[] Properties { get; }
}

/// <summary>At least one of the named properties must be present: libvirt writes no record when all are absent.</summary>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AuditNotAllAbsentAttribute : Attribute
{
    /// <summary>Creates the constraint over <paramref name="properties"/>.</summary>
    public AuditNotAllAbsentAttribute(params string[] properties) => Properties = properties;

    /// <summary>The C# property names.</summary>
    public string[] Properties { get; }
}

/// <summary>Marks a generated record struct with its record type and the constant fields that identify it.</summary>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Class, Inherited = false)]
public sealed class AuditVariantAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    public AuditVariantAttribute(string recordType, int recordNumber)
    {
        RecordType = recordType;
        RecordNumber = recordNumber;
    }

    /// <summary>The record type name, e.g. <c>VIRT_RESOURCE</c>.</summary>
    public string RecordType { get; }

    /// <summary>The record type number, e.g. 2501.</summary>
    public int RecordNumber { get; }

    /// <summary>The constant fields, as <c>key=value</c> separated by spaces, e.g. <c>resrc=net reason=open</c>.</summary>
    public string? Constants { get; set; }

    /// <summary>True for a shape current libvirt no longer writes.</summary>
    public bool Legacy { get; set; }
}

/// <summary>Marks a generated enum member with its audit text and where it makes sense.</summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class AuditValueAttribute : Attribute
{
    /// <summary>Creates the attribute for the value written as <paramref name="auditText"/>.</summary>
    public AuditValueAttribute(string auditText) => AuditText = auditText;

    /// <summary>The value as written in the log.</summary>
    public string AuditText { get; }

    /// <summary>Clauses as in <see cref="AuditFieldAttribute.When"/>: the value only makes sense when they hold.</summary>
    public string? OnlyWith { get; set; }

    /// <summary>Variant type names (separated by <c>;</c>) the value only makes sense in.</summary>
    public string? OnlyIn { get; set; }
}
