using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using VirtAudit.Generators.Model;
using VirtAudit.Schema;
using YamlDotNet.RepresentationModel;

namespace VirtAudit.Generators.Schema;

// Binding of one field definition: type, encoding, presence, `when`, patterns and `pattern-by`.
internal sealed partial class SchemaReader
{
    private FieldModel? ReadField(YamlMappingNode def, YamlMappingNode site, Dictionary<string, (EnumModel Model, YamlNode Node)> enums, out YamlNode? whenNode)
    {
        whenNode = null;

        // A field merged from a shared definition (use:) is a new node without a position: point at the use: site.
        var at = ReferenceEquals(def, site) ? (YamlNode)def : site;
        CheckKeys(def, "a field", "use", "audit", "name", "value", "type", "enum", "encoding", "token", "presence", "when", "nullable", "bare-absent", "legacy-absent", "legacy-values", "pattern", "pattern-by", "values", "doc");
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
        var values = new List<EnumValueModel>();
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
            foreach (var v in Sequence(def, "values"))
            {
                var member = e.Model.Values.FirstOrDefault(x => x.Audit == (v as YamlScalarNode)?.Value);
                if (member is null)
                {
                    Report("VA1002", v, $"'values' of field '{auditName}' names '{(v as YamlScalarNode)?.Value}', which enum '{e.Model.Name}' does not have");
                    continue;
                }

                values.Add(member);
            }
        }
        else if (enumNode is not null)
        {
            Report("VA1002", enumNode, $"field '{auditName}' names an enum but its type is not enum");
        }

        if (type != FieldType.Enum && def.Children.TryGetValue(new YamlScalarNode("values"), out var valuesNode))
        {
            Report("VA1002", valuesNode, $"'values' applies only to an enum field; '{auditName}' is not one");
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
            bareAbsent,
            values.ToEquatableArray());
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
}
