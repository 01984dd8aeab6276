using System;
using System.Collections.Generic;
using System.Linq;
using VirtAudit.Generators.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace VirtAudit.Generators.Schema;

// Typed access to YAML nodes with located diagnostics (VA1xxx at the line and column of the mistake), and naming checks.
internal sealed partial class SchemaReader
{
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
