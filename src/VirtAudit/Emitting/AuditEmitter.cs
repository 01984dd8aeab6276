using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace VirtAudit;

/// <summary>
/// Sends typed records the way libvirt's <c>virAuditSend</c> does: validates and formats the payload, appends
/// libaudit's trailer for this process (<see cref="AuditProcessIdentity"/>), hands the message to a sink, and logs:
/// with <see cref="AuditLogging"/> every message (Information <c>success=yes PAYLOAD</c>, Warning
/// <c>success=no PAYLOAD</c>), and whatever the setting, every failed send (Warning
/// <c>Failed to send audit message PAYLOAD: REASON</c>). Thread-safe; with logging off, emitting allocates nothing.
/// </summary>
public sealed class AuditEmitter : IDisposable
{
    /// <summary>The logger category <see cref="Create"/> callers conventionally use: <c>VirtAudit.Audit</c>.</summary>
    public const string LoggerCategory = "VirtAudit.Audit";

    /// <summary>
    /// The longest message (payload and trailer) sent, in bytes: 8951. libaudit's buffer is 8970 bytes
    /// (<c>MAX_AUDIT_MESSAGE_LENGTH</c>) including the 16-byte netlink header, the closing NUL and padding; longer text
    /// is cut, as libaudit's <c>snprintf</c> cuts it (the trailer goes first). The kernel itself keeps at most 8560
    /// characters of it (spec §3.6).
    /// </summary>
    public const int MaxMessageLength = 8970 - 16 - 3;

    private readonly object _gate = new();
    private readonly byte[] _buffer = new byte[MaxMessageLength];
    private readonly ILogger _logger;
    private readonly AuditProcessIdentity _identity;

    /// <summary>Creates an emitter over a sink of your choice.</summary>
    /// <param name="sink">Where messages go; <see langword="null"/> for none (records are then only logged).</param>
    /// <param name="logger">The logger for <see cref="AuditLogging"/> and failed sends; <see langword="null"/> for none.</param>
    /// <param name="auditLogging">Whether every message is also logged (libvirt's <c>audit_logging</c>).</param>
    /// <param name="identity">The trailer's <c>exe= hostname= addr= terminal=</c>; <see langword="null"/> for this process.</param>
    public AuditEmitter(IAuditSink? sink, ILogger? logger = null, bool auditLogging = false, AuditProcessIdentity? identity = null)
    {
        Sink = sink;
        _logger = logger ?? NullLogger.Instance;
        AuditLogging = auditLogging;
        _identity = identity ?? AuditProcessIdentity.Current;
    }

    /// <summary>Where messages go; <see langword="null"/> when the kernel is not used (level 0, or unavailable at level 1).</summary>
    public IAuditSink? Sink { get; }

    /// <summary>Whether every message is also logged.</summary>
    public bool AuditLogging { get; }

    /// <summary>
    /// Creates an emitter that sends to the kernel according to <see cref="VirtAuditOptions.AuditLevel"/>, as libvirt's
    /// <c>virAuditOpen</c> does: <see cref="AuditLevel.Disabled"/> opens nothing; <see cref="AuditLevel.IfAvailable"/>
    /// opens the kernel sink when the kernel takes records from this process and otherwise logs why once and carries
    /// on without it; <see cref="AuditLevel.Required"/> throws instead.
    /// </summary>
    /// <param name="options">The level and whether to log every message.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    /// <returns>The emitter.</returns>
    /// <exception cref="AuditUnavailableException">Level <see cref="AuditLevel.Required"/> and the kernel cannot take records; the message says why.</exception>
    public static AuditEmitter Create(VirtAuditOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        logger ??= NullLogger.Instance;
        if (options.AuditLevel is not (AuditLevel.Disabled or AuditLevel.IfAvailable or AuditLevel.Required))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.AuditLevel, "AuditLevel is 0 (Disabled), 1 (IfAvailable) or 2 (Required)");
        }

        if (options.AuditLevel == AuditLevel.Disabled)
        {
            return new AuditEmitter(null, logger, options.AuditLogging);
        }

        AuditSendResult failure;
        if (OperatingSystem.IsLinux())
        {
            if (KernelAuditSink.TryOpen(out KernelAuditSink? sink, out failure))
            {
                if (!sink.KernelAuditEnabled)
                {
                    Log.AuditOff(logger, null);
                }

                return new AuditEmitter(sink, logger, options.AuditLogging);
            }
        }
        else
        {
            failure = new AuditSendResult(AuditSendError.NotLinux, 0);
        }

        if (options.AuditLevel == AuditLevel.Required)
        {
            throw new AuditUnavailableException(failure);
        }

        if (failure.Error is AuditSendError.KernelWithoutAudit or AuditSendError.NotLinux)
        {
            Log.NotSupported(logger, failure.Reason, null);
        }
        else
        {
            Log.Unavailable(logger, failure.Reason, null);
        }

        return new AuditEmitter(null, logger, options.AuditLogging);
    }

    /// <summary>
    /// Sends a record: checks that libvirt could have written it, writes its payload and the trailer, delivers it,
    /// and logs as described on the class. The caller's member name and line go to the log with it, as libvirt
    /// logs the <c>virDomainAudit*</c> function that sent the message.
    /// </summary>
    /// <typeparam name="T">The record struct.</typeparam>
    /// <param name="record">The record.</param>
    /// <param name="success">Whether the operation succeeded (<c>res=success</c>, <c>success=yes</c>).</param>
    /// <param name="caller">Filled in by the compiler.</param>
    /// <param name="line">Filled in by the compiler.</param>
    /// <returns>Whether the message was delivered, and why not; <see cref="AuditSendError.NotSent"/> without a sink.</returns>
    /// <exception cref="AuditFormatException">libvirt could not have written the record (the message names the field).</exception>
    public AuditSendResult Emit<T>(in T record, bool success = true, [CallerMemberName] string caller = "", [CallerLineNumber] int line = 0)
        where T : struct, IVirtAuditVariant<T>
    {
        lock (_gate)
        {
            Span<byte> buffer = _buffer;
            int length;
            if (!record.TryFormat(buffer, out length))
            {
                var writer = new ArrayBufferWriter<byte>();
                record.WriteTo(writer);
                length = Math.Min(writer.WrittenCount, MaxMessageLength);
                writer.WrittenSpan.Slice(0, length).CopyTo(buffer);
            }

            return SendLocked(T.Variant.RecordNumber, length, success, caller, line);
        }
    }

    /// <summary>
    /// Sends a libvirt payload already formatted (by a record's <see cref="IVirtAuditPayload.TryFormat"/>, or taken
    /// from a log), with the trailer appended. The payload is not checked.
    /// </summary>
    /// <param name="recordType">The record type, e.g. 2500.</param>
    /// <param name="payload">The libvirt part, without trailer.</param>
    /// <param name="success">Whether the operation succeeded.</param>
    /// <param name="caller">Filled in by the compiler.</param>
    /// <param name="line">Filled in by the compiler.</param>
    /// <returns>Whether the message was delivered, and why not.</returns>
    public AuditSendResult EmitPayload(int recordType, ReadOnlySpan<byte> payload, bool success = true, [CallerMemberName] string caller = "", [CallerLineNumber] int line = 0)
    {
        lock (_gate)
        {
            int length = Math.Min(payload.Length, MaxMessageLength);
            payload.Slice(0, length).CopyTo(_buffer);
            return SendLocked(recordType, length, success, caller, line);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Sink?.Dispose();

    private AuditSendResult SendLocked(int recordType, int payloadLength, bool success, string caller, int line)
    {
        if (AuditLogging && _logger.IsEnabled(success ? LogLevel.Information : LogLevel.Warning))
        {
            var state = new AuditLogState(AuditLogState.Kind.Message, recordType, success, Encoding.UTF8.GetString(_buffer, 0, payloadLength), caller, line, null);
            _logger.Log(success ? LogLevel.Information : LogLevel.Warning, success ? AuditLogState.SentEvent : AuditLogState.FailedOperationEvent, state, null, AuditLogState.Formatter);
        }

        if (Sink is null)
        {
            return new AuditSendResult(AuditSendError.NotSent, 0);
        }

        byte[] trailer = success ? _identity.SuccessTrailer : _identity.FailedTrailer;
        int room = MaxMessageLength - payloadLength;
        int tail = Math.Min(room, trailer.Length);
        trailer.AsSpan(0, tail).CopyTo(_buffer.AsSpan(payloadLength));
        AuditSendResult result = Sink.Send(recordType, _buffer.AsSpan(0, payloadLength + tail));
        if (!result.IsSuccess && _logger.IsEnabled(LogLevel.Warning))
        {
            var state = new AuditLogState(AuditLogState.Kind.SendFailed, recordType, success, Encoding.UTF8.GetString(_buffer, 0, payloadLength), "AuditEmitter.Send", 0, result.Reason);
            _logger.Log(LogLevel.Warning, AuditLogState.SendFailedEvent, state, null, AuditLogState.Formatter);
        }

        return result;
    }

    private static class Log
    {
        public static readonly Action<ILogger, Exception?> AuditOff = LoggerMessage.Define(
            LogLevel.Information, new EventId(4, "KernelAuditOff"),
            "Kernel auditing is off (auditctl -s: enabled 0): the kernel accepts audit records and discards them until auditd or auditctl -e 1 turns it on");

        public static readonly Action<ILogger, string, Exception?> NotSupported = LoggerMessage.Define<string>(
            LogLevel.Information, new EventId(5, "AuditNotSupported"),
            "Audit is not supported by the kernel, records are not sent to it (AuditLevel 1): {Reason}");

        public static readonly Action<ILogger, string, Exception?> Unavailable = LoggerMessage.Define<string>(
            LogLevel.Warning, new EventId(6, "AuditUnavailable"),
            "The kernel audit subsystem refuses this process, records are not sent to it (AuditLevel 1): {Reason}");
    }
}
