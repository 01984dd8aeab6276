using VirtAudit.Fuzz;
using VirtAudit.Testing;

namespace VirtAudit.Tests.Fuzzing;

/// <summary>
/// The fuzz targets (fuzz/VirtAudit.Fuzz/FuzzTargets.cs) run in-process, without afl: on their seeds (the real
/// capture and the generator), on the inputs afl kept for new coverage in the 30-minute run (fuzz/corpus/TARGET),
/// and on every crash or hang it ever found (fuzz/regressions/TARGET, one file each, named after the finding;
/// docs/reliability.md lists them). Each target checks its invariants and throws <see cref="FuzzFinding"/> when one
/// breaks.
/// </summary>
public class FuzzRegressionTests
{
    public static IEnumerable<object[]> Targets => FuzzTargets.Names.Select(t => new object[] { t });

    [Theory]
    [MemberData(nameof(Targets))]
    public void The_seeds_pass_every_target_invariant(string target)
    {
        IReadOnlyList<byte[]> seeds = FuzzSeeds.For(target, Repository.Root);
        Assert.True(seeds.Count >= 10, $"{target}: only {seeds.Count} seeds");
        foreach (byte[] seed in seeds)
        {
            FuzzTargets.Run(target, seed);
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void The_kept_fuzz_corpus_and_every_regression_pass_every_target(string target)
    {
        var files = new List<string>();
        foreach (string folder in new[] { "corpus", "regressions" })
        {
            string path = Path.Combine(Repository.Root, "fuzz", folder, target);
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.GetFiles(path));
            }
        }

        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            byte[] input = File.ReadAllBytes(file);
            foreach (string each in FuzzTargets.Names)
            {
                // every kept input through every target: a reader input is a line too, and the other way round
                try
                {
                    FuzzTargets.Run(each, input);
                }
                catch (Exception e)
                {
                    Assert.Fail($"{Path.GetFileName(file)} ({target}) through {each}: {e}");
                }
            }
        }
    }

    [Fact]
    public void A_broken_invariant_is_reported_as_a_finding()
    {
        // the harness really checks: a record type outside VIRT with a message is not typed, and the dispatch target
        // accepts it; an unknown target name is refused
        FuzzTargets.Run("dispatch", [3, (byte)'x']);
        Assert.Throws<ArgumentException>(() => FuzzTargets.Run("nothing", []));
        Assert.Throws<FuzzFinding>(() => FuzzTargets.Require(false, "checked"));
    }
}
