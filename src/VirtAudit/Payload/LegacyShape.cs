using System;

namespace VirtAudit;

/// <summary>What a parsed payload had that current libvirt and libaudit do not write.</summary>
[Flags]
public enum LegacyShape
{
    /// <summary>Nothing: the payload has the current shape.</summary>
    None = 0,

    /// <summary>A field that old libvirt versions did not write (<c>legacy-absent</c>) was missing.</summary>
    MissingField = 1 << 0,

    /// <summary>
    /// An encoded field was neither quoted nor hex (e.g. a raw MAC or <c>?</c> from libvirt 0.9.10–1.2.6). Not set for
    /// the bare <c>cgroup=?</c> that current libvirt writes when encoding failed (a <c>bare-absent</c> field).
    /// </summary>
    BareValue = 1 << 1,

    /// <summary>A value was in single quotes (<c>'52:54:00:aa:bb:cc'</c>, libvirt 0.8.7–0.9.9).</summary>
    SingleQuotedValue = 1 << 2,

    /// <summary>
    /// A value was not in the form current code writes for it: hex for a text that needs no encoding, quoted text
    /// that needs encoding, an upper-case MAC or UUID, a hex number without its leading zero, …
    /// </summary>
    NonCanonicalEncoding = 1 << 3,

    /// <summary>The payload matched a variant marked <c>legacy</c> (a shape current libvirt no longer writes).</summary>
    LegacyVariant = 1 << 4,

    /// <summary>The trailer had a colon right before <c>exe=</c> (libaudit ≤ 2.1.x).</summary>
    ColonBeforeExe = 1 << 5,

    /// <summary>The message had no trailer (<c>exe=… res=…</c>), e.g. because the kernel truncated it.</summary>
    MissingTrailer = 1 << 6,

    /// <summary>A value only old versions wrote, listed as <c>legacy-values</c> in the schema (<c>vm-pid=-1</c> on the stop records of libvirt ≤ 4.x).</summary>
    LegacyValue = 1 << 7,
}
