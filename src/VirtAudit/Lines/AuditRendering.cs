namespace VirtAudit;

/// <summary>How an audit record was printed: the renderings <see cref="AuditLine.TryParseAny"/> reads.</summary>
public enum AuditRendering : byte
{
    /// <summary>Not parsed (<c>default</c>).</summary>
    Unknown = 0,

    /// <summary>
    /// auditd's <c>log_format = RAW</c> line, also what <c>ausearch --raw</c> prints:
    /// <c>[node=N ]type=NAME msg=audit(S.mmm:SERIAL): BODY</c>.
    /// </summary>
    Raw = 1,

    /// <summary>
    /// auditd's <c>log_format = ENRICHED</c> line: a RAW line followed by 0x1D and <c>NAME=value</c> pairs
    /// (<see cref="AuditLine.EnrichmentFields"/>). auditd adds the tail only to records with a field it interprets, so
    /// an ENRICHED log holds RAW lines too.
    /// </summary>
    Enriched = 2,

    /// <summary>
    /// A journald or syslog line: <c>MMM DD HH:MM:SS host audit[PID]: TYPE BODY</c> (journald keeps no
    /// <c>audit(…)</c> stamp, so <see cref="AuditLine.HasStamp"/> is false), the short <c>HH:MM:SS host audit[PID]:</c>
    /// form, ISO 8601 and <c>[monotonic]</c> time stamps, or an auditd line forwarded by syslog after such a prefix
    /// (audisp-syslog). The host is <see cref="AuditLine.Host"/>.
    /// </summary>
    Syslog = 3,

    /// <summary>
    /// The kernel's printk when no auditd runs (<c>dmesg</c>, <c>journalctl -k</c>):
    /// <c>audit: type=2501 audit(S.mmm:SERIAL): BODY</c>, with a numeric type.
    /// </summary>
    Printk = 4,

    /// <summary>
    /// <c>ausearch -i</c> output: <c>type=NAME msg=audit(MM/DD/YYYY HH:MM:SS.mmm:SERIAL) : BODY</c> with names for ids
    /// and decoded values. Values are no longer in the audit encoding, so VIRT records in it are recognized but not
    /// typed and cannot be re-encoded.
    /// </summary>
    Interpreted = 5,

    /// <summary>
    /// libvirt's own log with <c>audit_logging = 1</c> (spec §3.7):
    /// <c>YYYY-MM-DD HH:MM:SS.mmm+0000: THREAD: info : FUNCTION:LINE : success=yes PAYLOAD</c> (<c>warning</c> and
    /// <c>success=no</c> for a failed operation), and <c>… warning : virAuditSend:LINE : Failed to send audit message
    /// PAYLOAD: ERROR</c>. No record type (<see cref="AuditLine.TypeNumber"/> is inferred from the payload), no
    /// trailer, no stamp; <see cref="AuditLine.DaemonLog"/> has the rest.
    /// </summary>
    LibvirtLog = 6,

    /// <summary>
    /// KubeVirt's <c>virt-launcher</c> pod log, libvirt's lines as JSON objects:
    /// <c>{"component":"virt-launcher","level":"info","msg":"success=yes PAYLOAD","pos":"FUNCTION:LINE","subcomponent":"libvirt","thread":"17","timestamp":"…"}</c>;
    /// the message's JSON escapes are decoded. Otherwise as <see cref="LibvirtLog"/>.
    /// </summary>
    KubeVirtLog = 7,
}
