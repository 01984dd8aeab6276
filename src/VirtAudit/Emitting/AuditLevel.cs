namespace VirtAudit;

/// <summary>
/// libvirt's <c>audit_level</c> (libvirtd.conf, virtqemud.conf): whether records go to the kernel audit subsystem.
/// </summary>
public enum AuditLevel
{
    /// <summary><c>0</c>: never open the audit socket; records reach only the log (with <see cref="VirtAuditOptions.AuditLogging"/>).</summary>
    Disabled = 0,

    /// <summary><c>1</c>, the default: send to the kernel when it has audit; otherwise say so once and carry on.</summary>
    IfAvailable = 1,

    /// <summary><c>2</c>: the kernel audit subsystem must be usable; start-up fails with the reason when it is not.</summary>
    Required = 2,
}
