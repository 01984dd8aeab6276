using System;

namespace VirtAudit;

/// <summary>
/// Enumerates the fields of a record body without allocating, in order and with duplicates: words are split on
/// spaces, and words without <c>=</c> continue the value before them. For a user-space message it yields the kernel
/// header's fields, then the fields inside <c>msg='…'</c> (marked <see cref="AuditField.IsInner"/>), and nothing of
/// the ENRICHED tail. Values are raw (see <see cref="AuditField.TryDecode"/>). Use it with <c>foreach</c>.
/// </summary>
public struct AuditFieldEnumerator
{
    private readonly ReadOnlyMemory<byte> _source;
    private readonly int _innerStart;
    private readonly int _innerEnd;
    private int _position;
    private int _end;
    private bool _inner;
    private AuditField _current;

    /// <summary>Enumerates the fields of a record body, such as <see cref="AuditLine.Body"/>.</summary>
    /// <param name="body">The body; anything from a 0x1D byte on (an ENRICHED tail) is ignored.</param>
    public AuditFieldEnumerator(ReadOnlyMemory<byte> body)
    {
        ReadOnlySpan<byte> span = body.Span;
        int separator = LineSyntax.FindEnrichmentSeparator(span);
        int end = separator < 0 ? span.Length : separator;
        _source = body;
        _position = 0;
        _inner = false;
        _current = default;
        if (LineSyntax.TrySplitUserMessage(span.Slice(0, end), out int headerLength, out int messageStart, out int messageEnd, out _))
        {
            _end = headerLength;
            _innerStart = messageStart;
            _innerEnd = messageEnd;
        }
        else
        {
            _end = end;
            _innerStart = -1;
            _innerEnd = -1;
        }
    }

    internal AuditFieldEnumerator(ReadOnlyMemory<byte> source, int outerStart, int outerEnd, int innerStart, int innerEnd)
    {
        _source = source;
        _position = outerStart;
        _end = outerEnd;
        _innerStart = innerStart;
        _innerEnd = innerEnd;
        _inner = false;
        _current = default;
    }

    /// <summary>The field at the current position.</summary>
    public readonly AuditField Current => _current;

    /// <summary>Returns this enumerator, for <c>foreach</c>.</summary>
    /// <returns>A copy of this enumerator.</returns>
    public readonly AuditFieldEnumerator GetEnumerator() => this;

    /// <summary>Moves to the next field.</summary>
    /// <returns>False when there are no more fields.</returns>
    public bool MoveNext()
    {
        ReadOnlySpan<byte> text = _source.Span;
        while (true)
        {
            _position = LineSyntax.SkipSpaces(text, _position, _end);
            if (_position < _end)
            {
                break;
            }

            if (_inner || _innerStart < 0)
            {
                _current = default;
                return false;
            }

            _inner = true;
            _position = _innerStart;
            _end = _innerEnd;
        }

        int start = _position;
        int fieldEnd = LineSyntax.ReadField(text, start, _end, braces: false, out int equals);
        _position = fieldEnd;
        _current = equals < 0
            ? new AuditField(default, _source.Slice(start, fieldEnd - start), _inner)
            : new AuditField(_source.Slice(start, equals - start), _source.Slice(equals + 1, fieldEnd - equals - 1), _inner);
        return true;
    }
}
