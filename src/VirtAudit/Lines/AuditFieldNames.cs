using System;

namespace VirtAudit;

/// <summary>
/// The field names whose values are written in the audit encoding (quoted, or upper-case hex when they need it):
/// the untrusted strings the kernel and libaudit encode (auparse's ESCAPED types) and libvirt's
/// <c>virAuditEncode</c>d fields (spec §8), including those auparse does not know (<c>disk</c>, <c>chardev</c>,
/// <c>old-/new-smartcard</c>, <c>shmem</c>, <c>source</c>).
/// </summary>
internal static class AuditFieldNames
{
    private static readonly byte[][] Encoded =
    [
        "path"u8.ToArray(), "comm"u8.ToArray(), "exe"u8.ToArray(), "file"u8.ToArray(), "name"u8.ToArray(),
        "watch"u8.ToArray(), "cwd"u8.ToArray(), "cmd"u8.ToArray(), "acct"u8.ToArray(), "dir"u8.ToArray(),
        "key"u8.ToArray(), "ocomm"u8.ToArray(), "grp"u8.ToArray(), "new_group"u8.ToArray(),
        "invalid_context"u8.ToArray(), "sw"u8.ToArray(), "root_dir"u8.ToArray(), "proctitle"u8.ToArray(),
        "apparmor"u8.ToArray(), "operation"u8.ToArray(), "denied_mask"u8.ToArray(), "info"u8.ToArray(),
        "profile"u8.ToArray(), "requested_mask"u8.ToArray(),
        "vm"u8.ToArray(), "old-disk"u8.ToArray(), "new-disk"u8.ToArray(), "old-fs"u8.ToArray(), "new-fs"u8.ToArray(),
        "old-net"u8.ToArray(), "new-net"u8.ToArray(), "old-chardev"u8.ToArray(), "new-chardev"u8.ToArray(),
        "old-rng"u8.ToArray(), "new-rng"u8.ToArray(), "old-smartcard"u8.ToArray(), "new-smartcard"u8.ToArray(),
        "device"u8.ToArray(), "cgroup"u8.ToArray(), "disk"u8.ToArray(), "chardev"u8.ToArray(),
        "shmem"u8.ToArray(), "source"u8.ToArray(),
    ];

    // auparse's UID and GID field types: 4294967295 (-1) is shown as "unset".
    private static readonly byte[][] Ids =
    [
        "auid"u8.ToArray(), "uid"u8.ToArray(), "euid"u8.ToArray(), "suid"u8.ToArray(), "fsuid"u8.ToArray(),
        "ouid"u8.ToArray(), "oauid"u8.ToArray(), "old-auid"u8.ToArray(), "iuid"u8.ToArray(), "id"u8.ToArray(),
        "inode_uid"u8.ToArray(), "sauid"u8.ToArray(), "obj_uid"u8.ToArray(), "obj_gid"u8.ToArray(),
        "gid"u8.ToArray(), "egid"u8.ToArray(), "sgid"u8.ToArray(), "fsgid"u8.ToArray(), "ogid"u8.ToArray(),
        "igid"u8.ToArray(), "inode_gid"u8.ToArray(), "new_gid"u8.ToArray(), "ses"u8.ToArray(),
    ];

    // The names by length and first byte: a lookup is one table read and at most a few comparisons (parse --format
    // checksum asks for every field of every record; a scan of the 43 names was a sixth of its time).
    private const int MaxLength = 16;
    private static readonly byte[][]?[] EncodedTable = Index(Encoded);
    private static readonly byte[][]?[] IdTable = Index(Ids);

    /// <summary>True when values of <paramref name="name"/> are written in the audit encoding.</summary>
    public static bool IsEncoded(ReadOnlySpan<byte> name) => Contains(EncodedTable, name);

    /// <summary>True for a user id, group id or session field, where 4294967295 means unset.</summary>
    public static bool IsId(ReadOnlySpan<byte> name) => Contains(IdTable, name);

    private static bool Contains(byte[][]?[] table, ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || name.Length >= MaxLength)
        {
            return false;
        }

        byte[][]? candidates = table[Slot(name.Length, name[0])];
        if (candidates is null)
        {
            return false;
        }

        foreach (byte[] candidate in candidates)
        {
            if (name.SequenceEqual(candidate))
            {
                return true;
            }
        }

        return false;
    }

    private static int Slot(int length, byte first) => (length * 128) + (first & 0x7F);

    private static byte[][]?[] Index(byte[][] names)
    {
        var table = new byte[][]?[MaxLength * 128];
        foreach (byte[] name in names)
        {
            if (name.Length >= MaxLength)
            {
                throw new InvalidOperationException("field names are shorter than " + MaxLength);
            }

            int slot = Slot(name.Length, name[0]);
            byte[][] existing = table[slot] ?? [];
            table[slot] = [.. existing, name];
        }

        return table;
    }
}
