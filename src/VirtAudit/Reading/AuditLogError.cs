using System;
using System.Globalization;

namespace VirtAudit;

/// <summary>Why a line did not become a record.</summary>
public enum AuditLogErrorKind : byte
{
    /// <summary>No error (<c>default</c>).</summary>
    None = 0,

    /// <summary>The line is an audit record in some rendering, but a part of it is malformed (see <see cref="AuditLogError.Part"/>).</summary>
    Malformed = 1,

    /// <summary>
    /// The line matches no rendering: it is not an audit record (or a syslog line of another program). A corrupted
    /// audit.log line whose start is damaged lands here too.
    /// </summary>
    NotAuditRecord = 2,

    /// <summary>
    /// The line is longer than <see cref="AuditLogReaderOptions.MaxLineLength"/>: it was skipped without being held in
    /// memory, and <see cref="AuditLogError.Line"/> keeps only its first bytes.
    /// </summary>
    LineTooLong = 3,

    /// <summary>An empty line, or one of spaces and tabs only. Carries nothing; <see cref="AuditLogError.IsSkippable"/>.</summary>
    Blank = 4,

    /// <summary>
    /// A line <c>ausearch</c> prints between records (<c>----</c>, <c>time-&gt;Sun May 12 12:48:00 2024</c>). Carries no
    /// record; <see cref="AuditLogError.IsSkippable"/>.
    /// </summary>
    Separator = 5,
}

/// <summary>
/// A line that did not become a record: where it was, why, and its bytes (valid until the next read). The reader goes
/// on after it; for every input, lines read = records + errors (+ the lines of a daemon log it skipped or joined, see
/// <see cref="AuditLogReader.LinesSkipped"/> and <see cref="AuditLogReader.LinesJoined"/>).
/// </summary>
public readonly struct AuditLogError
{
    private readonly string? _reason;
    private readonly string? _part;

    internal AuditLogError(AuditLogErrorKind kind, long lineNumber, long offset, int position, string reason, string part, ReadOnlyMemory<byte> line, long lineLength)
    {
        Kind = kind;
        LineNumber = lineNumber;
        Offset = offset;
        Position = position;
        _reason = reason;
        _part = part;
        Line = line;
        LineLength = lineLength;
    }

    /// <summary>Why the line did not become a record.</summary>
    public AuditLogErrorKind Kind { get; }

    /// <summary>The 1-based line number in the input.</summary>
    public long LineNumber { get; }

    /// <summary>The byte offset of the line's first byte in the input.</summary>
    public long Offset { get; }

    /// <summary>Where in the line the problem was found, in bytes from its start.</summary>
    public int Position { get; }

    /// <summary>The byte offset of the problem in the input: <see cref="Offset"/> + <see cref="Position"/>.</summary>
    public long ErrorOffset => Offset + Position;

    /// <summary>A short English reason (a static string: reporting allocates nothing).</summary>
    public string Reason => _reason ?? string.Empty;

    /// <summary>
    /// The part of the line being read (the <see cref="AuditLineError.Part"/> names, or <c>line</c>); empty when there
    /// is no error.
    /// </summary>
    public string Part => _part ?? string.Empty;

    /// <summary>
    /// The line's bytes without its line end, valid until the next read; for <see cref="AuditLogErrorKind.LineTooLong"/>
    /// only its first bytes.
    /// </summary>
    public ReadOnlyMemory<byte> Line { get; }

    /// <summary>The length of the whole line in bytes, without its line end.</summary>
    public long LineLength { get; }

    /// <summary>True for lines that carry nothing (<see cref="AuditLogErrorKind.Blank"/>, <see cref="AuditLogErrorKind.Separator"/>).</summary>
    public bool IsSkippable => Kind is AuditLogErrorKind.Blank or AuditLogErrorKind.Separator;

    /// <summary>The error as one sentence (allocates), e.g. <c>line 7 (byte 1234): serial: expected digits</c>.</summary>
    /// <returns>The description; empty for <c>default</c>.</returns>
    public override string ToString() =>
        Kind == AuditLogErrorKind.None
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $"line {LineNumber} (byte {ErrorOffset}): {Part}: {Reason}");
}
