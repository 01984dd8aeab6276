using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using VirtAudit.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace VirtAudit.Generators.Schema;

/// <summary>
/// The built-in schema (<c>schema/virt-audit.yaml</c>), embedded in the generator so that a consumer's schema can
/// say <c>extends: virt-audit</c> and use its record types, enums, shared fields and variants by name. Its types
/// are not generated again: they live in the runtime assembly.
/// </summary>
internal sealed class BuiltInSchema
{
    /// <summary>The name a schema gives in <c>extends:</c>.</summary>
    public const string Name = "virt-audit";

    private const string ResourceName = "VirtAudit.Generators.virt-audit.yaml";

    private static readonly Lazy<BuiltInSchema> Loaded = new(Load);

    private BuiltInSchema(SchemaModel model, Dictionary<string, YamlMappingNode> sharedFields)
    {
        Model = model;
        SharedFields = sharedFields;
    }

    public static BuiltInSchema Instance => Loaded.Value;

    public SchemaModel Model { get; }

    public IReadOnlyDictionary<string, YamlMappingNode> SharedFields { get; }

    private static BuiltInSchema Load()
    {
        using var stream = typeof(BuiltInSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("the built-in schema is not embedded in the generator");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var result = SchemaReader.Read(Name + ".yaml", text);
        if (result.Model is null)
        {
            throw new InvalidOperationException("the built-in schema has errors: " + string.Join("; ", result.Diagnostics.Select(d => d.Id + " " + string.Join(" ", d.Args))));
        }

        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        var shared = new Dictionary<string, YamlMappingNode>(StringComparer.Ordinal);
        if (((YamlMappingNode)yaml.Documents[0].RootNode).Children.TryGetValue(new YamlScalarNode("fields"), out var fields) && fields is YamlMappingNode map)
        {
            foreach (var kv in map.Children)
            {
                shared[((YamlScalarNode)kv.Key).Value!] = (YamlMappingNode)kv.Value;
            }
        }

        return new BuiltInSchema(result.Model, shared);
    }
}
