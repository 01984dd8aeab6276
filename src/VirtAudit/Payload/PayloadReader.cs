using System;
using System.ComponentModel;
using System.Buffers.Text;
using System.Text;

namespace VirtAudit.CompilerServices;

/// <summary>
/// Reads the fields of the libvirt part of a payload (the trailer already cut off, see
/// <see cref="AuditTrailer.TrySplit"/>) in order, without allocating. Used by generated parsers.
/// </summary>
/// <remarks>
/// <para>
/// Fields are <c>key=value</c>, separated by exactly one space; the first has no leading space. Every
/// <c>TryRead*</c> first checks that <c>key=</c> is next: if not, it returns <see langword="false"/> without moving
/// and without recording an error. If the key is next but its value is malformed, it records an error
/// (<see cref="Error"/>, <see cref="ErrorOffset"/>, <see cref="ErrorField"/>) and returns <see langword="false"/>
/// without moving. The first error recorded is kept.
/// </para>
/// <para>
/// Keys are passed without <c>=</c> as UTF-8 literals (<c>"vm"u8</c>); the reader keeps a reference to the last
/// key asked for, so keys must live as long as the reader (literals do).
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct PayloadReader
{
    private readonly ReadOnlyMemory<byte> _payload;
    private ReadOnlySpan<byte> _key;
    private ReadOnlySpan<byte> _errorField;

    /// <summary>Creates a reader at the start of <paramref name="payload"/>.</summary>
    /// <param name="payload">The libvirt part of a payload.</param>
    public PayloadReader(ReadOnlyMemory<byte> payload)
    {
        _payload = payload;
        Position = 0;
        Legacy = LegacyShape.None;
        Error = null;
        ErrorOffset = -1;
    }

    /// <summary>The payload being read.</summary>
    public readonly ReadOnlyMemory<byte> Payload => _payload;

    /// <summary>
    /// The byte offset of the end of the last field read (0 at the start): the next field starts after one space.
    /// </summary>
    public int Position { readonly get; private set; }

    /// <summary>Whether every byte has been read.</summary>
    public readonly bool End => Position == _payload.Length;

    /// <summary>
    /// The legacy shapes seen while reading (bare, single-quoted or non-canonical values). Generated code adds the
    /// ones only it can tell (<see cref="LegacyShape.MissingField"/>, <see cref="LegacyShape.LegacyValue"/>, …).
    /// </summary>
    public LegacyShape Legacy { readonly get; set; }

    /// <summary>The first error recorded, or <see langword="null"/>.</summary>
    public string? Error { readonly get; private set; }

    /// <summary>The byte offset in the payload of the first error recorded, or -1.</summary>
    public int ErrorOffset { readonly get; private set; }

    /// <summary>The key of the field the first error is about (empty when none).</summary>
    public readonly ReadOnlySpan<byte> ErrorField => _errorField;

    /// <summary>Whether <c>key=</c> is the next field.</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <returns><see langword="true"/> when the next field has that key.</returns>
    public readonly bool IsNext(ReadOnlySpan<byte> key)
    {
        ReadOnlySpan<byte> rest = _payload.Span.Slice(Position);
        if (Position > 0)
        {
            if (rest.IsEmpty || rest[0] != (byte)' ')
            {
                return false;
            }

            rest = rest.Slice(1);
        }

        return rest.Length > key.Length && rest.StartsWith(key) && rest[key.Length] == (byte)'=';
    }

    /// <summary>
    /// Records an error about the field asked for last, at the start of the next field, and returns
    /// <see langword="false"/>. An error recorded earlier is kept.
    /// </summary>
    /// <param name="reason">What is wrong, e.g. <c>"missing"</c>.</param>
    /// <returns><see langword="false"/>.</returns>
    public bool Fail(string reason) =>
        SetError(Math.Min(Position + (Position > 0 ? 1 : 0), _payload.Length), reason);

    /// <summary>
    /// Records that the payload parsed but is not one libvirt writes (a presence rule or a constraint of the variant
    /// does not hold), and returns <see langword="false"/>. The error is about <paramref name="field"/> (an audit key,
    /// or keys joined by <c>,</c>) and sits where the payload has the first of them, else at the end. An error
    /// recorded earlier is kept.
    /// </summary>
    /// <param name="field">The key(s), without <c>=</c>, as a UTF-8 literal.</param>
    /// <param name="reason">What is wrong, naming the field.</param>
    /// <returns><see langword="false"/>.</returns>
    public bool FailValidation(ReadOnlySpan<byte> field, string reason)
    {
        _key = field;
        int comma = field.IndexOf((byte)',');
        int at = FindKey(comma < 0 ? field : field.Slice(0, comma));
        return SetError(at < 0 ? _payload.Length : at, reason);
    }

    /// <summary>An exception for the first error recorded (allocates).</summary>
    /// <returns>The exception.</returns>
    public readonly AuditFormatException ToException() => new(
        _errorField.IsEmpty ? null : Encoding.UTF8.GetString(_errorField),
        Error ?? "not a valid payload",
        ErrorOffset);

    /// <summary>Reads <c>key=value</c> where the value must be exactly <paramref name="value"/> (up to the next space).</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The expected token.</param>
    /// <returns><see langword="false"/> (without an error) when the key is not next or the value differs.</returns>
    public bool TryReadConstant(ReadOnlySpan<byte> key, scoped ReadOnlySpan<byte> value)
    {
        if (!TryBegin(key, out int start))
        {
            return false;
        }

        int end = TokenEnd(start);
        if (!_payload.Span.Slice(start, end - start).SequenceEqual(value))
        {
            return false;
        }

        Position = end;
        return true;
    }

    /// <summary>
    /// Reads an encoded (E) field: <c>"…"</c> up to the next <c>"</c>, otherwise up to the next space. Bare,
    /// single-quoted and non-canonical tokens are accepted and flagged in <see cref="Legacy"/>.
    /// </summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value (a slice of the payload).</param>
    /// <returns><see langword="true"/> when read.</returns>
    public bool TryReadEncoded(ReadOnlySpan<byte> key, out AuditText value) => TryReadEncoded(key, QuestionMark.Absent, out value);

    /// <summary>
    /// Reads an encoded (E) field for which libvirt itself writes a bare <c>?</c> when absent (<c>cgroup=?</c>, when
    /// encoding the path failed; spec §4.2): a bare <c>?</c> is absent, not flagged legacy, and keeps its form
    /// (<see cref="AuditText.Form"/> <see cref="AuditValueForm.Bare"/>) so that
    /// <see cref="PayloadWriter.WriteEncodedOrBareAbsent"/> writes it back so. Otherwise as
    /// <see cref="TryReadEncoded(ReadOnlySpan{byte}, out AuditText)"/>.
    /// </summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value (a slice of the payload).</param>
    /// <returns><see langword="true"/> when read.</returns>
    public bool TryReadEncodedOrBareAbsent(ReadOnlySpan<byte> key, out AuditText value) => TryReadEncoded(key, QuestionMark.AbsentQuotedOrBare, out value);

    /// <summary>
    /// Reads an encoded (E) field that libvirt always writes with a value (a required field such as <c>vm</c>, whose
    /// value is never NULL): <c>"?"</c> is the text <c>?</c> (a guest may be named so), not absent, and is written
    /// back as <c>"?"</c>. Otherwise as <see cref="TryReadEncoded(ReadOnlySpan{byte}, out AuditText)"/>; a bare
    /// <c>?</c> is a bare value like any other (an error).
    /// </summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value (a slice of the payload); never absent.</param>
    /// <returns><see langword="true"/> when read.</returns>
    public bool TryReadEncodedText(ReadOnlySpan<byte> key, out AuditText value) => TryReadEncoded(key, QuestionMark.Text, out value);

    private bool TryReadEncoded(ReadOnlySpan<byte> key, QuestionMark questionMark, out AuditText value)
    {
        value = default;
        if (!TryBegin(key, out int start) || !TryEncodedTokenEnd(start, out int end))
        {
            return false;
        }

        ReadOnlyMemory<byte> token = _payload.Slice(start, end - start);
        value = questionMark == QuestionMark.Text ? AuditText.FromEncodedTextToken(token) : AuditText.FromEncodedToken(token);
        switch (value.Form)
        {
            case AuditValueForm.Bare when !value.IsAbsent:
                // libaudit quotes or hex-encodes every such value; bare text is an interpreted rendering
                // (ausearch -i) or another producer, not libvirt. Only a bare `?` is libvirt's (cgroup=? on OOM).
                value = default;
                return SetError(start, "the value is neither quoted nor hex, as libaudit's encoder writes it (an interpreted rendering such as ausearch -i?)");
            case AuditValueForm.Bare when questionMark != QuestionMark.AbsentQuotedOrBare:
                Legacy |= LegacyShape.BareValue;
                break;
            case AuditValueForm.Bare:
                break;
            case AuditValueForm.SingleQuoted:
                Legacy |= LegacyShape.SingleQuotedValue;
                break;
            default:
                if (!value.IsCanonicalEncoded)
                {
                    Legacy |= LegacyShape.NonCanonicalEncoding;
                }

                break;
        }

        Position = end;
        return true;
    }

    /// <summary>
    /// Reads a raw (R) field whose value may hold spaces: it runs to the first <c> stopKey=</c>, or to the end of
    /// the payload when <paramref name="stopKey"/> is empty or not found. <c>?</c> is absent.
    /// </summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="stopKey">The key of the field that follows, without <c>=</c>; empty for the last field.</param>
    /// <param name="value">The value (a slice of the payload).</param>
    /// <returns><see langword="true"/> when read.</returns>
    public bool TryReadRaw(ReadOnlySpan<byte> key, scoped ReadOnlySpan<byte> stopKey, out AuditText value)
    {
        value = default;
        if (!TryBegin(key, out int start))
        {
            return false;
        }

        int end = stopKey.IsEmpty ? _payload.Length : FindStop(start, stopKey);
        value = AuditText.FromRawToken(_payload.Slice(start, end - start));
        Position = end;
        return true;
    }

    /// <summary>
    /// Reads a raw (R) field whose value is one word (a cgroup <c>acl</c>): it runs to the next space or the end, so a
    /// field that follows it is not taken into it. <c>?</c> is absent.
    /// </summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value (a slice of the payload).</param>
    /// <returns><see langword="true"/> when read.</returns>
    public bool TryReadRawToken(ReadOnlySpan<byte> key, out AuditText value)
    {
        value = default;
        if (!TryBegin(key, out int start))
        {
            return false;
        }

        int end = TokenEnd(start);
        value = AuditText.FromRawToken(_payload.Slice(start, end - start));
        Position = end;
        return true;
    }

    /// <summary>Reads the value up to the next space (or the end), as is.</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="token">The token (a slice of the payload).</param>
    /// <returns><see langword="true"/> when read.</returns>
    public bool TryReadToken(ReadOnlySpan<byte> key, out ReadOnlyMemory<byte> token)
    {
        token = default;
        if (!TryBegin(key, out int start))
        {
            return false;
        }

        int end = TokenEnd(start);
        token = _payload.Slice(start, end - start);
        Position = end;
        return true;
    }

    /// <summary>Reads a signed decimal integer (<c>%lld</c>). A negative value is accepted as is.</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when read; an error is recorded for a value that is not an integer.</returns>
    public bool TryReadInt64(ReadOnlySpan<byte> key, out long value) =>
        TryReadScalar(key, ParseInt64, "expected a decimal integer", out value);

    /// <summary>Reads a signed decimal integer, or <c>?</c> (absent).</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value; <see langword="null"/> for <c>?</c>.</param>
    /// <returns><see langword="true"/> when read; an error is recorded for a value that is neither.</returns>
    public bool TryReadNullableInt64(ReadOnlySpan<byte> key, out long? value) =>
        TryReadNullable(key, ParseInt64, "expected a decimal integer or ?", out value);

    /// <summary>Reads an unsigned decimal integer (<c>%llu</c>).</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when read; an error is recorded for a value that is not an integer.</returns>
    public bool TryReadUInt64(ReadOnlySpan<byte> key, out ulong value) =>
        TryReadScalar(key, ParseUInt64, "expected an unsigned decimal integer", out value);

    /// <summary>Reads an unsigned decimal integer, or <c>?</c> (absent).</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value; <see langword="null"/> for <c>?</c>.</param>
    /// <returns><see langword="true"/> when read; an error is recorded for a value that is neither.</returns>
    public bool TryReadNullableUInt64(ReadOnlySpan<byte> key, out ulong? value) =>
        TryReadNullable(key, ParseUInt64, "expected an unsigned decimal integer or ?", out value);

    /// <summary>Reads a UUID, <c>8-4-4-4-12</c>; upper-case hex is accepted and flagged non-canonical.</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when read; an error is recorded for a value that is not a UUID.</returns>
    public bool TryReadUuid(ReadOnlySpan<byte> key, out Guid value) =>
        TryReadScalar(key, ParseUuid, "expected a UUID (8-4-4-4-12 hex digits)", out value);

    /// <summary>Reads a UUID, or <c>?</c> (absent).</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value; <see langword="null"/> for <c>?</c>.</param>
    /// <returns><see langword="true"/> when read; an error is recorded for a value that is neither.</returns>
    public bool TryReadNullableUuid(ReadOnlySpan<byte> key, out Guid? value) =>
        TryReadNullable(key, ParseUuid, "expected a UUID (8-4-4-4-12 hex digits) or ?", out value);

    /// <summary>
    /// Reads a MAC address. <paramref name="encoded"/>: the field is an E field (<c>"aa:bb:cc:dd:ee:ff"</c> or
    /// <c>"?"</c>), and the legacy bare form (<c>aa:…</c>, <c>?</c>) and <c>'aa:…'</c> are accepted and flagged.
    /// Otherwise it is an R field: <c>aa:…</c> or <c>?</c>, and <c>'aa:…'</c> is accepted and flagged.
    /// </summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="encoded">Whether the field is encoded (E) rather than raw (R).</param>
    /// <param name="value">The address; <see langword="null"/> for <c>?</c>.</param>
    /// <returns><see langword="true"/> when read; an error is recorded for a value that is not a MAC address.</returns>
    public bool TryReadMac(ReadOnlySpan<byte> key, bool encoded, out MacAddress? value)
    {
        value = null;
        if (!TryBegin(key, out int start))
        {
            return false;
        }

        int end;
        AuditValueForm form;
        ReadOnlySpan<byte> token;
        if (encoded)
        {
            if (!TryEncodedTokenEnd(start, out end))
            {
                return false;
            }

            token = _payload.Span.Slice(start, end - start);
            form = AuditEncoding.Classify(token);
        }
        else
        {
            end = TokenEnd(start);
            token = _payload.Span.Slice(start, end - start);
            form = AuditEncoding.Classify(token) == AuditValueForm.SingleQuoted ? AuditValueForm.SingleQuoted : AuditValueForm.Bare;
        }

        Span<byte> decoded = stackalloc byte[MacAddress.FormattedLength];
        scoped ReadOnlySpan<byte> text;
        if (form == AuditValueForm.Hex)
        {
            if (!AuditEncoding.TryDecodeHex(token, decoded, out int length))
            {
                return SetError(start, "expected a MAC address or ?");
            }

            text = decoded.Slice(0, length);
        }
        else
        {
            text = AuditEncoding.Unwrap(token, form);
        }

        LegacyShape legacy = form switch
        {
            AuditValueForm.Bare when encoded => LegacyShape.BareValue,
            AuditValueForm.SingleQuoted => LegacyShape.SingleQuotedValue,
            AuditValueForm.Hex => LegacyShape.NonCanonicalEncoding,
            _ => LegacyShape.None,
        };
        if (!text.SequenceEqual("?"u8))
        {
            if (!MacAddress.TryParse(text, out MacAddress mac))
            {
                return SetError(start, "expected a MAC address or ?");
            }

            if (HasUpperHexLetter(text))
            {
                legacy |= LegacyShape.NonCanonicalEncoding;
            }

            value = mac;
        }

        Legacy |= legacy;
        Position = end;
        return true;
    }

    /// <summary>Reads a device number (<c>%02X:%02X</c>, raw), or <c>?</c>.</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The device number; <see langword="null"/> for <c>?</c>.</param>
    /// <returns><see langword="true"/> when read; an error is recorded for a value that is neither.</returns>
    public bool TryReadDeviceNumber(ReadOnlySpan<byte> key, out DeviceNumber? value)
    {
        value = null;
        if (!TryBegin(key, out int start))
        {
            return false;
        }

        int end = TokenEnd(start);
        ReadOnlySpan<byte> token = _payload.Span.Slice(start, end - start);
        if (!IsQuestionMark(start, end))
        {
            if (!DeviceNumber.TryParse(token, out DeviceNumber number))
            {
                return SetError(start, "expected a device number (hex MAJ:MIN) or ?");
            }

            Span<byte> canonical = stackalloc byte[DeviceNumber.MaxFormattedLength];
            number.TryFormat(canonical, out int length);
            if (!token.SequenceEqual(canonical.Slice(0, length)))
            {
                Legacy |= LegacyShape.NonCanonicalEncoding;
            }

            value = number;
        }

        Position = end;
        return true;
    }

    /// <summary>Reads a byte as two upper-case hex digits (<c>%02X</c>); other spellings are flagged non-canonical.</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when read; an error is recorded for a value that is not a hex byte.</returns>
    public bool TryReadHexByte(ReadOnlySpan<byte> key, out byte value) =>
        TryReadScalar(key, ParseHexByte, "expected a hex byte (two hex digits)", out value);

    /// <summary>Reads a byte as two upper-case hex digits, or <c>?</c> (absent).</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value; <see langword="null"/> for <c>?</c>.</param>
    /// <returns><see langword="true"/> when read; an error is recorded for a value that is neither.</returns>
    public bool TryReadNullableHexByte(ReadOnlySpan<byte> key, out byte? value) =>
        TryReadNullable(key, ParseHexByte, "expected a hex byte (two hex digits) or ?", out value);

    /// <summary>
    /// Reads an enum value (raw, up to the next space): a registered audit text gives the member, any other text is
    /// kept as an <c>Other</c> value (<c>?</c> as an absent text).
    /// </summary>
    /// <typeparam name="TEnum">The generated enum.</typeparam>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when read.</returns>
    public bool TryReadEnum<TEnum>(ReadOnlySpan<byte> key, out AuditEnum<TEnum> value)
        where TEnum : struct, Enum
    {
        value = default;
        if (!TryBegin(key, out int start))
        {
            return false;
        }

        int end = TokenEnd(start);
        value = AuditEnum<TEnum>.FromText(AuditText.FromRawToken(_payload.Slice(start, end - start)));
        Position = end;
        return true;
    }

    private static bool HasUpperHexLetter(ReadOnlySpan<byte> text)
    {
        foreach (byte b in text)
        {
            if (b >= (byte)'A' && b <= (byte)'F')
            {
                return true;
            }
        }

        return false;
    }

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
    internal static int IndexOfField(ReadOnlySpan<byte> payload, scoped ReadOnlySpan<byte> key)
    {
        int from = 0;
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

    private readonly int FindStop(int start, scoped ReadOnlySpan<byte> stopKey)
    {
        ReadOnlySpan<byte> rest = _payload.Span.Slice(start);
        int from = 0;
        while (true)
        {
            int found = rest.Slice(from).IndexOf(stopKey);
            if (found < 0)
            {
                return _payload.Length;
            }

            found += from;
            int after = found + stopKey.Length;
            if (found > 0 && rest[found - 1] == (byte)' ' && after < rest.Length && rest[after] == (byte)'=')
            {
                return start + found - 1;
            }

            from = found + 1;
        }
    }

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

        Span<byte> canonical = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, canonical, out int length);
        FlagIfDifferent(token, canonical.Slice(0, length));
        return true;
    }

    private bool TryParseUInt64(int start, int end, out ulong value)
    {
        ReadOnlySpan<byte> token = _payload.Span.Slice(start, end - start);
        if (!Utf8Parser.TryParse(token, out value, out int consumed) || consumed != token.Length)
        {
            return false;
        }

        Span<byte> canonical = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, canonical, out int length);
        FlagIfDifferent(token, canonical.Slice(0, length));
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

    private void FlagIfDifferent(scoped ReadOnlySpan<byte> token, scoped ReadOnlySpan<byte> canonical)
    {
        if (!token.SequenceEqual(canonical))
        {
            Legacy |= LegacyShape.NonCanonicalEncoding;
        }
    }
}
