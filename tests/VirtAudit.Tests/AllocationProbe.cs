namespace VirtAudit.Tests;

/// <summary>
/// Bytes allocated on the current thread by a batch of work, measured the way a zero-allocation claim can be held
/// to exactly. The runtime itself may allocate on the measuring thread while a method is promoted from tier 0 to
/// tier 1 (call counting, on-stack replacement), which lands inside a batch at a time that depends on the machine's
/// load. So the batch runs up to <see cref="Attempts"/> times and the smallest count is reported: code that allocates
/// per call allocates in every batch, so a non-zero minimum is a real allocation, and a zero is never luck.
/// </summary>
internal static class AllocationProbe
{
    public const int Attempts = 5;

    /// <summary>
    /// The fewest bytes any of up to <see cref="Attempts"/> runs of <paramref name="batch"/> allocated (stopping at the
    /// first run that allocated none), and the sum of what every run returned, for the caller to check the work was done.
    /// </summary>
    public static (long MinAllocated, long Sum, int Runs) Measure(Func<long> batch)
    {
        long min = long.MaxValue;
        long sum = 0;
        int runs = 0;
        while (runs < Attempts && min != 0)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            sum += batch();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            min = Math.Min(min, allocated);
            runs++;
        }

        return (min, sum, runs);
    }

    /// <summary>
    /// Measures <paramref name="batch"/> and fails, naming <paramref name="what"/> and the bytes, unless some run
    /// allocated nothing; returns the sum of what the runs returned and how many ran.
    /// </summary>
    public static (long Sum, int Runs) AssertAllocatesNothing(string what, Func<long> batch)
    {
        (long allocated, long sum, int runs) = Measure(batch);
        Assert.True(allocated == 0, $"{what}: {allocated} bytes allocated (the fewest of {runs} batches)");
        return (sum, runs);
    }
}

/// <summary>
/// Named checks inside code the probe measures: a check costs no allocation (its name is a literal), and a failure
/// message names the first check that failed instead of a bare score.
/// </summary>
internal sealed class Checks
{
    public long Passed { get; private set; }

    public long Failed { get; private set; }

    public string? FirstFailure { get; private set; }

    /// <summary>1 when <paramref name="condition"/> holds; else 0, and the failure is recorded under <paramref name="name"/>.</summary>
    public long That(bool condition, string name)
    {
        if (condition)
        {
            Passed++;
            return 1;
        }

        Failed++;
        FirstFailure ??= name;
        return 0;
    }

    public void AssertAllPassed() =>
        Assert.True(Failed == 0, $"{Failed} of {Passed + Failed} checks failed; the first: {FirstFailure}");
}
