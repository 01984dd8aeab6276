using System;

namespace VirtAudit;

/// <summary>
/// Where a reader keeps the typed struct of the record it typed last, one holder per variant, so that
/// <see cref="VirtAuditRecord.TryGet{T}"/> and <see cref="VirtAuditRecord.TryReencode"/> use the struct the registry
/// built instead of parsing the payload again. A holder is allocated the first time its variant is seen, then reused:
/// typing allocates nothing per record.
/// </summary>
/// <remarks>
/// A <see cref="VirtAuditRecord"/> keeps its holder and the holder's <see cref="ParsedRecord.Version"/> at the time it
/// was typed; a copy kept after the next record of the same variant sees another version and parses its own payload
/// again (as a record without a store does).
/// </remarks>
internal sealed class ParsedRecords
{
    private ParsedRecord?[] _byVariant = new ParsedRecord?[32];

    public ParsedRecord<T> For<T>(int variantId)
        where T : struct
    {
        if ((uint)variantId >= (uint)_byVariant.Length)
        {
            Array.Resize(ref _byVariant, Math.Max(variantId + 1, _byVariant.Length * 2));
        }

        return _byVariant[variantId] as ParsedRecord<T> ?? Create<T>(variantId);
    }

    private ParsedRecord<T> Create<T>(int variantId)
        where T : struct
    {
        var holder = new ParsedRecord<T>();
        _byVariant[variantId] = holder;
        return holder;
    }
}

/// <summary>A holder of one variant's last typed record (see <see cref="ParsedRecords"/>).</summary>
internal abstract class ParsedRecord
{
    /// <summary>Changes every time the holder is filled again.</summary>
    public long Version;
}

/// <summary>The holder of a <typeparamref name="T"/>.</summary>
internal sealed class ParsedRecord<T> : ParsedRecord
    where T : struct
{
    public T Value;
}
