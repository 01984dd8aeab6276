using System;

namespace VirtAudit;

/// <content>Field values as a reader shows them to people (what <c>ausearch -i</c> and auparse's interpret print).</content>
public readonly partial struct AuditLine
{
    /// <summary>The length of the value <see cref="TryGetInterpretedValue"/> writes for <paramref name="field"/>.</summary>
    /// <param name="field">A field of this line (from <see cref="Fields"/>).</param>
    /// <returns>The length in bytes.</returns>
    public int GetInterpretedValueLength(in AuditField field)
    {
        ReadOnlySpan<byte> value = field.Value.Span;
        if (field.IsEncoded)
        {
            return AuditField.GetDecodedLength(value);
        }

        if (TryFindEnrichment(field.Name.Span, out ReadOnlySpan<byte> enriched))
        {
            return AuditField.GetDecodedLength(enriched);
        }

        return IsUnsetId(field) ? Unset.Length : value.Length;
    }

    /// <summary>
    /// Writes the value of <paramref name="field"/> as a reader shows it, where this library knows how: an encoded
    /// field (<see cref="AuditField.IsEncoded"/>) decoded by its form (<c>proctitle</c>'s NUL argument separators
    /// shown as spaces, as <c>ausearch -i</c> does); a field that the ENRICHED tail interprets (<c>uid</c> →
    /// <c>UID="root"</c>, <c>syscall</c> → <c>SYSCALL=openat</c>) as the tail gives it; a user id, group id or session
    /// of 4294967295 as <c>unset</c>; any other value raw. Lookups that need the logging host's tables (user names of
    /// a RAW line, syscall and errno names, flags) are not made.
    /// </summary>
    /// <param name="field">A field of this line (from <see cref="Fields"/>).</param>
    /// <param name="destination">Where to write the value.</param>
    /// <param name="bytesWritten">The number of bytes written; 0 when the destination is too small.</param>
    /// <returns>False when the destination is too small.</returns>
    public bool TryGetInterpretedValue(in AuditField field, Span<byte> destination, out int bytesWritten)
    {
        ReadOnlySpan<byte> value = field.Value.Span;
        if (field.IsEncoded)
        {
            if (!AuditField.TryDecode(value, destination, out bytesWritten))
            {
                return false;
            }

            if (field.NameEquals("proctitle"u8))
            {
                destination.Slice(0, bytesWritten).Replace((byte)0, (byte)' ');
            }

            return true;
        }

        if (TryFindEnrichment(field.Name.Span, out ReadOnlySpan<byte> enriched))
        {
            return AuditField.TryDecode(enriched, destination, out bytesWritten);
        }

        ReadOnlySpan<byte> shown = IsUnsetId(field) ? Unset : value;
        if (!shown.TryCopyTo(destination))
        {
            bytesWritten = 0;
            return false;
        }

        bytesWritten = shown.Length;
        return true;
    }

    private static ReadOnlySpan<byte> Unset => "unset"u8;

    private static bool IsUnsetId(in AuditField field) =>
        field.Value.Span.SequenceEqual("4294967295"u8) && AuditFieldNames.IsId(field.Name.Span);

    // The first NAME=value of the ENRICHED tail whose NAME is `name` in upper case.
    private bool TryFindEnrichment(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (!HasEnrichment || name.IsEmpty)
        {
            return false;
        }

        foreach (AuditField pair in EnrichmentFields)
        {
            ReadOnlySpan<byte> upper = pair.Name.Span;
            if (upper.Length != name.Length)
            {
                continue;
            }

            bool equal = true;
            for (int i = 0; i < upper.Length && equal; i++)
            {
                byte b = name[i];
                equal = upper[i] == (b is >= (byte)'a' and <= (byte)'z' ? (byte)(b - 32) : b);
            }

            if (equal)
            {
                value = pair.Value.Span;
                return true;
            }
        }

        return false;
    }
}
