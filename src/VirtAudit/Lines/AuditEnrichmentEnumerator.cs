using System;

namespace VirtAudit;

/// <summary>
/// Enumerates the <c>NAME=value</c> pairs of an ENRICHED tail (spec §3.4; the bytes after 0x1D) without allocating,
/// in order. Values are raw: <c>"root"</c> keeps its quotes, and a <c>SADDR={ … }</c> value runs to its <c>}</c>.
/// Use it with <c>foreach</c>.
/// </summary>
public struct AuditEnrichmentEnumerator
{
    private readonly ReadOnlyMemory<byte> _enrichment;
    private int _position;
    private AuditField _current;

    /// <summary>Enumerates the pairs of an ENRICHED tail, such as <see cref="AuditLine.Enrichment"/>.</summary>
    /// <param name="enrichment">The bytes after the 0x1D separator.</param>
    public AuditEnrichmentEnumerator(ReadOnlyMemory<byte> enrichment)
    {
        _enrichment = enrichment;
        _position = 0;
        _current = default;
    }

    /// <summary>The pair at the current position.</summary>
    public readonly AuditField Current => _current;

    /// <summary>Returns this enumerator, for <c>foreach</c>.</summary>
    /// <returns>A copy of this enumerator.</returns>
    public readonly AuditEnrichmentEnumerator GetEnumerator() => this;

    /// <summary>Moves to the next pair.</summary>
    /// <returns>False when there are no more pairs.</returns>
    public bool MoveNext()
    {
        ReadOnlySpan<byte> text = _enrichment.Span;
        int end = text.Length;
        _position = LineSyntax.SkipSpaces(text, _position, end);
        if (_position >= end)
        {
            _current = default;
            return false;
        }

        int start = _position;
        int fieldEnd = LineSyntax.ReadField(text, start, end, braces: true, out int equals);
        _position = fieldEnd;
        _current = equals < 0
            ? new AuditField(default, _enrichment.Slice(start, fieldEnd - start), false)
            : new AuditField(_enrichment.Slice(start, equals - start), _enrichment.Slice(equals + 1, fieldEnd - equals - 1), false);
        return true;
    }
}
