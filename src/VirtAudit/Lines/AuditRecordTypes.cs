using System;
using System.Buffers.Text;
using System.Text;

namespace VirtAudit;

/// <summary>
/// The names auditd prints for record types (<c>type=NAME</c>), and their numbers: the table of libaudit's
/// <c>lib/msg_typetab.h</c> with the numbers of <c>linux/audit.h</c> and <c>lib/audit-records.h</c>.
/// A number without a name is printed <c>UNKNOWN[N]</c>. Lookups are allocation-free.
/// </summary>
public static class AuditRecordTypes
{
    /// <summary><c>VIRT_CONTROL</c> (2500): a virtual machine was started, stopped or initialised.</summary>
    public const int VirtControl = 2500;

    /// <summary><c>VIRT_RESOURCE</c> (2501): a resource was assigned to a virtual machine.</summary>
    public const int VirtResource = 2501;

    /// <summary><c>VIRT_MACHINE_ID</c> (2502): a security label was bound to a virtual machine.</summary>
    public const int VirtMachineId = 2502;

    private static readonly Entry[] ByNumber = BuildTable();
    // Open addressing over a hash of the name's bytes (a power-of-two table at most a quarter full): one probe and one
    // comparison for nearly every name, instead of a binary search's eight comparisons.
    private static readonly Entry[] ByHash = BuildHashTable(ByNumber);

    /// <summary>
    /// Finds the number of a record type name as auditd prints it: a name of the table (exact, case-sensitive)
    /// or <c>UNKNOWN[N]</c>.
    /// </summary>
    /// <param name="typeName">The UTF-8 name, e.g. <c>VIRT_CONTROL</c> or <c>UNKNOWN[1420]</c>.</param>
    /// <param name="number">The record type number, or 0 when the name is not known.</param>
    /// <returns>True when the name is in the table or is a well-formed <c>UNKNOWN[N]</c>.</returns>
    public static bool TryGetNumber(ReadOnlySpan<byte> typeName, out int number)
    {
        Entry[] table = ByHash;
        int mask = table.Length - 1;
        for (int slot = (int)Hash(typeName) & mask; table[slot].Name is { } name; slot = (slot + 1) & mask)
        {
            if (typeName.SequenceEqual(name))
            {
                number = table[slot].Number;
                return true;
            }
        }

        return TryParseUnknown(typeName, out number);
    }

    // FNV-1a over the bytes (names are short: 4 to 30 bytes).
    private static uint Hash(ReadOnlySpan<byte> name)
    {
        uint hash = 2166136261;
        foreach (byte b in name)
        {
            hash = (hash ^ b) * 16777619;
        }

        return hash ^ (hash >> 15);
    }

    private static Entry[] BuildHashTable(Entry[] entries)
    {
        int size = 1;
        while (size < entries.Length * 4)
        {
            size <<= 1;
        }

        var table = new Entry[size];
        foreach (Entry entry in entries)
        {
            int slot = (int)Hash(entry.Name) & (size - 1);
            while (table[slot].Name is not null)
            {
                if (table[slot].Name.AsSpan().SequenceEqual(entry.Name))
                {
                    throw new InvalidOperationException("record type names are unique");
                }

                slot = (slot + 1) & (size - 1);
            }

            table[slot] = entry;
        }

        return table;
    }

    /// <summary>Finds the table name of a record type number (never the <c>UNKNOWN[N]</c> form).</summary>
    /// <param name="number">The record type number.</param>
    /// <param name="name">The UTF-8 name, or empty when the table has none.</param>
    /// <returns>True when the table names this number.</returns>
    public static bool TryGetName(int number, out ReadOnlySpan<byte> name)
    {
        int index = IndexOfNumber(number);
        if (index < 0)
        {
            name = default;
            return false;
        }

        name = ByNumber[index].Name;
        return true;
    }

    /// <summary>The length in bytes of the name auditd prints for a number: its table name or <c>UNKNOWN[N]</c>.</summary>
    /// <param name="number">The record type number.</param>
    /// <returns>The length of the name.</returns>
    public static int GetNameLength(int number)
    {
        int index = IndexOfNumber(number);
        if (index >= 0)
        {
            return ByNumber[index].Name.Length;
        }

        Span<byte> digits = stackalloc byte[11];
        Utf8Formatter.TryFormat(number, digits, out int length);
        return "UNKNOWN[]"u8.Length + length;
    }

    /// <summary>Writes the name auditd prints for a number: its table name or <c>UNKNOWN[N]</c>.</summary>
    /// <param name="number">The record type number.</param>
    /// <param name="destination">Where to write the UTF-8 name.</param>
    /// <param name="bytesWritten">The number of bytes written; 0 when the destination is too small.</param>
    /// <returns>False when the destination is too small.</returns>
    public static bool TryWriteName(int number, Span<byte> destination, out int bytesWritten)
    {
        int index = IndexOfNumber(number);
        if (index >= 0)
        {
            byte[] name = ByNumber[index].Name;
            if (name.AsSpan().TryCopyTo(destination))
            {
                bytesWritten = name.Length;
                return true;
            }

            bytesWritten = 0;
            return false;
        }

        ReadOnlySpan<byte> prefix = "UNKNOWN["u8;
        if (destination.Length > prefix.Length
            && Utf8Formatter.TryFormat(number, destination.Slice(prefix.Length), out int digits)
            && destination.Length > prefix.Length + digits)
        {
            prefix.CopyTo(destination);
            destination[prefix.Length + digits] = (byte)']';
            bytesWritten = prefix.Length + digits + 1;
            return true;
        }

        bytesWritten = 0;
        return false;
    }

    /// <summary>The name auditd prints for a number, as a string (allocates): its table name or <c>UNKNOWN[N]</c>.</summary>
    /// <param name="number">The record type number.</param>
    /// <returns>The name.</returns>
    public static string GetName(int number)
    {
        Span<byte> buffer = stackalloc byte[64];
        TryWriteName(number, buffer, out int length);
        return Encoding.ASCII.GetString(buffer.Slice(0, length));
    }

    private static bool TryParseUnknown(ReadOnlySpan<byte> typeName, out int number)
    {
        number = 0;
        ReadOnlySpan<byte> prefix = "UNKNOWN["u8;
        if (typeName.Length <= prefix.Length + 1 || !typeName.StartsWith(prefix) || typeName[^1] != (byte)']')
        {
            return false;
        }

        ReadOnlySpan<byte> digits = typeName.Slice(prefix.Length, typeName.Length - prefix.Length - 1);
        if (!LineSyntax.TryParseDigits(digits, out ulong value, out int consumed)
            || consumed != digits.Length
            || value > int.MaxValue)
        {
            return false;
        }

        number = (int)value;
        return true;
    }

    private static int IndexOfNumber(int number)
    {
        Entry[] entries = ByNumber;
        int low = 0;
        int high = entries.Length - 1;
        while (low <= high)
        {
            int middle = low + ((high - low) >> 1);
            int value = entries[middle].Number;
            if (value == number)
            {
                return middle;
            }

            if (value < number)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return -1;
    }

    private static Entry[] BuildTable()
    {
        // Every name libaudit's msg_typetab.h gives auditd to print (the APPARMOR_* block is compiled in when
        // libaudit is built with AppArmor support, as on Debian and Ubuntu), sorted by number. Numbers without an
        // entry (1204 DAEMON_RECONFIG, 1329 REPLACE, 1420 on LSM-stacking kernels, ...) are printed UNKNOWN[N].
        Entry[] entries =
        [
            new(1005, "USER"),
            new(1006, "LOGIN"),
            new(1100, "USER_AUTH"),
            new(1101, "USER_ACCT"),
            new(1102, "USER_MGMT"),
            new(1103, "CRED_ACQ"),
            new(1104, "CRED_DISP"),
            new(1105, "USER_START"),
            new(1106, "USER_END"),
            new(1107, "USER_AVC"),
            new(1108, "USER_CHAUTHTOK"),
            new(1109, "USER_ERR"),
            new(1110, "CRED_REFR"),
            new(1111, "USYS_CONFIG"),
            new(1112, "USER_LOGIN"),
            new(1113, "USER_LOGOUT"),
            new(1114, "ADD_USER"),
            new(1115, "DEL_USER"),
            new(1116, "ADD_GROUP"),
            new(1117, "DEL_GROUP"),
            new(1118, "DAC_CHECK"),
            new(1119, "CHGRP_ID"),
            new(1120, "TEST"),
            new(1121, "TRUSTED_APP"),
            new(1122, "USER_SELINUX_ERR"),
            new(1123, "USER_CMD"),
            new(1124, "USER_TTY"),
            new(1125, "CHUSER_ID"),
            new(1126, "GRP_AUTH"),
            new(1127, "SYSTEM_BOOT"),
            new(1128, "SYSTEM_SHUTDOWN"),
            new(1129, "SYSTEM_RUNLEVEL"),
            new(1130, "SERVICE_START"),
            new(1131, "SERVICE_STOP"),
            new(1132, "GRP_MGMT"),
            new(1133, "GRP_CHAUTHTOK"),
            new(1134, "MAC_CHECK"),
            new(1135, "ACCT_LOCK"),
            new(1136, "ACCT_UNLOCK"),
            new(1137, "USER_DEVICE"),
            new(1138, "SOFTWARE_UPDATE"),
            new(1200, "DAEMON_START"),
            new(1201, "DAEMON_END"),
            new(1202, "DAEMON_ABORT"),
            new(1203, "DAEMON_CONFIG"),
            new(1205, "DAEMON_ROTATE"),
            new(1206, "DAEMON_RESUME"),
            new(1207, "DAEMON_ACCEPT"),
            new(1208, "DAEMON_CLOSE"),
            new(1209, "DAEMON_ERR"),
            new(1300, "SYSCALL"),
            new(1302, "PATH"),
            new(1303, "IPC"),
            new(1304, "SOCKETCALL"),
            new(1305, "CONFIG_CHANGE"),
            new(1306, "SOCKADDR"),
            new(1307, "CWD"),
            new(1309, "EXECVE"),
            new(1311, "IPC_SET_PERM"),
            new(1312, "MQ_OPEN"),
            new(1313, "MQ_SENDRECV"),
            new(1314, "MQ_NOTIFY"),
            new(1315, "MQ_GETSETATTR"),
            new(1316, "KERNEL_OTHER"),
            new(1317, "FD_PAIR"),
            new(1318, "OBJ_PID"),
            new(1319, "TTY"),
            new(1320, "EOE"),
            new(1321, "BPRM_FCAPS"),
            new(1322, "CAPSET"),
            new(1323, "MMAP"),
            new(1324, "NETFILTER_PKT"),
            new(1325, "NETFILTER_CFG"),
            new(1326, "SECCOMP"),
            new(1327, "PROCTITLE"),
            new(1328, "FEATURE_CHANGE"),
            new(1330, "KERN_MODULE"),
            new(1331, "FANOTIFY"),
            new(1332, "TIME_INJOFFSET"),
            new(1333, "TIME_ADJNTPVAL"),
            new(1334, "BPF"),
            new(1335, "EVENT_LISTENER"),
            new(1336, "URINGOP"),
            new(1337, "OPENAT2"),
            new(1338, "DM_CTRL"),
            new(1339, "DM_EVENT"),
            new(1400, "AVC"),
            new(1401, "SELINUX_ERR"),
            new(1402, "AVC_PATH"),
            new(1403, "MAC_POLICY_LOAD"),
            new(1404, "MAC_STATUS"),
            new(1405, "MAC_CONFIG_CHANGE"),
            new(1406, "MAC_UNLBL_ALLOW"),
            new(1407, "MAC_CIPSOV4_ADD"),
            new(1408, "MAC_CIPSOV4_DEL"),
            new(1409, "MAC_MAP_ADD"),
            new(1410, "MAC_MAP_DEL"),
            new(1411, "MAC_IPSEC_ADDSA"),
            new(1412, "MAC_IPSEC_DELSA"),
            new(1413, "MAC_IPSEC_ADDSPD"),
            new(1414, "MAC_IPSEC_DELSPD"),
            new(1415, "MAC_IPSEC_EVENT"),
            new(1416, "MAC_UNLBL_STCADD"),
            new(1417, "MAC_UNLBL_STCDEL"),
            new(1418, "MAC_CALIPSO_ADD"),
            new(1419, "MAC_CALIPSO_DEL"),
            new(1500, "APPARMOR"),
            new(1501, "APPARMOR_AUDIT"),
            new(1502, "APPARMOR_ALLOWED"),
            new(1503, "APPARMOR_DENIED"),
            new(1504, "APPARMOR_HINT"),
            new(1505, "APPARMOR_STATUS"),
            new(1506, "APPARMOR_ERROR"),
            new(1507, "APPARMOR_KILL"),
            new(1700, "ANOM_PROMISCUOUS"),
            new(1701, "ANOM_ABEND"),
            new(1702, "ANOM_LINK"),
            new(1703, "ANOM_CREAT"),
            new(1800, "INTEGRITY_DATA"),
            new(1801, "INTEGRITY_METADATA"),
            new(1802, "INTEGRITY_STATUS"),
            new(1803, "INTEGRITY_HASH"),
            new(1804, "INTEGRITY_PCR"),
            new(1805, "INTEGRITY_RULE"),
            new(1806, "INTEGRITY_EVM_XATTR"),
            new(1807, "INTEGRITY_POLICY_RULE"),
            new(2000, "KERNEL"),
            new(2100, "ANOM_LOGIN_FAILURES"),
            new(2101, "ANOM_LOGIN_TIME"),
            new(2102, "ANOM_LOGIN_SESSIONS"),
            new(2103, "ANOM_LOGIN_ACCT"),
            new(2104, "ANOM_LOGIN_LOCATION"),
            new(2105, "ANOM_MAX_DAC"),
            new(2106, "ANOM_MAX_MAC"),
            new(2107, "ANOM_AMTU_FAIL"),
            new(2108, "ANOM_RBAC_FAIL"),
            new(2109, "ANOM_RBAC_INTEGRITY_FAIL"),
            new(2110, "ANOM_CRYPTO_FAIL"),
            new(2111, "ANOM_ACCESS_FS"),
            new(2112, "ANOM_EXEC"),
            new(2113, "ANOM_MK_EXEC"),
            new(2114, "ANOM_ADD_ACCT"),
            new(2115, "ANOM_DEL_ACCT"),
            new(2116, "ANOM_MOD_ACCT"),
            new(2117, "ANOM_ROOT_TRANS"),
            new(2118, "ANOM_LOGIN_SERVICE"),
            new(2119, "ANOM_LOGIN_ROOT"),
            new(2120, "ANOM_ORIGIN_FAILURES"),
            new(2121, "ANOM_SESSION"),
            new(2200, "RESP_ANOMALY"),
            new(2201, "RESP_ALERT"),
            new(2202, "RESP_KILL_PROC"),
            new(2203, "RESP_TERM_ACCESS"),
            new(2204, "RESP_ACCT_REMOTE"),
            new(2205, "RESP_ACCT_LOCK_TIMED"),
            new(2206, "RESP_ACCT_UNLOCK_TIMED"),
            new(2207, "RESP_ACCT_LOCK"),
            new(2208, "RESP_TERM_LOCK"),
            new(2209, "RESP_SEBOOL"),
            new(2210, "RESP_EXEC"),
            new(2211, "RESP_SINGLE"),
            new(2212, "RESP_HALT"),
            new(2213, "RESP_ORIGIN_BLOCK"),
            new(2214, "RESP_ORIGIN_BLOCK_TIMED"),
            new(2215, "RESP_ORIGIN_UNBLOCK_TIMED"),
            new(2300, "USER_ROLE_CHANGE"),
            new(2301, "ROLE_ASSIGN"),
            new(2302, "ROLE_REMOVE"),
            new(2303, "LABEL_OVERRIDE"),
            new(2304, "LABEL_LEVEL_CHANGE"),
            new(2305, "USER_LABELED_EXPORT"),
            new(2306, "USER_UNLABELED_EXPORT"),
            new(2307, "DEV_ALLOC"),
            new(2308, "DEV_DEALLOC"),
            new(2309, "FS_RELABEL"),
            new(2310, "USER_MAC_POLICY_LOAD"),
            new(2311, "ROLE_MODIFY"),
            new(2312, "USER_MAC_CONFIG_CHANGE"),
            new(2313, "USER_MAC_STATUS"),
            new(2400, "CRYPTO_TEST_USER"),
            new(2401, "CRYPTO_PARAM_CHANGE_USER"),
            new(2402, "CRYPTO_LOGIN"),
            new(2403, "CRYPTO_LOGOUT"),
            new(2404, "CRYPTO_KEY_USER"),
            new(2405, "CRYPTO_FAILURE_USER"),
            new(2406, "CRYPTO_REPLAY_USER"),
            new(2407, "CRYPTO_SESSION"),
            new(2408, "CRYPTO_IKE_SA"),
            new(2409, "CRYPTO_IPSEC_SA"),
            new(2500, "VIRT_CONTROL"),
            new(2501, "VIRT_RESOURCE"),
            new(2502, "VIRT_MACHINE_ID"),
            new(2503, "VIRT_INTEGRITY_CHECK"),
            new(2504, "VIRT_CREATE"),
            new(2505, "VIRT_DESTROY"),
            new(2506, "VIRT_MIGRATE_IN"),
            new(2507, "VIRT_MIGRATE_OUT"),
        ];
        return entries;
    }

    private readonly struct Entry
    {
        public Entry(int number, string name)
        {
            Number = number;
            Name = Encoding.ASCII.GetBytes(name);
        }

        public int Number { get; }

        public byte[] Name { get; }
    }
}
