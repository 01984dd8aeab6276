using System.Runtime.InteropServices;
using System.Text;

namespace VirtAudit.Tests.Hostile;

/// <summary>
/// Issue 12: hostile lines take time linear in their length. Each shape is read at 1×, 10× and 100× its base size,
/// the smaller ones repeated so that every size reads the same number of bytes (100 lines of 1×, 10 of 10×, 1 of
/// 100×). Linear time then means equal work at every size; the test allows 4× (so 100× the input may take at most
/// 400× the time of one base line), where the quadratic search of finding 1 took 10,000×. Time is the thread's own
/// CPU time (clock_gettime(CLOCK_THREAD_CPUTIME_ID)), the least of seven runs, so a loaded machine does not make it
/// flake: other processes do not count, and the least run is the one least disturbed.
/// </summary>
public class LinearTimeTests
{
    private const string Header = HostileCheck.Header;
    private const string Guest = HostileCheck.Guest;
    private const string Trailer = HostileCheck.Trailer;

    /// <summary>Each shape: a line with <c>n</c> repetitions of its hostile part (base n gives ~6 KB).</summary>
    private static readonly Dictionary<string, Func<int, string>> Shapes = new()
    {
        ["exe= hostname= pairs, no ending (finding 1)"] = n => Header + "virt=kvm resrc=shmem reason=start " + Guest + " size=1 path=/x" + Repeat(" exe= hostname=", n) + "'",
        ["many fields"] = n => Header + "virt=kvm resrc=disk reason=start " + Guest + Repeat(" a=b", n) + Trailer,
        ["long hex name"] = n => Header + "virt=kvm resrc=disk reason=start vm=" + Repeat("4142", n) + " uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-disk=\"?\" new-disk=\"/x\"" + Trailer,
        ["raw path of key= words"] = n => Header + "virt=kvm resrc=evdev reason=start " + Guest + " path=/dev/input/x" + Repeat(" vm=e res=failed", n) + Trailer,
        ["quotes"] = n => Header + "virt=kvm op=start " + Repeat("'x", n),
        ["separators"] = n => Header + "virt=kvm op=start" + Trailer + Repeat("\u001dUID=\"r\"", n),
        ["res= words"] = n => Header + "virt=kvm resrc=shmem reason=start " + Guest + " size=1 path=/x" + Repeat(" res=success", n),
        ["unclosed quoted value"] = n => Header + "virt=kvm resrc=disk reason=start vm=\"" + Repeat("ab", n),
        ["JSON escapes"] = n => "{\"component\":\"virt-launcher\",\"level\":\"info\",\"msg\":\"success=yes virt=qemu resrc=net vm=\\\"" + Repeat("\\u0041", n) + "\",\"subcomponent\":\"libvirt\"}",
        ["daemon log fields"] = n => "2026-11-24 17:52:13.183+0000: 2817: info : virDomainAuditNetDevice:318 : success=yes virt=qemu resrc=net reason=open" + Repeat(" a=b", n),
    };

    public static IEnumerable<object[]> ShapeNames => Shapes.Keys.Select(k => new object[] { k });

    [SkippableTheory]
    [MemberData(nameof(ShapeNames))]
    public void Time_grows_linearly_with_the_input(string shape)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the thread's CPU time is read with Linux's clock_gettime");
        int unit = Math.Max(1, 6000 / Math.Max(1, Shapes[shape](1).Length - Shapes[shape](0).Length));
        byte[] small = Encoding.Latin1.GetBytes(Shapes[shape](unit));
        byte[] medium = Encoding.Latin1.GetBytes(Shapes[shape](unit * 10));
        byte[] large = Encoding.Latin1.GetBytes(Shapes[shape](unit * 100));

        Read(small, 3); // JIT and the pool warm

        double t1 = LeastCpuTime(() => Read(small, 100));
        double t10 = LeastCpuTime(() => Read(medium, 10));
        double t100 = LeastCpuTime(() => Read(large, 1));
        Assert.True(t10 < 4 * t1 && t100 < 4 * t1, $"{shape}: {small.Length} bytes ×100 {t1:F2} ms, {medium.Length} ×10 {t10:F2} ms, {large.Length} ×1 {t100:F2} ms");
    }

    /// <summary>The line through the line parser, the registry and the reader, <paramref name="times"/> times.</summary>
    private static void Read(byte[] line, int times)
    {
        for (int i = 0; i < times; i++)
        {
            if (AuditLine.TryParseAny(line, out AuditLine parsed, out _) && parsed.TypeNumber is >= 2500 and <= 2599)
            {
                _ = VirtAuditRegistry.Default.Parse(parsed.TypeNumber, parsed.Message);
            }

            using var reader = new AuditLogReader(new MemoryStream(line), new AuditLogReaderOptions { MaxLineLength = 4 << 20 });
            while (reader.Read())
            {
                if (reader.Current.IsRecord)
                {
                    _ = reader.Current.Record.Virt.IsTyped;
                }
            }
        }
    }

    private static double LeastCpuTime(Action action)
    {
        double least = double.MaxValue;
        for (int run = 0; run < 7; run++)
        {
            double start = ThreadCpuMilliseconds();
            action();
            least = Math.Min(least, ThreadCpuMilliseconds() - start);
        }

        return least;
    }

    private static double ThreadCpuMilliseconds()
    {
        const int ClockThreadCpuTimeId = 3;
        if (clock_gettime(ClockThreadCpuTimeId, out Timespec now) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed: " + Marshal.GetLastPInvokeError());
        }

        return now.Seconds * 1000.0 + now.Nanoseconds / 1_000_000.0;
    }

    private static string Repeat(string part, int n) => new StringBuilder(part.Length * n).Insert(0, part, n).ToString();

    [DllImport("libc", SetLastError = true)]
    private static extern int clock_gettime(int clock, out Timespec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
