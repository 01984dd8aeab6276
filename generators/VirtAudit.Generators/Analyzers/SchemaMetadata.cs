using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using VirtAudit.Schema;

namespace VirtAudit.Generators.Analyzers;

/// <summary>The facts of one <c>[AuditField]</c> property.</summary>
internal sealed class FieldShape
{
    /// <summary><c>AuditPresence.Conditional</c>.</summary>
    private const int ConditionalPresence = 2;

    public FieldShape(IPropertySymbol property, AttributeData attribute)
    {
        Property = property;
        AuditName = attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0].Value as string ?? property.Name : property.Name;
        var patternsByValue = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var argument in attribute.NamedArguments)
        {
            switch (argument.Key)
            {
                case "Presence":
                    IsConditional = argument.Value.Value is int presence && presence == ConditionalPresence;
                    break;
                case "When":
                    When = AuditCondition.Parse(argument.Value.Value as string);
                    break;
                case "Pattern":
                    Pattern = argument.Value.Value as string;
                    break;
                case "PatternField":
                    PatternField = argument.Value.Value as string;
                    break;
                case "PatternsByValue":
                    ReadPatternsByValue(argument.Value.Value as string, patternsByValue);
                    break;
                case "Nullable":
                    Nullable = argument.Value.Value is true;
                    break;
                case "Raw":
                    Raw |= argument.Value.Value is true;
                    break;
                case "Token":
                    Token = argument.Value.Value is true;
                    Raw |= Token;
                    break;
                case "Closed":
                    Closed = argument.Value.Value is true;
                    break;
                case "Values":
                    Values = argument.Value.Value is string members ? members.Split('|').ToImmutableArray() : ImmutableArray<string>.Empty;
                    break;
            }
        }

        PatternsByValue = patternsByValue.ToImmutable();
    }

    public IPropertySymbol Property { get; }

    /// <summary>The C# property name.</summary>
    public string Name => Property.Name;

    /// <summary>The key as written in the payload.</summary>
    public string AuditName { get; }

    /// <summary>Written exactly when <see cref="When"/> holds.</summary>
    public bool IsConditional { get; }

    /// <summary>The condition of a conditional field; null when absent or unreadable.</summary>
    public AuditCondition? When { get; }

    /// <summary>The value may be absent (<c>"?"</c>) and the field still written.</summary>
    public bool Nullable { get; }

    /// <summary>A text field written as is (<see cref="Token"/> ones too).</summary>
    public bool Raw { get; }

    /// <summary>A text field written as is as one word.</summary>
    public bool Token { get; }

    /// <summary>An enum field whose enum lists every value written there: <c>Other</c> and unlisted text are refused.</summary>
    public bool Closed { get; }

    /// <summary>For an enum field: the only members the variant writes there (<c>[AuditField(Values)]</c>); empty: any.</summary>
    public ImmutableArray<string> Values { get; } = ImmutableArray<string>.Empty;

    public string? Pattern { get; }

    public string? PatternField { get; }

    /// <summary>Patterns by the enum member name of <see cref="PatternField"/>.</summary>
    public ImmutableDictionary<string, string> PatternsByValue { get; }

    private static void ReadPatternsByValue(string? text, ImmutableDictionary<string, string>.Builder patterns)
    {
        if (text is null)
        {
            return;
        }

        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var equals = line.IndexOf('=');
            if (equals > 0)
            {
                patterns[line.Substring(0, equals).Trim()] = line.Substring(equals + 1);
            }
        }
    }
}

/// <summary>The schema facts of one record type: its <c>[AuditField]</c> properties and its group constraints.</summary>
internal sealed class VariantShape
{
    public static readonly VariantShape None = new(
        string.Empty,
        ImmutableDictionary<string, FieldShape>.Empty,
        ImmutableArray<ImmutableArray<string>>.Empty,
        ImmutableArray<ImmutableArray<string>>.Empty);

    public VariantShape(
        string name,
        ImmutableDictionary<string, FieldShape> fields,
        ImmutableArray<ImmutableArray<string>> exactlyOne,
        ImmutableArray<ImmutableArray<string>> notAllAbsent)
    {
        Name = name;
        Fields = fields;
        ExactlyOne = exactlyOne;
        NotAllAbsent = notAllAbsent;
    }

    /// <summary>The type's name, as <c>AuditValue.OnlyIn</c> names variants.</summary>
    public string Name { get; }

    /// <summary>The <c>[AuditField]</c> properties by C# name.</summary>
    public ImmutableDictionary<string, FieldShape> Fields { get; }

    /// <summary><c>[AuditExactlyOne]</c> groups.</summary>
    public ImmutableArray<ImmutableArray<string>> ExactlyOne { get; }

    /// <summary><c>[AuditNotAllAbsent]</c> groups.</summary>
    public ImmutableArray<ImmutableArray<string>> NotAllAbsent { get; }

    public bool IsNone => Fields.Count == 0 && ExactlyOne.IsEmpty && NotAllAbsent.IsEmpty;
}

/// <summary>The <c>[AuditValue]</c> hints of one enum member.</summary>
internal sealed class ValueHint
{
    public static readonly ValueHint None = new(null, ImmutableArray<string>.Empty);

    public ValueHint(AuditCondition? onlyWith, ImmutableArray<string> onlyIn)
    {
        OnlyWith = onlyWith;
        OnlyIn = onlyIn;
    }

    /// <summary>Partner values the member only makes sense with.</summary>
    public AuditCondition? OnlyWith { get; }

    /// <summary>Variant type names the member only makes sense in; empty: anywhere.</summary>
    public ImmutableArray<string> OnlyIn { get; }
}

/// <summary>
/// The schema attribute types of one compilation, resolved once, and what was read from symbols that carry them.
/// Lives for one compilation (created in the compilation-start action), so caching symbols here is safe.
/// </summary>
internal sealed class SchemaMetadata
{
    private const string SchemaNamespace = "VirtAudit.Schema.";

    private readonly IAssemblySymbol _compilationAssembly;
    private readonly INamedTypeSymbol _fieldAttribute;
    private readonly INamedTypeSymbol? _exactlyOneAttribute;
    private readonly INamedTypeSymbol? _notAllAbsentAttribute;
    private readonly INamedTypeSymbol? _valueAttribute;
    private readonly ConcurrentDictionary<ITypeSymbol, VariantShape> _variants = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IFieldSymbol, ValueHint> _hints = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<string, byte[]?> _patterns = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ITypeSymbol, ImmutableArray<(string Member, string Text)>> _auditTexts = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IAssemblySymbol, bool> _assemblies = new(SymbolEqualityComparer.Default);

    private SchemaMetadata(
        IAssemblySymbol compilationAssembly,
        INamedTypeSymbol fieldAttribute,
        INamedTypeSymbol? exactlyOneAttribute,
        INamedTypeSymbol? notAllAbsentAttribute,
        INamedTypeSymbol? valueAttribute)
    {
        _compilationAssembly = compilationAssembly;
        _fieldAttribute = fieldAttribute;
        _exactlyOneAttribute = exactlyOneAttribute;
        _notAllAbsentAttribute = notAllAbsentAttribute;
        _valueAttribute = valueAttribute;
    }

    /// <summary>Null when the compilation cannot see the schema attributes: then no type can carry them.</summary>
    public static SchemaMetadata? TryCreate(Compilation compilation)
    {
        var field = compilation.GetTypeByMetadataName(SchemaNamespace + "AuditFieldAttribute");
        return field is null
            ? null
            : new SchemaMetadata(
                compilation.Assembly,
                field,
                compilation.GetTypeByMetadataName(SchemaNamespace + "AuditExactlyOneAttribute"),
                compilation.GetTypeByMetadataName(SchemaNamespace + "AuditNotAllAbsentAttribute"),
                compilation.GetTypeByMetadataName(SchemaNamespace + "AuditValueAttribute"));
    }

    /// <summary>The shape of <paramref name="type"/>; <see cref="VariantShape.None"/> for a type without schema facts.</summary>
    public VariantShape GetVariant(INamedTypeSymbol type) =>
        MayCarryAttributes(type.ContainingAssembly) ? _variants.GetOrAdd(type, t => ReadVariant((INamedTypeSymbol)t)) : VariantShape.None;

    /// <summary>
    /// Whether types of <paramref name="assembly"/> can carry the schema attributes: the compilation's own, the
    /// attributes' assembly, and assemblies that reference it. Keeps the analyzer from reading the members of every
    /// framework type a program creates.
    /// </summary>
    private bool MayCarryAttributes(IAssemblySymbol? assembly) =>
        assembly is not null && _assemblies.GetOrAdd(assembly, ReferencesSchema);

    private bool ReferencesSchema(IAssemblySymbol assembly)
    {
        var schemaAssembly = _fieldAttribute.ContainingAssembly;
        if (SymbolEqualityComparer.Default.Equals(assembly, _compilationAssembly) || SymbolEqualityComparer.Default.Equals(assembly, schemaAssembly))
        {
            return true;
        }

        foreach (var module in assembly.Modules)
        {
            foreach (var reference in module.ReferencedAssemblies)
            {
                if (reference.Name == schemaAssembly.Identity.Name)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The hints on an enum member; <see cref="ValueHint.None"/> without <c>[AuditValue]</c>.</summary>
    public ValueHint GetHint(IFieldSymbol member) => _valueAttribute is null ? ValueHint.None : _hints.GetOrAdd(member, ReadHint);

    /// <summary>An enum's <c>[AuditValue]</c> members and their audit texts, in declaration order.</summary>
    public ImmutableArray<(string Member, string Text)> GetAuditTexts(INamedTypeSymbol enumType) => _auditTexts.GetOrAdd(enumType, ReadAuditTexts);

    /// <summary>The pattern as UTF-8 for <see cref="ValueGrammar.IsMatch"/>; null when it is not in that syntax.</summary>
    public byte[]? GetPattern(string pattern) => _patterns.GetOrAdd(pattern, ReadPattern);

    private VariantShape ReadVariant(INamedTypeSymbol type)
    {
        if (type.TypeKind is not (TypeKind.Struct or TypeKind.Class) || type.SpecialType != SpecialType.None)
        {
            return VariantShape.None;
        }

        var fields = ImmutableDictionary.CreateBuilder<string, FieldShape>(StringComparer.Ordinal);
        for (var current = type; current is not null && current.SpecialType == SpecialType.None; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member is IPropertySymbol property && !fields.ContainsKey(property.Name))
                {
                    var attribute = Find(property.GetAttributes(), _fieldAttribute);
                    if (attribute is not null)
                    {
                        fields.Add(property.Name, new FieldShape(property, attribute));
                    }
                }
            }
        }

        var exactlyOne = ImmutableArray.CreateBuilder<ImmutableArray<string>>();
        var notAllAbsent = ImmutableArray.CreateBuilder<ImmutableArray<string>>();
        foreach (var attribute in type.GetAttributes())
        {
            if (_exactlyOneAttribute is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _exactlyOneAttribute))
            {
                AddGroup(attribute, exactlyOne);
            }
            else if (_notAllAbsentAttribute is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _notAllAbsentAttribute))
            {
                AddGroup(attribute, notAllAbsent);
            }
        }

        var shape = new VariantShape(type.Name, fields.ToImmutable(), exactlyOne.ToImmutable(), notAllAbsent.ToImmutable());
        return shape.IsNone ? VariantShape.None : shape;
    }

    private ImmutableArray<(string Member, string Text)> ReadAuditTexts(ITypeSymbol enumType)
    {
        var texts = ImmutableArray.CreateBuilder<(string, string)>();
        foreach (var member in enumType.GetMembers())
        {
            if (member is IFieldSymbol { HasConstantValue: true } field
                && _valueAttribute is not null
                && Find(field.GetAttributes(), _valueAttribute) is { ConstructorArguments.Length: > 0 } attribute
                && attribute.ConstructorArguments[0].Value is string text)
            {
                texts.Add((field.Name, text));
            }
        }

        return texts.ToImmutable();
    }

    private ValueHint ReadHint(IFieldSymbol member)
    {
        var attribute = Find(member.GetAttributes(), _valueAttribute!);
        if (attribute is null)
        {
            return ValueHint.None;
        }

        AuditCondition? onlyWith = null;
        var onlyIn = ImmutableArray<string>.Empty;
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "OnlyWith")
            {
                onlyWith = AuditCondition.Parse(argument.Value.Value as string);
            }
            else if (argument.Key == "OnlyIn" && argument.Value.Value is string variants)
            {
                var names = ImmutableArray.CreateBuilder<string>();
                foreach (var name in variants.Split(';'))
                {
                    if (name.Trim().Length > 0)
                    {
                        names.Add(name.Trim());
                    }
                }

                onlyIn = names.ToImmutable();
            }
        }

        return onlyWith is null && onlyIn.IsEmpty ? ValueHint.None : new ValueHint(onlyWith, onlyIn);
    }

    private static void AddGroup(AttributeData attribute, ImmutableArray<ImmutableArray<string>>.Builder groups)
    {
        if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Kind != TypedConstantKind.Array)
        {
            return;
        }

        var names = new List<string>();
        foreach (var value in attribute.ConstructorArguments[0].Values)
        {
            if (value.Value is string name)
            {
                names.Add(name);
            }
        }

        if (names.Count > 1)
        {
            groups.Add(names.ToImmutableArray());
        }
    }

    private static AttributeData? Find(ImmutableArray<AttributeData> attributes, INamedTypeSymbol attributeType)
    {
        foreach (var attribute in attributes)
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return attribute;
            }
        }

        return null;
    }

    private static byte[]? ReadPattern(string pattern)
    {
        var utf8 = Encoding.UTF8.GetBytes(pattern);
        return ValueGrammar.CheckPattern(utf8) is null ? utf8 : null;
    }
}
