namespace VirtAudit.Generators.Model;

/// <summary>What one schema file says, reduced to plain, comparable data.</summary>
internal sealed record SchemaModel(
    string Path,
    string Namespace,
    string Registry,
    string? Extends,
    EquatableArray<RecordTypeModel> Records,
    EquatableArray<EnumModel> Enums,
    EquatableArray<VariantModel> Variants);

/// <summary>
/// The outcome of reading one file: a model (null when the file has errors), its diagnostics, and where the file
/// writes each type name it defines (for the cross-file name check; kept out of the model so that an edit which only
/// moves lines leaves the model, and so the emitted code, cached).
/// </summary>
internal sealed record SchemaReadResult(SchemaModel? Model, EquatableArray<DiagnosticInfo> Diagnostics, EquatableArray<NameSite> Names);

/// <summary>A type name a schema file defines (namespace-qualified), and where the file writes it (its <c>name:</c> entry).</summary>
internal sealed record NameSite(string Name, string Path, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn);

internal sealed record RecordTypeModel(string Name, int Number, string? Doc);

/// <summary>
/// An enum. <paramref name="Closed"/>: the values listed are all a producer of the schema writes, so a record with
/// another value in a field of this enum is not typed (VIRT_CONTROL's <c>op</c>: libvirt writes start, stop, init).
/// </summary>
internal sealed record EnumModel(string Name, string FullName, string? Doc, EquatableArray<EnumValueModel> Values, bool IsExternal, bool Closed = false);

internal sealed record EnumValueModel(string Audit, string Name, string? Doc, EquatableArray<ConditionModel> OnlyWith, EquatableArray<string> OnlyIn);

internal enum FieldType
{
    Text,
    Int64,
    UInt64,
    Uuid,
    Mac,
    DevNum,
    HexByte,
    Enum,
}

internal enum Presence
{
    Required,
    Optional,
    Conditional,
}

/// <summary>One clause of a condition: the enum property <paramref name="Property"/> has (or, negated, has not) one of the members.</summary>
internal sealed record ConditionModel(string Property, string Audit, string EnumFullName, EquatableArray<string> Members, EquatableArray<string> AuditValues, bool Negated);

/// <summary>
/// A field of a variant. <paramref name="Values"/>: for an enum field, the only values this variant writes there
/// (schema <c>values:</c>; empty: any).
/// </summary>
internal sealed record FieldModel(
    string Audit,
    string Name,
    FieldType Type,
    string? EnumFullName,
    bool Encoded,
    Presence Presence,
    EquatableArray<ConditionModel> When,
    bool Nullable,
    bool LegacyAbsent,
    string? Constant,
    string? Pattern,
    PatternByModel? PatternBy,
    string? Doc,
    EquatableArray<string> LegacyValues,
    bool Token,
    bool BareAbsent,
    EquatableArray<EnumValueModel> Values)
{
    public bool IsConstant => Constant is not null;
}

/// <summary>
/// A pattern that depends on an enum field's value (<c>pattern-by</c>): the enum property, and a pattern per member.
/// As read, <paramref name="Property"/> is the selecting field's audit name and the cases' members are empty; binding
/// resolves them against the variant's fields.
/// </summary>
internal sealed record PatternByModel(string Property, string EnumFullName, EquatableArray<PatternCase> Cases);

/// <summary>The pattern of one value of a <see cref="PatternByModel"/>: the enum member, its audit text, the pattern.</summary>
internal sealed record PatternCase(string Member, string Audit, string Pattern);

internal sealed record ConstraintModel(string Kind, EquatableArray<string> Properties, EquatableArray<string> AuditNames);

internal sealed record VariantModel(
    string Name,
    string Record,
    int RecordNumber,
    string? Doc,
    bool Legacy,
    string? Since,
    EquatableArray<FieldModel> Fields,
    EquatableArray<ConstraintModel> Constraints);

/// <summary>A diagnostic as data: where in which file, so it can be reported without holding a Location.</summary>
internal sealed record DiagnosticInfo(string Id, EquatableArray<string> Args, string Path, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn);

/// <summary>The cross-file name check: VA1009 diagnostics and the "hint|path" outputs not to emit.</summary>
internal sealed record NameCheck(EquatableArray<DiagnosticInfo> Diagnostics, EquatableArray<string> Skipped);
