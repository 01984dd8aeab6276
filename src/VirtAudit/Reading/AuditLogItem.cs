namespace VirtAudit;

/// <summary>What an <see cref="AuditLogItem"/> holds.</summary>
public enum AuditLogItemKind : byte
{
    /// <summary>Nothing (<c>default</c>, or the reader is at the end).</summary>
    None = 0,

    /// <summary>A record: <see cref="AuditLogItem.Record"/>.</summary>
    Record = 1,

    /// <summary>A line that did not become a record: <see cref="AuditLogItem.Error"/>.</summary>
    Error = 2,
}

/// <summary>
/// One line of the input as the <see cref="AuditLogReader"/> read it: a record or an error item. Its memory is the
/// reader's buffer and stays valid until the next read.
/// </summary>
public readonly struct AuditLogItem
{
    internal AuditLogItem(in AuditLogRecord record)
    {
        Kind = AuditLogItemKind.Record;
        Record = record;
        Error = default;
    }

    internal AuditLogItem(in AuditLogError error)
    {
        Kind = AuditLogItemKind.Error;
        Record = default;
        Error = error;
    }

    /// <summary>Whether the item is a record or an error.</summary>
    public AuditLogItemKind Kind { get; }

    /// <summary>True for a record.</summary>
    public bool IsRecord => Kind == AuditLogItemKind.Record;

    /// <summary>True for an error item.</summary>
    public bool IsError => Kind == AuditLogItemKind.Error;

    /// <summary>The record; <c>default</c> unless <see cref="IsRecord"/>.</summary>
    public AuditLogRecord Record { get; }

    /// <summary>The error; <c>default</c> unless <see cref="IsError"/>.</summary>
    public AuditLogError Error { get; }

    /// <summary>The 1-based line number in the input.</summary>
    public long LineNumber => IsRecord ? Record.LineNumber : Error.LineNumber;

    /// <summary>The byte offset of the line's first byte in the input.</summary>
    public long Offset => IsRecord ? Record.Offset : Error.Offset;
}
