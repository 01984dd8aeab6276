namespace VirtAudit;

/// <summary>
/// What a rendering's prefix parser found before the record itself: the rendering, and where the time stamp and the
/// host it printed are in the line (offsets from the line's start; a length of 0 when absent).
/// </summary>
internal readonly struct LinePrefix
{
    public LinePrefix(AuditRendering rendering, int timeStart, int timeLength, int hostStart, int hostLength)
    {
        Rendering = rendering;
        TimeStart = timeStart;
        TimeLength = timeLength;
        HostStart = hostStart;
        HostLength = hostLength;
    }

    public AuditRendering Rendering { get; }

    public int TimeStart { get; }

    public int TimeLength { get; }

    public int HostStart { get; }

    public int HostLength { get; }

    /// <summary>A prefix of <paramref name="rendering"/> that printed neither time nor host.</summary>
    public static LinePrefix Bare(AuditRendering rendering) => new(rendering, 0, 0, 0, 0);

    public LinePrefix WithRendering(AuditRendering rendering) => new(rendering, TimeStart, TimeLength, HostStart, HostLength);

    /// <summary>The same parts, <paramref name="offset"/> bytes further into the line.</summary>
    public LinePrefix Shift(int offset) =>
        offset == 0 ? this : new(Rendering, TimeStart + offset, TimeLength, HostLength > 0 ? HostStart + offset : 0, HostLength);
}
