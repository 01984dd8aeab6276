using System.Globalization;
using System.Text;

namespace VirtAudit.LogGenerator;

/// <summary>
/// What <c>ausearch -i</c> prints for a record body: quotes removed and hex decoded in the fields the audit encoding
/// covers, user and group ids named, <c>4294967295</c> as <c>unset</c>, the architecture and syscall named. Done on
/// the generator's own RAW text, whose values never hold a space before interpretation.
/// </summary>
internal static class Interpretation
{
    private static readonly HashSet<string> EncodedFields = new(StringComparer.Ordinal)
    {
        "vm", "old-disk", "new-disk", "old-fs", "new-fs", "old-net", "new-net", "old-chardev", "new-chardev",
        "old-smartcard", "new-smartcard", "old-rng", "new-rng", "path", "cgroup", "device", "disk", "chardev", "shmem",
        "source", "server", "exe", "comm", "name", "cwd", "proctitle", "acct", "cmd", "key",
    };

    private static readonly HashSet<string> UserFields = new(StringComparer.Ordinal) { "uid", "auid", "euid", "suid", "fsuid", "ouid", "id" };

    private static readonly HashSet<string> GroupFields = new(StringComparer.Ordinal) { "gid", "egid", "sgid", "fsgid", "ogid" };

    private static readonly Dictionary<string, string> Users = new(StringComparer.Ordinal) { ["0"] = "root", ["107"] = "qemu", ["1000"] = "alice", ["1001"] = "bob", ["1002"] = "carol", ["4294967295"] = "unset" };

    private static readonly Dictionary<string, string> Groups = new(StringComparer.Ordinal) { ["0"] = "root", ["107"] = "qemu", ["36"] = "kvm", ["1000"] = "alice", ["1001"] = "bob", ["1002"] = "carol" };

    private static readonly Dictionary<string, string> Syscalls = new(StringComparer.Ordinal) { ["257"] = "openat", ["59"] = "execve", ["263"] = "unlinkat", ["268"] = "fchmodat", ["82"] = "rename", ["188"] = "setxattr", ["42"] = "connect", ["16"] = "ioctl", ["260"] = "fchownat" };

    /// <summary>Appends the interpreted form of <paramref name="body"/> (the text after the stamp) to <paramref name="line"/>.</summary>
    public static void AppendBody(StringBuilder line, string body)
    {
        int message = body.IndexOf(" msg='", StringComparison.Ordinal);
        if (message < 0)
        {
            AppendFields(line, body);
            return;
        }

        AppendFields(line, body[..message]);
        int end = body.LastIndexOf('\'');
        line.Append(" msg='");
        AppendFields(line, body[(message + 6)..end]);
        line.Append(body, end, body.Length - end);
    }

    /// <summary>The <c>ausearch -i</c> stamp: local (here UTC) date and time in the en_US form, then <c>) : </c>.</summary>
    public static void AppendStamp(StringBuilder line, long timeMs, long serial)
    {
        DateTime time = DateTime.UnixEpoch.AddMilliseconds(timeMs);
        line.Append(CultureInfo.InvariantCulture, $"msg=audit({time:MM'/'dd'/'yyyy HH:mm:ss}.{timeMs % 1000:D3}:{serial}) : ");
    }

    private static void AppendFields(StringBuilder line, string fields)
    {
        string[] words = fields.Split(' ');
        for (int i = 0; i < words.Length; i++)
        {
            if (i > 0)
            {
                line.Append(' ');
            }

            string word = words[i];
            int equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                line.Append(word);
                continue;
            }

            string name = word[..equals];
            string value = word[(equals + 1)..];
            line.Append(name).Append('=').Append(Interpret(name, value));
        }
    }

    private static string Interpret(string name, string value)
    {
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            return value[1..^1];
        }

        if (EncodedFields.Contains(name) && IsHex(value))
        {
            // One char per byte: the line writer writes chars as bytes, so UTF-8 text comes out as its own bytes.
            string text = Encoding.Latin1.GetString(Convert.FromHexString(value));
            return name == "proctitle" ? text.Replace('\0', ' ') : text;
        }

        if (UserFields.Contains(name))
        {
            return Users.TryGetValue(value, out string? user) ? user : $"unknown({value})";
        }

        if (GroupFields.Contains(name))
        {
            return Groups.TryGetValue(value, out string? group) ? group : $"unknown({value})";
        }

        return name switch
        {
            "ses" when value == "4294967295" => "unset",
            "arch" when value == "c000003e" => "x86_64",
            "syscall" when Syscalls.TryGetValue(value, out string? call) => call,
            _ => value,
        };
    }

    private static bool IsHex(string value)
    {
        if (value.Length < 2 || value.Length % 2 != 0)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!char.IsAsciiHexDigitUpper(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
