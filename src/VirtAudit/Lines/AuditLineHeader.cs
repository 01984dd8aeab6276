using System;

namespace VirtAudit;

/// <summary>
/// What <see cref="AuditLineWriter"/> puts before a user-space message: the optional node, the record type, the
/// stamp and the kernel header (<c>pid= uid= auid= ses=[ subj=]</c>). <c>new AuditLineHeader()</c> starts with
/// <see cref="Auid"/> and <see cref="Ses"/> unset (4294967295), as for a daemon started by systemd;
/// <c>default(AuditLineHeader)</c> has them 0.
/// </summary>
public readonly struct AuditLineHeader
{
    /// <summary>The value the kernel prints for an unset <c>auid</c> or <c>ses</c>: 4294967295.</summary>
    public const uint Unset = uint.MaxValue;

    /// <summary>A header with <see cref="Auid"/> and <see cref="Ses"/> unset and everything else empty or 0.</summary>
    public AuditLineHeader()
    {
        Auid = Unset;
        Ses = Unset;
    }

    /// <summary>The node name written as <c>node=NODE </c>, raw; empty for no <c>node=</c> prefix.</summary>
    public ReadOnlyMemory<byte> Node { get; init; }

    /// <summary>The record type number; written as its <see cref="AuditRecordTypes"/> name or <c>UNKNOWN[N]</c> when <see cref="TypeName"/> is empty.</summary>
    public int Type { get; init; }

    /// <summary>The record type name to write as is (e.g. a parsed <see cref="AuditLine.TypeName"/>); empty to write the name of <see cref="Type"/>.</summary>
    public ReadOnlyMemory<byte> TypeName { get; init; }

    /// <summary>The event stamp.</summary>
    public AuditStamp Stamp { get; init; }

    /// <summary>The sender's process id (<c>pid=</c>).</summary>
    public int Pid { get; init; }

    /// <summary>The sender's user id (<c>uid=</c>).</summary>
    public uint Uid { get; init; }

    /// <summary>The sender's login user id (<c>auid=</c>); <see cref="Unset"/> when none.</summary>
    public uint Auid { get; init; }

    /// <summary>The sender's session id (<c>ses=</c>); <see cref="Unset"/> when none.</summary>
    public uint Ses { get; init; }

    /// <summary>The sender's LSM label, written as <c> subj=LABEL</c>; empty for none (a host without an LSM).</summary>
    public ReadOnlyMemory<byte> Subj { get; init; }

    /// <summary>
    /// The header of a parsed line: its node, type name, stamp and kernel header (0 for the kernel header's numbers
    /// when the line has none). The legacy <c>user </c> prefix, a missing <c>ses=</c> and <c>ssid=</c> are not kept:
    /// the writer writes the current kernel format.
    /// </summary>
    /// <param name="line">The parsed line.</param>
    /// <returns>The header.</returns>
    public static AuditLineHeader From(in AuditLine line)
    {
        AuditKernelHeader kernel = line.KernelHeader;
        return new AuditLineHeader
        {
            Node = line.Node,
            Type = line.TypeNumber,
            TypeName = line.TypeName,
            Stamp = line.Stamp,
            Pid = kernel.Pid,
            Uid = kernel.Uid,
            Auid = kernel.Auid,
            Ses = kernel.Ses,
            Subj = kernel.Subj,
        };
    }
}
