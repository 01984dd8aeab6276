using System;

namespace VirtAudit;

/// <summary>
/// The kernel audit subsystem cannot take records from this process: thrown at start-up with
/// <see cref="AuditLevel.Required"/>, and by <see cref="KernelAuditSink.Open"/>. The message says why in words.
/// </summary>
public sealed class AuditUnavailableException : Exception
{
    /// <summary>Creates the exception for a failed probe or open.</summary>
    /// <param name="failure">Why the kernel is unavailable.</param>
    public AuditUnavailableException(AuditSendResult failure)
        : base("The kernel audit subsystem is unavailable: " + failure.Reason)
    {
        Failure = failure;
    }

    /// <summary>Why the kernel is unavailable.</summary>
    public AuditSendResult Failure { get; }
}
