using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using VirtAudit.Generators.Model;
using VirtAudit.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace VirtAudit.Generators.Schema;

/// <summary>Reads one schema file into a <see cref="SchemaModel"/>, with every mistake located in the YAML.</summary>
/// <remarks>
/// This file orchestrates (records, enums, then variants); binding lives in <c>SchemaReader.Variants.cs</c>,
/// <c>SchemaReader.Fields.cs</c> and <c>SchemaReader.Conditions.cs</c>, and typed YAML access with located
/// diagnostics in <c>SchemaReader.YamlAccess.cs</c>.
/// </remarks>
internal sealed partial class SchemaReader
{
    private sealed class ReferenceEqualityComparer : IEqualityComparer<YamlNode>
    {
        public static readonly ReferenceEqualityComparer Instance = new();

        public bool Equals(YamlNode? x, YamlNode? y) => ReferenceEquals(x, y);

        public int GetHashCode(YamlNode obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }

    private readonly string _path;
    private readonly List<DiagnosticInfo> _diagnostics = new();
    private readonly List<NameSite> _names = new();
    private readonly HashSet<YamlNode> _builtInSites = new(ReferenceEqualityComparer.Instance);
    private YamlNode? _relocateTo;

    private SchemaReader(string path) => _path = path;

    /// <summary>True when <paramref name="text"/> declares itself a VirtAudit schema (a root key <c>virtaudit:</c>).</summary>
    public static bool LooksLikeSchema(string path, string? text)
    {
        if (text is null || !(path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        using var reader = new StringReader(text);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.StartsWith("virtaudit:", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads the schema text of the file at <paramref name="path"/>.</summary>
    public static SchemaReadResult Read(string path, string text)
    {
        var reader = new SchemaReader(path);
        var model = reader.ReadCore(text);
        var diagnostics = reader._diagnostics.ToEquatableArray();
        return diagnostics.Count == 0
            ? new SchemaReadResult(model, diagnostics, reader._names.ToEquatableArray())
            : new SchemaReadResult(null, diagnostics, EquatableArray<NameSite>.Empty);
    }

    private SchemaModel? ReadCore(string text)
    {
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode map)
            {
                Report("VA1001", Mark.Empty, Mark.Empty, "the document must be a mapping with the key 'virtaudit'");
                return null;
            }

            root = map;
        }
        catch (YamlException ex)
        {
            Report("VA1001", ex.Start, ex.End, ex.InnerException?.Message ?? ex.Message);
            return null;
        }

        var version = RequiredScalar(root, "virtaudit", "the schema");
        if (version is not null && version.Value != "1")
        {
            Report("VA1002", version, "'virtaudit' must be 1 (the only format version)");
        }

        CheckKeys(root, "the schema", "virtaudit", "namespace", "registry", "extends", "records", "enums", "fields", "variants");
        var ns = RequiredScalar(root, "namespace", "the schema");
        if (ns is not null && !IsQualifiedIdentifier(ns.Value ?? string.Empty))
        {
            Report("VA1002", ns, $"'namespace' must be a C# namespace, not '{ns.Value}'");
        }

        var registry = RequiredScalar(root, "registry", "the schema");
        if (registry is not null && !IsIdentifier(registry.Value ?? string.Empty))
        {
            Report("VA1002", registry, $"'registry' must be a C# identifier, not '{registry.Value}'");
        }

        var extends = OptionalScalar(root, "extends");
        var nsValue = ns?.Value ?? "VirtAudit";

        var records = new Dictionary<string, (RecordTypeModel Model, YamlNode Node)>(StringComparer.Ordinal);
        var enums = new Dictionary<string, (EnumModel Model, YamlNode Node)>(StringComparer.Ordinal);
        var shared = new Dictionary<string, YamlMappingNode>(StringComparer.Ordinal);
        BuiltInSchema? baseSchema = null;
        if (extends is not null)
        {
            if (extends.Value != BuiltInSchema.Name)
            {
                Report("VA1002", extends, $"'extends' names the schema '{extends.Value}'; the only schema to extend is the built-in '{BuiltInSchema.Name}'");
            }
            else
            {
                // The built-in schema's records, enums (as the runtime's types) and shared fields, which this file's
                // own definitions may add to or override.
                baseSchema = BuiltInSchema.Instance;
                foreach (var r in baseSchema.Model.Records)
                {
                    records[r.Name] = (r, extends);
                }

                foreach (var e in baseSchema.Model.Enums)
                {
                    enums[e.Name] = (e with { IsExternal = true }, extends);
                }

                foreach (var f in baseSchema.SharedFields)
                {
                    shared[f.Key] = f.Value;
                }
            }
        }

        foreach (var r in ReadRecords(root))
        {
            records[r.Key] = r.Value;
        }

        var ownEnums = ReadEnums(root, nsValue, enums);
        foreach (var e in ownEnums)
        {
            enums[e.Key] = e.Value;
        }

        foreach (var f in ReadSharedFields(root))
        {
            shared[f.Key] = f.Value;
        }

        var variants = ReadVariants(root, records, enums, shared, baseSchema);
        ResolveEnumHints(enums, variants, root);

        var names = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        if (registry?.Value is { } registryName)
        {
            names.Add(registryName, registry);
            _names.Add(Site(nsValue + "." + registryName, root, "registry"));
        }

        foreach (var (name, node) in ownEnums.Select(e => (e.Value.Model.Name, e.Value.Node)).Concat(variants.Select(v => (v.Model.Name, v.Node))))
        {
            if (names.ContainsKey(name))
            {
                Report("VA1009", node, name);
            }
            else
            {
                names.Add(name, node);
                _names.Add(Site(nsValue + "." + name, (YamlMappingNode)node, "name"));
            }
        }

        return new SchemaModel(
            _path,
            nsValue,
            registry?.Value ?? "VirtAuditSchema",
            extends?.Value,
            records.Values.Select(r => r.Model).ToList().ToEquatableArray(),
            // The built-in enums an extending file uses stay in the model (IsExternal: not emitted again), for their
            // value rules (closed, only-with, only-in) in the file's own variants.
            enums.Values.Select(e => e.Model).ToList().ToEquatableArray(),
            variants.Select(v => v.Model).ToList().ToEquatableArray());
    }

    private Dictionary<string, (RecordTypeModel Model, YamlNode Node)> ReadRecords(YamlMappingNode root)
    {
        var result = new Dictionary<string, (RecordTypeModel, YamlNode)>(StringComparer.Ordinal);
        foreach (var item in Sequence(root, "records"))
        {
            if (item is not YamlMappingNode map)
            {
                Report("VA1002", item, "each entry of 'records' must be a mapping with 'name' and 'number'");
                continue;
            }

            CheckKeys(map, "a record", "name", "number", "doc");
            var name = RequiredScalar(map, "name", "a record");
            var number = RequiredScalar(map, "number", "a record");
            if (name is null || number is null)
            {
                continue;
            }

            if (!IsRecordTypeName(name.Value ?? string.Empty))
            {
                Report("VA1002", name, $"record type name '{name.Value}' must be upper-case letters, digits and '_'");
            }

            if (!int.TryParse(number.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1000 || n > 2999)
            {
                Report("VA1002", number, $"record type number '{number.Value}' must be a whole number from 1000 to 2999");
            }

            if (result.ContainsKey(name.Value!))
            {
                Report("VA1009", name, name.Value!);
                continue;
            }

            result[name.Value!] = (new RecordTypeModel(name.Value!, n, OptionalScalar(map, "doc")?.Value), map);
        }

        return result;
    }

    private Dictionary<string, (EnumModel Model, YamlNode Node)> ReadEnums(YamlMappingNode root, string ns, Dictionary<string, (EnumModel Model, YamlNode Node)> known)
    {
        var result = new Dictionary<string, (EnumModel, YamlNode)>(StringComparer.Ordinal);
        foreach (var item in Sequence(root, "enums"))
        {
            if (item is not YamlMappingNode map)
            {
                Report("VA1002", item, "each entry of 'enums' must be a mapping with 'name' and 'values'");
                continue;
            }

            CheckKeys(map, "an enum", "name", "doc", "values", "extends", "closed");
            var name = RequiredScalar(map, "name", "an enum");
            if (name is null)
            {
                continue;
            }

            if (!IsIdentifier(name.Value ?? string.Empty))
            {
                Report("VA1002", name, $"enum name '{name.Value}' must be a C# identifier");
            }

            var values = new List<EnumValueModel>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var seenNames = new HashSet<string>(StringComparer.Ordinal) { "Other" };
            if (OptionalScalar(map, "extends") is { } baseEnumName)
            {
                // A new enum that starts with every value of an existing one (same order, same numbers).
                if (known.TryGetValue(baseEnumName.Value!, out var baseEnum))
                {
                    foreach (var v in baseEnum.Model.Values)
                    {
                        values.Add(v);
                        seen.Add(v.Audit);
                        seenNames.Add(v.Name);
                    }
                }
                else
                {
                    Report("VA1006", baseEnumName, "extends of enum " + name.Value, baseEnumName.Value!);
                }
            }

            foreach (var v in Sequence(map, "values"))
            {
                string? audit;
                string? csName = null;
                string? doc = null;
                YamlNode at = v;
                if (v is YamlScalarNode s)
                {
                    audit = s.Value;
                }
                else if (v is YamlMappingNode vm)
                {
                    CheckKeys(vm, "an enum value", "audit", "name", "doc", "only-with", "only-in");
                    var a = RequiredScalar(vm, "audit", "an enum value");
                    audit = a?.Value;
                    at = a ?? (YamlNode)vm;
                    csName = OptionalScalar(vm, "name")?.Value;
                    doc = OptionalScalar(vm, "doc")?.Value;
                    // only-with / only-in are resolved once the variants are known (ResolveEnumHints).
                }
                else
                {
                    Report("VA1002", v, "an enum value must be a string or a mapping with 'audit'");
                    continue;
                }

                if (string.IsNullOrEmpty(audit))
                {
                    continue;
                }

                csName ??= PascalCase(audit!);
                if (!IsIdentifier(csName))
                {
                    Report("VA1002", at, $"enum value '{audit}' gives the C# name '{csName}', which is not an identifier; give it a 'name:'");
                    continue;
                }

                if (!seen.Add(audit!) || !seenNames.Add(csName))
                {
                    Report("VA1002", at, $"enum '{name.Value}' has the value '{audit}' (C# name '{csName}') twice, or uses the reserved name 'Other'");
                    continue;
                }

                values.Add(new EnumValueModel(audit!, csName, doc, EquatableArray<ConditionModel>.Empty, EquatableArray<string>.Empty));
            }

            if (result.ContainsKey(name.Value!))
            {
                Report("VA1009", name, name.Value!);
                continue;
            }

            result[name.Value!] = (new EnumModel(name.Value!, "global::" + ns + "." + name.Value, OptionalScalar(map, "doc")?.Value, values.ToEquatableArray(), IsExternal: false, Closed: ReadBool(map, "closed")), map);
        }

        return result;
    }
}
