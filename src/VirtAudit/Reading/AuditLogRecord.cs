using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace VirtAudit;

/// <summary>What the reader noticed about a record, beyond its parts.</summary>
[Flags]
public enum AuditRecordNotes
{
    /// <summary>Nothing to note.</summary>
    None = 0,

    /// <summary>The line has no <c>audit(…)</c> stamp (journald, daemon logs): time and serial are absent.</summary>
    NoStamp = 1,

    /// <summary>
    /// An <c>ausearch -i</c> line: values are decoded and ids are names, so a VIRT record is recognized but not typed
    /// and cannot be re-encoded.
    /// </summary>
    Interpreted = 2,

    /// <summary>
    /// The <c>msg='…'</c> was cut: it has no closing quote (the line was cut short), or it is 8560 bytes long, the
    /// kernel's limit, without libaudit's <c>res=</c> at its end (<see cref="AuditLine.IsMessageTruncated"/>).
    /// </summary>
    Truncated = 4,

    /// <summary>
    /// A VIRT_* record whose payload is not libvirt's (e.g. the docker daemon's <c>VIRT_CONTROL</c> with
    /// <c>reason=api op=… user=…</c>): kept as a generic record, never typed.
    /// </summary>
    NotLibvirt = 8,

    /// <summary>A libvirt VIRT_* payload that no variant of the registry types; <see cref="VirtAuditRecord.Error"/> says why.</summary>
    Untyped = 16,

    /// <summary>A record type of the VIRT range (2500–2599) that the registry has no variant for (libvirt writes only 2500–2502).</summary>
    OtherVirtType = 32,

    /// <summary>
    /// A typed record with more than one reading: a raw value (<c>vm-ctx</c>, <c>img-ctx</c>, a shmem, ivshmem-socket or
    /// evdev <c>path</c>) holds <c> key=</c> text of its own field, of a later one or of libaudit's trailer. The record
    /// holds the reading libvirt's format implies; <see cref="VirtAuditRecord.AmbiguityDescription"/> names the other.
    /// </summary>
    Ambiguous = 64,
}

/// <summary>
/// One record the <see cref="AuditLogReader"/> read: where it was (line number, byte offset), how it was printed, its
/// parsed parts (<see cref="Line"/>), its fields, and for a VIRT_* record its typed payload. Its memory is the reader's
/// buffer and stays valid until the next read; <see cref="ToOwned"/> copies it out to keep.
/// </summary>
/// <remarks>
/// <see cref="Line"/> and <see cref="Virt"/> return references into the record (<c>ref readonly var virt = ref record.Virt;</c>):
/// reading them copies nothing.
/// </remarks>
public readonly struct AuditLogRecord
{
    private readonly VirtAuditRegistry? _registry;
    private readonly AuditSendFailure _sendFailure;
    private readonly AuditLine _line;
    private readonly VirtAuditRecord _virt;
    private readonly long _lineNumber;
    private readonly long _offset;
    private readonly AuditRecordNotes _notes;

    internal AuditLogRecord(in AuditLine line, long lineNumber, long offset, in VirtAuditRecord virt, AuditRecordNotes notes, VirtAuditRegistry? registry, AuditSendFailure sendFailure = default)
    {
        _sendFailure = sendFailure;
        _line = line;
        _lineNumber = lineNumber;
        _offset = offset;
        _virt = virt;
        _notes = notes;
        _registry = registry;
    }

    /// <summary>The parsed line: every part as a slice of <see cref="Bytes"/>. A reference into the record: no copy.</summary>
    [UnscopedRef]
    public ref readonly AuditLine Line => ref _line;

    /// <summary>The 1-based line number in the input.</summary>
    public long LineNumber => _lineNumber;

    /// <summary>The byte offset of the line's first byte in the input.</summary>
    public long Offset => _offset;

    /// <summary>The line's bytes, without its line end.</summary>
    public ReadOnlyMemory<byte> Bytes => Line.Line;

    /// <summary>How the record was printed.</summary>
    public AuditRendering Rendering => Line.Rendering;

    /// <summary>The record type number (0 for a name this library does not know).</summary>
    public int TypeNumber => Line.TypeNumber;

    /// <summary>
    /// The record type as printed (<c>VIRT_RESOURCE</c>, <c>UNKNOWN[1420]</c>, or the number of a printk line); empty for a
    /// daemon log's message, whose type is inferred (<see cref="TypeNumber"/>).
    /// </summary>
    public ReadOnlyMemory<byte> TypeName => Line.TypeName;

    /// <summary>True when the line has an <c>audit(…)</c> stamp (journald lines have none).</summary>
    public bool HasStamp => Line.HasStamp;

    /// <summary>The event stamp; <c>default</c> when <see cref="HasStamp"/> is false.</summary>
    public AuditStamp Stamp => Line.Stamp;

    /// <summary>
    /// Where the record came from: the <c>node=</c> name, else the host of a syslog / journald prefix, else empty.
    /// Events are grouped by origin and stamp.
    /// </summary>
    public ReadOnlyMemory<byte> Origin => Line.HasNode ? Line.Node : Line.HasHost ? Line.Host : default;

    /// <summary>The fields of the body in order, duplicates kept, the inner <c>msg='…'</c> fields marked <see cref="AuditField.IsInner"/>.</summary>
    public AuditFieldEnumerator Fields => Line.Fields;

    /// <summary>The <c>NAME=value</c> pairs of an ENRICHED tail.</summary>
    public AuditEnrichmentEnumerator EnrichmentFields => Line.EnrichmentFields;

    /// <summary>True for a record type of the VIRT range, 2500–2599.</summary>
    public bool IsVirt => TypeNumber is >= 2500 and <= 2599;

    /// <summary>
    /// The VIRT_* payload matched against the reader's registry: typed (<see cref="VirtAuditRecord.IsTyped"/>), or
    /// untyped with the reason. <c>default</c> (untyped, no reason) for other records, for <c>ausearch -i</c> lines,
    /// for VIRT types the registry has no variant of, and when the reader has no registry.
    /// </summary>
    [UnscopedRef]
    public ref readonly VirtAuditRecord Virt => ref _virt;

    /// <summary>
    /// For a record read from libvirt's own log or KubeVirt's virt-launcher log (<see cref="AuditRendering.LibvirtLog"/>,
    /// <see cref="AuditRendering.KubeVirtLog"/>): the daemon's time stamp, thread, level and caller, the operation's
    /// success, and whether and why the send to the kernel failed. The reader joins a message's <c>success=</c> line
    /// and the <c>Failed to send audit message</c> line right after it (same thread, same payload) into this one
    /// record; a <c>Failed to send</c> line alone is a record whose <see cref="DaemonLogInfo.Success"/> is unknown.
    /// <c>default</c> (<see cref="DaemonLogInfo.IsPresent"/> false) for other renderings.
    /// </summary>
    public DaemonLogInfo DaemonLog => _sendFailure.IsFailed ? Line.DaemonLog.WithSendFailure(_sendFailure) : Line.DaemonLog;

    /// <summary>True when <see cref="Virt"/> is typed.</summary>
    public bool IsTyped => Virt.IsTyped;

    /// <summary>
    /// True when the typed payload has more than one reading (<see cref="AuditRecordNotes.Ambiguous"/>): see
    /// <see cref="VirtAuditRecord.IsAmbiguous"/>, <see cref="VirtAuditRecord.AmbiguousField"/> and
    /// <see cref="VirtAuditRecord.AmbiguityDescription"/> of <see cref="Virt"/>.
    /// </summary>
    public bool IsAmbiguous => Virt.IsAmbiguous;

    /// <summary>What the reader noticed about the record.</summary>
    public AuditRecordNotes Notes => _notes;

    // The reader fills a record in place, field by field, in the storage of its current item (no copies of the line
    // and typed payload through the stack).
    internal ref AuditLine LineSlot => ref Unsafe.AsRef(in _line);

    internal ref VirtAuditRecord VirtSlot => ref Unsafe.AsRef(in _virt);

    internal void SetRest(long lineNumber, long offset, AuditRecordNotes notes, VirtAuditRegistry? registry, in AuditSendFailure sendFailure)
    {
        Unsafe.AsRef(in _sendFailure) = sendFailure;
        Unsafe.AsRef(in _registry) = registry;
        Unsafe.AsRef(in _lineNumber) = lineNumber;
        Unsafe.AsRef(in _offset) = offset;
        Unsafe.AsRef(in _notes) = notes;
    }

    /// <summary>The typed payload as <typeparamref name="T"/>, when it is one.</summary>
    /// <typeparam name="T">A generated variant, e.g. <c>VirtResourceDisk</c>.</typeparam>
    /// <param name="record">The payload; <c>default</c> when it is not a <typeparamref name="T"/>.</param>
    /// <returns>True when the record is a <typeparamref name="T"/>.</returns>
    public bool TryGet<T>(out T record)
        where T : struct, IVirtAuditVariant<T> => Virt.TryGet(out record);

    /// <summary>
    /// Copies the record out of the reader's buffer (allocates one array of the line's length), so that it stays valid
    /// after the next read.
    /// </summary>
    /// <returns>An equal record over its own memory.</returns>
    public AuditLogRecord ToOwned()
    {
        byte[] copy = Bytes.ToArray();
        if (!AuditLine.TryParseAny(copy, out AuditLine line, out _))
        {
            // The bytes parsed once; they parse the same way again.
            throw new InvalidOperationException("the record's bytes no longer parse");
        }

        VirtAuditRecord virt = Virt.Variant is not null || Virt.Error is not null
            ? RecordTyping.Match(_registry, line, out _)
            : default;
        return new AuditLogRecord(line, LineNumber, Offset, virt, Notes, _registry, _sendFailure.Copy());
    }

    /// <summary>The line as text (allocates): the bytes read as UTF-8.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => System.Text.Encoding.UTF8.GetString(Bytes.Span);
}
