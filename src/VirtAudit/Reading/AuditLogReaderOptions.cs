using System;

namespace VirtAudit;

/// <summary>Settings of an <see cref="AuditLogReader"/>.</summary>
public sealed class AuditLogReaderOptions
{
    /// <summary>The default <see cref="MaxLineLength"/>: 1 MiB.</summary>
    public const int DefaultMaxLineLength = 1024 * 1024;

    /// <summary>
    /// The default <see cref="BufferSize"/>: 1 MiB, rented from the shared array pool. Large reads from the input and
    /// few compactions of a partial last line; the memory stays flat (the buffer grows only for a longer line).
    /// </summary>
    public const int DefaultBufferSize = 1024 * 1024;

    private int _maxLineLength = DefaultMaxLineLength;
    private int _bufferSize = DefaultBufferSize;

    /// <summary>The options every reader gets unless given others.</summary>
    public static AuditLogReaderOptions Default { get; } = new();

    /// <summary>
    /// The registry VIRT_* records are typed with; <see cref="VirtAuditRegistry.Default"/> unless set. Null: records
    /// are not typed.
    /// </summary>
    public VirtAuditRegistry? Registry { get; init; } = VirtAuditRegistry.Default;

    /// <summary>
    /// The longest line, in bytes without its line end, that is read as a record (default 1 MiB, far beyond libaudit's
    /// 8970-byte message limit). A longer line becomes a <see cref="AuditLogErrorKind.LineTooLong"/> error item and is
    /// skipped without being held in memory. At least 1 KiB.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1024 or above 1 GiB.</exception>
    public int MaxLineLength
    {
        get => _maxLineLength;
        init => _maxLineLength = value is >= 1024 and <= 1 << 30
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxLineLength), value, "Use 1024 to 1073741824 bytes.");
    }

    /// <summary>
    /// The size of the pooled read buffer (default 1 MiB; a reader uses at most four times <see cref="MaxLineLength"/>
    /// or 64 KiB, whichever is larger). It grows only while a line longer than it is read, up to
    /// <see cref="MaxLineLength"/>, and shrinks back afterwards.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 256 or above 64 MiB.</exception>
    public int BufferSize
    {
        get => _bufferSize;
        init => _bufferSize = value is >= 256 and <= 64 << 20
            ? value
            : throw new ArgumentOutOfRangeException(nameof(BufferSize), value, "Use 256 to 67108864 bytes.");
    }
}
