using System;
using System.ComponentModel;
using System.Text;

namespace VirtAudit.CompilerServices;

/// <summary>
/// Reads the fields of the libvirt part of a payload (the trailer already cut off, see
/// <see cref="AuditTrailer.TrySplit"/>) in order, without allocating. Used by generated parsers.
/// </summary>
/// <remarks>
/// <para>
/// Fields are <c>key=value</c>, separated by exactly one space; the first has no leading space. Every
/// <c>TryRead*</c> first checks that <c>key=</c> is next: if not, it returns <see langword="false"/> without moving
/// and without recording an error. If the key is next but its value is malformed, it records an error
/// (<see cref="Error"/>, <see cref="ErrorOffset"/>, <see cref="ErrorField"/>) and returns <see langword="false"/>
/// without moving. The first error recorded is kept.
/// </para>
/// <para>
/// Keys are passed without <c>=</c> as UTF-8 literals (<c>"vm"u8</c>); the reader keeps a reference to the last
/// key asked for, so keys must live as long as the reader (literals do).
/// </para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref partial struct PayloadReader
{
    private readonly ReadOnlyMemory<byte> _payload;
    private ReadOnlySpan<byte> _key;
    private ReadOnlySpan<byte> _errorField;

    /// <summary>Creates a reader at the start of <paramref name="payload"/>.</summary>
    /// <param name="payload">The libvirt part of a payload.</param>
    public PayloadReader(ReadOnlyMemory<byte> payload)
    {
        _payload = payload;
        Position = 0;
        Legacy = LegacyShape.None;
        Error = null;
        ErrorOffset = -1;
        AmbiguityOffset = -1;
        AmbiguousFieldOffset = -1;
    }

    /// <summary>The payload being read.</summary>
    public readonly ReadOnlyMemory<byte> Payload => _payload;

    /// <summary>
    /// The byte offset of the end of the last field read (0 at the start): the next field starts after one space.
    /// </summary>
    public int Position { readonly get; private set; }

    /// <summary>Whether every byte has been read.</summary>
    public readonly bool End => Position == _payload.Length;

    /// <summary>
    /// The legacy shapes seen while reading (bare, single-quoted or non-canonical values). Generated code adds the
    /// ones only it can tell (<see cref="LegacyShape.MissingField"/>, <see cref="LegacyShape.LegacyValue"/>, …).
    /// </summary>
    public LegacyShape Legacy { readonly get; set; }

    /// <summary>The first error recorded, or <see langword="null"/>.</summary>
    public string? Error { readonly get; private set; }

    /// <summary>The byte offset in the payload of the first error recorded, or -1.</summary>
    public int ErrorOffset { readonly get; private set; }

    /// <summary>The key of the field the first error is about (empty when none).</summary>
    public readonly ReadOnlySpan<byte> ErrorField => _errorField;

    // Ambiguity of raw values (PayloadReader.Ambiguity.cs); auto-properties of a partial struct live in one part.
    /// <summary>
    /// The byte offset in the payload of the space before the first <c> key=</c> text found inside a raw value (the
    /// key of that field, of a field that may follow it, or of libaudit's trailer), or -1 when no raw value held one.
    /// </summary>
    public int AmbiguityOffset { readonly get; private set; }

    /// <summary>The byte offset in the payload of the raw field (its key) whose value holds <see cref="AmbiguityOffset"/>, or -1.</summary>
    public int AmbiguousFieldOffset { readonly get; private set; }

    // Where the ambiguous raw value ends in the reading taken (for the description of an ambiguous record).
    internal int AmbiguousValueEnd { readonly get; private set; }

    /// <summary>Whether <c>key=</c> is the next field.</summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <returns><see langword="true"/> when the next field has that key.</returns>
    public readonly bool IsNext(ReadOnlySpan<byte> key)
    {
        ReadOnlySpan<byte> rest = _payload.Span.Slice(Position);
        if (Position > 0)
        {
            if (rest.IsEmpty || rest[0] != (byte)' ')
            {
                return false;
            }

            rest = rest.Slice(1);
        }

        return rest.Length > key.Length && rest.StartsWith(key) && rest[key.Length] == (byte)'=';
    }

    /// <summary>
    /// Records an error about the field asked for last, at the start of the next field, and returns
    /// <see langword="false"/>. An error recorded earlier is kept.
    /// </summary>
    /// <param name="reason">What is wrong, e.g. <c>"missing"</c>.</param>
    /// <returns><see langword="false"/>.</returns>
    public bool Fail(string reason) =>
        SetError(Math.Min(Position + (Position > 0 ? 1 : 0), _payload.Length), reason);

    /// <summary>
    /// Records that the payload parsed but is not one libvirt writes (a presence rule or a constraint of the variant
    /// does not hold), and returns <see langword="false"/>. The error is about <paramref name="field"/> (an audit key,
    /// or keys joined by <c>,</c>) and sits where the payload has the first of them, else at the end. An error
    /// recorded earlier is kept.
    /// </summary>
    /// <param name="field">The key(s), without <c>=</c>, as a UTF-8 literal.</param>
    /// <param name="reason">What is wrong, naming the field.</param>
    /// <returns><see langword="false"/>.</returns>
    public bool FailValidation(ReadOnlySpan<byte> field, string reason)
    {
        _key = field;
        int comma = field.IndexOf((byte)',');
        int at = FindKey(comma < 0 ? field : field.Slice(0, comma));
        return SetError(at < 0 ? _payload.Length : at, reason);
    }

    /// <summary>An exception for the first error recorded (allocates).</summary>
    /// <returns>The exception.</returns>
    public readonly AuditFormatException ToException() => new(
        _errorField.IsEmpty ? null : Encoding.UTF8.GetString(_errorField),
        Error ?? "not a valid payload",
        ErrorOffset);
}
