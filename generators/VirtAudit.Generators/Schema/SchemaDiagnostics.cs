using Microsoft.CodeAnalysis;

namespace VirtAudit.Generators.Schema;

/// <summary>Every diagnostic the generator reports about a schema file.</summary>
internal static class SchemaDiagnostics
{
    private const string Category = "VirtAudit.Schema";
    private const string HelpBase = "https://github.com/virtaudit/virtaudit/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor InvalidYaml = Create("VA1001", "Schema is not valid YAML", "The schema file is not valid YAML: {0}");
    public static readonly DiagnosticDescriptor InvalidKey = Create("VA1002", "Schema key missing or invalid", "{0}");
    public static readonly DiagnosticDescriptor UnknownType = Create("VA1003", "Unknown field type", "Field '{0}' has unknown type '{1}'; expected one of text, int64, uint64, uuid, mac, devnum, hexbyte, enum");
    public static readonly DiagnosticDescriptor DuplicateField = Create("VA1004", "Duplicate field", "Variant '{0}' has the field '{1}' twice");
    public static readonly DiagnosticDescriptor UnknownConditionField = Create("VA1005", "Condition names a field that does not exist", "The condition of '{0}' names the field '{1}', which variant '{2}' does not have");
    public static readonly DiagnosticDescriptor UnknownEnum = Create("VA1006", "Unknown enum", "Field '{0}' refers to the enum '{1}', which the schema does not define");
    public static readonly DiagnosticDescriptor UnknownRecord = Create("VA1007", "Unknown record type", "Variant '{0}' refers to the record type '{1}', which the schema does not define");
    public static readonly DiagnosticDescriptor UnknownSharedField = Create("VA1008", "Unknown shared field", "'use: {0}' names no entry of the schema's 'fields:'");
    public static readonly DiagnosticDescriptor DuplicateName = Create("VA1009", "Duplicate variant or enum name", "The name '{0}' is defined more than once");

    /// <summary>
    /// Not about a schema's content but about the project that compiles it (not among the ids of
    /// <see cref="Find"/>); its page's examples are a project file, not a schema.
    /// </summary>
    public static readonly DiagnosticDescriptor LanguageVersionTooOld = Create("VA1010", "The generated code needs C# 11 or later", "VirtAudit generates code from '{0}' that needs C# 11 or later (required members, UTF-8 string literals, static abstract interface members), and this project compiles C# {1}; set <LangVersion> to 11 or later. Nothing is generated.");

    public static DiagnosticDescriptor? Find(string id) => id switch
    {
        "VA1001" => InvalidYaml,
        "VA1002" => InvalidKey,
        "VA1003" => UnknownType,
        "VA1004" => DuplicateField,
        "VA1005" => UnknownConditionField,
        "VA1006" => UnknownEnum,
        "VA1007" => UnknownRecord,
        "VA1008" => UnknownSharedField,
        "VA1009" => DuplicateName,
        _ => null,
    };

    private static DiagnosticDescriptor Create(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + id + ".md");
}
