using static VirtAudit.Tests.Records.RecordKit;

namespace VirtAudit.Tests.Records;

/// <summary>
/// Issue 2 §6: parsing then encoding 10,000 payloads of every variant (legacy ones included) allocates nothing,
/// through the generated types and through the registry.
/// </summary>
public class RecordAllocationTests
{
    private const int Iterations = 10_000;
    private const int WarmUp = 200;

    public static IEnumerable<object[]> Variants => CaseNames;

    [Fact]
    public void Every_variant_of_the_schema_has_a_sample()
    {
        Assert.Equal(
            VirtAuditSchema.Variants.Select(v => v.Name).OrderBy(n => n, StringComparer.Ordinal),
            Cases.Keys.OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(VirtAuditRegistry.Default.Variants.Count, Cases.Count);
        Assert.Equal(4, Cases.Values.Count(c => c.Info.IsLegacy));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Generated_TryParse_then_TryFormat_allocates_nothing(string name)
    {
        VariantCase variant = Cases[name];
        byte[] buffer = new byte[1024];
        Assert.True(ThroughType(variant, buffer) == 1, $"{name}: the sample did not come back byte for byte through the generated type");

        long ok = 0;
        for (int i = 0; i < WarmUp; i++)
        {
            ok += ThroughType(variant, buffer);
        }

        (long allocated, long measured, int runs) = AllocationProbe.Measure(() =>
        {
            long batch = 0;
            for (int i = 0; i < Iterations; i++)
            {
                batch += ThroughType(variant, buffer);
            }

            return batch;
        });
        Assert.True(allocated == 0, $"{name}: {allocated} bytes allocated by {Iterations} parse + format round trips (fewest of {runs} batches)");
        Assert.True(ok == WarmUp, $"{name}: {WarmUp - ok} of {WarmUp} warm-up round trips through the type failed");
        Assert.True(measured == (long)runs * Iterations, $"{name}: {((long)runs * Iterations) - measured} measured round trips through the type failed");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Registry_Parse_then_TryReencode_allocates_nothing(string name)
    {
        VariantCase variant = Cases[name];
        byte[] buffer = new byte[1024];
        Assert.True(ThroughRegistry(variant, buffer) == 1, $"{name}: the registry did not type the sample as {name} and write it back byte for byte");

        long ok = 0;
        for (int i = 0; i < WarmUp; i++)
        {
            ok += ThroughRegistry(variant, buffer);
        }

        (long allocated, long measured, int runs) = AllocationProbe.Measure(() =>
        {
            long batch = 0;
            for (int i = 0; i < Iterations; i++)
            {
                batch += ThroughRegistry(variant, buffer);
            }

            return batch;
        });
        Assert.True(allocated == 0, $"{name}: {allocated} bytes allocated by {Iterations} registry parse + re-encode round trips (fewest of {runs} batches)");
        Assert.True(ok == WarmUp, $"{name}: {WarmUp - ok} of {WarmUp} warm-up round trips through the registry failed");
        Assert.True(measured == (long)runs * Iterations, $"{name}: {((long)runs * Iterations) - measured} measured round trips through the registry failed");
    }

    /// <summary>1 when the sample came back byte for byte through the generated type, else 0.</summary>
    private static int ThroughType(VariantCase variant, byte[] buffer)
    {
        ReadOnlyMemory<byte> message = variant.Sample;
        AuditTrailer.TrySplit(message, out _, out AuditTrailer trailer);
        if (!variant.RoundTrip(message, buffer, out int payload) || !trailer.TryFormat(buffer.AsSpan(payload), out int tail))
        {
            return 0;
        }

        return buffer.AsSpan(0, payload + tail).SequenceEqual(variant.Sample) ? 1 : 0;
    }

    /// <summary>1 when the registry typed the sample as its variant and re-encoded it byte for byte, else 0.</summary>
    private static int ThroughRegistry(VariantCase variant, byte[] buffer)
    {
        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(variant.RecordNumber, variant.Sample);
        if (!ReferenceEquals(record.Variant, variant.Info) || !record.TryReencode(buffer, out int written))
        {
            return 0;
        }

        return buffer.AsSpan(0, written).SequenceEqual(variant.Sample) ? 1 : 0;
    }
}
