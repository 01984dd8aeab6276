using System.Reflection;
using System.Text;
using CsCheck;
using VirtAudit.Schema;

namespace VirtAudit.Tests.Properties;

/// <summary>
/// Issue 12, properties: for every variant of the schema, random field values survive encode → parse → equal, through
/// the registry and through the generated <c>TryParse</c>; and the encoded payload never holds an unencoded space,
/// <c>"</c> or control byte inside an encoded value.
/// </summary>
public sealed class RecordRoundTripProperties
{
    /// <summary>Iterations per variant: 25 variants, so the whole class stays around ten seconds on a loaded 2-core machine.</summary>
    private const int Iterations = 250;

    private const string Trailer = " exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success";

    public static IEnumerable<object[]> Variants => VariantGen.VariantTypes.Select(t => new object[] { t.Name });

    [Fact]
    public void The_generated_metadata_and_the_registry_name_the_same_variants()
    {
        var fromMetadata = VariantGen.VariantTypes.Select(t => t.Name).Order(StringComparer.Ordinal);
        var fromRegistry = VirtAuditRegistry.Default.Variants.Select(v => v.Name).Order(StringComparer.Ordinal);
        Assert.Equal(fromRegistry, fromMetadata);
        Assert.True(VariantGen.VariantTypes.Count >= 20, $"only {VariantGen.VariantTypes.Count} variants found");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Random_records_survive_encode_parse_equal(string variant)
    {
        Type type = VariantGen.VariantTypes.Single(t => t.Name == variant);
        typeof(RecordRoundTripProperties).GetMethod(nameof(Check), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type)
            .Invoke(null, null);
    }

    private static void Check<T>()
        where T : struct, IVirtAuditVariant<T>
    {
        var fields = VariantGen.Fields(typeof(T));
        var tryParse = typeof(T).GetMethod("TryParse", new[] { typeof(ReadOnlyMemory<byte>), typeof(T).MakeByRefType() })
            ?? throw new InvalidOperationException($"{typeof(T).Name} has no generated TryParse(ReadOnlyMemory<byte>, out T)");
        VariantGen.For<T>().Sample(
            record =>
            {
                byte[] buffer = new byte[64 * 1024];
                Assert.True(record.TryFormat(buffer, out int length), "TryFormat with 64 KiB");
                byte[] payload = buffer.AsSpan(0, length).ToArray();
                AssertEncodedValuesAreClean(record, fields, payload);

                byte[] message = [.. payload, .. Encoding.ASCII.GetBytes(Trailer)];
                var typed = VirtAuditRegistry.Default.Parse(T.Variant.RecordNumber, message);
                Assert.True(typed.IsTyped, $"registry: {typed.Error} at {typed.ErrorOffset} in {Show(payload)}");
                Assert.Same(T.Variant, typed.Variant);
                Assert.True(typed.TryGet(out T viaRegistry));
                // a legacy variant is marked as such when parsed; besides, only a value the schema lists as legacy
                // (vm-pid=-1) may be marked: the writer's shape is today's
                Assert.Equal(T.Variant.IsLegacy, (viaRegistry.Legacy & LegacyShape.LegacyVariant) != 0);
                Assert.Equal(LegacyShape.None, viaRegistry.Legacy & ~(LegacyShape.LegacyVariant | LegacyShape.LegacyValue));
                T expected = WithLegacy(record, viaRegistry.Legacy);
                Assert.Equal(expected, viaRegistry);

                object?[] arguments = { new ReadOnlyMemory<byte>(message), null };
                Assert.True((bool)tryParse.Invoke(null, arguments)!, $"generated TryParse refused {Show(payload)}");
                Assert.Equal(expected, (T)arguments[1]!);

                byte[] again = new byte[buffer.Length];
                Assert.True(typed.TryReencode(again, out int reencoded));
                Assert.Equal(Show(message), Show(again.AsSpan(0, reencoded)));
            },
            iter: Iterations,
            threads: 1,
            seed: null,
            print: record => record.ToString() ?? "");
    }

    /// <summary>
    /// Each encoded text field appears as <c> key=TOKEN</c> where TOKEN is what <c>TryWriteEncoded</c> gives, and
    /// TOKEN is <c>"…"</c> without a space, <c>"</c> or control byte inside, or upper-case hex of even length.
    /// </summary>
    private static void AssertEncodedValuesAreClean<T>(T record, IReadOnlyList<(PropertyInfo Property, AuditFieldAttribute Field)> fields, byte[] payload)
    {
        foreach (var (property, field) in fields)
        {
            if (field.Raw || field.Token || property.PropertyType != typeof(AuditText) || property.GetValue(record) is not AuditText text)
            {
                continue;
            }

            if (text.IsAbsent && !payload.AsSpan().StartsWith(Encoding.ASCII.GetBytes(field.AuditName + "=")) && Find(payload, " " + field.AuditName + "=") < 0)
            {
                continue; // an absent optional field is not written
            }

            byte[] token = new byte[text.GetEncodedLength()];
            Assert.True(text.TryWriteEncoded(token, out int written));
            Assert.True(IsCleanEncoded(token.AsSpan(0, written)), $"{field.AuditName}: '{Show(token)}' is not a clean encoded value");
            string needle = field.AuditName + "=" + Encoding.Latin1.GetString(token, 0, written);
            Assert.True(
                Encoding.Latin1.GetString(payload).StartsWith(needle, StringComparison.Ordinal) || Find(payload, " " + needle) >= 0,
                $"{field.AuditName}: the payload does not hold {needle}: {Show(payload)}");
        }
    }

    private static bool IsCleanEncoded(ReadOnlySpan<byte> token)
    {
        if (token.Length >= 2 && token[0] == '"' && token[^1] == '"')
        {
            foreach (byte b in token[1..^1])
            {
                if (b is (byte)'"' or (byte)' ' or < 0x20 or 0x7F or >= 0x80)
                {
                    return false;
                }
            }

            return true;
        }

        if (token.Length == 0 || token.Length % 2 != 0)
        {
            return false;
        }

        foreach (byte b in token)
        {
            if (b is not ((>= (byte)'0' and <= (byte)'9') or (>= (byte)'A' and <= (byte)'F')))
            {
                return false;
            }
        }

        return true;
    }

    private static T WithLegacy<T>(T record, LegacyShape legacy)
    {
        object boxed = record!;
        typeof(T).GetProperty(nameof(IVirtAuditPayload.Legacy))!.SetValue(boxed, legacy);
        return (T)boxed;
    }

    private static int Find(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.Latin1.GetBytes(needle));

    private static string Show(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (byte b in bytes)
        {
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : $"\\x{b:X2}");
        }

        return text.ToString();
    }
}
