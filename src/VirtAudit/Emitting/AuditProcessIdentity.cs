using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VirtAudit;

/// <summary>
/// What libaudit's <c>audit_log_user_message</c> puts in the trailer for this process (spec §3.3): <c>exe=</c> from
/// <c>/proc/self/exe</c>; <c>terminal=</c> the first of fds 0–2 that is a terminal, without <c>/dev/</c>;
/// <c>hostname=</c> this host's name only when that terminal is a <c>pts</c> or <c>tty</c>, and <c>addr=</c> its
/// first address; <c>?</c> for each one unknown. A daemon without a terminal gets <c>hostname=? addr=? terminal=?</c>,
/// as libvirt's daemons do.
/// </summary>
public sealed class AuditProcessIdentity
{
    private static readonly Lazy<AuditProcessIdentity> s_current = new(Read);

    /// <summary>Creates an identity.</summary>
    /// <param name="exe">The executable path; <see langword="null"/> for <c>"?"</c>.</param>
    /// <param name="hostname">The host name; <see langword="null"/> for <c>?</c>.</param>
    /// <param name="addr">The address; <see langword="null"/> for <c>?</c>.</param>
    /// <param name="terminal">The terminal, e.g. <c>pts/0</c>; <see langword="null"/> for <c>?</c>.</param>
    public AuditProcessIdentity(string? exe, string? hostname = null, string? addr = null, string? terminal = null)
    {
        Exe = exe;
        Hostname = hostname;
        Addr = addr;
        Terminal = terminal;
        SuccessTrailer = Format(true);
        FailedTrailer = Format(false);
    }

    /// <summary>This process, read once (as libaudit caches it).</summary>
    public static AuditProcessIdentity Current => s_current.Value;

    /// <summary>The executable path (<c>exe=</c>, encoded); <see langword="null"/> when unknown.</summary>
    public string? Exe { get; }

    /// <summary>The host name (<c>hostname=</c>, raw); <see langword="null"/> for <c>?</c>.</summary>
    public string? Hostname { get; }

    /// <summary>The address (<c>addr=</c>, raw); <see langword="null"/> for <c>?</c>.</summary>
    public string? Addr { get; }

    /// <summary>The terminal (<c>terminal=</c>, raw); <see langword="null"/> for <c>?</c>.</summary>
    public string? Terminal { get; }

    internal byte[] SuccessTrailer { get; }

    internal byte[] FailedTrailer { get; }

    /// <summary>The trailer for a record.</summary>
    /// <param name="success">Whether the operation succeeded (<c>res=success</c> or <c>res=failed</c>).</param>
    /// <returns>The trailer.</returns>
    public AuditTrailer GetTrailer(bool success) => new(Exe, Hostname, Addr, Terminal, success);

    /// <inheritdoc/>
    public override string ToString() => Encoding.UTF8.GetString(SuccessTrailer);

    private byte[] Format(bool success)
    {
        AuditTrailer trailer = GetTrailer(success);
        var bytes = new byte[trailer.GetLength()];
        trailer.TryFormat(bytes, out _);
        return bytes;
    }

    private static AuditProcessIdentity Read()
    {
        string? exe = null;
        string? terminal = null;
        if (OperatingSystem.IsLinux())
        {
            exe = ReadLink("/proc/self/exe");
            for (int fd = 0; fd < 3 && terminal is null; fd++)
            {
                if (Linux.IsATty(fd) == 1)
                {
                    terminal = ReadLink("/proc/self/fd/" + fd.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }
        else
        {
            exe = Environment.ProcessPath;
        }

        if (terminal is not null && terminal.StartsWith("/dev/", StringComparison.Ordinal))
        {
            terminal = terminal.Substring("/dev/".Length);
        }

        string? hostname = null;
        string? addr = null;
        if (terminal is not null && (terminal.StartsWith("pts", StringComparison.Ordinal) || terminal.StartsWith("tty", StringComparison.Ordinal)))
        {
            hostname = Dns.GetHostName();
            addr = Resolve(hostname);
        }

        return new AuditProcessIdentity(exe, hostname, addr, terminal);
    }

    private static string? ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? Resolve(string hostname)
    {
        try
        {
            foreach (IPAddress address in Dns.GetHostAddresses(hostname))
            {
                if (address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
                {
                    return address.ToString();
                }
            }
        }
        catch (SocketException)
        {
        }

        return null;
    }
}
