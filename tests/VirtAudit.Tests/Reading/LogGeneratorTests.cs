using VirtAudit.LogGenerator;

namespace VirtAudit.Tests.Reading;

/// <summary>The generator the large-log tests and the benchmarks stand on: deterministic, exact, and strict about options.</summary>
public class LogGeneratorTests
{
    [Fact]
    public void The_same_options_give_the_same_bytes_and_another_seed_other_bytes()
    {
        (byte[] first, LogStatistics stats) = GeneratedLogs.Create(3000, 42);
        (byte[] again, _) = GeneratedLogs.Create(3000, 42);
        (byte[] other, _) = GeneratedLogs.Create(3000, 43);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(first.Length, stats.Bytes);
    }

    [Theory]
    [InlineData(LogRendering.Auditd, LogFormat.Mixed)]
    [InlineData(LogRendering.Auditd, LogFormat.Enriched)]
    [InlineData(LogRendering.Journald, LogFormat.Mixed)]
    [InlineData(LogRendering.Syslog, LogFormat.Raw)]
    [InlineData(LogRendering.Printk, LogFormat.Mixed)]
    [InlineData(LogRendering.Interpreted, LogFormat.Mixed)]
    public void Exactly_the_lines_asked_for_are_written_and_counted(LogRendering rendering, LogFormat format)
    {
        (byte[] log, LogStatistics stats) = AuditLogGenerator.Generate(new LogGeneratorOptions { Lines = 2345, Seed = 9, Rendering = rendering, Format = format });

        Assert.Equal(2345, log.Count(b => b == (byte)'\n'));
        Assert.Equal((byte)'\n', log[^1]);
        Assert.Equal(2345, stats.Lines);
        Assert.Equal(log.Length, stats.Bytes);
        Assert.Equal(log.Count(b => b == 0x1D), stats.EnrichedLines);
        Assert.All(log, b => Assert.True(b is 0x0A or 0x1D || (b >= 0x20 && b < 0x7F) || (rendering == LogRendering.Interpreted && b >= 0x80), $"byte 0x{b:X2}"));
        long records = stats.ByType.Values.Sum();
        Assert.Equal(rendering == LogRendering.Interpreted ? 2345 - log.AsSpan().Count("----\n"u8) : 2345, records);
        Assert.Equal(stats.VirtLines, stats.ByVariant.Values.Sum());
    }

    [Fact]
    public void No_lines_is_an_empty_log()
    {
        (byte[] log, LogStatistics stats) = GeneratedLogs.Create(0, 1);
        Assert.Empty(log);
        Assert.Equal(0, stats.Lines);
    }

    [Theory]
    [InlineData("VirtShare")]
    [InlineData("Guests")]
    [InlineData("Lines")]
    public void An_option_out_of_range_is_refused_by_name(string option)
    {
        var options = new LogGeneratorOptions { Lines = 10 };
        options = option switch
        {
            "VirtShare" => options with { VirtShare = 1.5 },
            "Guests" => options with { Guests = 0 },
            _ => options with { Lines = -1 },
        };

        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => AuditLogGenerator.Generate(options));
        Assert.Equal(option, e.ParamName);
        Assert.StartsWith(option + " must", e.Message, StringComparison.Ordinal);
    }
}
