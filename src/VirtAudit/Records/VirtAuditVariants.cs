using System;
using System.Buffers;
using System.ComponentModel;

namespace VirtAudit.CompilerServices;

/// <summary>Parsing and writing helpers shared by every generated variant. Called by generated code; not for use in your code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class VirtAuditVariants
{
    /// <summary>Creates the description of <typeparamref name="T"/> (its <c>Variant</c> property).</summary>
    /// <param name="name">The variant's type name.</param>
    /// <param name="recordType">The record type name, e.g. <c>VIRT_RESOURCE</c>.</param>
    /// <param name="recordNumber">The record type number.</param>
    /// <param name="isLegacy">Whether current libvirt no longer writes this shape.</param>
    /// <param name="constants">The constant fields, <c>key=value</c>.</param>
    /// <returns>The description.</returns>
    public static VirtAuditVariantInfo Describe<T>(string name, string recordType, int recordNumber, bool isLegacy, params string[] constants)
        where T : struct, IVirtAuditVariant<T> =>
        VirtAuditVariantInfo.Create<T>(name, recordType, recordNumber, isLegacy, null, constants);

    /// <summary>Creates the description of <typeparamref name="T"/> (its <c>Variant</c> property), a shape libvirt first wrote in <paramref name="since"/>.</summary>
    /// <param name="name">The variant's type name.</param>
    /// <param name="recordType">The record type name, e.g. <c>VIRT_RESOURCE</c>.</param>
    /// <param name="recordNumber">The record type number.</param>
    /// <param name="isLegacy">Whether current libvirt no longer writes this shape.</param>
    /// <param name="since">The libvirt version that first wrote the shape (the schema's <c>since</c>).</param>
    /// <param name="constants">The constant fields, <c>key=value</c>.</param>
    /// <returns>The description.</returns>
    public static VirtAuditVariantInfo Describe<T>(string name, string recordType, int recordNumber, bool isLegacy, Version? since, params string[] constants)
        where T : struct, IVirtAuditVariant<T> =>
        VirtAuditVariantInfo.Create<T>(name, recordType, recordNumber, isLegacy, since, constants);

    /// <summary>
    /// Parses <paramref name="message"/> (the text inside <c>msg='…'</c>, with or without libaudit's trailer) as
    /// <typeparamref name="T"/>. Text values refer to <paramref name="message"/>; nothing is copied.
    /// </summary>
    public static bool TryParse<T>(ReadOnlyMemory<byte> message, out T record)
        where T : struct, IVirtAuditVariant<T>
    {
        AuditTrailer.TrySplit(message, out var libvirtPart, out var trailer);
        T.Variant.FitTrailer(message, ref libvirtPart, ref trailer);
        var reader = new PayloadReader(libvirtPart);
        return T.TryRead(ref reader, out record);
    }

    /// <summary>Parses <paramref name="message"/> as <typeparamref name="T"/>, or throws with the byte offset and field.</summary>
    /// <exception cref="AuditFormatException">The payload is not a <typeparamref name="T"/>.</exception>
    public static T Parse<T>(ReadOnlyMemory<byte> message)
        where T : struct, IVirtAuditVariant<T>
    {
        AuditTrailer.TrySplit(message, out var libvirtPart, out var trailer);
        T.Variant.FitTrailer(message, ref libvirtPart, ref trailer);
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
