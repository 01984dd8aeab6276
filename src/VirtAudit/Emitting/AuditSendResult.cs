using System;

namespace VirtAudit;

/// <summary>Why a message was not delivered (<see cref="AuditSendResult.Error"/>).</summary>
public enum AuditSendError
{
    /// <summary>Delivered.</summary>
    None = 0,

    /// <summary>Not sent: the emitter has no sink (<see cref="AuditLevel.Disabled"/>, or audit unavailable at <see cref="AuditLevel.IfAvailable"/>).</summary>
    NotSent,

    /// <summary>The kernel has no audit support, or the process is in a user namespace other than the initial one (<c>ECONNREFUSED</c>, <c>EPROTONOSUPPORT</c>).</summary>
    KernelWithoutAudit,

    /// <summary>The kernel refused the message: the process lacks <c>CAP_AUDIT_WRITE</c> (<c>EPERM</c>), as a rootless or containerized process does.</summary>
    PermissionDenied,

    /// <summary>The kernel's reply was dropped because a buffer overflowed (<c>ENOBUFS</c>): the audit backlog is full.</summary>
    BacklogOverflow,

    /// <summary>No reply from the kernel in time.</summary>
    Timeout,

    /// <summary>The kernel audit subsystem exists only on Linux.</summary>
    NotLinux,

    /// <summary>Writing failed (a file or writer sink: disk full, closed stream).</summary>
    WriteFailed,

    /// <summary>The sink is closed.</summary>
    Closed,

    /// <summary>Another error; see <see cref="AuditSendResult.Errno"/>.</summary>
    Other,
}

/// <summary>
/// What became of one message: delivered, or why not, in words (<see cref="Reason"/>) and as the Linux error number
/// when there is one. A value type, so that a successful send allocates nothing.
/// </summary>
public readonly struct AuditSendResult : IEquatable<AuditSendResult>
{
    /// <summary>Creates a result.</summary>
    /// <param name="error">What went wrong, or <see cref="AuditSendError.None"/>.</param>
    /// <param name="errno">The Linux error number, 0 when none.</param>
    public AuditSendResult(AuditSendError error, int errno)
    {
        Error = error;
        Errno = errno;
    }

    /// <summary>A delivered message.</summary>
    public static AuditSendResult Success => default;

    /// <summary>What went wrong, or <see cref="AuditSendError.None"/>.</summary>
    public AuditSendError Error { get; }

    /// <summary>The Linux error number (<c>EPERM</c> = 1, <c>ECONNREFUSED</c> = 111, …), 0 when none.</summary>
    public int Errno { get; }

    /// <summary>Whether the message was delivered.</summary>
    public bool IsSuccess => Error == AuditSendError.None;

    /// <summary>
    /// Why the message was not delivered, in words: the C library's text of the error, its name, and what it means
    /// here, e.g. <c>Operation not permitted (EPERM): this process lacks CAP_AUDIT_WRITE (rootless or containerized)</c>.
    /// </summary>
    public string Reason => Error switch
    {
        AuditSendError.None => "sent",
        AuditSendError.NotSent => "not sent: kernel auditing is off for this emitter",
        AuditSendError.KernelWithoutAudit => Errno switch
        {
            Linux.ECONNREFUSED => "Connection refused (ECONNREFUSED): the kernel has no audit support, or this process is in a user namespace other than the initial one",
            _ => Describe("the kernel has no audit support (no NETLINK_AUDIT)"),
        },
        AuditSendError.PermissionDenied => Describe("this process lacks CAP_AUDIT_WRITE (rootless or containerized)"),
        AuditSendError.BacklogOverflow => Describe("the audit backlog overflowed and the kernel dropped its reply; raise it with auditctl -b"),
        AuditSendError.Timeout => "no reply from the kernel audit subsystem in time",
        AuditSendError.NotLinux => "the kernel audit subsystem exists only on Linux",
        AuditSendError.WriteFailed => Errno == 0 ? "writing failed" : Describe("writing failed"),
        AuditSendError.Closed => "the sink is closed",
        _ => Describe("the kernel refused the message"),
    };

    /// <inheritdoc/>
    public bool Equals(AuditSendResult other) => Error == other.Error && Errno == other.Errno;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is AuditSendResult other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Error, Errno);

    /// <summary>Compares two results.</summary>
    public static bool operator ==(AuditSendResult left, AuditSendResult right) => left.Equals(right);

    /// <summary>Compares two results.</summary>
    public static bool operator !=(AuditSendResult left, AuditSendResult right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => Reason;

    /// <summary>The result for a Linux error number.</summary>
    /// <param name="errno">The error number (positive).</param>
    /// <returns>The result, classified.</returns>
    public static AuditSendResult FromErrno(int errno) => errno switch
    {
        0 => Success,
        Linux.EPERM or Linux.EACCES => new(AuditSendError.PermissionDenied, errno),
        Linux.ECONNREFUSED or Linux.EPROTONOSUPPORT or Linux.EAFNOSUPPORT => new(AuditSendError.KernelWithoutAudit, errno),
        Linux.ENOBUFS => new(AuditSendError.BacklogOverflow, errno),
        Linux.EAGAIN or Linux.ETIMEDOUT => new(AuditSendError.Timeout, errno),
        _ => new(AuditSendError.Other, errno),
    };

    private string Describe(string meaning) => Errno == 0 ? meaning : $"{Linux.StrError(Errno)} ({Linux.Name(Errno)}): {meaning}";
}
