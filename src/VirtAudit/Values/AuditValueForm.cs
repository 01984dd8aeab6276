namespace VirtAudit;

/// <summary>The shape of a value token as it stands in a payload (spec §4.1, §4.4).</summary>
public enum AuditValueForm : byte
{
    /// <summary>Not parsed: the value was constructed from a <see cref="string"/> or UTF-8 bytes.</summary>
    None = 0,

    /// <summary><c>"text"</c>: double-quoted, the value is the text between the quotes.</summary>
    Quoted = 1,

    /// <summary>An even number of upper-case hex digits, two per byte of the value.</summary>
    Hex = 2,

    /// <summary>Anything else: the value is the token as is (raw fields, and encoded fields written unencoded).</summary>
    Bare = 3,

    /// <summary><c>'text'</c>: single-quoted, as libvirt 0.8.7–0.9.9 wrote MAC addresses.</summary>
    SingleQuoted = 4,
}
