using System;

namespace VirtAudit.CompilerServices;

// Ambiguity (issue 12): libvirt prints some values raw (vm-ctx, img-ctx, the shmem, ivshmem-socket and evdev path), so
// a value can hold " key=" text. The reader keeps the reading libvirt's format implies (a raw value runs to the next
// field's key; the trailer is the last exe= … res=) and notes the first raw value that holds the key of its own field,
// of a field that may follow it, or of libaudit's trailer: with that text taken as a field, the payload reads otherwise.
public ref partial struct PayloadReader
{
    /// <summary>
    /// Reads a raw (R) field as <see cref="TryReadRaw(ReadOnlySpan{byte}, ReadOnlySpan{byte}, out AuditText)"/> and
    /// notes (<see cref="AmbiguityOffset"/>) when its value holds one of <paramref name="laterKeys"/> or a key of
    /// libaudit's trailer after a space. Allocates nothing; a value without <c>=</c> costs one scan.
    /// </summary>
    /// <param name="key">The key, without <c>=</c>.</param>
    /// <param name="stopKey">The key of the field that follows, without <c>=</c>; empty for the last field.</param>
    /// <param name="laterKeys">The field's own key and the keys that may follow it, each as <c> key=</c>, concatenated.</param>
    /// <param name="value">The value (a slice of the payload).</param>
    /// <returns><see langword="true"/> when read.</returns>
    public bool TryReadRaw(ReadOnlySpan<byte> key, scoped ReadOnlySpan<byte> stopKey, scoped ReadOnlySpan<byte> laterKeys, out AuditText value)
    {
        int fieldStart = Position + (Position > 0 ? 1 : 0);
        if (!TryReadRaw(key, stopKey, out value))
        {
            return false;
        }

        if (AmbiguityOffset < 0)
        {
            int valueStart = fieldStart + key.Length + 1;
            int at = IndexOfKeyText(_payload.Span.Slice(valueStart, Position - valueStart), laterKeys);
            if (at >= 0)
            {
                AmbiguityOffset = valueStart + at;
                AmbiguousFieldOffset = fieldStart;
                AmbiguousValueEnd = Position;
            }
        }

        return true;
    }

    // The offset in value of the first space followed by `key=` where " key=" is one of laterKeys or of the trailer's
    // keys; -1 when none. Linear: each step moves to the next space.
    private static int IndexOfKeyText(ReadOnlySpan<byte> value, scoped ReadOnlySpan<byte> laterKeys)
    {
        if (value.IndexOf((byte)'=') < 0)
        {
            return -1;
        }

        int space = value.IndexOf((byte)' ');
        while (space >= 0)
        {
            ReadOnlySpan<byte> rest = value.Slice(space + 1);
            int end = rest.IndexOfAny((byte)' ', (byte)'=');
            if (end > 0 && rest[end] == (byte)'=')
            {
                ReadOnlySpan<byte> needle = value.Slice(space, end + 2);
                if (laterKeys.IndexOf(needle) >= 0 || " exe= hostname= addr= terminal= res="u8.IndexOf(needle) >= 0)
                {
                    return space;
                }
            }

            if (end < 0)
            {
                return -1;
            }

            int next = rest.Slice(end).IndexOf((byte)' ');
            space = next < 0 ? -1 : space + 1 + end + next;
        }

        return -1;
    }
}
