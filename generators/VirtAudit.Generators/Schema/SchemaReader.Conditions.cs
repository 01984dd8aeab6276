using System;
using System.Collections.Generic;
using System.Linq;
using VirtAudit.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace VirtAudit.Generators.Schema;

// Binding of conditions: a field's `when`, and an enum value's `only-with`/`only-in` hints for the analyzer.
internal sealed partial class SchemaReader
{
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
}
