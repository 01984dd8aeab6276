using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace VirtAudit.Generators.Analyzers;

/// <summary>
/// The catalogue of the analyzer's diagnostics (VA2001–VA2005; the generator's schema diagnostics are VA1001–VA1009).
/// An id is one rule; a rule whose cases read differently has one descriptor per message, all with its id, title,
/// category and severity.
/// </summary>
internal static class AnalyzerDiagnostics
{
    public const string ConditionFalseId = "VA2001";
    public const string PresenceByValueId = "VA2002";
    public const string ValueDoesNotFitId = "VA2003";
    public const string NoRecordId = "VA2004";
    public const string MalformedConstantId = "VA2005";

    /// <summary>Which fields a record carries.</summary>
    public const string PresenceCategory = "VirtAudit.Presence";

    /// <summary>What a field's constant value may be.</summary>
    public const string ValueCategory = "VirtAudit.Values";

    private const string HelpLinkBase = "https://github.com/virtaudit/virtaudit/blob/main/docs/diagnostics/";

    private const string PresenceTitle = "Field presence contradicts another field's value";

    /// <summary>Rule 1: a conditional field set while a clause of its condition (<c>Prop=Member</c>) is false.</summary>
    public static readonly DiagnosticDescriptor ConditionalFieldSetWhileFalse = new(
        ConditionFalseId,
        "Conditional field set while its condition is false",
        "'{0}' is only written when {1}, but {2}",
        PresenceCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "libvirt writes a conditional field only in the records its condition describes. A record that sets it anyway is one libvirt never writes.",
        helpLinkUri: HelpLinkBase + ConditionFalseId + ".md");

    /// <summary>Rule 2: a field set although another field's value excludes it (<c>Prop!=Member</c>).</summary>
    public static readonly DiagnosticDescriptor FieldExcludedByValue = new(
        PresenceByValueId,
        PresenceTitle,
        "'{0}' must be absent when {1}",
        PresenceCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Whether libvirt writes this field depends on another field's value, and the values given contradict the fields given.",
        helpLinkUri: HelpLinkBase + PresenceByValueId + ".md");

    /// <summary>Rule 2: a field missing although its condition holds.</summary>
    public static readonly DiagnosticDescriptor FieldRequiredByValue = new(
        PresenceByValueId,
        PresenceTitle,
        "'{0}' must be set when {1}: libvirt writes it whenever {2}",
        PresenceCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Whether libvirt writes this field depends on another field's value, and the values given contradict the fields given.",
        helpLinkUri: HelpLinkBase + PresenceByValueId + ".md");

    /// <summary>Rule 2: an exactly-one group with more than one or none of its fields set.</summary>
    public static readonly DiagnosticDescriptor ExactlyOneViolated = new(
        PresenceByValueId,
        PresenceTitle,
        "Exactly one of {0} must be set, but {1}",
        PresenceCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Whether libvirt writes this field depends on another field's value, and the values given contradict the fields given.",
        helpLinkUri: HelpLinkBase + PresenceByValueId + ".md");

    /// <summary>Rule 3: an enum value outside the records or partner values it belongs with.</summary>
    public static readonly DiagnosticDescriptor ValueDoesNotFit = new(
        ValueDoesNotFitId,
        "Value does not fit the rest of the record",
        "'{0}' = {1} only fits {2}, but {3}",
        ValueCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "libvirt writes this value only with certain partner values or in certain records, so TryFormat refuses such a record and the parser does not type it. When a later libvirt uses the value elsewhere, the schema's only-with/only-in says so.",
        helpLinkUri: HelpLinkBase + ValueDoesNotFitId + ".md");

    /// <summary>Rule 4: every field of a not-all-absent group is absent.</summary>
    public static readonly DiagnosticDescriptor NoRecordWhenAllAbsent = new(
        NoRecordId,
        "libvirt writes no record with all of these fields absent",
        "libvirt writes no {0} record when {1}",
        PresenceCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "libvirt skips the audit record when it has nothing to put in any of these fields, so a record with all of them absent never appears in a log; TryFormat refuses it and the parser does not type it.",
        helpLinkUri: HelpLinkBase + NoRecordId + ".md");

    /// <summary>Rule 5: a constant that cannot be what libvirt writes in this field.</summary>
    public static readonly DiagnosticDescriptor MalformedConstant = new(
        MalformedConstantId,
        "Constant value in the wrong shape",
        "'{0}' value \"{1}\" {2}",
        ValueCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A constant given for this field does not have the shape libvirt writes: a MAC address, a UUID, a device number, or the field's pattern.",
        helpLinkUri: HelpLinkBase + MalformedConstantId + ".md");

    /// <summary>Every descriptor, for <c>SupportedDiagnostics</c>.</summary>
    public static readonly ImmutableArray<DiagnosticDescriptor> All = ImmutableArray.Create(
        ConditionalFieldSetWhileFalse,
        FieldExcludedByValue,
        FieldRequiredByValue,
        ExactlyOneViolated,
        ValueDoesNotFit,
        NoRecordWhenAllAbsent,
        MalformedConstant);
}
