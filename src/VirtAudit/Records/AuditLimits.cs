namespace VirtAudit;

/// <summary>Size limits of the audit pipeline (spec §3.6).</summary>
public static class AuditLimits
{
    /// <summary>libaudit's <c>MAX_AUDIT_MESSAGE_LENGTH</c>: payload plus trailer are cut at this many bytes.</summary>
    public const int MaxMessageLength = 8970;

    /// <summary>The kernel's <c>AUDIT_MESSAGE_TEXT_MAX</c>: it copies at most this many bytes of a user message.</summary>
    public const int MaxMessageText = 8560;
}
