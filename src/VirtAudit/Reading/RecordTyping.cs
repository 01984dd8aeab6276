namespace VirtAudit;

/// <summary>
/// Matches a parsed line's payload against the reader's registry and notes what the reader noticed (no stamp, a cut
/// message, an <c>ausearch -i</c> line, a VIRT record of other software or of a type no variant has).
/// </summary>
internal static class RecordTyping
{
    /// <summary>The typed (or untyped, with the reason) VIRT_* payload of <paramref name="line"/>; <c>default</c> for other records.</summary>
    public static VirtAuditRecord Match(VirtAuditRegistry? registry, in AuditLine line, out AuditRecordNotes notes)
    {
        notes = line.HasStamp ? AuditRecordNotes.None : AuditRecordNotes.NoStamp;
        if (line.IsMessageTruncated)
        {
            notes |= AuditRecordNotes.Truncated;
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

        VirtAuditRecord virt = registry.Parse(type, line.Message);
        if (!virt.IsTyped)
        {
            notes |= VirtAuditRegistry.LooksLikeLibvirt(virt.LibvirtPart.Span) ? AuditRecordNotes.Untyped : AuditRecordNotes.NotLibvirt;
        }

        return virt;
    }
}
