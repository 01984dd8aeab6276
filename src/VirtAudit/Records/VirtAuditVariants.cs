using System;
using System.Buffers;

namespace VirtAudit;

/// <summary>Parsing and writing helpers shared by every generated variant.</summary>
public static class VirtAuditVariants
{
    /// <summary>
    /// Parses <paramref name="message"/> (the text inside <c>msg='…'</c>, with or without libaudit's trailer) as
    /// <typeparamref name="T"/>. Text values refer to <paramref name="message"/>; nothing is copied.
    /// </summary>
    public static bool TryParse<T>(ReadOnlyMemory<byte> message, out T record)
        where T : struct, IVirtAuditVariant<T>
    {
        AuditTrailer.TrySplit(message, out var libvirtPart, out _);
        var reader = new PayloadReader(libvirtPart);
        return T.TryRead(ref reader, out record);
    }

    /// <summary>Parses <paramref name="message"/> as <typeparamref name="T"/>, or throws with the byte offset and field.</summary>
    /// <exception cref="AuditFormatException">The payload is not a <typeparamref name="T"/>.</exception>
    public static T Parse<T>(ReadOnlyMemory<byte> message)
        where T : struct, IVirtAuditVariant<T>
    {
        AuditTrailer.TrySplit(message, out var libvirtPart, out _);
        var reader = new PayloadReader(libvirtPart);
        if (T.TryRead(ref reader, out var record))
        {
            return record;
        }

        throw new AuditFormatException(System.Text.Encoding.UTF8.GetString(reader.ErrorField), $"not a {T.Variant.Name} payload: {reader.Error}", reader.ErrorOffset);
    }

    /// <summary>
    /// Writes <paramref name="record"/>'s payload to <paramref name="writer"/>, asking for a larger span until it fits.
    /// Nothing is advanced when the record is invalid.
    /// </summary>
    /// <exception cref="AuditFormatException">The record is not one libvirt could write.</exception>
    public static void WriteTo<T>(in T record, IBufferWriter<byte> writer)
        where T : struct, IVirtAuditPayload
    {
        ArgumentNullException.ThrowIfNull(writer);
        for (var size = 256; ; size *= 2)
        {
            var span = writer.GetSpan(size);
            if (record.TryFormat(span, out var written))
            {
                writer.Advance(written);
                return;
            }

            if (size > AuditLimits.MaxMessageLength * 4)
            {
                throw new AuditFormatException($"the payload does not fit in {size} bytes");
            }
        }
    }
}

/// <summary>Size limits of the audit pipeline (spec §3.6).</summary>
public static class AuditLimits
{
    /// <summary>libaudit's <c>MAX_AUDIT_MESSAGE_LENGTH</c>: payload plus trailer are cut at this many bytes.</summary>
    public const int MaxMessageLength = 8970;

    /// <summary>The kernel's <c>AUDIT_MESSAGE_TEXT_MAX</c>: it copies at most this many bytes of a user message.</summary>
    public const int MaxMessageText = 8560;
}
