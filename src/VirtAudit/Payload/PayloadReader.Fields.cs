using System;

namespace VirtAudit.CompilerServices;

// Field finding and token bounds: one field finder (IndexOfField) serves key lookup and the end of raw values.
public ref partial struct PayloadReader
{
    private bool TryBegin(ReadOnlySpan<byte> key, out int valueStart)
    {
        _key = key;
        if (!IsNext(key))
        {
            valueStart = 0;
            return false;
        }

        valueStart = Position + (Position > 0 ? 1 : 0) + key.Length + 1;
        return true;
    }

    /// <summary>The offset of the first field <c>key=</c> of the payload (at the start or after a space), or -1.</summary>
    private readonly int FindKey(scoped ReadOnlySpan<byte> key) => IndexOfField(_payload.Span, key);

    /// <summary>The offset of the first field <c>key=</c> of <paramref name="payload"/> (at the start or after a space), or -1.</summary>
    internal static int IndexOfField(ReadOnlySpan<byte> payload, scoped ReadOnlySpan<byte> key) => IndexOfField(payload, 0, key);

    /// <summary>
    /// The offset of the first field <c>key=</c> of <paramref name="payload"/> at or after <paramref name="from"/> (at
    /// the start of the payload or after a space), or -1. The one field finder of the reader.
    /// </summary>
    private static int IndexOfField(ReadOnlySpan<byte> payload, int from, scoped ReadOnlySpan<byte> key)
    {
        while (!key.IsEmpty && from < payload.Length)
        {
            int found = payload.Slice(from).IndexOf(key);
            if (found < 0)
            {
                return -1;
            }

            found += from;
            int after = found + key.Length;
            if ((found == 0 || payload[found - 1] == (byte)' ') && after < payload.Length && payload[after] == (byte)'=')
            {
                return found;
            }

            from = found + 1;
        }

        return -1;
    }

    private bool SetError(int offset, string reason)
    {
        if (Error is null)
        {
            Error = reason;
            ErrorOffset = offset;
            _errorField = _key;
        }

        return false;
    }

    private readonly int TokenEnd(int start)
    {
        int space = _payload.Span.Slice(start).IndexOf((byte)' ');
        return space < 0 ? _payload.Length : start + space;
    }

    private bool TryEncodedTokenEnd(int start, out int end)
    {
        ReadOnlySpan<byte> span = _payload.Span;
        if (start >= span.Length || span[start] != (byte)'"')
        {
            end = TokenEnd(start);
            return true;
        }

        int close = span.Slice(start + 1).IndexOf((byte)'"');
        if (close < 0)
        {
            end = 0;
            return SetError(start, "unterminated quoted value");
        }

        end = start + close + 2;
        if (end < span.Length && span[end] != (byte)' ')
        {
            return SetError(end, "expected a space after the closing quote");
        }

        return true;
    }

    /// <summary>
    /// The end of a raw value that starts at <paramref name="start"/>: the space before the last field
    /// <c>stopKey=</c> after <paramref name="start"/>, or the end of the payload. The last, as the trailer is the last
    /// <c>exe= … res=</c>: <c> stopKey=</c> text inside the raw value (libvirt prints it unescaped) stays in it, and the
    /// reading is marked ambiguous (PayloadReader.Ambiguity.cs).
    /// </summary>
    private readonly int FindStop(int start, scoped ReadOnlySpan<byte> stopKey)
    {
        // A field after start begins after a space at or after start, so at start + 1 or later.
        int found = LastIndexOfField(_payload.Span, start + 1, stopKey);
        return found < 0 ? _payload.Length : found - 1;
    }

    /// <summary>The offset of the last field <c>key=</c> of <paramref name="payload"/> at or after <paramref name="from"/> (after a space), or -1.</summary>
    private static int LastIndexOfField(ReadOnlySpan<byte> payload, int from, scoped ReadOnlySpan<byte> key)
    {
        int end = payload.Length;
        while (!key.IsEmpty && end > from)
        {
            int found = payload.Slice(from, end - from).LastIndexOf(key);
            if (found < 0)
            {
                return -1;
            }

            found += from;
            int after = found + key.Length;
            if (payload[found - 1] == (byte)' ' && after < payload.Length && payload[after] == (byte)'=')
            {
                return found;
            }

            end = found + key.Length - 1;
        }

        return -1;
    }
}
