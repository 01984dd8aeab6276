using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;

namespace VirtAudit.CompilerServices;

/// <summary>
/// Finds the member of <typeparamref name="TEnum"/> whose audit text is <paramref name="utf8"/>: the lookup the
/// generator writes for each enum (a switch on the length, then the bytes).
/// </summary>
/// <typeparam name="TEnum">The generated enum.</typeparam>
/// <param name="utf8">The text as written in the payload.</param>
/// <param name="value">The member; <c>Other</c> (0) when not found.</param>
/// <returns><see langword="true"/> when a member has that text.</returns>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate bool AuditEnumParser<TEnum>(ReadOnlySpan<byte> utf8, out TEnum value)
    where TEnum : struct, Enum;

/// <summary>
/// The audit texts of a generated enum, indexed by the member's value. The generated code registers them once,
/// from a module initializer, before any code can use the enum; they are fixed from then on (a second
/// <see cref="Register"/> throws). <typeparamref name="TEnum"/> must be <see cref="int"/>-based with member 0 =
/// <c>Other</c>. Called by generated code; not for use in your code.
/// </summary>
/// <typeparam name="TEnum">The generated enum.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class AuditEnumNames<TEnum>
    where TEnum : struct, Enum
{
    private static readonly Names s_empty = new(Array.Empty<string?>(), Array.Empty<byte[]?>(), null);
    private static Names s_names = s_empty;

    static AuditEnumNames()
    {
        if (Enum.GetUnderlyingType(typeof(TEnum)) != typeof(int))
        {
            throw new NotSupportedException($"{typeof(TEnum)} must be an int-based enum to be used as an audit enum.");
        }
    }

    /// <summary>How many values have a slot (the length of the registered array); 0 before <see cref="Register"/>.</summary>
    public static int Count => s_names.Text.Length;

    /// <summary>
    /// Sets the audit texts, once: <paramref name="auditNamesByValue"/>[<c>n</c>] is the text of the member whose
    /// value is <c>n</c>; entry 0 (<c>Other</c>) and gaps are <see langword="null"/>. <paramref name="parse"/> is
    /// the generated lookup of a text (without it, lookups compare with each text in turn).
    /// </summary>
    /// <param name="auditNamesByValue">The audit texts by member value.</param>
    /// <param name="parse">The generated lookup, or null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="auditNamesByValue"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The texts of <typeparamref name="TEnum"/> are registered already.</exception>
    public static void Register(string?[] auditNamesByValue, AuditEnumParser<TEnum>? parse = null)
    {
        ArgumentNullException.ThrowIfNull(auditNamesByValue);
        string?[] text = (string?[])auditNamesByValue.Clone();
        byte[]?[] utf8 = new byte[]?[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            if (i == 0 || string.IsNullOrEmpty(text[i]))
            {
                text[i] = null;
                continue;
            }

            utf8[i] = Encoding.UTF8.GetBytes(text[i]!);
        }

        if (!ReferenceEquals(Interlocked.CompareExchange(ref s_names, new Names(text, utf8, parse), s_empty), s_empty))
        {
            throw new InvalidOperationException($"The audit texts of {typeof(TEnum)} are registered already: its generated code fixes them.");
        }
    }

    /// <summary>The audit text of <paramref name="value"/> as UTF-8; empty for <c>Other</c> or an unregistered value.</summary>
    /// <param name="value">The member.</param>
    /// <returns>The text.</returns>
    public static ReadOnlySpan<byte> GetUtf8(TEnum value) => GetUtf8Memory(value).Span;

    /// <summary>The audit text of <paramref name="value"/>; <see langword="null"/> for <c>Other</c> or an unregistered value.</summary>
    /// <param name="value">The member.</param>
    /// <returns>The text.</returns>
    public static string? GetName(TEnum value)
    {
        int index = Unsafe.As<TEnum, int>(ref value);
        string?[] text = s_names.Text;
        return (uint)index < (uint)text.Length ? text[index] : null;
    }

    /// <summary>Finds the member whose audit text is <paramref name="utf8"/> (exact, case-sensitive).</summary>
    /// <param name="utf8">The text as written in the payload.</param>
    /// <param name="value">The member; <c>Other</c> (0) when not found.</param>
    /// <returns><see langword="true"/> when a registered member has that text.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out TEnum value)
    {
        Names names = s_names;
        if (names.Parse is { } parse)
        {
            return parse(utf8, out value);
        }

        byte[]?[] texts = names.Utf8;
        for (int i = 1; i < texts.Length; i++)
        {
            byte[]? name = texts[i];
            if (name is not null && utf8.SequenceEqual(name))
            {
                value = Unsafe.As<int, TEnum>(ref i);
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Whether <paramref name="value"/> is a member with a registered audit text.</summary>
    internal static bool IsKnown(TEnum value) => !GetUtf8Memory(value).IsEmpty;

    internal static ReadOnlyMemory<byte> GetUtf8Memory(TEnum value)
    {
        int index = Unsafe.As<TEnum, int>(ref value);
        byte[]?[] utf8 = s_names.Utf8;
        return (uint)index < (uint)utf8.Length ? utf8[index] : default;
    }

    private sealed class Names
    {
        public Names(string?[] text, byte[]?[] utf8, AuditEnumParser<TEnum>? parse)
        {
            Text = text;
            Utf8 = utf8;
            Parse = parse;
        }

        public string?[] Text { get; }

        public byte[]?[] Utf8 { get; }

        public AuditEnumParser<TEnum>? Parse { get; }
    }
}
