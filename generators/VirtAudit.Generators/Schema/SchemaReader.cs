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
internal sealed class SchemaReader
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
            enums.Values.Where(e => !e.Model.IsExternal).Select(e => e.Model).ToList().ToEquatableArray(),
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

            CheckKeys(map, "an enum", "name", "doc", "values", "extends");
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

            result[name.Value!] = (new EnumModel(name.Value!, "global::" + ns + "." + name.Value, OptionalScalar(map, "doc")?.Value, values.ToEquatableArray(), IsExternal: false), map);
        }

        return result;
    }

    private Dictionary<string, YamlMappingNode> ReadSharedFields(YamlMappingNode root)
    {
        var result = new Dictionary<string, YamlMappingNode>(StringComparer.Ordinal);
        if (!root.Children.TryGetValue(new YamlScalarNode("fields"), out var node))
        {
            return result;
        }

        if (node is not YamlMappingNode map)
        {
            Report("VA1002", node, "'fields' must be a mapping from a name to a field definition");
            return result;
        }

        foreach (var entry in map.Children)
        {
            if (entry.Value is not YamlMappingNode def)
            {
                Report("VA1002", entry.Value, $"shared field '{(entry.Key as YamlScalarNode)?.Value}' must be a mapping");
                continue;
            }

            result[((YamlScalarNode)entry.Key).Value!] = def;
        }

        return result;
    }

    private List<(VariantModel Model, YamlNode Node)> ReadVariants(
        YamlMappingNode root,
        Dictionary<string, (RecordTypeModel Model, YamlNode Node)> records,
        Dictionary<string, (EnumModel Model, YamlNode Node)> enums,
        Dictionary<string, YamlMappingNode> shared,
        BuiltInSchema? baseSchema)
    {
        var result = new List<(VariantModel, YamlNode)>();
        foreach (var item in Sequence(root, "variants"))
        {
            if (item is not YamlMappingNode map)
            {
                Report("VA1002", item, "each entry of 'variants' must be a mapping");
                continue;
            }

            CheckKeys(map, "a variant", "name", "record", "doc", "legacy", "fields", "constraints", "extends");
            var name = RequiredScalar(map, "name", "a variant");
            var record = RequiredScalar(map, "record", "a variant");
            if (name is null || record is null)
            {
                continue;
            }

            if (!IsIdentifier(name.Value ?? string.Empty))
            {
                Report("VA1002", name, $"variant name '{name.Value}' must be a C# identifier");
                continue;
            }

            var recordNumber = 0;
            if (records.TryGetValue(record.Value!, out var rec))
            {
                recordNumber = rec.Model.Number;
            }
            else
            {
                Report("VA1007", record, name.Value!, record.Value!);
            }

            var legacy = ReadBool(map, "legacy");
            var raw = new List<(YamlMappingNode Def, YamlMappingNode Site)>();
            foreach (var f in Sequence(map, "fields"))
            {
                if (f is not YamlMappingNode fm)
                {
                    Report("VA1002", f, "each field must be a mapping with 'audit' (or 'use')");
                    continue;
                }

                var use = OptionalScalar(fm, "use");
                if (use is null)
                {
                    raw.Add((fm, fm));
                }
                else if (shared.TryGetValue(use.Value!, out var def))
                {
                    raw.Add((Merge(def, fm), fm));
                    if (baseSchema is not null && baseSchema.SharedFields.TryGetValue(use.Value!, out var builtIn) && ReferenceEquals(builtIn, def))
                    {
                        _builtInSites.Add(fm);
                    }
                }
                else
                {
                    Report("VA1008", use, use.Value!);
                }
            }

            var fields = new List<FieldModel>();
            var byAudit = new Dictionary<string, FieldModel>(StringComparer.Ordinal);
            var byName = new HashSet<string>(StringComparer.Ordinal) { "Legacy", "Variant" };
            var whenNodes = new List<(int Index, YamlNode Node)>();
            var baseConstraints = new List<ConstraintModel>();
            if (OptionalScalar(map, "extends") is { } baseVariantName)
            {
                // Start from a built-in variant's fields (its constants, types and conditions); the fields listed
                // here follow them.
                var baseVariant = baseSchema?.Model.Variants.FirstOrDefault(b => b.Name == baseVariantName.Value);
                if (baseVariant is null)
                {
                    Report("VA1002", baseVariantName, baseSchema is null
                        ? $"variant '{name.Value}' extends '{baseVariantName.Value}', but the file does not say 'extends: {BuiltInSchema.Name}'"
                        : $"variant '{name.Value}' extends '{baseVariantName.Value}', which the built-in schema does not define");
                }
                else
                {
                    foreach (var f in baseVariant.Fields)
                    {
                        fields.Add(f);
                        byAudit.Add(f.Audit, f);
                        if (!f.IsConstant)
                        {
                            byName.Add(f.Name);
                        }
                    }

                    baseConstraints.AddRange(baseVariant.Constraints);
                }
            }

            foreach (var (def, site) in raw)
            {
                // Mistakes in keys that come from the built-in schema's shared definition are located at the use:
                // site: their own positions are lines of schema/virt-audit.yaml, not of this file.
                _relocateTo = _builtInSites.Contains(site) ? site : null;
                var field = ReadField(def, site, enums, out var whenNode);
                _relocateTo = null;
                if (field is null)
                {
                    continue;
                }

                if (byAudit.ContainsKey(field.Audit) || (!field.IsConstant && !byName.Add(field.Name)))
                {
                    Report("VA1004", site, name.Value!, field.Audit);
                    continue;
                }

                byAudit.Add(field.Audit, field);
                if (whenNode is not null)
                {
                    whenNodes.Add((fields.Count, whenNode));
                }

                fields.Add(field);
            }

            foreach (var (index, whenNode) in whenNodes)
            {
                fields[index] = fields[index] with { When = ReadCondition(whenNode, fields[index].Audit, name.Value!, byAudit, enums) };
            }

            for (var i = 0; i < fields.Count; i++)
            {
                // Fields taken from an extended built-in variant come bound already.
                if (fields[i].PatternBy is { EnumFullName.Length: 0 } patternBy)
                {
                    fields[i] = ResolvePatternBy(fields[i], patternBy, byAudit, enums, map);
                }
            }

            var constraints = new List<ConstraintModel>(baseConstraints);
            foreach (var c in Sequence(map, "constraints"))
            {
                if (c is not YamlMappingNode cm || cm.Children.Count != 1)
                {
                    Report("VA1002", c, "a constraint is a mapping with one key: 'exactly-one' or 'not-all-absent'");
                    continue;
                }

                var kv = cm.Children.First();
                var kind = ((YamlScalarNode)kv.Key).Value;
                if (kind != "exactly-one" && kind != "not-all-absent")
                {
                    Report("VA1002", kv.Key, $"unknown constraint '{kind}'; expected 'exactly-one' or 'not-all-absent'");
                    continue;
                }

                var props = new List<string>();
                var audits = new List<string>();
                foreach (var p in kv.Value is YamlSequenceNode seq ? seq.Children : (IEnumerable<YamlNode>)Array.Empty<YamlNode>())
                {
                    var pv = (p as YamlScalarNode)?.Value ?? string.Empty;
                    if (byAudit.TryGetValue(pv, out var pf) && !pf.IsConstant)
                    {
                        props.Add(pf.Name);
                        audits.Add(pf.Audit);
                    }
                    else
                    {
                        Report("VA1005", p, kind!, pv, name.Value!);
                    }
                }

                if (props.Count < 2)
                {
                    Report("VA1002", kv.Value, $"constraint '{kind}' needs a list of at least two fields");
                    continue;
                }

                constraints.Add(new ConstraintModel(kind!, props.ToEquatableArray(), audits.ToEquatableArray()));
            }

            result.Add((new VariantModel(name.Value!, record.Value!, recordNumber, OptionalScalar(map, "doc")?.Value, legacy, fields.ToEquatableArray(), constraints.ToEquatableArray()), map));
        }

        return result;
    }

    private FieldModel? ReadField(YamlMappingNode def, YamlMappingNode site, Dictionary<string, (EnumModel Model, YamlNode Node)> enums, out YamlNode? whenNode)
    {
        whenNode = null;

        // A field merged from a shared definition (use:) is a new node without a position: point at the use: site.
        var at = ReferenceEquals(def, site) ? (YamlNode)def : site;
        CheckKeys(def, "a field", "use", "audit", "name", "value", "type", "enum", "encoding", "token", "presence", "when", "nullable", "bare-absent", "legacy-absent", "legacy-values", "pattern", "pattern-by", "doc");
        if (!def.Children.ContainsKey(new YamlScalarNode("audit")))
        {
            Report("VA1002", at, "a field is missing the key 'audit'");
            return null;
        }

        var audit = RequiredScalar(def, "audit", "a field");
        if (audit is null)
        {
            return null;
        }

        var auditName = audit.Value!;
        var nameNode = OptionalScalar(def, "name");
        var csName = nameNode?.Value ?? PascalCase(auditName);
        if (!IsIdentifier(csName))
        {
            Report("VA1002", (YamlNode?)nameNode ?? audit, $"field '{auditName}' gives the C# name '{csName}', which is not an identifier; give it a 'name:'");
            return null;
        }

        var constant = OptionalScalar(def, "value")?.Value;
        var typeNode = OptionalScalar(def, "type");
        var type = FieldType.Text;
        if (typeNode is not null)
        {
            switch (typeNode.Value)
            {
                case "text": type = FieldType.Text; break;
                case "int64": type = FieldType.Int64; break;
                case "uint64": type = FieldType.UInt64; break;
                case "uuid": type = FieldType.Uuid; break;
                case "mac": type = FieldType.Mac; break;
                case "devnum": type = FieldType.DevNum; break;
                case "hexbyte": type = FieldType.HexByte; break;
                case "enum": type = FieldType.Enum; break;
                default:
                    Report("VA1003", typeNode, auditName, typeNode.Value ?? string.Empty);
                    return null;
            }
        }

        string? enumFullName = null;
        var enumNode = OptionalScalar(def, "enum");
        if (type == FieldType.Enum)
        {
            if (enumNode is null)
            {
                Report("VA1002", typeNode!, $"field '{auditName}' has type enum but no 'enum:' name");
                return null;
            }

            if (!enums.TryGetValue(enumNode.Value!, out var e))
            {
                Report("VA1006", enumNode, auditName, enumNode.Value!);
                return null;
            }

            enumFullName = e.Model.FullName;
        }
        else if (enumNode is not null)
        {
            Report("VA1002", enumNode, $"field '{auditName}' names an enum but its type is not enum");
        }

        var encodingNode = OptionalScalar(def, "encoding");
        var encoded = false;
        if (encodingNode is not null)
        {
            if (encodingNode.Value == "encoded")
            {
                encoded = true;
            }
            else if (encodingNode.Value != "raw")
            {
                Report("VA1002", encodingNode, $"'encoding' of field '{auditName}' must be 'encoded' or 'raw', not '{encodingNode.Value}'");
            }
        }

        var token = ReadBool(def, "token");
        if (token && (type != FieldType.Text || encoded || constant is not null))
        {
            Report("VA1002", (YamlNode?)OptionalScalar(def, "token") ?? at, $"'token' applies only to a raw text field; '{auditName}' is {(constant is not null ? "a constant" : encoded ? "encoded" : "not text")}");
            token = false;
        }

        var presence = Presence.Required;
        var presenceNode = OptionalScalar(def, "presence");
        if (presenceNode is not null)
        {
            switch (presenceNode.Value)
            {
                case "required": presence = Presence.Required; break;
                case "optional": presence = Presence.Optional; break;
                case "conditional": presence = Presence.Conditional; break;
                default:
                    Report("VA1002", presenceNode, $"'presence' of field '{auditName}' must be required, optional or conditional, not '{presenceNode.Value}'");
                    break;
            }
        }

        def.Children.TryGetValue(new YamlScalarNode("when"), out whenNode);
        if (presence == Presence.Conditional && whenNode is null)
        {
            Report("VA1002", (YamlNode?)presenceNode ?? at, $"conditional field '{auditName}' needs a 'when:' condition");
        }
        else if (presence != Presence.Conditional && whenNode is not null)
        {
            Report("VA1002", whenNode, $"field '{auditName}' has a 'when:' condition but its presence is not conditional");
            whenNode = null;
        }

        if (constant is not null && (typeNode is not null || presenceNode is not null || encodingNode is not null))
        {
            Report("VA1002", site, $"constant field '{auditName}' (value: {constant}) takes no type, presence or encoding");
        }

        var patternNode = OptionalScalar(def, "pattern");
        var pattern = patternNode is null ? null : CheckPattern(patternNode, auditName, type, constant);
        PatternByModel? patternBy = null;
        if (def.Children.TryGetValue(new YamlScalarNode("pattern-by"), out var pby))
        {
            // Bound to the variant's enum field by ResolvePatternBy: audit names here.
            if (pby is YamlMappingNode pm && OptionalScalar(pm, "field") is { } pf && pm.Children.TryGetValue(new YamlScalarNode("values"), out var pvals) && pvals is YamlMappingNode pvm)
            {
                var cases = new List<PatternCase>();
                foreach (var kv in pvm.Children)
                {
                    if (kv.Value is YamlScalarNode caseNode && CheckPattern(caseNode, auditName, type, constant) is { } casePattern)
                    {
                        cases.Add(new PatternCase(string.Empty, ((YamlScalarNode)kv.Key).Value ?? string.Empty, casePattern));
                    }
                }

                patternBy = new PatternByModel(pf.Value ?? string.Empty, string.Empty, cases.ToEquatableArray());
            }
            else
            {
                Report("VA1002", pby, $"'pattern-by' of field '{auditName}' must be {{ field: NAME, values: {{ VALUE: PATTERN }} }}");
            }
        }

        var nullable = ReadBool(def, "nullable");
        if (nullable && type == FieldType.Enum)
        {
            Report("VA1002", (YamlNode?)OptionalScalar(def, "nullable") ?? at, $"'nullable' does not apply to the enum field '{auditName}': a '?' is kept as a value the enum does not list");
        }

        var bareAbsent = ReadBool(def, "bare-absent");
        if (bareAbsent && (type != FieldType.Text || !encoded || !nullable))
        {
            Report("VA1002", (YamlNode?)OptionalScalar(def, "bare-absent") ?? at, $"'bare-absent' applies only to an encoded, nullable text field; '{auditName}' is not one");
            bareAbsent = false;
        }

        var legacyValues = new List<string>();
        foreach (var lv in Sequence(def, "legacy-values"))
        {
            var text = (lv as YamlScalarNode)?.Value;
            if (type is not (FieldType.Int64 or FieldType.UInt64) || text is null || !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) || (type == FieldType.UInt64 && number < 0))
            {
                Report("VA1002", lv, $"'legacy-values' of field '{auditName}' must list whole numbers of an int64 field, or whole numbers from 0 of a uint64 field");
                continue;
            }

            legacyValues.Add(text);
        }

        return new FieldModel(
            auditName,
            csName,
            type,
            enumFullName,
            encoded,
            presence,
            EquatableArray<ConditionModel>.Empty,
            nullable,
            ReadBool(def, "legacy-absent"),
            constant,
            pattern,
            patternBy,
            OptionalScalar(def, "doc")?.Value,
            legacyValues.ToEquatableArray(),
            token,
            bareAbsent);
    }

    private FieldModel ResolvePatternBy(FieldModel field, PatternByModel patternBy, Dictionary<string, FieldModel> byAudit, Dictionary<string, (EnumModel Model, YamlNode Node)> enums, YamlNode at)
    {
        if (!byAudit.TryGetValue(patternBy.Property, out var target) || target.Type != FieldType.Enum)
        {
            Report("VA1002", at, $"'pattern-by' of field '{field.Audit}' names '{patternBy.Property}', which is not an enum field of this variant");
            return field with { PatternBy = null };
        }

        var enumModel = enums.Values.First(e => e.Model.FullName == target.EnumFullName).Model;
        var cases = new List<PatternCase>();
        foreach (var c in patternBy.Cases)
        {
            var member = enumModel.Values.FirstOrDefault(v => v.Audit == c.Audit);
            if (member is null)
            {
                Report("VA1002", at, $"'pattern-by' of field '{field.Audit}' names the value '{c.Audit}', which enum '{enumModel.Name}' does not have");
                continue;
            }

            cases.Add(c with { Member = member.Name });
        }

        return field with { PatternBy = new PatternByModel(target.Name, enumModel.FullName, cases.ToEquatableArray()) };
    }

    /// <summary>The pattern of <paramref name="node"/> when it is in the syntax the runtime and the analyzer share; null (and VA1002) otherwise.</summary>
    private string? CheckPattern(YamlScalarNode node, string auditName, FieldType type, string? constant)
    {
        var text = node.Value ?? string.Empty;
        var problem = type != FieldType.Text || constant is not null
            ? "a pattern applies only to a text field"
            : ValueGrammar.CheckPattern(System.Text.Encoding.UTF8.GetBytes(text));
        if (problem is null)
        {
            return text;
        }

        Report("VA1002", node, $"pattern '{text}' of field '{auditName}': {problem}");
        return null;
    }

    private EquatableArray<ConditionModel> ReadCondition(YamlNode node, string owner, string variant, Dictionary<string, FieldModel> byAudit, Dictionary<string, (EnumModel Model, YamlNode Node)> enums)
    {
        var result = new List<ConditionModel>();
        if (node is not YamlMappingNode map)
        {
            Report("VA1002", node, $"the 'when:' of '{owner}' must be a mapping of field: value");
            return result.ToEquatableArray();
        }

        foreach (var kv in map.Children)
        {
            var key = ((YamlScalarNode)kv.Key).Value!;
            if (!byAudit.TryGetValue(key, out var target))
            {
                Report("VA1005", kv.Key, owner, key, variant);
                continue;
            }

            if (target.Type != FieldType.Enum || target.EnumFullName is null)
            {
                Report("VA1002", kv.Key, $"the condition of '{owner}' names '{key}', which is not an enum field; conditions compare enum values");
                continue;
            }

            var negated = false;
            var valueNode = kv.Value;
            if (valueNode is YamlMappingNode notMap && notMap.Children.Count == 1 && notMap.Children.TryGetValue(new YamlScalarNode("not"), out var inner))
            {
                negated = true;
                valueNode = inner;
            }

            var texts = valueNode switch
            {
                YamlScalarNode s => new List<YamlScalarNode> { s },
                YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().ToList(),
                _ => new List<YamlScalarNode>(),
            };
            if (texts.Count == 0)
            {
                Report("VA1002", valueNode, $"the condition on '{key}' needs a value, a list of values, or {{ not: value }}");
                continue;
            }

            var enumModel = enums.Values.First(e => e.Model.FullName == target.EnumFullName).Model;
            var members = new List<string>();
            var audits = new List<string>();
            foreach (var t in texts)
            {
                var member = enumModel.Values.FirstOrDefault(v => v.Audit == t.Value);
                if (member is null)
                {
                    Report("VA1002", t, $"the enum '{enumModel.Name}' of field '{key}' has no value '{t.Value}'");
                    continue;
                }

                members.Add(member.Name);
                audits.Add(member.Audit);
            }

            result.Add(new ConditionModel(target.Name, target.Audit, target.EnumFullName, members.ToEquatableArray(), audits.ToEquatableArray(), negated));
        }

        return result.ToEquatableArray();
    }

    /// <summary>Turns each enum value's <c>only-with</c>/<c>only-in</c> into the clause strings the analyzer reads.</summary>
    private void ResolveEnumHints(Dictionary<string, (EnumModel Model, YamlNode Node)> enums, List<(VariantModel Model, YamlNode Node)> variants, YamlMappingNode root)
    {
        // ReadEnums has reported any shape errors of these lists already.
        foreach (var item in QuietSequence(root, "enums"))
        {
            if (item is not YamlMappingNode map || OptionalScalar(map, "name")?.Value is not { } enumName || !enums.TryGetValue(enumName, out var entry))
            {
                continue;
            }

            var values = entry.Model.Values.ToArray();
            var changed = false;
            foreach (var v in QuietSequence(map, "values").OfType<YamlMappingNode>())
            {
                var audit = OptionalScalar(v, "audit")?.Value;
                var index = Array.FindIndex(values, x => x.Audit == audit);
                if (index < 0)
                {
                    continue;
                }

                EquatableArray<ConditionModel>? onlyWith = null;
                if (v.Children.TryGetValue(new YamlScalarNode("only-with"), out var ow))
                {
                    onlyWith = ResolveOnlyWith(ow, entry.Model, enums, variants);
                }

                EquatableArray<string>? onlyIn = null;
                if (v.Children.TryGetValue(new YamlScalarNode("only-in"), out var oi))
                {
                    var names = (oi as YamlSequenceNode)?.Children.OfType<YamlScalarNode>().ToList() ?? new List<YamlScalarNode>();
                    foreach (var n in names.Where(n => !variants.Any(x => x.Model.Name == n.Value)))
                    {
                        Report("VA1002", n, $"'only-in' names '{n.Value}', which is not a variant of this schema");
                    }

                    onlyIn = names.Select(n => n.Value!).ToList().ToEquatableArray();
                }

                if (onlyWith is not null || onlyIn is not null)
                {
                    values[index] = values[index] with { OnlyWith = onlyWith ?? values[index].OnlyWith, OnlyIn = onlyIn ?? values[index].OnlyIn };
                    changed = true;
                }
            }

            if (changed)
            {
                enums[enumName] = (entry.Model with { Values = new EquatableArray<EnumValueModel>(values) }, entry.Node);
            }
        }
    }

    /// <summary>
    /// Binds an enum value's <c>only-with</c> to the fields it names: in the variants where a value of
    /// <paramref name="owner"/> can stand (those with a field of that enum), the enum field of that audit name. A key
    /// that names enum fields of different enums or C# names there is ambiguous (VA1002).
    /// </summary>
    private EquatableArray<ConditionModel>? ResolveOnlyWith(YamlNode node, EnumModel owner, Dictionary<string, (EnumModel Model, YamlNode Node)> enums, List<(VariantModel Model, YamlNode Node)> variants)
    {
        if (node is not YamlMappingNode map)
        {
            Report("VA1002", node, "'only-with' must be a mapping of field: value or [values]");
            return null;
        }

        var holders = variants.Where(v => v.Model.Fields.Any(f => f.Type == FieldType.Enum && f.EnumFullName == owner.FullName)).ToList();
        var clauses = new List<ConditionModel>();
        foreach (var kv in map.Children)
        {
            var key = ((YamlScalarNode)kv.Key).Value!;
            var fields = holders.SelectMany(v => v.Model.Fields)
                .Where(f => f.Audit == key && f.Type == FieldType.Enum)
                .Select(f => (f.Name, EnumFullName: f.EnumFullName!))
                .Distinct()
                .ToList();
            if (fields.Count != 1)
            {
                Report("VA1002", kv.Key, fields.Count == 0
                    ? $"'only-with' names the field '{key}', which no variant with a {owner.Name} field has as an enum field"
                    : $"'only-with' names the field '{key}', which the variants with a {owner.Name} field define differently ({string.Join(", ", fields.Select(f => f.Name + ": " + f.EnumFullName))})");
                continue;
            }

            var (property, enumFullName) = fields[0];
            var enumModel = enums.Values.First(e => e.Model.FullName == enumFullName).Model;
            var texts = kv.Value is YamlSequenceNode seq ? seq.Children.OfType<YamlScalarNode>().ToList() : new List<YamlScalarNode> { (YamlScalarNode)kv.Value };
            var members = new List<EnumValueModel>();
            foreach (var t in texts)
            {
                var member = enumModel.Values.FirstOrDefault(v => v.Audit == t.Value);
                if (member is null)
                {
                    Report("VA1002", t, $"the enum '{enumModel.Name}' of field '{key}' has no value '{t.Value}'");
                    continue;
                }

                members.Add(member);
            }

            clauses.Add(new ConditionModel(property, key, enumFullName, members.Select(m => m.Name).ToList().ToEquatableArray(), members.Select(m => m.Audit).ToList().ToEquatableArray(), Negated: false));
        }

        return clauses.ToEquatableArray();
    }

    private static YamlMappingNode Merge(YamlMappingNode shared, YamlMappingNode site)
    {
        var merged = new YamlMappingNode();
        foreach (var kv in shared.Children)
        {
            merged.Children[kv.Key] = kv.Value;
        }

        foreach (var kv in site.Children)
        {
            if (((YamlScalarNode)kv.Key).Value != "use")
            {
                merged.Children[kv.Key] = kv.Value;
            }
        }

        return merged;
    }

    private IEnumerable<YamlNode> Sequence(YamlMappingNode map, string key)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return Array.Empty<YamlNode>();
        }

        if (node is YamlSequenceNode seq)
        {
            return seq.Children;
        }

        Report("VA1002", node, $"'{key}' must be a list");
        return Array.Empty<YamlNode>();
    }

    private static IEnumerable<YamlNode> QuietSequence(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlSequenceNode seq ? seq.Children : Array.Empty<YamlNode>();

    private bool ReadBool(YamlMappingNode map, string key)
    {
        var node = OptionalScalar(map, key);
        if (node is null)
        {
            return false;
        }

        if (node.Value is "true" or "false")
        {
            return node.Value == "true";
        }

        Report("VA1002", node, $"'{key}' must be true or false, not '{node.Value}'");
        return false;
    }

    private YamlScalarNode? OptionalScalar(YamlMappingNode map, string key)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return null;
        }

        if (node is YamlScalarNode scalar)
        {
            return scalar;
        }

        Report("VA1002", node, $"'{key}' must be a single value");
        return null;
    }

    private YamlScalarNode? RequiredScalar(YamlMappingNode map, string key, string where)
    {
        if (map.Children.ContainsKey(new YamlScalarNode(key)))
        {
            var node = OptionalScalar(map, key);
            if (node is not null && string.IsNullOrEmpty(node.Value))
            {
                Report("VA1002", node, $"'{key}' of {where} must not be empty");
                return null;
            }

            return node;
        }

        Report("VA1002", map, $"{where} is missing the key '{key}'");
        return null;
    }

    private void CheckKeys(YamlMappingNode map, string where, params string[] allowed)
    {
        foreach (var key in map.Children.Keys)
        {
            var k = (key as YamlScalarNode)?.Value;
            if (k is null || Array.IndexOf(allowed, k) < 0)
            {
                Report("VA1002", key, $"{where} has the unknown key '{k}'; allowed: {string.Join(", ", allowed)}");
            }
        }
    }

    private void Report(string id, YamlNode node, params string[] args)
    {
        if (_relocateTo is not null && !IsPartOf(node, _relocateTo))
        {
            node = _relocateTo;
        }

        Report(id, node.Start, node.End, args);
    }

    /// <summary>Where <paramref name="map"/> writes <c>key: value</c>, from the key's start to the value's end.</summary>
    private NameSite Site(string name, YamlMappingNode map, string key)
    {
        var entry = map.Children.First(kv => (kv.Key as YamlScalarNode)?.Value == key);
        var start = entry.Key.Start;
        var end = entry.Value.End;
        return new NameSite(
            name,
            _path,
            (int)start.Index,
            (int)(end.Index - start.Index),
            Math.Max(0, (int)start.Line - 1),
            Math.Max(0, (int)start.Column - 1),
            Math.Max(0, (int)end.Line - 1),
            Math.Max(0, (int)end.Column - 1));
    }

    private static bool IsPartOf(YamlNode node, YamlNode site) =>
        ReferenceEquals(node, site) || (site is YamlMappingNode map && map.Children.Any(kv => ReferenceEquals(kv.Key, node) || ReferenceEquals(kv.Value, node)));

    private void Report(string id, Mark start, Mark end, params string[] args)
    {
        var s = start.Index < 0 ? 0 : (int)start.Index;
        var e = end.Index < start.Index ? s : (int)end.Index;
        _diagnostics.Add(new DiagnosticInfo(
            id,
            new EquatableArray<string>(args),
            _path,
            s,
            e - s,
            Math.Max(0, (int)start.Line - 1),
            Math.Max(0, (int)start.Column - 1),
            Math.Max(0, (int)end.Line - 1),
            Math.Max(0, (int)end.Column - 1)));
    }

    /// <summary><c>vm-pid</c> → <c>VmPid</c>, <c>scsi_host</c> → <c>ScsiHost</c>.</summary>
    internal static string PascalCase(string audit)
    {
        var chars = new System.Text.StringBuilder(audit.Length);
        var upper = true;
        foreach (var c in audit)
        {
            if (c is '-' or '_' or '.' or ' ')
            {
                upper = true;
                continue;
            }

            chars.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        return chars.ToString();
    }

    internal static bool IsIdentifier(string s)
    {
        if (s.Length == 0 || !(char.IsLetter(s[0]) || s[0] == '_'))
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(s) == Microsoft.CodeAnalysis.CSharp.SyntaxKind.None;
    }

    private static bool IsQualifiedIdentifier(string s) => s.Split('.').All(IsIdentifier);

    private static bool IsRecordTypeName(string s) => s.Length > 0 && s.All(c => (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
}
