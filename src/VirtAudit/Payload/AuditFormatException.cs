using System;

namespace VirtAudit;

/// <summary>A record or payload is not valid: a field is missing, malformed, or not allowed with the others.</summary>
public class AuditFormatException : FormatException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public AuditFormatException()
        : base("The audit record is not valid.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public AuditFormatException(string? message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AuditFormatException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a field; the message names the field and the reason.</summary>
    /// <param name="field">The audit key of the field (e.g. <c>vm-pid</c>), or null when not about one field.</param>
    /// <param name="reason">What is wrong.</param>
    /// <param name="offset">The byte offset in the payload, or -1 when not known.</param>
    public AuditFormatException(string? field, string reason, int offset = -1)
        : base(FormatMessage(field, reason, offset))
    {
        Field = field;
        Reason = reason;
        Offset = offset;
    }

    /// <summary>The audit key of the field that is wrong, if the error is about one field.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the field name.</summary>
    public string? Reason { get; }

    /// <summary>The byte offset in the payload where the error was found, or -1 when not known.</summary>
    public int Offset { get; } = -1;

    private static string FormatMessage(string? field, string reason, int offset)
    {
        string where = offset >= 0 ? $" (at byte {offset})" : string.Empty;
        return field is null ? $"Invalid audit record: {reason}{where}." : $"Invalid field '{field}': {reason}{where}.";
    }
}
