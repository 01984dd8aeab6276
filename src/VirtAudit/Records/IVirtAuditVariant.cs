using System;
using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using VirtAudit.CompilerServices;

namespace VirtAudit;

/// <summary>A typed libvirt payload that can check and write itself.</summary>
public interface IVirtAuditPayload
{
    /// <summary>What the parsed payload had that current libvirt does not write.</summary>
    LegacyShape Legacy { get; }

    /// <summary>Checks that libvirt could have written this record; the error names the field and the reason.</summary>
    bool IsValid([NotNullWhen(false)] out string? error);

    /// <summary>Writes the libvirt payload; false when <paramref name="destination"/> is too small.</summary>
    bool TryFormat(Span<byte> destination, out int bytesWritten);

    /// <summary>Writes the libvirt payload to <paramref name="writer"/>.</summary>
    void WriteTo(IBufferWriter<byte> writer);
}

/// <summary>
/// A record struct generated from a schema variant. The static members let the dispatcher and
/// <see cref="VirtAuditRecord.TryGet{T}(out T)"/> parse without boxing.
/// </summary>
/// <typeparam name="TSelf">The generated record struct.</typeparam>
public interface IVirtAuditVariant<TSelf> : IVirtAuditPayload
    where TSelf : struct, IVirtAuditVariant<TSelf>
{
    /// <summary>Describes the variant: its record type and the constant fields that identify it.</summary>
    static abstract VirtAuditVariantInfo Variant { get; }

    /// <summary>
    /// Reads the whole libvirt part of a payload as this variant; false (with the reader's error) when it does not
    /// parse, or parses but is not a record libvirt could have written (<see cref="IVirtAuditPayload.IsValid"/>).
    /// </summary>
    static abstract bool TryRead(ref PayloadReader reader, out TSelf record);
}
