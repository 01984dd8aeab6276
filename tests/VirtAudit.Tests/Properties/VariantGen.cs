using System.Reflection;
using System.Text;
using CsCheck;
using VirtAudit.Schema;

namespace VirtAudit.Tests.Properties;

/// <summary>
/// Random records of every generated variant, found through the generated metadata (the <c>[AuditVariant]</c> structs
/// implementing <see cref="IVirtAuditVariant{TSelf}"/>, their <c>[AuditField]</c> properties), so a variant added to
/// the schema is covered without touching the tests. Values are hostile on purpose: text of arbitrary bytes
/// (0x00–0xFF, invalid UTF-8, quotes, 0x1D, NUL, injection strings), empty text, absent optional fields, integer
/// extremes, unknown enum values. Only records libvirt could write (<c>IsValid</c>) are kept.
/// </summary>
internal static class VariantGen
{
    /// <summary>Strings a tenant could choose to confuse a reader.</summary>
    public static readonly string[] Injections =
    {
        "x\" res=success",
        "x' res=failed",
        "a vm=evil",
        "a\n type=VIRT_CONTROL msg=audit(1.000:1): pid=1 uid=0 auid=0 ses=0 msg='virt=kvm op=start res=success'",
        "a\x1dUID=\"root\" AUID=\"root\"",
        "nul\0byte",
        "ends with '",
        "'",
        "\"",
        "=",
        " ",
        "?",
        "\"?\"",
        "res=failed'",
        " exe=\"/usr/sbin/evil\" hostname=? addr=? terminal=? res=success",
        "\r",
        "\x7f",
        "caf\u00e9",
    };

    /// <summary>Every generated variant type of the runtime, by reflection over the generated structs.</summary>
    public static IReadOnlyList<Type> VariantTypes { get; } = typeof(VirtControl).Assembly.GetTypes()
        .Where(t => t.IsValueType && t.GetCustomAttribute<AuditVariantAttribute>() is not null
            && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IVirtAuditVariant<>)))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    /// <summary>The <c>[AuditField]</c> properties of <paramref name="type"/> in declaration order.</summary>
    public static IReadOnlyList<(PropertyInfo Property, AuditFieldAttribute Field)> Fields(Type type) => type
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Select(p => (Property: p, Field: p.GetCustomAttribute<AuditFieldAttribute>()!))
        .Where(p => p.Field is not null)
        .OrderBy(p => p.Property.MetadataToken)
        .ToArray();

    /// <summary>Random valid records of <typeparamref name="T"/>.</summary>
    public static Gen<T> For<T>()
        where T : struct, IVirtAuditVariant<T>
    {
        var fields = Fields(typeof(T));
        Gen<object?[]> values = Gen.Const(Array.Empty<object?>());
        foreach (var (property, field) in fields)
        {
            bool required = property.GetCustomAttribute<System.Runtime.CompilerServices.RequiredMemberAttribute>() is not null;
            Gen<object?> value = ValueGen(property, field, typeof(T));
            if (field.Presence == AuditPresence.Optional || (required && field.Nullable))
            {
                // absent: the property's default (null, AuditText.Absent, an unset AuditEnum)
                value = Mix<object?>((1, Gen.Const<object?>((object?)null)), (3, value));
            }

            values = Gen.Select(values, value, static (object?[] list, object? v) => (object?[])[.. list, v]);
        }

        return values
            .Select(list =>
            {
                object boxed = default(T);
                for (int i = 0; i < fields.Count; i++)
                {
                    if (list[i] is not null && fields[i].Field.Presence != AuditPresence.Conditional)
                    {
                        fields[i].Property.SetValue(boxed, list[i]);
                    }
                }

                // a conditional field is present exactly when its condition (When) holds for the values drawn
                for (int i = 0; i < fields.Count; i++)
                {
                    if (list[i] is not null && fields[i].Field.Presence == AuditPresence.Conditional && Holds(fields[i].Field.When!, boxed))
                    {
                        fields[i].Property.SetValue(boxed, list[i]);
                    }
                }

                return (T)boxed;
            })
            .Where(record => record.IsValid(out _));
    }

    /// <summary>
    /// Evaluates a <c>When</c> condition of <c>[AuditField]</c> on a record: clauses joined by <c>;</c> (all must
    /// hold), each <c>Property=A|B</c> or <c>Property!=A</c> over enum members.
    /// </summary>
    public static bool Holds(string when, object record)
    {
        foreach (string clause in when.Split(';'))
        {
            bool negated = clause.Contains("!=", StringComparison.Ordinal);
            string[] parts = clause.Split(negated ? "!=" : "=");
            object? value = record.GetType().GetProperty(parts[0])!.GetValue(record);
            bool matches = parts[1].Split('|').Any(member => EnumIs(value, member));
            if (matches == negated)
            {
                return false;
            }
        }

        return true;
    }

    private static bool EnumIs(object? auditEnum, string member)
    {
        if (auditEnum is null)
        {
            return false;
        }

        Type type = auditEnum.GetType();
        bool known = (bool)type.GetProperty("IsKnown")!.GetValue(auditEnum)!;
        return known && type.GetProperty("Value")!.GetValue(auditEnum)!.ToString() == member;
    }

    /// <summary>A random valid record of any variant, formatted: the variant and its libvirt payload (no trailer).</summary>
    public static Gen<(VirtAuditVariantInfo Variant, byte[] Payload)> AnyPayload => s_anyPayload.Value;

    private static readonly Lazy<Gen<(VirtAuditVariantInfo, byte[])>> s_anyPayload = new(() => Gen.OneOf(VariantTypes
        .Select(t => (Gen<(VirtAuditVariantInfo, byte[])>)typeof(VariantGen).GetMethod(nameof(PayloadOf), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(t).Invoke(null, null)!)
        .ToArray()));

    /// <summary>Arbitrary bytes 0x00–0xFF, empty, the injection strings, and long runs.</summary>
    public static Gen<byte[]> HostileBytes { get; } = Mix<byte[]>(
        (1, Gen.Const(Array.Empty<byte>())),
        (6, Gen.Byte.Array[0, 40]),
        (3, Gen.OneOf(Injections.Select(s => Encoding.UTF8.GetBytes(s)).ToArray())),
        (1, Gen.Byte.Array[300, 2000]));

    /// <summary>A token written raw: no space, no control byte, no DEL, not empty; not ending in <c>:</c> (see <see cref="RawText"/>).</summary>
    public static Gen<byte[]> Token { get; } = Gen.Byte.Where(b => b > 0x20 && b != 0x7F).Array[1, 16].Where(b => b[^1] != ':');

    /// <summary>
    /// A raw value (vm-ctx, img-ctx, shmem and evdev path): printable bytes, spaces included. Not ending in <c>:</c>:
    /// in a variant as old as libaudit's colon-before-<c>exe</c> trailer (before libvirt 2.0,
    /// <see cref="VirtAuditVariantInfo.AcceptsColonBeforeExe"/>), a last value ending in a colon has two readings and
    /// the reader takes the colon as the trailer's (issue 12 finding 5). Younger variants draw from
    /// <see cref="RawTextAnyEnd"/> and <see cref="TokenAnyEnd"/>, where the colon is the value's.
    /// </summary>
    public static Gen<byte[]> RawText { get; } = Gen.Byte.Where(b => b >= 0x20 && b != 0x7F).Array[1, 40].Where(b => b[^1] != ':');

    /// <summary>A raw value as <see cref="RawText"/>, a colon at its end included (often: one in four).</summary>
    public static Gen<byte[]> RawTextAnyEnd { get; } = Mix<byte[]>((3, RawText), (1, RawText.Select(b => (byte[])[.. b, (byte)':'])));

    /// <summary>A token as <see cref="Token"/>, a colon at its end included (often: one in four).</summary>
    public static Gen<byte[]> TokenAnyEnd { get; } = Mix<byte[]>((3, Token), (1, Token.Select(b => (byte[])[.. b, (byte)':'])));

    /// <summary>Whether a value of <paramref name="variant"/> may end in <c>:</c> and read back whole (see <see cref="RawText"/>).</summary>
    private static bool ColonIsTheValues(Type variant) =>
        !VirtAuditRegistry.Default.Variants.Single(v => v.Name == variant.Name).AcceptsColonBeforeExe;

    private static Gen<(VirtAuditVariantInfo, byte[])> PayloadOf<T>()
        where T : struct, IVirtAuditVariant<T> => For<T>().Select(record =>
        {
            var writer = new System.Buffers.ArrayBufferWriter<byte>();
            record.WriteTo(writer);
            return (T.Variant, writer.WrittenSpan.ToArray());
        });

    /// <summary>One of <paramref name="choices"/>, by weight.</summary>
    public static Gen<T> Mix<T>(params (int Weight, IGen<T> Gen)[] choices) => Gen.Frequency(choices);

    private static Gen<object?> ValueGen(PropertyInfo property, AuditFieldAttribute field, Type variant)
    {
        Type type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type == typeof(AuditText))
        {
            return TextGen(field, variant).Select(bytes => (object?)AuditText.FromUtf8(bytes));
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(AuditEnum<>))
        {
            return EnumGen(type, ColonIsTheValues(variant) ? TokenAnyEnd : Token);
        }

        if (type == typeof(long))
        {
            return Mix<long>((1, Gen.OneOf(long.MinValue, long.MaxValue, 0L, -1L, 1L)), (2, Gen.Long)).Select(v => (object?)v);
        }

        if (type == typeof(ulong))
        {
            return Mix<ulong>((1, Gen.OneOf(ulong.MaxValue, 0UL, 1UL)), (2, Gen.ULong)).Select(v => (object?)v);
        }

        if (type == typeof(byte))
        {
            return Gen.Byte.Select(v => (object?)v);
        }

        if (type == typeof(Guid))
        {
            return Gen.Guid.Select(v => (object?)v);
        }

        if (type == typeof(MacAddress))
        {
            return Gen.Byte.Array[6].Select(b => (object?)new MacAddress(b));
        }

        if (type == typeof(DeviceNumber))
        {
            var part = Mix<uint>((1, Gen.OneOf(0U, uint.MaxValue, 0xFFFU, 0xFFFFFU)), (2, Gen.UInt));
            return Gen.Select(part, part, (major, minor) => (object?)new DeviceNumber(major, minor));
        }

        throw new NotSupportedException($"{variant.Name}.{property.Name}: no generator for {type}; add one to VariantGen");
    }

    private static Gen<byte[]> TextGen(AuditFieldAttribute field, Type variant)
    {
        if (field.Pattern is { } pattern)
        {
            return Gen.Int.Select(seed => Encoding.UTF8.GetBytes(PatternSampler.Sample(pattern, new Random(seed))));
        }

        if (field.PatternsByValue is { } byValue)
        {
            // one of the patterns at random; IsValid keeps the records whose PatternField value matches
            string[] patterns = byValue.Split('\n').Select(line => line.Substring(line.IndexOf('=') + 1)).ToArray();
            return Gen.Select(Gen.Int[0, patterns.Length - 1], Gen.Int, (which, seed) =>
                Encoding.UTF8.GetBytes(PatternSampler.Sample(patterns[which], new Random(seed))));
        }

        bool colon = ColonIsTheValues(variant);
        if (field.Token)
        {
            return colon ? TokenAnyEnd : Token;
        }

        return field.Raw ? (colon ? RawTextAnyEnd : RawText) : HostileBytes;
    }

    private static Gen<object?> EnumGen(Type auditEnum, Gen<byte[]> token)
    {
        Type enumType = auditEnum.GetGenericArguments()[0];
        object?[] known = enumType.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.GetCustomAttribute<AuditValueAttribute>() is not null)
            .Select(f => auditEnum.GetMethod("op_Implicit", new[] { enumType })!.Invoke(null, new[] { f.GetValue(null) }))
            .ToArray();
        MethodInfo fromText = auditEnum.GetMethod("FromText")!;
        Gen<object?> unknown = token.Select(bytes => fromText.Invoke(null, new object[] { AuditText.FromUtf8(bytes) }));
        return Mix<object?>((4, Gen.OneOf(known)), (1, unknown));
    }
}
