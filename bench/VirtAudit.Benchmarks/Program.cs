using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace VirtAudit.Benchmarks;

/// <summary>
/// Runs the benchmarks: <c>dotnet run -c Release --project bench/VirtAudit.Benchmarks -- --filter '*'</c>.
/// Any BenchmarkDotNet option works (<c>--list flat</c>, <c>--filter '*Encode*'</c>, <c>--iterationCount 15</c>,
/// <c>--inProcess</c>): job options given on the command line change the short default job below instead of adding
/// a second one.
/// </summary>
public static class Program
{
    /// <summary>
    /// The default job: one launch, 3 warm-up and 7 measured iterations, so that the whole suite runs in a few
    /// minutes on two cores; the median is shown because the machines these run on are shared and noisy.
    /// </summary>
    public static readonly Job ShortJob = Job.Default
        .WithId("Short")
        .WithLaunchCount(1)
        .WithWarmupCount(3)
        .WithIterationCount(7)
        .AsDefault();

    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        if (args.Length >= 2 && args[0] == "throughput")
        {
            return ReaderThroughput.Run(args);
        }

        var config = DefaultConfig.Instance
            .AddJob(ShortJob)
            .AddColumn(StatisticColumn.Median);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }
}
