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

    // Ambiguity, stored plus one so that default (0) means none.
    private readonly int _ambiguousField;
    private readonly int _ambiguity;
    private readonly int _ambiguousValueEnd;

    internal VirtAuditRecord(VirtAuditVariantInfo? variant, int recordNumber, ReadOnlyMemory<byte> message, ReadOnlyMemory<byte> libvirtPart, in AuditTrailer trailer, LegacyShape legacy, string? error, string? errorField, int errorOffset, ParsedRecord? parsed = null, long version = 0, int ambiguousFieldOffset = -1, int ambiguityOffset = -1, int ambiguousValueEnd = 0)
    {
        _parsed = parsed;
        _version = version;
        _ambiguousValueEnd = ambiguousValueEnd;
        _ambiguousField = ambiguousFieldOffset + 1;
        _ambiguity = ambiguityOffset + 1;
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
        new(Variant, RecordNumber, Message, LibvirtPart, _trailer, legacy, Error, ErrorField, ErrorOffset, _parsed, _version, _ambiguousField - 1, _ambiguity - 1, _ambiguousValueEnd);

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

    /// <summary>
    /// True when a raw value of the typed record (<c>vm-ctx</c>, <c>img-ctx</c>, a shmem, ivshmem-socket or evdev
    /// <c>path</c>: libvirt prints them unescaped) holds <c> key=</c> text of its own field, of a field that may follow
    /// it, or of libaudit's trailer, so that the payload has another reading. The record holds the reading libvirt's
    /// format implies (a raw value runs to the next field's key; the trailer is the last <c>exe= … res=</c>);
    /// <see cref="AmbiguityDescription"/> names the other.
    /// </summary>
    public bool IsAmbiguous => _ambiguity > 0;

    /// <summary>The key of the raw field whose value makes the record ambiguous (allocates), or null.</summary>
    public string? AmbiguousField => IsAmbiguous ? KeyAt(LibvirtPart.Span, _ambiguousField - 1) : null;

    // The byte offset in LibvirtPart of the ambiguous raw field's key, or -1.
    internal int AmbiguousFieldOffset => _ambiguousField - 1;

    // The byte offset in LibvirtPart of the end of the ambiguous raw value.
    internal int AmbiguousValueEnd => _ambiguousValueEnd;

    /// <summary>
    /// The value of <see cref="AmbiguousField"/> as the record reads it (a slice of <see cref="LibvirtPart"/>, the
    /// <c> key=</c> text included); empty when not ambiguous. A field-by-field view of the payload (such as
    /// <see cref="AuditFieldEnumerator"/>, which splits at every <c> key=</c>) should show it as one value.
    /// </summary>
    public ReadOnlyMemory<byte> AmbiguousValue
    {
        get
        {
            if (!IsAmbiguous)
            {
                return default;
            }

            var span = LibvirtPart.Span;
            var valueStart = span.Slice(_ambiguousField - 1).IndexOf((byte)'=') + _ambiguousField;
            return LibvirtPart.Slice(valueStart, _ambiguousValueEnd - valueStart);
        }
    }

    /// <summary>The byte offset in <see cref="LibvirtPart"/> of the space before the <c> key=</c> text inside <see cref="AmbiguousField"/>'s value, or -1.</summary>
    public int AmbiguityOffset => _ambiguity - 1;

    /// <summary>
    /// The two readings of an ambiguous record (allocates), e.g. <c>vm-ctx holds " model=dac" at byte 55: read as
    /// libvirt's field order implies, it is part of vm-ctx ("x model=dac"); another reading takes model=dac as the field
    /// model</c>; null when not ambiguous.
    /// </summary>
    public string? AmbiguityDescription
    {
        get
        {
            if (!IsAmbiguous)
            {
                return null;
            }

            var span = LibvirtPart.Span;
            var field = KeyAt(span, _ambiguousField - 1);
            var at = _ambiguity - 1;
            var key = KeyAt(span, at + 1);
            var wordEnd = span.Slice(at + 1).IndexOf((byte)' ');
            var text = System.Text.Encoding.UTF8.GetString(wordEnd < 0 ? span.Slice(at) : span.Slice(at, wordEnd + 1));
            var value = System.Text.Encoding.UTF8.GetString(AmbiguousValue.Span);
            var trailerKey = key is "exe" or "hostname" or "addr" or "terminal" or "res";
            return $"{field} holds \"{text}\" at byte {at}: read as libvirt's field order implies, it is part of {field} (\"{value}\"); "
                + (trailerKey
                    ? $"another reading takes {text.TrimStart()} as libaudit's trailer"
                    : $"another reading takes {text.TrimStart()} as the field {key}");
        }
    }

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

    // The key of the field that starts at offset (up to its '=').
    private static string KeyAt(ReadOnlySpan<byte> payload, int offset)
    {
        var rest = payload.Slice(offset);
        var eq = rest.IndexOf((byte)'=');
        return System.Text.Encoding.UTF8.GetString(eq < 0 ? rest : rest.Slice(0, eq));
    }
}
