namespace VirtAudit.LogGenerator;

/// <summary>The log's time (milliseconds, never decreasing) and audit serials (growing, with small gaps).</summary>
internal sealed class LogClock(SeededRandom random, long startSeconds)
{
    public long TimeMs { get; set; } = (startSeconds * 1000) + random.Next(1000);

    public long Serial { get; private set; } = random.Next(1000, 90_000);

    /// <summary>Moves time on by an exponential gap of the given mean.</summary>
    public void Tick(double meanMs) => TimeMs += random.Exponential(meanMs);

    /// <summary>The next event's serial: one more, or now and then two or three more (lost or filtered events).</summary>
    public long NextSerial()
    {
        Serial += random.Chance(0.9) ? 1 : random.Next(2, 4);
        return Serial;
    }
}
