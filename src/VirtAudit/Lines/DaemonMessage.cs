using VirtAudit.CompilerServices;
using System;

namespace VirtAudit;

/// <summary>What a daemon log message is, for the audit trail.</summary>
internal enum DaemonMessageKind : byte
{
    /// <summary>Not an audit message: one of the daemon's other lines.</summary>
    None = 0,

    /// <summary><c>success=yes PAYLOAD</c> or <c>success=no PAYLOAD</c>, logged by <c>virAuditSend</c> with <c>audit_logging = 1</c>.</summary>
    Message = 1,

    /// <summary><c>Failed to send audit message PAYLOAD: ERROR</c>, logged by <c>virAuditSend</c> whatever <c>audit_logging</c> is.</summary>
    SendFailed = 2,
}

/// <summary>
/// The message text of a libvirt daemon log line (spec §3.7), whichever way it was framed (libvirt's own log line or
/// KubeVirt's JSON): is it an audit message, where is its payload, and which record type its payload has.
/// </summary>
internal static class DaemonMessage
{
    /// <summary>The part name of an error for a line of the daemon's log that is not an audit message (the reader skips it).</summary>
    public const string OtherLinePart = "daemon";

    /// <summary>The reason of an error for a line of the daemon's log that is not an audit message.</summary>
    public const string OtherLineReason = "a line of the daemon's log that is not an audit message";

    private static ReadOnlySpan<byte> SendFailedPrefix => "Failed to send audit message "u8;

    /// <summary>
    /// Classifies <paramref name="text"/>: a message (<paramref name="success"/> set), a failed send (the payload, and
    /// <paramref name="reasonStart"/> where the error text begins), or none of them (<see cref="DaemonMessageKind.None"/>,
    /// true). False, with the error at an offset within <paramref name="text"/>, for an audit message that is malformed
    /// or cut.
    /// </summary>
    public static bool TryClassify(
        ReadOnlySpan<byte> text,
        out DaemonMessageKind kind,
        out bool success,
        out int payloadStart,
        out int payloadLength,
        out int reasonStart,
        out AuditLineError error)
    {
        kind = DaemonMessageKind.None;
        success = false;
        payloadStart = 0;
        payloadLength = 0;
        reasonStart = -1;
        error = default;
        if (text.StartsWith("success="u8))
        {
            if (text.Slice(8).StartsWith("yes "u8))
            {
                success = true;
                payloadStart = 12;
            }
            else if (text.Slice(8).StartsWith("no "u8))
            {
                payloadStart = 11;
            }
            else
            {
                return AuditLineError.Fail(out error, 8, "expected 'yes ' or 'no ' and a payload after success=", LineParts.Success);
            }

            payloadLength = text.Length - payloadStart;
            if (payloadLength == 0)
            {
                return AuditLineError.Fail(out error, payloadStart, "no payload after success=", LineParts.Payload);
            }

            kind = DaemonMessageKind.Message;
            return true;
        }

        if (text.StartsWith(SendFailedPrefix))
        {
            // The payload holds no ": " of its own in practice (encoded values have no spaces), strerror texts neither:
            // the last one ends the payload.
            payloadStart = SendFailedPrefix.Length;
            int separator = text.Slice(payloadStart).LastIndexOf(": "u8);
            if (separator <= 0)
            {
                return AuditLineError.Fail(out error, text.Length, "expected ': ERROR' after the payload of a failed send", LineParts.Payload);
            }

            payloadLength = separator;
            reasonStart = payloadStart + separator + 2;
            kind = DaemonMessageKind.SendFailed;
            return true;
        }

        return true;
    }

    /// <summary>
    /// The record type a payload libvirt logged belongs to, from its shape (spec §3.7): <c>resrc=</c> → VIRT_RESOURCE,
    /// <c>vm-ctx=</c> or <c>model=</c> → VIRT_MACHINE_ID, <c>op=</c> → VIRT_CONTROL (libvirt's daemon log does not print
    /// the type). 0, with the reason, when the payload has none of these fields or those of two types.
    /// </summary>
    public static int InferRecordType(ReadOnlySpan<byte> payload, out string? reason)
    {
        bool resource = PayloadReader.IndexOfField(payload, "resrc"u8) >= 0;
        bool machineId = PayloadReader.IndexOfField(payload, "vm-ctx"u8) >= 0 || PayloadReader.IndexOfField(payload, "model"u8) >= 0;
        bool control = PayloadReader.IndexOfField(payload, "op"u8) >= 0;
        reason = null;
        switch ((resource, machineId, control))
        {
            case (true, false, false):
                return AuditRecordTypes.VirtResource;
            case (false, true, false):
                return AuditRecordTypes.VirtMachineId;
            case (false, false, true):
                return AuditRecordTypes.VirtControl;
            case (false, false, false):
                reason = "the record type cannot be inferred: the payload has none of resrc= (VIRT_RESOURCE), vm-ctx=/model= (VIRT_MACHINE_ID), op= (VIRT_CONTROL)";
                return 0;
            default:
                reason = "the record type cannot be inferred: the payload has the fields of more than one of resrc= (VIRT_RESOURCE), vm-ctx=/model= (VIRT_MACHINE_ID), op= (VIRT_CONTROL)";
                return 0;
        }
    }
}
