// One grammar per value shape, compiled into two assemblies: the runtime (VirtAudit, where MacAddress,
// DeviceNumber, AuditText and the generated validation use it) and the analyzer (VirtAudit.Generators,
// netstandard2.0, through <Compile Include="…" Link="…"/>), which judges constants with it. What the analyzer
// rejects at compile time is then, byte for byte, what the runtime rejects. Keep it to System and spans.
// Over 500 lines on purpose: it is the one unit linked into the analyzer; splitting it would mean linking several
// files and letting the two sides drift apart again.
using System;

namespace VirtAudit.Schema;

/// <summary>
/// The shapes of audit values (MAC address, device number, raw text, raw token) and the matcher of the schema's
/// <c>pattern</c> syntax: the single definition both the runtime and the analyzer check values with.
/// </summary>
internal static class ValueGrammar
{
    /// <summary>The length of <c>aa:bb:cc:dd:ee:ff</c>.</summary>
    public const int MacLength = 17;

    private const int Unbounded = int.MaxValue;

    /// <summary>The value of hex digit <paramref name="b"/> (either case), or -1.</summary>
    public static int HexValue(int b) => b switch
    {
        >= '0' and <= '9' => b - '0',
        >= 'a' and <= 'f' => b - 'a' + 10,
        >= 'A' and <= 'F' => b - 'A' + 10,
        _ => -1,
    };

    /// <summary><c>virMacAddrFormat</c>: six hex bytes (either case) separated by colons.</summary>
    public static bool TryParseMac(ReadOnlySpan<byte> text, out ulong value)
    {
        value = 0;
        if (text.Length != MacLength)
        {
            return false;
        }

        ulong result = 0;
        for (int i = 0; i < 6; i++)
        {
            int offset = 3 * i;
            if (i > 0 && text[offset - 1] != (byte)':')
            {
                return false;
            }

            int high = HexValue(text[offset]);
            int low = HexValue(text[offset + 1]);
            if (high < 0 || low < 0)
            {
                return false;
            }

            result = (result << 8) | (uint)((high << 4) | low);
        }

        value = result;
        return true;
    }

    /// <summary><c>MAJ:MIN</c>: one to eight hex digits (either case) on each side of one colon.</summary>
    public static bool TryParseDeviceNumber(ReadOnlySpan<byte> text, out uint major, out uint minor)
    {
        major = 0;
        minor = 0;
        int colon = text.IndexOf((byte)':');
        return colon >= 0 && TryParseHex32(text.Slice(0, colon), out major) && TryParseHex32(text.Slice(colon + 1), out minor);
    }

    /// <summary>Whether <paramref name="c"/> (a byte or a UTF-16 unit) may stand in a raw value: not below 0x20, not DEL.</summary>
    public static bool IsRawChar(int c) => c >= 0x20 && c != 0x7F;

    /// <summary>Whether <paramref name="c"/> may stand in a raw one-word value: not a space, not below 0x20, not DEL.</summary>
    public static bool IsTokenChar(int c) => c > 0x20 && c != 0x7F;

    /// <summary>
    /// Whether the text can be written raw: not empty (libvirt prints <c>?</c> for a missing raw value, and every raw
    /// text it prints, a path or a label, has at least one byte; issue 12, finding 9), only <see cref="IsRawChar"/>.
    /// </summary>
    public static bool IsRaw(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (byte b in text)
        {
            if (!IsRawChar(b))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the text can be written raw: not empty, only <see cref="IsRawChar"/> (see the UTF-8 overload).</summary>
    public static bool IsRaw(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!IsRawChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the text can be written as one raw word: not empty, only <see cref="IsTokenChar"/>.</summary>
    public static bool IsToken(ReadOnlySpan<byte> text)
    {
        foreach (byte b in text)
        {
            if (!IsTokenChar(b))
            {
                return false;
            }
        }

        return !text.IsEmpty;
    }

    /// <summary>Whether the text can be written as one raw word: not empty, only <see cref="IsTokenChar"/>.</summary>
    public static bool IsToken(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!IsTokenChar(c))
            {
                return false;
            }
        }

        return !text.IsEmpty;
    }

    /// <summary>
    /// Whether <paramref name="value"/> (UTF-8) matches <paramref name="pattern"/>, a pattern that
    /// <see cref="CheckPattern"/> accepts. The syntax is a subset of regular expressions with their meaning, on
    /// bytes: <c>^</c> and <c>$</c> anchor the start and the end (without them the pattern may match anywhere);
    /// literal bytes; <c>\</c> before punctuation; <c>.</c> (any byte but a newline); classes <c>[a-f0-9]</c>,
    /// <c>[^:]</c>; <c>?</c>, <c>*</c>, <c>+</c>, <c>{n}</c>, <c>{n,}</c>, <c>{n,m}</c> after one of those; and groups
    /// of alternatives <c>(a|b)</c>, not quantified.
    /// </summary>
    public static bool IsMatch(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> value)
    {
        bool anchoredStart = !pattern.IsEmpty && pattern[0] == (byte)'^';
        bool anchoredEnd = pattern.Length > (anchoredStart ? 1 : 0) && pattern[pattern.Length - 1] == (byte)'$' && !IsEscaped(pattern, pattern.Length - 1);
        int start = anchoredStart ? 1 : 0;
        var body = pattern.Slice(start, pattern.Length - start - (anchoredEnd ? 1 : 0));
        for (int from = 0; from <= value.Length; from++)
        {
            if (Match(body, 0, value, from, anchoredEnd))
            {
                return true;
            }

            if (anchoredStart)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Null when <paramref name="pattern"/> is in the syntax of <see cref="IsMatch"/>; otherwise what is wrong.</summary>
    public static string? CheckPattern(ReadOnlySpan<byte> pattern)
    {
        bool anchoredStart = !pattern.IsEmpty && pattern[0] == (byte)'^';
        bool anchoredEnd = pattern.Length > (anchoredStart ? 1 : 0) && pattern[pattern.Length - 1] == (byte)'$' && !IsEscaped(pattern, pattern.Length - 1);
        int start = anchoredStart ? 1 : 0;
        var body = pattern.Slice(start, pattern.Length - start - (anchoredEnd ? 1 : 0));
        int depth = 0;
        bool canQuantify = false;
        for (int i = 0; i < body.Length;)
        {
            byte c = body[i];
            switch (c)
            {
                case (byte)'\\':
                    if (i + 1 >= body.Length || !IsEscapable(body[i + 1]))
                    {
                        return "\\ must be followed by punctuation (\\. \\- \\\\ …); letter escapes such as \\d are not supported";
                    }

                    i += 2;
                    canQuantify = true;
                    continue;
                case (byte)'[':
                    int end = ClassEnd(body, i);
                    if (end < 0)
                    {
                        return "a class [ is not closed, or is empty";
                    }

                    i = end;
                    canQuantify = true;
                    continue;
                case (byte)'(':
                    if (i + 1 < body.Length && (body[i + 1] == (byte)')' || body[i + 1] == (byte)'?'))
                    {
                        return "empty groups and (? constructs are not supported";
                    }

                    depth++;
                    canQuantify = false;
                    break;
                case (byte)')':
                    if (--depth < 0)
                    {
                        return "a ) has no (";
                    }

                    if (i + 1 < body.Length && IsQuantifierStart(body[i + 1]))
                    {
                        return "a group cannot take a quantifier";
                    }

                    canQuantify = false;
                    break;
                case (byte)'|':
                    if (depth == 0)
                    {
                        return "alternatives must be inside a group: ^(a|b)$";
                    }

                    canQuantify = false;
                    break;
                case (byte)'?' or (byte)'*' or (byte)'+' or (byte)'{':
                    if (!canQuantify)
                    {
                        return "a quantifier must follow a character, a class, an escape or .";
                    }

                    if (c == (byte)'{')
                    {
                        int close = ParseBraces(body, i, out int min, out int max);
                        if (close < 0 || min > max)
                        {
                            return "a {n}, {n,} or {n,m} quantifier is malformed";
                        }

                        i = close;
                    }
                    else
                    {
                        i++;
                    }

                    canQuantify = false;
                    continue;
                case (byte)'^' or (byte)'$' or (byte)']' or (byte)'}':
                    return "^, $, ] and } stand only where they mean themselves (escape them: \\$)";
                default:
                    canQuantify = true;
                    break;
            }

            i++;
        }

        return depth == 0 ? null : "a ( is not closed";
    }

    private static bool TryParseHex32(ReadOnlySpan<byte> digits, out uint value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 8)
        {
            return false;
        }

        foreach (byte b in digits)
        {
            int digit = HexValue(b);
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | (uint)digit;
        }

        return true;
    }

    /// <summary>
    /// Matches <paramref name="p"/> from <paramref name="pi"/> against <paramref name="v"/> from <paramref name="vi"/>,
    /// up to its end when <paramref name="toEnd"/>.
    /// </summary>
    private static bool Match(ReadOnlySpan<byte> p, int pi, ReadOnlySpan<byte> v, int vi, bool toEnd)
    {
        while (true)
        {
            if (pi == p.Length)
            {
                return !toEnd || vi == v.Length;
            }

            switch (p[pi])
            {
                case (byte)'|':
                    // An alternative matched up to here: go on after its group.
                    pi = GroupEnd(p, pi);
                    continue;
                case (byte)')':
                    pi++;
                    continue;
                case (byte)'(':
                    for (int alternative = pi + 1; alternative >= 0; alternative = NextAlternative(p, alternative))
                    {
                        if (Match(p, alternative, v, vi, toEnd))
                        {
                            return true;
                        }
                    }

                    return false;
            }

            int atomEnd = ElementEnd(p, pi);
            int next = ParseQuantifier(p, atomEnd, out int min, out int max);
            int count = 0;
            while (count < max && vi + count < v.Length && AtomMatches(p, pi, v[vi + count]))
            {
                count++;
            }

            if (count < min)
            {
                return false;
            }

            // Greedy, backing off one byte at a time; the shortest run continues the loop.
            for (int k = count; k > min; k--)
            {
                if (Match(p, next, v, vi + k, toEnd))
                {
                    return true;
                }
            }

            pi = next;
            vi += min;
        }
    }

    private static bool AtomMatches(ReadOnlySpan<byte> p, int pi, byte b)
    {
        switch (p[pi])
        {
            case (byte)'\\':
                return b == p[pi + 1];
            case (byte)'.':
                return b != (byte)'\n';
            case (byte)'[':
                int i = pi + 1;
                bool negated = p[i] == (byte)'^';
                if (negated)
                {
                    i++;
                }

                bool matched = false;
                while (p[i] != (byte)']')
                {
                    int low = ClassChar(p, ref i);
                    int high = low;
                    if (p[i] == (byte)'-' && p[i + 1] != (byte)']')
                    {
                        i++;
                        high = ClassChar(p, ref i);
                    }

                    matched |= b >= low && b <= high;
                }

                return matched != negated;
            default:
                return b == p[pi];
        }
    }

    private static int ClassChar(ReadOnlySpan<byte> p, ref int i)
    {
        if (p[i] == (byte)'\\')
        {
            i += 2;
            return p[i - 1];
        }

        return p[i++];
    }

    /// <summary>The index after the element at <paramref name="i"/>: an escape, a class or one byte.</summary>
    private static int ElementEnd(ReadOnlySpan<byte> p, int i) => p[i] switch
    {
        (byte)'\\' => i + 2,
        (byte)'[' => ClassEnd(p, i),
        _ => i + 1,
    };

    /// <summary>The index after the class that opens at <paramref name="i"/>; -1 when it is not closed or empty.</summary>
    private static int ClassEnd(ReadOnlySpan<byte> p, int i)
    {
        int j = i + 1;
        if (j < p.Length && p[j] == (byte)'^')
        {
            j++;
        }

        int first = j;
        while (j < p.Length && (p[j] != (byte)']' || j == first))
        {
            if (p[j] == (byte)']')
            {
                return -1;
            }

            if (p[j] == (byte)'\\')
            {
                if (j + 1 >= p.Length || !IsEscapable(p[j + 1]))
                {
                    return -1;
                }

                j++;
            }

            j++;
        }

        return j < p.Length ? j + 1 : -1;
    }

    /// <summary>The index after a quantifier at <paramref name="i"/> (or <paramref name="i"/> when there is none), and its bounds.</summary>
    private static int ParseQuantifier(ReadOnlySpan<byte> p, int i, out int min, out int max)
    {
        min = 1;
        max = 1;
        if (i >= p.Length)
        {
            return i;
        }

        switch (p[i])
        {
            case (byte)'?':
                min = 0;
                return i + 1;
            case (byte)'*':
                min = 0;
                max = Unbounded;
                return i + 1;
            case (byte)'+':
                max = Unbounded;
                return i + 1;
            case (byte)'{':
                return ParseBraces(p, i, out min, out max);
            default:
                return i;
        }
    }

    /// <summary><c>{n}</c>, <c>{n,}</c> or <c>{n,m}</c> at <paramref name="i"/>: the index after it, or -1.</summary>
    private static int ParseBraces(ReadOnlySpan<byte> p, int i, out int min, out int max)
    {
        int j = i + 1;
        min = ParseNumber(p, ref j);
        max = min;
        if (min < 0 || j >= p.Length)
        {
            return -1;
        }

        if (p[j] == (byte)',')
        {
            j++;
            max = j < p.Length && p[j] == (byte)'}' ? Unbounded : ParseNumber(p, ref j);
            if (max < 0 || j >= p.Length)
            {
                return -1;
            }
        }

        return p[j] == (byte)'}' ? j + 1 : -1;
    }

    private static int ParseNumber(ReadOnlySpan<byte> p, ref int j)
    {
        int start = j;
        int value = 0;
        while (j < p.Length && p[j] >= (byte)'0' && p[j] <= (byte)'9' && j - start < 6)
        {
            value = (value * 10) + (p[j] - '0');
            j++;
        }

        return j == start ? -1 : value;
    }

    /// <summary>From an alternative's start, the start of the group's next alternative, or -1 at the group's end.</summary>
    private static int NextAlternative(ReadOnlySpan<byte> p, int i) => ScanGroup(p, i, stopAtBar: true);

    /// <summary>From a <c>|</c> inside a group, the index after the group's <c>)</c>.</summary>
    private static int GroupEnd(ReadOnlySpan<byte> p, int i) => ScanGroup(p, i, stopAtBar: false);

    /// <summary>
    /// Walks the elements of one group from <paramref name="i"/>: with <paramref name="stopAtBar"/>, returns the index
    /// after the group's next top-level <c>|</c> (-1 at its end); without, the index after its <c>)</c> (the pattern's
    /// length when unclosed).
    /// </summary>
    private static int ScanGroup(ReadOnlySpan<byte> p, int i, bool stopAtBar)
    {
        for (int depth = 0; i < p.Length; i = ElementEnd(p, i))
        {
            switch (p[i])
            {
                case (byte)'(':
                    depth++;
                    break;
                case (byte)')' when depth-- == 0:
                    return stopAtBar ? -1 : i + 1;
                case (byte)'|' when depth == 0 && stopAtBar:
                    return i + 1;
            }
        }

        return stopAtBar ? -1 : p.Length;
    }

    private static bool IsQuantifierStart(byte c) => c is (byte)'?' or (byte)'*' or (byte)'+' or (byte)'{';

    private static bool IsEscapable(byte c) => c is > 0x20 and < 0x7F && !(c is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z');

    /// <summary>Whether the byte at <paramref name="i"/> is escaped by an odd run of backslashes before it.</summary>
    private static bool IsEscaped(ReadOnlySpan<byte> p, int i)
    {
        int backslashes = 0;
        while (i - backslashes - 1 >= 0 && p[i - backslashes - 1] == (byte)'\\')
        {
            backslashes++;
        }

        return (backslashes & 1) == 1;
    }
}
