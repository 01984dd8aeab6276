using System;

namespace VirtAudit;

/// <summary>
/// A line of KubeVirt's <c>virt-launcher</c> pod log: one JSON object per line,
/// <c>{"component":"virt-launcher","level":…,"msg":…,"pos":"FUNCTION:LINE","subcomponent":"libvirt","thread":…,"timestamp":…}</c>
/// (spec §3.7). The object is scanned once, on bytes, without allocating; the members the audit trail needs are kept
/// as offsets of their raw (still escaped) text, and <see cref="TryDecode"/> decodes a string's JSON escapes.
/// </summary>
internal static class VirtLauncherJson
{
    /// <summary>True when the line is a JSON object (starts with <c>{</c>).</summary>
    public static bool IsAt(ReadOnlySpan<byte> s) => !s.IsEmpty && s[0] == (byte)'{';

    /// <summary>
    /// Scans the object. False, with the error at its byte offset, when the line is not one well-formed JSON object
    /// (cut in the middle, a bad escape, a control byte inside a string, text after it).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out Members members, out AuditLineError error)
    {
        members = default;
        int p = 1;
        SkipSpaces(s, ref p);
        if (p < s.Length && s[p] == (byte)'}')
        {
            p++;
            return TryEnd(s, p, out error);
        }

        while (true)
        {
            SkipSpaces(s, ref p);
            if (p >= s.Length || s[p] != (byte)'"')
            {
                return AuditLineError.Fail(out error, p, "expected a member name in quotes", LineParts.Json);
            }

            if (!TryScanString(s, p, out int keyEnd, out _, out error))
            {
                return false;
            }

            ReadOnlySpan<byte> key = s.Slice(p + 1, keyEnd - p - 1);
            p = keyEnd + 1;
            SkipSpaces(s, ref p);
            if (p >= s.Length || s[p] != (byte)':')
            {
                return AuditLineError.Fail(out error, p, "expected ':' after the member name", LineParts.Json);
            }

            p++;
            SkipSpaces(s, ref p);
            int valueStart;
            int valueEnd;
            bool escaped = false;
            bool isString = p < s.Length && s[p] == (byte)'"';
            if (isString)
            {
                if (!TryScanString(s, p, out valueEnd, out escaped, out error))
                {
                    return false;
                }

                valueStart = p + 1;
                p = valueEnd + 1;
            }
            else if (p < s.Length && (s[p] == (byte)'{' || s[p] == (byte)'['))
            {
                valueStart = p;
                if (!TrySkipNested(s, ref p, out error))
                {
                    return false;
                }

                valueEnd = p;
            }
            else
            {
                valueStart = p;
                while (p < s.Length && s[p] is not ((byte)',' or (byte)'}' or (byte)']' or (byte)' ' or (byte)'\t'))
                {
                    p++;
                }

                valueEnd = p;
                if (valueEnd == valueStart)
                {
                    return AuditLineError.Fail(out error, p, "expected a value", LineParts.Json);
                }
            }

            members.Set(s, key, isString, valueStart, valueEnd - valueStart, escaped);
            SkipSpaces(s, ref p);
            if (p < s.Length && s[p] == (byte)',')
            {
                p++;
                continue;
            }

            if (p < s.Length && s[p] == (byte)'}')
            {
                p++;
                return TryEnd(s, p, out error);
            }

            return AuditLineError.Fail(out error, p, p >= s.Length ? "the JSON object ends before its '}' (the line was cut?)" : "expected ',' or '}'", LineParts.Json);
        }
    }

    /// <summary>
    /// Decodes the raw text of a JSON string (<c>\"</c>, <c>\\</c>, <c>\/</c>, <c>\b</c>, <c>\f</c>, <c>\n</c>,
    /// <c>\r</c>, <c>\t</c>, <c>\uXXXX</c> with surrogate pairs, as UTF-8) into <paramref name="destination"/>, which
    /// must be at least as long as <paramref name="raw"/> (decoding never grows). False for an unpaired surrogate, with
    /// its offset in <paramref name="raw"/>.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> raw, Span<byte> destination, out int written, out int errorAt)
    {
        written = 0;
        errorAt = -1;
        int i = 0;
        while (i < raw.Length)
        {
            int backslash = raw.Slice(i).IndexOf((byte)'\\');
            int plain = backslash < 0 ? raw.Length - i : backslash;
            raw.Slice(i, plain).CopyTo(destination.Slice(written));
            written += plain;
            i += plain;
            if (i >= raw.Length)
            {
                break;
            }

            byte e = raw[i + 1];
            if (e != (byte)'u')
            {
                destination[written++] = e switch
                {
                    (byte)'b' => (byte)'\b',
                    (byte)'f' => (byte)'\f',
                    (byte)'n' => (byte)'\n',
                    (byte)'r' => (byte)'\r',
                    (byte)'t' => (byte)'\t',
                    _ => e,
                };
                i += 2;
                continue;
            }

            int code = Hex4(raw.Slice(i + 2, 4));
            int at = i;
            i += 6;
            if (code is >= 0xD800 and <= 0xDBFF)
            {
                int low = i + 6 <= raw.Length && raw[i] == (byte)'\\' && raw[i + 1] == (byte)'u' ? Hex4(raw.Slice(i + 2, 4)) : -1;
                if (low is < 0xDC00 or > 0xDFFF)
                {
                    errorAt = at;
                    return false;
                }

                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                i += 6;
            }
            else if (code is >= 0xDC00 and <= 0xDFFF)
            {
                errorAt = at;
                return false;
            }

            written += WriteUtf8(code, destination.Slice(written));
        }

        return true;
    }

    private static int WriteUtf8(int code, Span<byte> destination)
    {
        if (code < 0x80)
        {
            destination[0] = (byte)code;
            return 1;
        }

        if (code < 0x800)
        {
            destination[0] = (byte)(0xC0 | (code >> 6));
            destination[1] = (byte)(0x80 | (code & 0x3F));
            return 2;
        }

        if (code < 0x10000)
        {
            destination[0] = (byte)(0xE0 | (code >> 12));
            destination[1] = (byte)(0x80 | ((code >> 6) & 0x3F));
            destination[2] = (byte)(0x80 | (code & 0x3F));
            return 3;
        }

        destination[0] = (byte)(0xF0 | (code >> 18));
        destination[1] = (byte)(0x80 | ((code >> 12) & 0x3F));
        destination[2] = (byte)(0x80 | ((code >> 6) & 0x3F));
        destination[3] = (byte)(0x80 | (code & 0x3F));
        return 4;
    }

    private static int Hex4(ReadOnlySpan<byte> hex)
    {
        int value = 0;
        foreach (byte b in hex)
        {
            int digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return -1;
            }

            value = (value << 4) | digit;
        }

        return value;
    }

    // A string at p (s[p] is '"'): `end` is the index of its closing quote; escapes are checked, not decoded.
    private static bool TryScanString(ReadOnlySpan<byte> s, int p, out int end, out bool escaped, out AuditLineError error)
    {
        escaped = false;
        int i = p + 1;
        while (i < s.Length)
        {
            byte c = s[i];
            if (c == (byte)'"')
            {
                end = i;
                error = default;
                return true;
            }

            if (c == (byte)'\\')
            {
                escaped = true;
                if (i + 1 >= s.Length)
                {
                    break;
                }

                byte e = s[i + 1];
                if (e == (byte)'u')
                {
                    if (i + 6 > s.Length || Hex4(s.Slice(i + 2, 4)) < 0)
                    {
                        end = 0;
                        return AuditLineError.Fail(out error, i, "bad \\u escape: expected four hex digits", LineParts.Json);
                    }

                    i += 6;
                    continue;
                }

                if (e is not ((byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t'))
                {
                    end = 0;
                    return AuditLineError.Fail(out error, i, "bad escape in a JSON string", LineParts.Json);
                }

                i += 2;
                continue;
            }

            if (c < 0x20)
            {
                end = 0;
                return AuditLineError.Fail(out error, i, "control byte inside a JSON string", LineParts.Json);
            }

            i++;
        }

        end = 0;
        return AuditLineError.Fail(out error, s.Length, "unterminated JSON string (the line was cut?)", LineParts.Json);
    }

    // A nested object or array at p: p moves past its closing bracket.
    private static bool TrySkipNested(ReadOnlySpan<byte> s, ref int p, out AuditLineError error)
    {
        int depth = 0;
        while (p < s.Length)
        {
            byte c = s[p];
            if (c == (byte)'"')
            {
                if (!TryScanString(s, p, out int end, out _, out error))
                {
                    return false;
                }

                p = end + 1;
                continue;
            }

            if (c is (byte)'{' or (byte)'[')
            {
                depth++;
            }
            else if (c is (byte)'}' or (byte)']')
            {
                depth--;
                if (depth == 0)
                {
                    p++;
                    error = default;
                    return true;
                }
            }

            p++;
        }

        return AuditLineError.Fail(out error, s.Length, "the JSON value ends before its closing bracket (the line was cut?)", LineParts.Json);
    }

    private static bool TryEnd(ReadOnlySpan<byte> s, int p, out AuditLineError error)
    {
        SkipSpaces(s, ref p);
        if (p != s.Length)
        {
            return AuditLineError.Fail(out error, p, "text after the JSON object", LineParts.Json);
        }

        error = default;
        return true;
    }

    private static void SkipSpaces(ReadOnlySpan<byte> s, ref int p)
    {
        while (p < s.Length && s[p] is (byte)' ' or (byte)'\t')
        {
            p++;
        }
    }

    /// <summary>Where the members the audit trail needs are (offsets of their raw text in the line; length -1 when absent).</summary>
    internal struct Members
    {
        public int MsgStart;
        public int MsgLength;
        public bool MsgEscaped;
        public int LevelStart;
        public int LevelLength;
        public int PosStart;
        public int PosLength;
        public int ThreadStart;
        public int ThreadLength;
        public int TimestampStart;
        public int TimestampLength;
        public bool IsVirtLauncher;
        private bool _found;

        public readonly bool HasMsg => _found && MsgLength >= 0;

        public void Set(ReadOnlySpan<byte> s, ReadOnlySpan<byte> key, bool isString, int start, int length, bool escaped)
        {
            if (!_found)
            {
                _found = true;
                MsgLength = LevelLength = PosLength = ThreadLength = TimestampLength = -1;
            }

            if (key.SequenceEqual("msg"u8) && isString)
            {
                (MsgStart, MsgLength, MsgEscaped) = (start, length, escaped);
            }
            else if (key.SequenceEqual("level"u8) && isString)
            {
                (LevelStart, LevelLength) = (start, length);
            }
            else if (key.SequenceEqual("pos"u8) && isString)
            {
                (PosStart, PosLength) = (start, length);
            }
            else if (key.SequenceEqual("thread"u8))
            {
                (ThreadStart, ThreadLength) = (start, length);
            }
            else if (key.SequenceEqual("timestamp"u8) && isString)
            {
                (TimestampStart, TimestampLength) = (start, length);
            }
            else if ((key.SequenceEqual("component"u8) && s.Slice(start, length).SequenceEqual("virt-launcher"u8))
                || (key.SequenceEqual("subcomponent"u8) && s.Slice(start, length).SequenceEqual("libvirt"u8)))
            {
                IsVirtLauncher = true;
            }
        }
    }
}
