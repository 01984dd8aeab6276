using System;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace VirtAudit;

/// <summary>Linux error numbers and the few libc calls the emitting side needs (blittable, no marshalling).</summary>
internal static class Linux
{
    public const int EPERM = 1;
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int EINVAL = 22;
    public const int EPROTONOSUPPORT = 93;
    public const int EAFNOSUPPORT = 97;
    public const int ENOBUFS = 105;
    public const int ETIMEDOUT = 110;
    public const int ECONNREFUSED = 111;

    public static string Name(int errno) => errno switch
    {
        EPERM => "EPERM",
        EINTR => "EINTR",
        EAGAIN => "EAGAIN",
        EACCES => "EACCES",
        EINVAL => "EINVAL",
        EPROTONOSUPPORT => "EPROTONOSUPPORT",
        EAFNOSUPPORT => "EAFNOSUPPORT",
        ENOBUFS => "ENOBUFS",
        ETIMEDOUT => "ETIMEDOUT",
        ECONNREFUSED => "ECONNREFUSED",
        _ => "errno " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The C library's text for an error (strerror), as libvirt's <c>virAuditSend</c> logs it.</summary>
    public static string StrError(int errno) => errno switch
    {
        EPERM => "Operation not permitted",
        EINTR => "Interrupted system call",
        EAGAIN => "Resource temporarily unavailable",
        EACCES => "Permission denied",
        EINVAL => "Invalid argument",
        EPROTONOSUPPORT => "Protocol not supported",
        EAFNOSUPPORT => "Address family not supported by protocol",
        ENOBUFS => "No buffer space available",
        ETIMEDOUT => "Connection timed out",
        ECONNREFUSED => "Connection refused",
        _ => "Unknown error " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [SupportedOSPlatform("linux")]
    [DllImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static extern int Socket(int domain, int type, int protocol);

    [SupportedOSPlatform("linux")]
    [DllImport("libc", EntryPoint = "getuid")]
    public static extern uint GetUid();

    [SupportedOSPlatform("linux")]
    [DllImport("libc", EntryPoint = "isatty")]
    public static extern int IsATty(int fd);
}
