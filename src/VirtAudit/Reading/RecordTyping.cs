using System;

namespace VirtAudit;

/// <summary>
/// Matches a parsed line's payload against the reader's registry and notes what the reader noticed (no stamp, a cut
/// message, an <c>ausearch -i</c> line, a VIRT record of other software or of a type no variant has).
/// </summary>
internal static class RecordTyping
{
    /// <summary>The typed (or untyped, with the reason) VIRT_* payload of <paramref name="line"/>; <c>default</c> for other records.</summary>
    public static VirtAuditRecord Match(VirtAuditRegistry? registry, in AuditLine line, out AuditRecordNotes notes, ParsedRecords? store = null)
    {
        notes = line.HasStamp ? AuditRecordNotes.None : AuditRecordNotes.NoStamp;
        if (line.IsMessageTruncated)
        {
            notes |= AuditRecordNotes.Truncated;
        }

        if (line.Rendering is AuditRendering.LibvirtLog or AuditRendering.KubeVirtLog)
        {
            return MatchDaemonMessage(registry, line, ref notes, store);
        }

        int type = line.TypeNumber;
        if (type is < 2500 or > 2599)
        {
            return default;
        }

        if (line.Rendering == AuditRendering.Interpreted)
        {
            notes |= AuditRecordNotes.Interpreted;
            if (!VirtAuditRegistry.LooksLikeLibvirt(line.Message.Span))
            {
                notes |= AuditRecordNotes.NotLibvirt;
            }

            return default;
        }

        if (registry is null)
        {
            return default;
        }

        if (!registry.Handles(type))
        {
            notes |= AuditRecordNotes.OtherVirtType;
            return default;
        }

        // A value at a cut is not a value (issue 12, finding 7): the last, cut word of a cut message is not typed.
        ReadOnlyMemory<byte> message = line.Message;
        if (line.IsMessageTruncated)
        {
            message = message.Slice(0, Math.Max(message.Span.LastIndexOf((byte)' '), 0));
        }

        registry.Parse(type, message, store, out VirtAuditRecord virt);
        if (virt.IsTyped && virt.Trailer.IsMissing && !line.IsMessageTruncated)
        {
            // Only a cut loses libaudit's trailer (spec §3.6). A whole message without one has a broken ending
            // (res=SUCCESS, res=1, a trailing space, none at all) that typing would swallow into the last raw field
            // (issue 12, finding 4).
            virt = new VirtAuditRecord(
                null, 0, message, message, virt.Trailer, LegacyShape.None,
                "no libaudit trailer (exe=… hostname=… addr=… terminal=… res=success|failed) ends the message, and it was not cut", "res", message.Length);
        }
        if (!virt.IsTyped)
        {
            notes |= VirtAuditRegistry.LooksLikeLibvirt(virt.LibvirtPart.Span) ? AuditRecordNotes.Untyped : AuditRecordNotes.NotLibvirt;
        }
        else if (virt.IsAmbiguous)
        {
            notes |= AuditRecordNotes.Ambiguous;
        }

        return virt;
    }

    // A payload of libvirt's own log: its type inferred from its shape (the reason when it cannot be), and no trailer
    // by nature, so its absence is not a legacy shape.
    private static VirtAuditRecord MatchDaemonMessage(VirtAuditRegistry? registry, in AuditLine line, ref AuditRecordNotes notes, ParsedRecords? store)
    {
        ReadOnlyMemory<byte> payload = line.Message;
        int type = line.TypeNumber;
        if (type == 0)
        {
            DaemonMessage.InferRecordType(payload.Span, out string? reason);
            AuditTrailer.TrySplit(payload, out ReadOnlyMemory<byte> libvirtPart, out AuditTrailer trailer);
            notes |= AuditRecordNotes.Untyped;
            return new VirtAuditRecord(null, 0, payload, libvirtPart, trailer, LegacyShape.None, reason, null, 0);
        }

        if (registry is null)
        {
            return default;
        }

        if (!registry.Handles(type))
        {
            notes |= AuditRecordNotes.OtherVirtType;
            return default;
        }

        registry.Parse(type, payload, store, out VirtAuditRecord virt);
        if (!virt.IsTyped)
        {
            notes |= VirtAuditRegistry.LooksLikeLibvirt(virt.LibvirtPart.Span) ? AuditRecordNotes.Untyped : AuditRecordNotes.NotLibvirt;
        }

        if (virt.IsAmbiguous)
        {
            notes |= AuditRecordNotes.Ambiguous;
        }

        return virt.WithLegacy(virt.Legacy & ~LegacyShape.MissingTrailer);
    }
}
