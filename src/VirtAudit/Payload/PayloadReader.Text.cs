using System;

namespace VirtAudit.CompilerServices;

// Reads of text fields: constants, encoded (E) and raw (R) values, tokens.
public ref partial struct PayloadReader
{
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
            case AuditValueForm.Quoted when token.Span.Slice(1, token.Length - 2).IndexOfAnyInRange((byte)0x00, (byte)0x20) >= 0 || token.Span.IndexOf((byte)0x7F) >= 0:
                // Every libaudit, old encoders included (spec §4.1), hex-encodes a value with a space, a control byte or
                // DEL: quoted, it is not libaudit's (issue 12, finding 9: vm="my vm").
                value = default;
                return SetError(start, "a quoted value holds a space, a control byte or DEL, which libaudit always hex-encodes");
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
    /// Reads a raw (R) field whose value may hold spaces: it runs to the last <c> stopKey=</c> (text of that key inside
    /// the value stays in it, as the trailer is the last <c>exe= … res=</c>), or to the end of the payload when
    /// <paramref name="stopKey"/> is empty or not found. <c>?</c> is absent.
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
}
