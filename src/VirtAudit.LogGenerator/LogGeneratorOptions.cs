namespace VirtAudit.LogGenerator;

/// <summary>Which of auditd's two on-disk formats the records of an <see cref="LogRendering.Auditd"/> log are in.</summary>
public enum LogFormat
{
    /// <summary>Each event RAW or ENRICHED at random (<see cref="LogGeneratorOptions.EnrichedShare"/>).</summary>
    Mixed,

    /// <summary><c>log_format = RAW</c>: no interpreted tail.</summary>
    Raw,

    /// <summary><c>log_format = ENRICHED</c>: a 0x1D byte and the interpreted ids after records that carry ids.</summary>
    Enriched,
}

/// <summary>How each record reaches the file: as auditd writes it, or as another program shows it.</summary>
public enum LogRendering
{
    /// <summary>auditd's own <c>audit.log</c> line (<see cref="LogFormat"/> decides RAW or ENRICHED).</summary>
    Auditd,

    /// <summary>journald's short form: <c>May 12 12:48:00 HOST audit[PID]: TYPE BODY</c> (no stamp, no tail).</summary>
    Journald,

    /// <summary>An auditd line forwarded by audisp-syslog: <c>May 12 12:48:00 HOST audisp-syslog: type=… msg=audit(…): …</c>.</summary>
    Syslog,

    /// <summary>The kernel's printk (dmesg): <c>[  SECONDS.micro] audit: type=NNNN audit(…): BODY</c>.</summary>
    Printk,

    /// <summary>
    /// <c>ausearch -i</c>: a <c>----</c> line before each event, then its records with a local date and time, ids
    /// named, quotes removed and hex decoded (the separators count as lines).
    /// </summary>
    Interpreted,
}

/// <summary>What to generate. The same options (seed included) always give the same bytes.</summary>
public sealed record LogGeneratorOptions
{
    /// <summary>Lines to write (the last event may be cut short to hit it exactly).</summary>
    public required long Lines { get; init; }

    /// <summary>Seed of the generator's own PRNG.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Fraction of lines that are VIRT_* records (the rest: kernel and user-space traffic).</summary>
    public double VirtShare { get; init; } = 0.5;

    /// <summary>RAW, ENRICHED or both (for <see cref="LogRendering.Auditd"/>).</summary>
    public LogFormat Format { get; init; } = LogFormat.Mixed;

    /// <summary>In <see cref="LogFormat.Mixed"/>: the fraction of events written ENRICHED.</summary>
    public double EnrichedShare { get; init; } = 0.5;

    /// <summary>
    /// Probability that a guest's name or a free-form path has a space, a double quote or a non-ASCII byte, so that
    /// libvirt writes it in hex. 0.26 makes about 10 % of the encoded string values of VIRT records hex.
    /// </summary>
    public double Awkward { get; init; } = 0.26;

    /// <summary>Probability that a multi-record kernel event has an unrelated one-record event written inside it.</summary>
    public double Interleave { get; init; } = 0.01;

    /// <summary>Number of simulated guests.</summary>
    public int Guests { get; init; } = 200;

    /// <summary>Fraction of guests whose host logs with a <c>node=</c> prefix (0: none, as a single host's log).</summary>
    public double NodeShare { get; init; }

    /// <summary>Epoch seconds of the first record.</summary>
    public long StartTime { get; init; } = 1_700_000_000;

    /// <summary>auditd's line, or journald, syslog, printk or <c>ausearch -i</c>.</summary>
    public LogRendering Rendering { get; init; } = LogRendering.Auditd;

    /// <summary>Throws on a value out of range, naming the option.</summary>
    public void Validate()
    {
        Check(Lines >= 0, nameof(Lines), Lines, "must be 0 or more");
        Check(VirtShare is >= 0 and <= 1, nameof(VirtShare), VirtShare, "must be between 0 and 1");
        Check(EnrichedShare is >= 0 and <= 1, nameof(EnrichedShare), EnrichedShare, "must be between 0 and 1");
        Check(Awkward is >= 0 and <= 1, nameof(Awkward), Awkward, "must be between 0 and 1");
        Check(Interleave is >= 0 and <= 1, nameof(Interleave), Interleave, "must be between 0 and 1");
        Check(NodeShare is >= 0 and <= 1, nameof(NodeShare), NodeShare, "must be between 0 and 1");
        Check(Guests >= 1, nameof(Guests), Guests, "must be 1 or more");
        Check(StartTime is >= 0 and < 10_000_000_000, nameof(StartTime), StartTime, "must be epoch seconds of 10 digits or fewer");
    }

    private static void Check(bool ok, string name, object value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} {rule}");
        }
    }
}
