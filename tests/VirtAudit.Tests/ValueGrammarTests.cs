using System.Text;
using System.Text.RegularExpressions;
using VirtAudit.Schema;

namespace VirtAudit.Tests;

/// <summary>
/// The shared grammar (src/VirtAudit/Schema/ValueGrammar.cs, compiled into the runtime and the analyzer): its pattern
/// matcher means what .NET's regular expressions mean on the subset it accepts, and it refuses the rest.
/// </summary>
public sealed class ValueGrammarTests
{
    private static readonly string[] Patterns =
    [
        @"^r?w?m?$",
        @"^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-9a-f]$",
        @"^([0-9]{3}\.[0-9]{3}|USB redirdev)$",
        @"^[^:]+:[0-9]+:[0-9]+:[0-9]+$",
        @"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        @"^a*a*b$",
        @"^(ab|a)(c|bc)$",
        @"^x{2,}y{0,1}z*$",
        @"^[a\-z]+\$$",
        @"^.+/(dev|sys)/.*$",
        @"^(a(b|c)|d)e$",
        @"^/dev/",
        @"b+c",
        @"x{2}$",
    ];

    private static readonly string[] Values =
    [
        "", "r", "rw", "rwm", "wr", "rm", "xyz", "0000:3b:00.1", "0000:3B:00.1", "3b:00.1", "001.004", "1.4",
        "USB redirdev", "USB redirdevx", "scsi_host0:0:0:0", "scsi_host0:0:x:0", ":0:0:0",
        "c7a5fdbd-cdaf-4455-926a-d65c16db1809", "c7a5fdbd-cdaf-4455-926a-d65c16db180", "aab", "b", "ab", "abc", "abbc",
        "ac", "xx", "xxyz", "xxyyz", "x", "a-z$", "-$", "a", "/x/dev/y", "x/sys/", "/dev", "abe", "ace", "de", "ae", "/dev/kvm", "vhost-vsock", "/dev", "abbbc", "axx",
    ];

    public static TheoryData<string> AllPatterns()
    {
        var data = new TheoryData<string>();
        foreach (var pattern in Patterns)
        {
            data.Add(pattern);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPatterns))]
    public void Patterns_match_what_the_same_regular_expression_matches(string pattern)
    {
        var utf8 = Encoding.UTF8.GetBytes(pattern);
        Assert.Null(ValueGrammar.CheckPattern(utf8));
        var regex = new Regex(pattern, RegexOptions.CultureInvariant);
        foreach (var value in Values)
        {
            Assert.True(
                regex.IsMatch(value) == ValueGrammar.IsMatch(utf8, Encoding.UTF8.GetBytes(value)),
                $"pattern {pattern}, value \"{value}\": regex {regex.IsMatch(value)}");
        }
    }

    [Theory]
    [InlineData("^a|b$", "inside a group")]
    [InlineData(@"^\d+$", "letter escapes")]
    [InlineData("^(ab)+$", "group cannot take a quantifier")]
    [InlineData("^a+?$", "quantifier must follow")]
    [InlineData("^[a-z$", "not closed")]
    [InlineData("^(a|b$", "not closed")]
    [InlineData("^a{3,1}$", "malformed")]
    [InlineData("^(?:a)$", "(? constructs")]
    [InlineData("^a^b$", "stand only where")]
    public void Patterns_outside_the_subset_are_refused_with_the_reason(string pattern, string reason)
    {
        var problem = ValueGrammar.CheckPattern(Encoding.UTF8.GetBytes(pattern));
        Assert.NotNull(problem);
        Assert.Contains(reason, problem);
    }

    [Theory]
    [InlineData("0A:C8", true)]
    [InlineData("1:3", true)]
    [InlineData("FFFFFFFF:0", true)]
    [InlineData("100000000:0", false)]
    [InlineData("0A-C8", false)]
    [InlineData(":C8", false)]
    [InlineData("0A:", false)]
    [InlineData("0A:C8:1", false)]
    public void Device_numbers_parse_by_the_shared_grammar(string text, bool valid)
    {
        Assert.Equal(valid, ValueGrammar.TryParseDeviceNumber(Encoding.ASCII.GetBytes(text), out _, out _));
        Assert.Equal(valid, DeviceNumber.TryParse(text, out _));
    }

    [Theory]
    [InlineData("52:54:00:12:34:56", true)]
    [InlineData("52:54:00:AB:cd:EF", true)]
    [InlineData("52:54:00:zz:34:56", false)]
    [InlineData("52-54-00-12-34-56", false)]
    [InlineData("52:54:00:12:34", false)]
    public void Mac_addresses_parse_by_the_shared_grammar(string text, bool valid)
    {
        Assert.Equal(valid, ValueGrammar.TryParseMac(Encoding.ASCII.GetBytes(text), out _));
        Assert.Equal(valid, MacAddress.TryParse(text, out _));
    }
}
