using System;
using System.ComponentModel;
using VirtAudit.Schema;

namespace VirtAudit.CompilerServices;

/// <summary>
/// Value checks the generated <c>IsValid</c> calls, with the grammar the analyzer judges constants with
/// (<c>ValueGrammar</c>, one source file compiled into both). Not for use in your code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GeneratedValidation
{
    /// <summary>
    /// Whether <paramref name="value"/>'s decoded text matches <paramref name="pattern"/> (a schema <c>pattern</c>,
    /// UTF-8); an absent value matches.
    /// </summary>
    /// <param name="value">The field's value.</param>
    /// <param name="pattern">The pattern, as in the field's <c>[AuditField(Pattern = …)]</c>.</param>
    /// <returns><see langword="true"/> when it matches or is absent.</returns>
    public static bool Matches(AuditText value, ReadOnlySpan<byte> pattern)
    {
        if (value.IsAbsent)
        {
            return true;
        }

        Span<byte> scratch = stackalloc byte[256];
        using AuditText.DecodedValue decoded = value.Decode(scratch);
        return ValueGrammar.IsMatch(pattern, decoded.Span);
    }
}
