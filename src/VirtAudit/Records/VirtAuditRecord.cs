using System;
using VirtAudit.CompilerServices;

namespace VirtAudit;

/// <summary>
/// A VIRT_* payload matched against a <see cref="VirtAuditRegistry"/>: which variant it is (or why none), its
/// libaudit trailer, and what it had that current libvirt does not write. A record typed by an
/// <see cref="AuditLogReader"/> keeps the struct the registry built: <see cref="TryGet{T}"/> and
/// <see cref="TryReencode"/> use it without parsing again (until the reader's next record of the same variant); a record
/// of <see cref="VirtAuditRegistry.Parse(int, ReadOnlyMemory{byte})"/>, or one kept past that, parses the payload slice again, without boxing and
/// without copying bytes.
/// </summary>
public readonly struct VirtAuditRecord
{
    // The struct the registry built (ParsedRecord<T> of the variant) and its version then; null when not kept.
    private readonly ParsedRecord? _parsed;
    private readonly long _version;

    internal VirtAuditRecord(VirtAuditVariantInfo? variant, int recordNumber, ReadOnlyMemory<byte> message, ReadOnlyMemory<byte> libvirtPart, in AuditTrailer trailer, LegacyShape legacy, string? error, string? errorField, int errorOffset, ParsedRecord? parsed = null, long version = 0)
    {
        _parsed = parsed;
        _version = version;
        Variant = variant;
        RecordNumber = recordNumber;
        Message = message;
        LibvirtPart = libvirtPart;
        _trailer = trailer;
        Legacy = legacy;
        Error = error;
        ErrorField = errorField;
        ErrorOffset = errorOffset;
    }

    /// <summary>This record with <see cref="Legacy"/> set to <paramref name="legacy"/> (the kept struct stays).</summary>
    internal VirtAuditRecord WithLegacy(LegacyShape legacy) =>
        new(Variant, RecordNumber, Message, LibvirtPart, _trailer, legacy, Error, ErrorField, ErrorOffset, _parsed, _version);

    /// <summary>The variant, or null when the payload is not one the registry knows (see <see cref="Error"/>).</summary>
    public VirtAuditVariantInfo? Variant { get; }

    /// <summary>True when a variant typed the payload.</summary>
    public bool IsTyped => Variant is not null;

    /// <summary>The record type number (2500 VIRT_CONTROL, 2501 VIRT_RESOURCE, 2502 VIRT_MACHINE_ID, …).</summary>
    public int RecordNumber { get; }

    /// <summary>The whole text inside <c>msg='…'</c>.</summary>
    public ReadOnlyMemory<byte> Message { get; }

    /// <summary>The libvirt part of <see cref="Message"/>, without libaudit's trailer (and its legacy colon).</summary>
    public ReadOnlyMemory<byte> LibvirtPart { get; }

    /// <summary>libaudit's <c>exe= hostname= addr= terminal= res=</c> trailer.</summary>
    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    public ref readonly AuditTrailer Trailer => ref _trailer;

    private readonly AuditTrailer _trailer;

    /// <summary>What the payload and trailer had that current libvirt and libaudit do not write.</summary>
    public LegacyShape Legacy { get; }

    /// <summary>True when the record is in a shape of old libvirt or libaudit versions (spec §12).</summary>
    public bool IsLegacy => Legacy != LegacyShape.None;

    /// <summary>Why no variant typed the payload (null when typed).</summary>
    public string? Error { get; }

    /// <summary>The field at which the best candidate variant failed, if any.</summary>
    public string? ErrorField { get; }

    /// <summary>The byte offset within <see cref="LibvirtPart"/> at which the best candidate failed.</summary>
    public int ErrorOffset { get; }

    /// <summary>True when the payload is a <typeparamref name="T"/>.</summary>
    public bool Is<T>()
        where T : struct, IVirtAuditVariant<T> => ReferenceEquals(Variant, T.Variant);

    /// <summary>The payload as <typeparamref name="T"/>, when it is one.</summary>
    public bool TryGet<T>(out T record)
        where T : struct, IVirtAuditVariant<T>
    {
        if (!Is<T>())
        {
            record = default;
            return false;
        }

        if (_parsed is ParsedRecord<T> holder && holder.Version == _version)
        {
            record = holder.Value;
            return true;
        }

        var reader = new PayloadReader(LibvirtPart);
        return T.TryRead(ref reader, out record);
    }

    /// <summary>The payload as <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException">The payload is another variant, or untyped.</exception>
    public T Get<T>()
        where T : struct, IVirtAuditVariant<T> =>
        TryGet<T>(out var record) ? record : throw new InvalidOperationException($"the record is {Variant?.Name ?? "untyped"}, not {T.Variant.Name}");

    /// <summary>
    /// Re-encodes the typed payload and its trailer into <paramref name="destination"/>: every value as libvirt and
    /// libaudit encode it today, in the record's own shape (a legacy field that was missing stays missing, and an old
    /// trailer keeps its <c>: exe=</c> colon). So a current record comes back byte for byte, and a legacy one differs
    /// only where its values were written the old way. False when untyped, invalid, or when
    /// <paramref name="destination"/> is too small.
    /// </summary>
    public bool TryReencode(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (Variant is null || !Variant.TryReformat(_parsed, _version, LibvirtPart, destination, out var payload, out _))
        {
            return false;
        }

        if (!_trailer.TryFormat(destination.Slice(payload), out var tail))
        {
            return false;
        }

        bytesWritten = payload + tail;
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Variant?.Name ?? "untyped: " + Error;
}
