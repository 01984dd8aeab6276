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

    /// <summary>Parses the header: the <paramref name="length"/> bytes at <paramref name="start"/> of <paramref name="line"/>, everything before <c> msg='</c>.</summary>
    internal static bool TryParse(
        ReadOnlyMemory<byte> line,
        int start,
        int length,
        out AuditKernelHeader header,
        out AuditLineError error)
    {
        header = default;
        ReadOnlySpan<byte> h = line.Span.Slice(start, length);
        int position = 0;
        bool userPrefix = false;
        if (h.StartsWith("user "u8))
        {
            userPrefix = true;
            position = 5;
        }

        if (!h.Slice(position).StartsWith("pid="u8))
        {
            return AuditLineError.Fail(out error, start + position, "expected pid=", LineParts.Pid);
        }

        position += 4;
        bool negative = position < h.Length && h[position] == (byte)'-';
        int digitsStart = negative ? position + 1 : position;
        if (!TryParseValue(h, digitsStart, out ulong magnitude, out int end)
            || magnitude > (negative ? 2147483648UL : int.MaxValue))
        {
            return AuditLineError.Fail(out error, start + position, "expected a 32-bit integer", LineParts.Pid);
        }

        int pid = negative ? (int)(0 - (long)magnitude) : (int)magnitude;
        position = end;

        if (!h.Slice(position).StartsWith(" uid="u8))
        {
            return AuditLineError.Fail(out error, start + position, "expected ' uid='", LineParts.Uid);
        }

        if (!TryParseUInt32After(h, ref position, 5, out uint uid))
        {
            return AuditLineError.Fail(out error, start + position, "expected a 32-bit unsigned integer", LineParts.Uid);
        }

        if (!h.Slice(position).StartsWith(" auid="u8))
        {
            return AuditLineError.Fail(out error, start + position, "expected ' auid='", LineParts.Auid);
        }

        if (!TryParseUInt32After(h, ref position, 6, out uint auid))
        {
            return AuditLineError.Fail(out error, start + position, "expected a 32-bit unsigned integer", LineParts.Auid);
        }

        bool hasSes = false;
        uint ses = 0;
        if (h.Slice(position).StartsWith(" ses="u8))
        {
            if (!TryParseUInt32After(h, ref position, 5, out ses))
            {
                return AuditLineError.Fail(out error, start + position, "expected a 32-bit unsigned integer", LineParts.Ses);
            }

            hasSes = true;
        }

        bool hasSubj = false;
        bool hasSsid = false;
        uint ssid = 0;
        ReadOnlyMemory<byte> subj = default;
        if (h.Slice(position).StartsWith(" subj="u8))
        {
            // The label runs to the cut at " msg='": AppArmor labels hold spaces ("docker (enforce)").
            hasSubj = true;
            subj = line.Slice(start + position + 6, length - position - 6);
            position = length;
        }
        else if (h.Slice(position).StartsWith(" ssid="u8))
        {
            if (!TryParseUInt32After(h, ref position, 6, out ssid))
            {
                return AuditLineError.Fail(out error, start + position, "expected a 32-bit unsigned integer", LineParts.Ssid);
            }

            hasSsid = true;
        }

        if (position != length)
        {
            return AuditLineError.Fail(out error, start + position, "unexpected text before ' msg='", LineParts.Header);
        }

        header = new AuditKernelHeader(pid, uid, auid, ses, subj, ssid, userPrefix, hasSes, hasSubj, hasSsid);
        error = default;
        return true;
    }

    // Reads the digits after a " key=" of keyLength bytes at position and moves past them; on failure, moves
    // position to the value.
    private static bool TryParseUInt32After(ReadOnlySpan<byte> h, ref int position, int keyLength, out uint value)
    {
        int valueStart = position + keyLength;
        if (!TryParseValue(h, valueStart, out ulong number, out int end) || number > uint.MaxValue)
        {
            position = valueStart;
            value = 0;
            return false;
        }

        value = (uint)number;
        position = end;
        return true;
    }

    // Digits at start that run to a space or the end of the header.
    private static bool TryParseValue(ReadOnlySpan<byte> h, int start, out ulong value, out int end)
    {
        bool ok = LineSyntax.TryParseDigits(h.Slice(start), out value, out int digits);
        end = start + digits;
        return ok && (end == h.Length || h[end] == (byte)' ');
    }
}
