using System.Diagnostics;
using System.Text;
using static VirtAudit.Tests.Bytes;

namespace VirtAudit.Tests.Hostile;

/// <summary>Issue 12, finding 1: the trailer search must be linear in the message's length.</summary>
public class TrailerSearchTests
{
    private const string Head = "virt=kvm resrc=shmem reason=start vm=\"a\" uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 size=1 path=/x";

    private static byte[] Pairs(int count, string ending)
    {
        var text = new StringBuilder(Head);
        for (int i = 0; i < count; i++)
        {
            text.Append(" exe= hostname=");
        }

        return U(text.Append(ending).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData(" addr=? terminal=? res=oops")]
    [InlineData(" addr=? terminal=?")]
    public void Many_exe_hostname_pairs_without_a_valid_ending_have_no_trailer(string ending)
    {
        Assert.False(AuditTrailer.TrySplit(Pairs(1000, ending), out ReadOnlyMemory<byte> part, out AuditTrailer trailer));
        Assert.True(trailer.IsMissing);
        Assert.Equal(Pairs(1000, ending).Length, part.Length);
    }

    [Fact]
    public void Many_pairs_before_a_valid_ending_take_the_last_exe()
    {
        byte[] message = Pairs(1000, " exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success");

        Assert.True(AuditTrailer.TrySplit(message, out ReadOnlyMemory<byte> part, out AuditTrailer trailer));
        Assert.Equal("/usr/sbin/virtqemud", trailer.Exe.Value);
        Assert.True(trailer.Success);
        Assert.EndsWith(" exe= hostname=", S(part), StringComparison.Ordinal);
    }

    // A clock is unavoidable here (the search has no work counter to read). The ratio is generous: linear work grows
    // 100 times from 1x to 100x, the old quadratic search 10,000 times; the assertion allows 1,500 (and 10x: 150).
    [Fact]
    public void Search_time_grows_linearly_with_the_number_of_pairs()
    {
        long t1 = Fastest(Pairs(1000, " addr=? terminal=? res=oops"));
        long t10 = Fastest(Pairs(10_000, " addr=? terminal=? res=oops"));
        long t100 = Fastest(Pairs(100_000, " addr=? terminal=? res=oops"));

        Assert.True(t10 < 150 * Math.Max(t1, 1), $"1x {t1} ticks, 10x {t10} ticks");
        Assert.True(t100 < 1500 * Math.Max(t1, 1), $"1x {t1} ticks, 100x {t100} ticks");
    }

    private static long Fastest(byte[] message)
    {
        long best = long.MaxValue;
        for (int run = 0; run < 5; run++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < 10; i++)
            {
                AuditTrailer.TrySplit(message, out _, out _);
            }

            best = Math.Min(best, Stopwatch.GetTimestamp() - start);
        }

        return best;
    }
}
