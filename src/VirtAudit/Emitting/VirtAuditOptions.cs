namespace VirtAudit;

/// <summary>
/// How an <see cref="AuditEmitter"/> made by <see cref="AuditEmitter.Create"/> sends records: libvirt's
/// <c>audit_level</c> and <c>audit_logging</c>. Bound from the configuration section <c>VirtAudit</c>
/// (<c>VirtAudit:AuditLevel</c>, <c>VirtAudit:AuditLogging</c>) by the VirtAudit.Extensions.Hosting package.
/// </summary>
public sealed class VirtAuditOptions
{
    /// <summary>The configuration section the hosting package binds: <c>VirtAudit</c>.</summary>
    public const string SectionName = "VirtAudit";

    /// <summary>Whether records go to the kernel audit subsystem (default <see cref="AuditLevel.IfAvailable"/>).</summary>
    public AuditLevel AuditLevel { get; set; } = AuditLevel.IfAvailable;

    /// <summary>
    /// Whether every record is also logged, whatever <see cref="AuditLevel"/> is, as libvirt's <c>audit_logging = 1</c>
    /// does: Information <c>success=yes PAYLOAD</c>, Warning <c>success=no PAYLOAD</c>. A failed send is logged
    /// either way. Default off, as in libvirt.
    /// </summary>
    public bool AuditLogging { get; set; }
}
