using System;
using System.Runtime.CompilerServices;
using VirtAudit.CompilerServices;

namespace VirtAudit;

/// <summary>
/// The value of an enum-typed field: a known member of <typeparamref name="TEnum"/>, or a text the schema does not
/// list (<c>Other</c>), kept verbatim so that it survives parse → write. <c>default</c> is unset
/// (<see cref="IsSet"/> is <see langword="false"/>).
/// </summary>
/// <typeparam name="TEnum">A generated, <see cref="int"/>-based enum whose member 0 is <c>Other</c>.</typeparam>
public readonly struct AuditEnum<TEnum> : IEquatable<AuditEnum<TEnum>>
    where TEnum : struct, Enum
{
    private const byte StateUnset = 0;
    private const byte StateKnown = 1;
    private const byte StateOther = 2;

    private readonly TEnum _value;
    private readonly AuditText _text;
    private readonly byte _state;

    private AuditEnum(byte state, TEnum value, AuditText text)
    {
        _state = state;
        _value = value;
        _text = text;
    }

    /// <summary>Whether a value is set; <see langword="false"/> for <c>default</c> (a field that was not read).</summary>
    public bool IsSet => _state != StateUnset;

    /// <summary>Whether the value is a member of <typeparamref name="TEnum"/> with a registered audit text.</summary>
    public bool IsKnown => _state == StateKnown;

    /// <summary>The member; <c>Other</c> (0) when the value is not known or not set.</summary>
    public TEnum Value => _state == StateKnown ? _value : default;

    /// <summary>
    /// The text as written: the unknown text for an <c>Other</c> value (absent for <c>?</c>), the registered audit
    /// text of a known member, <see cref="AuditText.Absent"/> when not set.
    /// </summary>
    public AuditText Text => _state == StateKnown ? AuditText.FromUtf8(AuditEnumNames<TEnum>.GetUtf8Memory(_value)) : _text;

    /// <summary>
    /// A set value from a member. A member without a registered audit text (such as <c>Other</c>) gives an unknown
    /// value with an absent text, written as <c>?</c>.
    /// </summary>
    /// <param name="value">The member.</param>
    public static implicit operator AuditEnum<TEnum>(TEnum value) => AuditEnumNames<TEnum>.IsKnown(value)
        ? new AuditEnum<TEnum>(StateKnown, value, default)
        : new AuditEnum<TEnum>(StateOther, default, default);

    /// <summary>Whether <paramref name="left"/> is set and its <see cref="Value"/> is <paramref name="right"/>.</summary>
    /// <param name="left">The enum value.</param>
    /// <param name="right">The member.</param>
    public static bool operator ==(AuditEnum<TEnum> left, TEnum right) => left.Is(right);

    /// <summary>The negation of <c>==</c>.</summary>
    /// <param name="left">The enum value.</param>
    /// <param name="right">The member.</param>
    public static bool operator !=(AuditEnum<TEnum> left, TEnum right) => !left.Is(right);

    /// <summary>Whether <paramref name="right"/> is set and its <see cref="Value"/> is <paramref name="left"/>.</summary>
    /// <param name="left">The member.</param>
    /// <param name="right">The enum value.</param>
    public static bool operator ==(TEnum left, AuditEnum<TEnum> right) => right.Is(left);

    /// <summary>The negation of <c>==</c>.</summary>
    /// <param name="left">The member.</param>
    /// <param name="right">The enum value.</param>
    public static bool operator !=(TEnum left, AuditEnum<TEnum> right) => !right.Is(left);

    /// <summary>Compares two enum values (see <see cref="Equals(AuditEnum{TEnum})"/>).</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(AuditEnum<TEnum> left, AuditEnum<TEnum> right) => left.Equals(right);

    /// <summary>The negation of <c>==</c>.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(AuditEnum<TEnum> left, AuditEnum<TEnum> right) => !left.Equals(right);

    /// <summary>
    /// A set value from its text: the member whose registered audit text equals the decoded text, else an
    /// <c>Other</c> value that keeps <paramref name="text"/> (an absent text is kept too: written as <c>?</c>).
    /// </summary>
    /// <param name="text">The text as written.</param>
    /// <returns>The value.</returns>
    public static AuditEnum<TEnum> FromText(AuditText text)
    {
        if (!text.IsAbsent)
        {
            Span<byte> scratch = stackalloc byte[64];
            using AuditText.DecodedValue decoded = text.Decode(scratch);
            if (AuditEnumNames<TEnum>.TryParse(decoded.Span, out TEnum value))
            {
                return new AuditEnum<TEnum>(StateKnown, value, default);
            }
        }

        return new AuditEnum<TEnum>(StateOther, default, text);
    }

    /// <summary>The length <see cref="TryWrite"/> writes.</summary>
    /// <returns>The length in bytes.</returns>
    public int GetLength() => _state == StateKnown ? AuditEnumNames<TEnum>.GetUtf8(_value).Length : _text.GetRawLength();

    /// <summary>Writes the audit text (raw); <c>?</c> for an unknown value with an absent text or an unset value.</summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="bytesWritten">The number of bytes written; 0 when the destination is too small.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        if (_state != StateKnown)
        {
            return _text.TryWriteRaw(destination, out bytesWritten);
        }

        ReadOnlySpan<byte> name = AuditEnumNames<TEnum>.GetUtf8(_value);
        if (name.TryCopyTo(destination))
        {
            bytesWritten = name.Length;
            return true;
        }

        bytesWritten = 0;
        return false;
    }

    /// <summary>
    /// Equal when both are unset, both are the same known member, or both are unknown with equal texts.
    /// </summary>
    /// <param name="other">The other value.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public bool Equals(AuditEnum<TEnum> other) => _state == other._state && _state switch
    {
        StateKnown => AsInt(_value) == AsInt(other._value),
        StateOther => _text.Equals(other._text),
        _ => true,
    };

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is AuditEnum<TEnum> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _state switch
    {
        StateKnown => AsInt(_value),
        StateOther => _text.GetHashCode() ^ int.MinValue,
        _ => 0,
    };

    /// <summary>The audit text (allocates); <c>?</c> for an unknown value with an absent text, empty when unset.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => _state switch
    {
        StateKnown => AuditEnumNames<TEnum>.GetName(_value) ?? string.Empty,
        StateOther => _text.ToString(),
        _ => string.Empty,
    };

    private static int AsInt(TEnum value) => Unsafe.As<TEnum, int>(ref value);

    private bool Is(TEnum member) => _state != StateUnset && AsInt(Value) == AsInt(member);
}
