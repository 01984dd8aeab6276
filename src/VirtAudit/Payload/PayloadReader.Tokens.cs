using System;
using System.Buffers.Text;

namespace VirtAudit.CompilerServices;

// Token parsers and legacy flags: the scalar parsers behind the typed reads, and non-canonical spellings flagged as LegacyShape.
public ref partial struct PayloadReader
{
    /// <summary>What a <c>?</c> is in an encoded field.</summary>
    private enum QuestionMark : byte
    {
        /// <summary><c>"?"</c> is absent; a bare <c>?</c> too, flagged <see cref="LegacyShape.BareValue"/>.</summary>
        Absent,

        /// <summary><c>"?"</c> and a bare <c>?</c> are absent; libvirt writes both.</summary>
        AbsentQuotedOrBare,

        /// <summary><c>"?"</c> is the text <c>?</c>; a bare <c>?</c> is a bare value (an error).</summary>
        Text,
    }

    /// <summary>Parses the token between two offsets of the payload (and may flag a non-canonical spelling).</summary>
    private delegate bool TokenParser<T>(ref PayloadReader reader, int start, int end, out T value);

    private static readonly TokenParser<long> ParseInt64 = static (ref PayloadReader r, int start, int end, out long value) => r.TryParseInt64(start, end, out value);

    private static readonly TokenParser<ulong> ParseUInt64 = static (ref PayloadReader r, int start, int end, out ulong value) => r.TryParseUInt64(start, end, out value);

    private static readonly TokenParser<Guid> ParseUuid = static (ref PayloadReader r, int start, int end, out Guid value) => r.TryParseUuid(start, end, out value);

    private static readonly TokenParser<byte> ParseHexByte = static (ref PayloadReader r, int start, int end, out byte value) => r.TryParseHexByte(start, end, out value);

    /// <summary>Reads <c>key=token</c> with <paramref name="parse"/>; an error naming <paramref name="expected"/> when it does not parse.</summary>
    private bool TryReadScalar<T>(ReadOnlySpan<byte> key, TokenParser<T> parse, string expected, out T value)
        where T : struct
    {
        value = default;
        if (!TryBegin(key, out int start))
        {
            return false;
        }

        int end = TokenEnd(start);
        if (!parse(ref this, start, end, out value))
        {
            return SetError(start, expected);
        }

        Position = end;
        return true;
    }

    /// <summary>As <see cref="TryReadScalar{T}"/>, where a bare <c>?</c> reads as <see langword="null"/>.</summary>
    private bool TryReadNullable<T>(ReadOnlySpan<byte> key, TokenParser<T> parse, string expected, out T? value)
        where T : struct
    {
        value = null;
        if (!TryBegin(key, out int start))
        {
            return false;
        }

        int end = TokenEnd(start);
        if (!IsQuestionMark(start, end))
        {
            if (!parse(ref this, start, end, out T parsed))
            {
                return SetError(start, expected);
            }

            value = parsed;
        }

        Position = end;
        return true;
    }

    private readonly bool IsQuestionMark(int start, int end) => end - start == 1 && _payload.Span[start] == (byte)'?';

    private bool TryParseInt64(int start, int end, out long value)
    {
        ReadOnlySpan<byte> token = _payload.Span.Slice(start, end - start);
        if (!Utf8Parser.TryParse(token, out value, out int consumed) || consumed != token.Length)
        {
            return false;
        }

        FlagIfNotCanonicalDecimal(token);
        return true;
    }

    private bool TryParseUInt64(int start, int end, out ulong value)
    {
        ReadOnlySpan<byte> token = _payload.Span.Slice(start, end - start);
        if (!Utf8Parser.TryParse(token, out value, out int consumed) || consumed != token.Length)
        {
            return false;
        }

        FlagIfNotCanonicalDecimal(token);
        return true;
    }

    private bool TryParseUuid(int start, int end, out Guid value)
    {
        ReadOnlySpan<byte> token = _payload.Span.Slice(start, end - start);
        if (token.Length != 36 || !Utf8Parser.TryParse(token, out value, out int consumed, 'D') || consumed != 36)
        {
            value = default;
            return false;
        }

        if (HasUpperHexLetter(token))
        {
            Legacy |= LegacyShape.NonCanonicalEncoding;
        }

        return true;
    }

    private bool TryParseHexByte(int start, int end, out byte value)
    {
        ReadOnlySpan<byte> token = _payload.Span.Slice(start, end - start);
        value = 0;
        if (token.IsEmpty || token.Length > 2)
        {
            return false;
        }

        int result = 0;
        foreach (byte b in token)
        {
            int digit = AuditEncoding.HexValue(b);
            if (digit < 0)
            {
                return false;
            }

            result = (result << 4) | digit;
        }

        value = (byte)result;
        Span<byte> canonical = stackalloc byte[2];
        canonical[0] = AuditEncoding.UpperHexDigit(value >> 4);
        canonical[1] = AuditEncoding.UpperHexDigit(value);
        FlagIfDifferent(token, canonical);
        return true;
    }

    // A decimal the parser took (a non-empty token) is spelled as Utf8Formatter writes its value unless it has a '+',
    // a leading zero, or is a negative zero: checked in place instead of formatting the value again.
    private void FlagIfNotCanonicalDecimal(ReadOnlySpan<byte> token)
    {
        var digits = token[0] == (byte)'-' ? token.Slice(1) : token;
        if (token[0] == (byte)'+' || (digits[0] == (byte)'0' && (digits.Length > 1 || digits.Length != token.Length)))
        {
            Legacy |= LegacyShape.NonCanonicalEncoding;
        }
    }

    private void FlagIfDifferent(scoped ReadOnlySpan<byte> token, scoped ReadOnlySpan<byte> canonical)
    {
        if (!token.SequenceEqual(canonical))
        {
            Legacy |= LegacyShape.NonCanonicalEncoding;
        }
    }
}
