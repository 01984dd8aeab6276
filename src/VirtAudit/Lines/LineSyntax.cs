using System;

namespace VirtAudit;

/// <summary>Small byte-level helpers shared by the line parser, the field enumerators and the writer.</summary>
internal static class LineSyntax
{
    /// <summary>The byte auditd puts between the raw record and the ENRICHED tail (<c>AUDIT_INTERP_SEPARATOR</c>).</summary>
    public const byte EnrichmentSeparator = 0x1D;

    /// <summary>
    /// The index of the 0x1D byte that starts auditd's ENRICHED tail in <paramref name="body"/>, or -1. Only the last
    /// one counts, and only when what follows it is such a tail: it starts with an upper-case field name and holds no
    /// <c>'</c>. A 0x1D inside a raw value of a RAW line (a tenant-chosen path) is then data, and cannot cut the
    /// message short and put a forged <c>res=</c> in its place (issue 12, finding 6).
    /// </summary>
    public static int FindEnrichmentSeparator(ReadOnlySpan<byte> body)
    {
        int separator = body.LastIndexOf(EnrichmentSeparator);
        if (separator < 0)
        {
            return -1;
        }

        ReadOnlySpan<byte> tail = body.Slice(separator + 1);
        return tail.IsEmpty || (tail[0] is >= (byte)'A' and <= (byte)'Z' && tail.IndexOf((byte)'\'') < 0) ? separator : -1;
    }

    /// <summary>
    /// Parses the leading ASCII digits of <paramref name="text"/>. Returns false when there is no digit or the
    /// number does not fit an unsigned 64-bit integer; <paramref name="consumed"/> is the count of digits seen.
    /// </summary>
    public static bool TryParseDigits(ReadOnlySpan<byte> text, out ulong value, out int consumed)
    {
        value = 0;
        consumed = 0;
        bool overflow = false;
        while (consumed < text.Length)
        {
            uint digit = (uint)(text[consumed] - (byte)'0');
            if (digit > 9)
            {
                break;
            }

            if (value > (ulong.MaxValue - digit) / 10)
            {
                overflow = true;
            }
            else
            {
                value = (value * 10) + digit;
            }

            consumed++;
        }

        return consumed > 0 && !overflow;
    }

    /// <summary>
    /// Splits a record body into the kernel header and the <c>msg='…'</c> payload of a user-space message.
    /// Offsets are relative to <paramref name="body"/>. The payload ends before a closing <c>'</c> that only spaces
    /// or tabs follow; without one, it runs to the end of the body and <paramref name="truncated"/> is set (a
    /// forwarder cut the line), unless the body holds a closed <c> res=success'</c>/<c> res=failed'</c> (bytes were
    /// added after a whole message, not cut). <paramref name="truncated"/> is also set for a closed payload of exactly
    /// the kernel's maximum length (<see cref="AuditLimits.MaxMessageText"/>) that does not end in libaudit's
    /// <c>res=</c>: the kernel cut it and closed the quote itself (spec §3.6).
    /// </summary>
    /// <returns>False when the body has no <c>msg='</c> (a flat list of fields).</returns>
    public static bool TrySplitUserMessage(
        ReadOnlySpan<byte> body,
        out int headerLength,
        out int messageStart,
        out int messageEnd,
        out bool truncated)
    {
        if (body.StartsWith("msg='"u8))
        {
            headerLength = 0;
            messageStart = 5;
        }
        else
        {
            int cut = body.IndexOf(" msg='"u8);
            if (cut < 0)
            {
                headerLength = 0;
                messageStart = 0;
                messageEnd = 0;
                truncated = false;
                return false;
            }

            headerLength = cut;
            messageStart = cut + 6;
        }

        // "Cut short" means what really cuts (issue 12, findings 3 and 7): the kernel copies at most 8560 bytes and
        // always closes the quote, so a closed message is cut only at exactly that length without res=; a forwarder
        // cuts anywhere, so a message without its closing quote is cut, unless what follows the last quote is only
        // spaces or tabs (a stray byte after a closed message, not a cut).
        int close = body.Length > messageStart ? body.Slice(messageStart).LastIndexOf((byte)'\'') : -1;
        if (close >= 0 && body.Slice(messageStart + close + 1).IndexOfAnyExcept(" \t"u8) < 0)
        {
            messageEnd = messageStart + close;
            truncated = messageEnd - messageStart == AuditLimits.MaxMessageText && !EndsWithResult(body.Slice(messageStart, messageEnd - messageStart));
        }
        else
        {
            messageEnd = body.Length;
            truncated = !EndsWithClosedResult(body.Slice(messageStart));
        }

        return true;
    }

    // A closed message (" res=success'" or " res=failed'") followed by other bytes was not cut: the bytes were added.
    private static bool EndsWithClosedResult(ReadOnlySpan<byte> rest) =>
        rest.IndexOf(" res=success'"u8) >= 0 || rest.IndexOf(" res=failed'"u8) >= 0;

    // libaudit's trailer ends every user message it writes with " res=…".
    private static bool EndsWithResult(ReadOnlySpan<byte> message)
    {
        int space = message.LastIndexOf((byte)' ');
        return message.Slice(space + 1).StartsWith("res="u8);
    }

    /// <summary>The index of the first space at or after <paramref name="start"/>, or <paramref name="end"/>.</summary>
    public static int TokenEnd(ReadOnlySpan<byte> text, int start, int end)
    {
        int space = text.Slice(start, end - start).IndexOf((byte)' ');
        return space < 0 ? end : start + space;
    }

    /// <summary>The index of the first byte that is not a space at or after <paramref name="start"/>, or <paramref name="end"/>.</summary>
    public static int SkipSpaces(ReadOnlySpan<byte> text, int start, int end)
    {
        while (start < end && text[start] == (byte)' ')
        {
            start++;
        }

        return start;
    }

    /// <summary>
    /// Reads one field starting at the non-space byte <paramref name="start"/>: a space-separated word, plus the
    /// following words without <c>=</c> (they continue the value, as in <c>op=adding group to /etc/group</c>). With
    /// <paramref name="braces"/>, a value that starts with <c>{</c> runs to the first <c>}</c> (the ENRICHED
    /// <c>SADDR={ … }</c>).
    /// </summary>
    /// <returns>The end of the field; <paramref name="equals"/> is the index of its first <c>=</c>, or -1.</returns>
    public static int ReadField(ReadOnlySpan<byte> text, int start, int end, bool braces, out int equals)
    {
        int tokenEnd = TokenEnd(text, start, end);
        int found = text.Slice(start, tokenEnd - start).IndexOf((byte)'=');
        equals = found < 0 ? -1 : start + found;
        if (braces && equals >= 0 && equals + 1 < end && text[equals + 1] == (byte)'{')
        {
            int close = text.Slice(equals + 1, end - equals - 1).IndexOf((byte)'}');
            tokenEnd = close < 0 ? end : TokenEnd(text, equals + 2 + close, end);
        }

        int fieldEnd = tokenEnd;
        while (true)
        {
            int next = SkipSpaces(text, fieldEnd, end);
            if (next >= end)
            {
                break;
            }

            int nextEnd = TokenEnd(text, next, end);
            if (text.Slice(next, nextEnd - next).IndexOf((byte)'=') >= 0)
            {
                break;
            }

            fieldEnd = nextEnd;
        }

        return fieldEnd;
    }
}
