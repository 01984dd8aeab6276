using System;

namespace VirtAudit;

/// <summary>
/// The header the kernel puts before a user-space message (spec §3.2):
/// <c>[user ]pid=P uid=U auid=A ses=S[ subj=LABEL| ssid=N]</c>, everything before <c> msg='</c>.
/// </summary>
public readonly struct AuditKernelHeader
{
    private readonly Flags _flags;

    internal AuditKernelHeader(
        int pid,
        uint uid,
        uint auid,
        uint ses,
        ReadOnlyMemory<byte> subj,
        uint ssid,
        bool hasUserPrefix,
        bool hasSes,
        bool hasSubj,
        bool hasSsid)
    {
        Pid = pid;
        Uid = uid;
        Auid = auid;
        Ses = ses;
        Subj = subj;
        Ssid = ssid;
        _flags = (hasUserPrefix ? Flags.UserPrefix : 0)
            | (hasSes ? Flags.Ses : 0)
            | (hasSubj ? Flags.Subj : 0)
            | (hasSsid ? Flags.Ssid : 0);
    }

    [Flags]
    private enum Flags : byte
    {
        UserPrefix = 1,
        Ses = 2,
        Subj = 4,
        Ssid = 8,
    }

    /// <summary>The process id (tgid) of the sender (<c>pid=</c>).</summary>
    public int Pid { get; }

    /// <summary>The sender's user id (<c>uid=</c>).</summary>
    public uint Uid { get; }

    /// <summary>The sender's login user id (<c>auid=</c>); 4294967295 means unset.</summary>
    public uint Auid { get; }

    /// <summary>The sender's session id (<c>ses=</c>); 4294967295 means unset; 0 when <see cref="HasSes"/> is false.</summary>
    public uint Ses { get; }

    /// <summary>True when the header has <c>ses=</c> (kernels before 2.6.25 had none).</summary>
    public bool HasSes => (_flags & Flags.Ses) != 0;

    /// <summary>
    /// The LSM label of the sender (<c>subj=</c>), raw; it may contain spaces (AppArmor: <c>docker (enforce)</c>).
    /// Empty when <see cref="HasSubj"/> is false.
    /// </summary>
    public ReadOnlyMemory<byte> Subj { get; }

    /// <summary>True when the header has <c>subj=</c> (hosts without an LSM have none).</summary>
    public bool HasSubj => (_flags & Flags.Subj) != 0;

    /// <summary>The LSM secid (<c>ssid=</c>), printed by some kernels when the label could not be converted.</summary>
    public uint Ssid { get; }

    /// <summary>True when the header has <c>ssid=</c> instead of <c>subj=</c>.</summary>
    public bool HasSsid => (_flags & Flags.Ssid) != 0;

    /// <summary>True when the header starts with the legacy <c>user </c> token (2.6.x kernels).</summary>
    public bool HasUserPrefix => (_flags & Flags.UserPrefix) != 0;
}
