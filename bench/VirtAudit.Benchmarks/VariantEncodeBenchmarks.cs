using System;
using System.Collections.Generic;
using System.IO;
using BenchmarkDotNet.Attributes;
using VirtAudit.LogGenerator;

namespace VirtAudit.Benchmarks;

/// <summary>
/// Encoding one record of every variant of the built-in schema, payload and trailer (what <c>check</c> does after
/// typing a record, and what an emitter does once it has the record): one benchmark case per variant. The records
/// are the first of each variant in the project's generated log (<c>--lines 100000 --seed 1 --virt-share 0.5</c>; a
/// record in a legacy shape only when its variant has no other), parsed once in the setup.
/// </summary>
[MemoryDiagnoser]
public class VariantEncodeBenchmarks
{
    private static readonly Lazy<Dictionary<string, Encoder>> s_encoders = new(Load);
    private readonly byte[] _buffer = new byte[AuditLimits.MaxMessageLength];
    private Encoder _encoder = null!;

    /// <summary>The variant (its generated type's name).</summary>
    [ParamsSource(nameof(Names))]
    public string Variant { get; set; } = nameof(VirtResourceDisk);

    /// <summary>Every variant of <see cref="VirtAuditRegistry.Default"/>.</summary>
    public static IEnumerable<string> Names
    {
        get
        {
            foreach (var variant in VirtAuditRegistry.Default.Variants)
            {
                yield return variant.Name;
            }
        }
    }

    /// <summary>Picks the record.</summary>
    [GlobalSetup]
    public void Setup()
    {
        if (!s_encoders.Value.TryGetValue(Variant, out var encoder))
        {
            throw new InvalidOperationException($"the generated log has no record of {Variant}");
        }

        _encoder = encoder;
    }

    /// <summary>Payload and trailer into a span.</summary>
    [Benchmark]
    public int Encode() => _encoder.Encode(_buffer);

    private static Dictionary<string, Encoder> Load()
    {
        var (log, _) = AuditLogGenerator.Generate(new LogGeneratorOptions { Lines = 100_000, Seed = 1, VirtShare = 0.5 });
        var found = new Dictionary<string, Encoder>(StringComparer.Ordinal);
        using var reader = new AuditLogReader(new MemoryStream(log));
        while (reader.Read())
        {
            if (!reader.Current.IsRecord || !reader.Current.Record.IsTyped)
            {
                continue;
            }

            var record = reader.Current.Record.ToOwned();
            var variant = record.Virt.Variant!;
            if (found.TryGetValue(variant.Name, out var known) && !known.IsLegacyShape)
            {
                continue;
            }

            var type = typeof(VirtControl).Assembly.GetType("VirtAudit." + variant.Name, throwOnError: true)!;
            var encoder = (Encoder)Activator.CreateInstance(typeof(Encoder<>).MakeGenericType(type), record)!;
            if (!found.ContainsKey(variant.Name) || !encoder.IsLegacyShape)
            {
                found[variant.Name] = encoder;
            }
        }

        return found;
    }

    /// <summary>One typed record with its trailer.</summary>
    private abstract class Encoder
    {
        public abstract bool IsLegacyShape { get; }

        public abstract int Encode(Span<byte> destination);
    }

    private sealed class Encoder<T> : Encoder
        where T : struct, IVirtAuditVariant<T>
    {
        private readonly T _record;
        private readonly AuditTrailer _trailer;

        public Encoder(AuditLogRecord record)
        {
            _record = record.Virt.Get<T>();
            _trailer = record.Virt.Trailer;
            IsLegacyShape = record.Virt.IsLegacy;
            if (Encode(new byte[AuditLimits.MaxMessageLength]) <= 0)
            {
                throw new InvalidOperationException($"{typeof(T).Name} does not encode");
            }
        }

        public override bool IsLegacyShape { get; }

        public override int Encode(Span<byte> destination)
        {
            if (!_record.TryFormat(destination, out int payload) || !_trailer.TryFormat(destination.Slice(payload), out int trailer))
            {
                throw new InvalidOperationException("the buffer is too small");
            }

            return payload + trailer;
        }
    }
}
