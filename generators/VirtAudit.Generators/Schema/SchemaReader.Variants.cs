using System;
using System.Collections.Generic;
using System.Linq;
using VirtAudit.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace VirtAudit.Generators.Schema;

// Binding of shared fields and variants: `use:` of a shared field, variant `extends`, record types, constraints.
internal sealed partial class SchemaReader
{
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

            CheckKeys(map, "a variant", "name", "record", "doc", "legacy", "since", "fields", "constraints", "extends");
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
            var since = ReadSince(map);
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

            result.Add((new VariantModel(name.Value!, record.Value!, recordNumber, OptionalScalar(map, "doc")?.Value, legacy, since, fields.ToEquatableArray(), constraints.ToEquatableArray()), map));
        }

        return result;
    }
    // since: the libvirt version that first wrote this shape, MAJOR.MINOR[.PATCH] (the trailer shapes it can have
    // follow from it: libaudit's colon before exe= predates libvirt 2.0).
    private string? ReadSince(YamlMappingNode map)
    {
        var node = OptionalScalar(map, "since");
        if (node is null)
        {
            return null;
        }

        var parts = (node.Value ?? string.Empty).Split('.');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0 || p.Length > 4 || !p.All(c => c is >= '0' and <= '9')))
        {
            Report("VA1002", node, $"since '{node.Value}' must be a libvirt version MAJOR.MINOR or MAJOR.MINOR.PATCH");
            return null;
        }

        return node.Value;
    }
}
