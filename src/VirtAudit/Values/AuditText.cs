using System;
using System.Buffers;
using System.Text;

using VirtAudit.Schema;
using VirtAudit.CompilerServices;

namespace VirtAudit;

/// <summary>
/// One text value of a payload. Either constructed from a <see cref="string"/> or UTF-8 bytes (the emitting side), or
/// a slice of the parsed input (the parsing side: no copy, decoded only on request).
/// </summary>
/// <remarks>
/// <para>
/// The payload format cannot tell a value of exactly <c>?</c> from a missing one (libvirt prints <c>?</c> for
/// NULL), so a value of <c>?</c> is absent, whatever its form or origin, with one exception: a required encoded
/// field that libvirt always writes with a value (<c>vm</c>, read with <see cref="PayloadReader.TryReadEncodedText"/>)
/// holds the text <c>?</c> when it says <c>"?"</c>.
/// </para>
/// <para>Equality compares decoded values; an absent value equals only an absent value.</para>
/// </remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(Json.AuditTextJsonConverter))]
public readonly struct AuditText : IEquatable<AuditText>
{
    private const byte KindAbsent = 0;
    private const byte KindString = 1;
    private const byte KindUtf8 = 2;
    private const byte KindToken = 3;
    private const int ScratchSize = 256;

    private readonly string? _string;

    // KindUtf8: the value; KindToken (and an absent value that was parsed): the token as read.
    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly byte _kind;
    private readonly AuditValueForm _form;

    private AuditText(byte kind, string? text, ReadOnlyMemory<byte> bytes, AuditValueForm form)
    {
        _kind = kind;
        _string = text;
        _bytes = bytes;
        _form = form;
    }

    /// <summary>The absent value: written as <c>"?"</c> in an encoded field and <c>?</c> in a raw one.</summary>
    public static AuditText Absent => default;

    /// <summary>Whether the value is absent (<c>"?"</c> / <c>?</c> in the payload, or <see langword="null"/>).</summary>
    public bool IsAbsent => _kind == KindAbsent;

    /// <summary>The form of the parsed token; <see cref="AuditValueForm.None"/> for a constructed value.</summary>
    public AuditValueForm Form => _form;

    /// <summary>The token as read from the payload (without the key); empty for a constructed value.</summary>
    public ReadOnlyMemory<byte> Token => _form == AuditValueForm.None ? ReadOnlyMemory<byte>.Empty : _bytes;

    /// <summary>
    /// Whether writing this value encoded reproduces its parsed token byte for byte, i.e. the token is exactly what
    /// spec §4.1 writes for its decoded value. Always <see langword="true"/> for a constructed value.
    /// </summary>
    public bool IsCanonicalEncoded => _form switch
    {
        AuditValueForm.None => true,
        AuditValueForm.Quoted => !AuditEncoding.NeedsEncoding(_bytes.Span.Slice(1, _bytes.Length - 2)),
        AuditValueForm.Hex => AuditEncoding.HexValueNeedsEncoding(_bytes.Span),
        _ => false,
    };

    /// <summary>
    /// Whether the value can be written raw on one line: it has no byte below 0x20 and no DEL. An absent value can
    /// (it is written as <c>?</c>).
    /// </summary>
    public bool CanWriteRaw
    {
        get
        {
            if (IsAbsent)
            {
                return true;
            }

            if (_kind == KindString)
            {
                return ValueGrammar.IsRaw(_string.AsSpan());
            }

            Span<byte> scratch = stackalloc byte[ScratchSize];
            using DecodedValue decoded = Decode(scratch);
            return ValueGrammar.IsRaw(decoded.Span);
        }
    }

    /// <summary>
    /// Whether the value can be written as one raw token (an enum value, a <c>class=</c> word): it is not empty and
    /// has no space, no byte below 0x20 and no DEL. An absent value can (it is written as <c>?</c>).
    /// </summary>
    public bool CanWriteAsToken
    {
        get
        {
            if (IsAbsent)
            {
                return true;
            }

            if (_kind == KindString)
            {
                return ValueGrammar.IsToken(_string.AsSpan());
            }

            Span<byte> scratch = stackalloc byte[ScratchSize];
            using DecodedValue decoded = Decode(scratch);
            return ValueGrammar.IsToken(decoded.Span);
        }
    }

    /// <summary>The decoded value as a string (allocates); <see langword="null"/> when absent.</summary>
    public string? Value
    {
        get
        {
            if (IsAbsent)
            {
                return null;
            }

            if (_kind == KindString)
            {
                return _string;
            }

            Span<byte> scratch = stackalloc byte[ScratchSize];
            using DecodedValue decoded = Decode(scratch);
            return Encoding.UTF8.GetString(decoded.Span);
        }
    }

    /// <summary>A value from a string; <see langword="null"/> and <c>?</c> give <see cref="Absent"/>.</summary>
    /// <param name="value">The text.</param>
    public static implicit operator AuditText(string? value) =>
        value is null || value == "?" ? default : new AuditText(KindString, value, default, AuditValueForm.None);

    /// <summary>Compares decoded values.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(AuditText left, AuditText right) => left.Equals(right);

    /// <summary>Compares decoded values.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(AuditText left, AuditText right) => !left.Equals(right);

    /// <summary>A value from UTF-8 bytes (not copied); <c>?</c> gives <see cref="Absent"/>.</summary>
    /// <param name="utf8">The value's bytes.</param>
    /// <returns>The value.</returns>
    public static AuditText FromUtf8(ReadOnlyMemory<byte> utf8) =>
        utf8.Span.SequenceEqual("?"u8) ? default : new AuditText(KindUtf8, null, utf8, AuditValueForm.None);

    /// <summary>
    /// The value of an encoded (E) field's token as read, in any form (spec §4.4); <c>"?"</c> and bare <c>?</c> are
    /// absent. The token is not copied.
    /// </summary>
    /// <param name="token">The token after <c>key=</c>.</param>
    /// <returns>The value.</returns>
    public static AuditText FromEncodedToken(ReadOnlyMemory<byte> token)
    {
        ReadOnlySpan<byte> span = token.Span;
        AuditValueForm form = AuditEncoding.Classify(span);
        bool absent = form == AuditValueForm.Hex
            ? span.SequenceEqual("3F"u8)
            : AuditEncoding.Unwrap(span, form).SequenceEqual("?"u8);
        return new AuditText(absent ? KindAbsent : KindToken, null, token, form);
    }

    /// <summary>
    /// The value of the token of an encoded (E) field that is never absent (see
    /// <see cref="PayloadReader.TryReadEncodedText"/>): <c>"?"</c> is the text <c>?</c>. Not copied.
    /// </summary>
    internal static AuditText FromEncodedTextToken(ReadOnlyMemory<byte> token) =>
        new(KindToken, null, token, AuditEncoding.Classify(token.Span));

    /// <summary>The value of a raw (R) field's token as read: the token as is; <c>?</c> is absent. Not copied.</summary>
    /// <param name="token">The token after <c>key=</c>.</param>
    /// <returns>The value, of form <see cref="AuditValueForm.Bare"/>.</returns>
    public static AuditText FromRawToken(ReadOnlyMemory<byte> token) =>
        new(token.Span.SequenceEqual("?"u8) ? KindAbsent : KindToken, null, token, AuditValueForm.Bare);

    /// <summary>The length of the decoded value in bytes (UTF-8); 0 when absent.</summary>
    /// <returns>The length.</returns>
    public int GetDecodedLength() => _kind switch
    {
        KindString => Encoding.UTF8.GetByteCount(_string!),
        KindUtf8 => _bytes.Length,
        KindToken when _form == AuditValueForm.Hex => _bytes.Length / 2,
        KindToken => AuditEncoding.Unwrap(_bytes.Span, _form).Length,
        _ => 0,
    };

    /// <summary>Writes the decoded value (UTF-8); nothing when absent.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="bytesWritten">The number of bytes written.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    public bool TryDecode(Span<byte> destination, out int bytesWritten)
    {
        switch (_kind)
        {
            case KindString:
                if (Encoding.UTF8.TryGetBytes(_string, destination, out bytesWritten))
                {
                    return true;
                }

                bytesWritten = 0;
                return false;
            case KindUtf8:
                bytesWritten = 0;
                if (!_bytes.Span.TryCopyTo(destination))
                {
                    return false;
                }

                bytesWritten = _bytes.Length;
                return true;
            case KindToken:
                return AuditEncoding.TryDecode(_bytes.Span, _form, destination, out bytesWritten);
            default:
                bytesWritten = 0;
                return true;
        }
    }

    /// <summary>Whether the decoded value equals <paramref name="utf8"/>; always <see langword="false"/> when absent.</summary>
    /// <param name="utf8">The text to compare with.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public bool ValueEquals(ReadOnlySpan<byte> utf8)
    {
        if (IsAbsent)
        {
            return false;
        }

        Span<byte> scratch = stackalloc byte[ScratchSize];
        using DecodedValue decoded = Decode(scratch);
        return decoded.Span.SequenceEqual(utf8);
    }

    /// <summary>The length <see cref="TryWriteEncoded"/> writes.</summary>
    /// <returns>The length in bytes.</returns>
    public int GetEncodedLength()
    {
        switch (_kind)
        {
            case KindAbsent:
                return 3;
            case KindString:
                return StringNeedsEncoding(_string!) ? 2 * Encoding.UTF8.GetByteCount(_string!) : _string!.Length + 2;
            case KindUtf8:
                return AuditEncoding.GetEncodedLength(_bytes.Span);
            default:
                if (IsCanonicalEncoded)
                {
                    return _bytes.Length;
                }

                return _form == AuditValueForm.Hex
                    ? (_bytes.Length / 2) + 2
                    : AuditEncoding.GetEncodedLength(AuditEncoding.Unwrap(_bytes.Span, _form));
        }
    }

    /// <summary>
    /// Writes the value as libvirt's <c>virAuditEncode</c> does (spec §4.1, without the key): <c>"value"</c> or
    /// upper-case hex, <c>"?"</c> when absent. A parsed token that is already canonical is copied as is.
    /// </summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="bytesWritten">The number of bytes written; 0 when the destination is too small.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    public bool TryWriteEncoded(Span<byte> destination, out int bytesWritten)
    {
        switch (_kind)
        {
            case KindAbsent:
                return TryCopy("\"?\""u8, destination, out bytesWritten);
            case KindString:
                return TryWriteEncodedString(_string!, destination, out bytesWritten);
            case KindUtf8:
                return AuditEncoding.TryEncode(_bytes.Span, destination, out bytesWritten);
        }

        ReadOnlySpan<byte> token = _bytes.Span;
        if (IsCanonicalEncoded)
        {
            return TryCopy(token, destination, out bytesWritten);
        }

        if (_form != AuditValueForm.Hex)
        {
            return AuditEncoding.TryEncode(AuditEncoding.Unwrap(token, _form), destination, out bytesWritten);
        }

        // Hex for a value that needs no encoding: quote the decoded bytes.
        int length = token.Length / 2;
        if (destination.Length < length + 2)
        {
            bytesWritten = 0;
            return false;
        }

        destination[0] = (byte)'"';
        AuditEncoding.TryDecodeHex(token, destination.Slice(1), out _);
        destination[length + 1] = (byte)'"';
        bytesWritten = length + 2;
        return true;
    }

    /// <summary>The length <see cref="TryWriteRaw"/> writes.</summary>
    /// <returns>The length in bytes.</returns>
    public int GetRawLength() => IsAbsent ? 1 : GetDecodedLength();

    /// <summary>Writes the decoded value as is (a raw field), <c>?</c> when absent.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="bytesWritten">The number of bytes written; 0 when the destination is too small.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    public bool TryWriteRaw(Span<byte> destination, out int bytesWritten) =>
        IsAbsent ? TryCopy("?"u8, destination, out bytesWritten) : TryDecode(destination, out bytesWritten);

    /// <summary>Compares decoded values; an absent value equals only an absent value.</summary>
    /// <param name="other">The other value.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public bool Equals(AuditText other)
    {
        if (IsAbsent || other.IsAbsent)
        {
            return IsAbsent && other.IsAbsent;
        }

        Span<byte> scratch = stackalloc byte[ScratchSize];
        using DecodedValue decoded = Decode(scratch);
        return other.ValueEquals(decoded.Span);
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is AuditText other && Equals(other);

    /// <summary>A hash of the decoded value.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode()
    {
        if (IsAbsent)
        {
            return 0;
        }

        Span<byte> scratch = stackalloc byte[ScratchSize];
        using DecodedValue decoded = Decode(scratch);
        HashCode hash = default;
        hash.AddBytes(decoded.Span);
        return hash.ToHashCode();
    }

    /// <summary>The decoded value, or <c>?</c> when absent (allocates).</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Value ?? "?";

    /// <summary>The decoded value, without copying when it is a contiguous slice of the bytes held.</summary>
    internal DecodedValue Decode(Span<byte> scratch)
    {
        if (_kind == KindUtf8)
        {
            return new DecodedValue(_bytes.Span, null);
        }

        if (_kind == KindToken && _form != AuditValueForm.Hex)
        {
            return new DecodedValue(AuditEncoding.Unwrap(_bytes.Span, _form), null);
        }

        int length = GetDecodedLength();
        byte[]? rented = null;
        Span<byte> buffer = length <= scratch.Length ? scratch : (rented = ArrayPool<byte>.Shared.Rent(length));
        TryDecode(buffer, out int written);
        return new DecodedValue(buffer.Slice(0, written), rented);
    }

    // The chars libvirt writes inside quotes: printable ASCII but '"'. Anything else (a space, a control char, DEL,
    // non-ASCII, which becomes UTF-8 bytes >= 0x80) makes the whole value hex (spec §4.1).
    private static readonly SearchValues<char> s_quotable = SearchValues.Create(
        "!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private static bool StringNeedsEncoding(string value) => value.AsSpan().IndexOfAnyExcept(s_quotable) >= 0;

    private static bool TryWriteEncodedString(string value, Span<byte> destination, out int bytesWritten)
    {
        // One vectorized scan decides the form; a quotable value is ASCII, so its UTF-8 is a narrowing copy.
        if (!StringNeedsEncoding(value))
        {
            int count = value.Length;
            if (destination.Length < count + 2)
            {
                bytesWritten = 0;
                return false;
            }

            destination[0] = (byte)'"';
            Ascii.FromUtf16(value, destination.Slice(1, count), out _);
            destination[count + 1] = (byte)'"';
            bytesWritten = count + 2;
            return true;
        }

        int length = Encoding.UTF8.GetByteCount(value);
        if (destination.Length < 2 * length)
        {
            bytesWritten = 0;
            return false;
        }

        // Transcode into the upper half, then expand to hex in place.
        Encoding.UTF8.GetBytes(value, destination.Slice(length, length));
        return AuditEncoding.TryWriteHex(destination.Slice(length, length), destination, out bytesWritten);
    }

    private static bool TryCopy(ReadOnlySpan<byte> source, Span<byte> destination, out int bytesWritten)
    {
        if (source.TryCopyTo(destination))
        {
            bytesWritten = source.Length;
            return true;
        }

        bytesWritten = 0;
        return false;
    }

    /// <summary>A decoded value, possibly in a rented buffer that <see cref="Dispose"/> returns.</summary>
    internal ref struct DecodedValue
    {
        private byte[]? _rented;

        public DecodedValue(ReadOnlySpan<byte> span, byte[]? rented)
        {
            Span = span;
            _rented = rented;
        }

        /// <summary>The decoded bytes.</summary>
        public ReadOnlySpan<byte> Span { get; }

        /// <summary>Returns the rented buffer, if any.</summary>
        public void Dispose()
        {
            if (_rented is not null)
            {
                ArrayPool<byte>.Shared.Return(_rented);
                _rented = null;
            }
        }
    }
}
