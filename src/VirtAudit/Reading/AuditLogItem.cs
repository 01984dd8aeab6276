using System.Diagnostics.CodeAnalysis;

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
/// <remarks>
/// <see cref="Record"/> and <see cref="Error"/> return references into the item, so that
/// <c>ref readonly var record = ref reader.Current.Record;</c> reads a record without copying it.
/// </remarks>
public readonly struct AuditLogItem
{
    private static readonly AuditLogRecord NoRecord;
    private static readonly AuditLogError NoError;

    // The reader fills these in place (RecordSlot, ErrorSlot); an item of the other kind keeps stale contents that
    // Record / Error never show.
    private readonly AuditLogRecord _record;
    private readonly AuditLogError _error;
    private readonly AuditLogItemKind _kind;

    internal AuditLogItem(in AuditLogRecord record)
    {
        _kind = AuditLogItemKind.Record;
        _record = record;
        _error = default;
    }

    internal AuditLogItem(in AuditLogError error)
    {
        _kind = AuditLogItemKind.Error;
        _record = default;
        _error = error;
    }

    /// <summary>Whether the item is a record or an error.</summary>
    public AuditLogItemKind Kind => _kind;

    /// <summary>True for a record.</summary>
    public bool IsRecord => Kind == AuditLogItemKind.Record;

    /// <summary>True for an error item.</summary>
    public bool IsError => Kind == AuditLogItemKind.Error;

    /// <summary>The record; <c>default</c> unless <see cref="IsRecord"/>. A reference into the item: no copy.</summary>
    [UnscopedRef]
    public ref readonly AuditLogRecord Record => ref Kind == AuditLogItemKind.Record ? ref _record : ref NoRecord;

    /// <summary>The error; <c>default</c> unless <see cref="IsError"/>. A reference into the item: no copy.</summary>
    [UnscopedRef]
    public ref readonly AuditLogError Error => ref Kind == AuditLogItemKind.Error ? ref _error : ref NoError;

    // The storage the reader fills in place (see AuditLogReader.TryProduce).
    internal ref AuditLogRecord RecordSlot => ref System.Runtime.CompilerServices.Unsafe.AsRef(in _record);

    internal ref AuditLogItemKind KindSlot => ref System.Runtime.CompilerServices.Unsafe.AsRef(in _kind);

    internal ref AuditLogError ErrorSlot => ref System.Runtime.CompilerServices.Unsafe.AsRef(in _error);

    /// <summary>The 1-based line number in the input.</summary>
    public long LineNumber => IsRecord ? _record.LineNumber : IsError ? _error.LineNumber : 0;

    /// <summary>The byte offset of the line's first byte in the input.</summary>
    public long Offset => IsRecord ? _record.Offset : IsError ? _error.Offset : 0;
}
