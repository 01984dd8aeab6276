using System.Text;

namespace VirtAudit.Tests.Properties;

/// <summary>
/// Makes strings that match a schema pattern (<c>Pattern</c>, <c>PatternsByValue</c> of <c>[AuditField]</c>), so the
/// property tests reach the variants whose fields are constrained without listing values by hand. Knows the regular
/// expression subset the schema uses: literals, <c>\.</c> escapes, classes with ranges and <c>^</c>, groups with
/// <c>|</c>, and the quantifiers <c>? * + {n} {n,m}</c>; anything else throws, so a new pattern gets noticed.
/// </summary>
internal sealed class PatternSampler
{
    private readonly string _pattern;
    private readonly Random _random;
    private int _at;

    private PatternSampler(string pattern, Random random)
    {
        _pattern = pattern;
        _random = random;
    }

    /// <summary>One string matching <paramref name="pattern"/> (anchored with <c>^…$</c>).</summary>
    public static string Sample(string pattern, Random random)
    {
        if (!pattern.StartsWith('^') || !pattern.EndsWith('$'))
        {
            throw new NotSupportedException($"pattern {pattern} is not anchored");
        }

        var sampler = new PatternSampler(pattern.Substring(1, pattern.Length - 2), random);
        var output = new StringBuilder();
        sampler.Alternation(output);
        if (sampler._at != sampler._pattern.Length)
        {
            throw new NotSupportedException($"pattern {pattern}: cannot sample past offset {sampler._at}");
        }

        return output.ToString();
    }

    private void Alternation(StringBuilder output)
    {
        var branches = new List<StringBuilder>();
        do
        {
            var branch = new StringBuilder();
            Sequence(branch);
            branches.Add(branch);
        }
        while (_at < _pattern.Length && _pattern[_at] == '|' && ++_at > 0);

        output.Append(branches[_random.Next(branches.Count)]);
    }

    private void Sequence(StringBuilder output)
    {
        while (_at < _pattern.Length && _pattern[_at] is not ('|' or ')'))
        {
            int start = _at;
            var atom = new StringBuilder();
            Atom(atom);
            int end = _at;
            (int min, int max) = Quantifier();
            int after = _at;
            int count = _random.Next(min, max + 1);
            for (int i = 0; i < count; i++)
            {
                if (i > 0)
                {
                    // each repetition picks afresh
                    _at = start;
                    atom.Clear();
                    Atom(atom);
                    _at = end;
                }

                output.Append(atom);
            }

            _at = after;
        }
    }

    private (int Min, int Max) Quantifier()
    {
        if (_at >= _pattern.Length)
        {
            return (1, 1);
        }

        switch (_pattern[_at])
        {
            case '?':
                _at++;
                return (0, 1);
            case '*':
                _at++;
                return (0, 4);
            case '+':
                _at++;
                return (1, 4);
            case '{':
                int close = _pattern.IndexOf('}', _at);
                string[] bounds = _pattern.Substring(_at + 1, close - _at - 1).Split(',');
                _at = close + 1;
                int min = int.Parse(bounds[0]);
                return (min, bounds.Length == 1 ? min : bounds[1].Length == 0 ? min + 4 : int.Parse(bounds[1]));
            default:
                return (1, 1);
        }
    }

    private void Atom(StringBuilder output)
    {
        char c = _pattern[_at++];
        switch (c)
        {
            case '(':
                Alternation(output);
                if (_at >= _pattern.Length || _pattern[_at++] != ')')
                {
                    throw new NotSupportedException($"pattern {_pattern}: unclosed group");
                }

                break;
            case '[':
                output.Append(Class());
                break;
            case '\\':
                output.Append(_pattern[_at++]);
                break;
            case '.' or '^' or '$' or '*' or '+' or '?' or '{':
                throw new NotSupportedException($"pattern {_pattern}: '{c}' at {_at - 1} is not in the sampled subset");
            default:
                output.Append(c);
                break;
        }
    }

    private char Class()
    {
        bool negated = _pattern[_at] == '^';
        if (negated)
        {
            _at++;
        }

        var members = new HashSet<char>();
        while (_pattern[_at] != ']')
        {
            char from = _pattern[_at] == '\\' ? _pattern[++_at] : _pattern[_at];
            _at++;
            char to = from;
            if (_pattern[_at] == '-' && _pattern[_at + 1] != ']')
            {
                to = _pattern[_at + 1];
                _at += 2;
            }

            for (char m = from; m <= to; m++)
            {
                members.Add(m);
            }
        }

        _at++;
        var choices = negated
            ? Enumerable.Range(0x21, 0x7E - 0x21 + 1).Select(i => (char)i).Where(ch => !members.Contains(ch)).ToArray()
            : members.ToArray();
        return choices[_random.Next(choices.Length)];
    }
}
