using System.Text.Json;
using System.Text.Json.Nodes;

namespace VirtAudit.Cli.Tests;

/// <summary>The CLI's <c>fields</c> object is what <c>JsonSerializer.Serialize</c> gives for the generated record.</summary>
public sealed class JsonFieldsTests
{
    [Fact]
    public void Jsonl_fields_equal_the_generated_converters_output_for_every_record_of_the_corpus()
    {
        var lines = Cli.Run("parse", "--format", "jsonl", Cli.Corpus).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var serialize = typeof(JsonFieldsTests).GetMethod(nameof(Serialize), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        using var reader = AuditLogReader.Open(Cli.Corpus);
        var i = 0;
        var variants = new HashSet<string>();
        while (reader.Read())
        {
            var record = reader.Current.Record;
            if (!record.IsVirt)
            {
                continue;
            }

            var fields = JsonNode.Parse(lines[i++])!["fields"];
            var type = typeof(VirtControl).Assembly.GetType("VirtAudit." + record.Virt.Variant!.Name)!;
            var expected = JsonNode.Parse((string)serialize.MakeGenericMethod(type).Invoke(null, [record])!);
            Assert.True(JsonNode.DeepEquals(expected, fields), $"line {record.LineNumber}:\n{expected!.ToJsonString()}\n{fields!.ToJsonString()}");
            variants.Add(record.Virt.Variant.Name);
        }

        Assert.Equal(lines.Length, i);
        Assert.Contains("VirtResourceCgroup", variants);
        Assert.True(variants.Count >= 15, string.Join(", ", variants));
    }

    private static string Serialize<T>(AuditLogRecord record)
        where T : struct, IVirtAuditVariant<T> => JsonSerializer.Serialize(record.Virt.Get<T>());
}
