using System;

namespace VirtAudit;

/// <content>
/// The two daemon-log renderings (spec §3.7): libvirt's own log line (<see cref="LibvirtLogPrefix"/>) and KubeVirt's
/// virt-launcher JSON line (<see cref="VirtLauncherJson"/>). Their message (<see cref="DaemonMessage"/>) is an audit
/// payload without record type and trailer: <see cref="TypeNumber"/> is inferred from it, <see cref="TypeName"/> is
/// empty, and there is no stamp.
/// </content>
public readonly partial struct AuditLine
{
    /// <summary>
    /// What libvirt's log said about the audit message of a <see cref="AuditRendering.LibvirtLog"/> or
    /// <see cref="AuditRendering.KubeVirtLog"/> line: time stamp, thread, level, caller, success, and for a
    /// <c>Failed to send audit message</c> line the failure. <c>default</c> (<see cref="DaemonLogInfo.IsPresent"/> false)
    /// for the other renderings. A reader joins a message's <c>success=</c> line and its <c>Failed to send</c> line into
    /// one record: see <see cref="AuditLogRecord.DaemonLog"/>.
    /// </summary>
    public DaemonLogInfo DaemonLog
    {
        get
        {
            if ((_flags & Flags.Daemon) == 0)
            {
                return default;
            }

            ReadOnlyMemory<byte> caller = _line.Slice(_daemon.CallerStart, _daemon.CallerLength);
            return _daemon.Kind == DaemonMessageKind.SendFailed
                ? new DaemonLogInfo(SyslogTimestamp, DaemonThread, _daemon.Level, caller, null, new AuditSendFailure(_daemon.Text.Slice(_daemon.ReasonStart), caller, 0))
                : new DaemonLogInfo(SyslogTimestamp, DaemonThread, _daemon.Level, caller, _daemon.Success, default);
        }
    }

    /// <summary>True for a daemon log line that holds <c>success=yes|no PAYLOAD</c>.</summary>
    internal bool IsDaemonMessage => (_flags & Flags.Daemon) != 0 && _daemon.Kind == DaemonMessageKind.Message;

    /// <summary>True for a daemon log line that holds <c>Failed to send audit message PAYLOAD: ERROR</c>.</summary>
    internal bool IsDaemonSendFailure => (_flags & Flags.Daemon) != 0 && _daemon.Kind == DaemonMessageKind.SendFailed;

    /// <summary>The thread of a daemon log line, as printed.</summary>
    internal ReadOnlyMemory<byte> DaemonThread => _line.Slice(_daemon.ThreadStart, _daemon.ThreadLength);

    private ReadOnlyMemory<byte> DaemonPayload => _daemon.Text.Slice(_daemon.PayloadStart, _daemon.PayloadLength);

    // The whole line is libvirt's: TIME: THREAD: LEVEL : [FUNCTION:LINE : ]MESSAGE
    private static bool TryParseLibvirtLog(ReadOnlyMemory<byte> line, out AuditLine result, out AuditLineError error)
    {
        result = default;
        ReadOnlySpan<byte> s = line.Span;
        if (!LibvirtLogPrefix.TryParse(s, out int timeLength, out int threadStart, out int threadLength, out DaemonLogLevel level, out int callerStart, out int callerLength, out int messageStart, out error))
        {
            return false;
        }

        var prefix = new LinePrefix(AuditRendering.LibvirtLog, 0, timeLength, 0, 0);
        var parts = new DaemonParts(line.Slice(messageStart), threadStart, threadLength, callerStart, callerLength, level);
        return TryBuildDaemonLine(line, messageStart, s.Length, prefix, parts, out result, out error);
    }

    // {"component":"virt-launcher",…,"msg":"…",…}: the message decoded into `scratch` when it has escapes (allocated
    // when `scratch` is too small).
    private static bool TryParseKubeVirt(ReadOnlyMemory<byte> line, Memory<byte> scratch, out AuditLine result, out AuditLineError error)
    {
        result = default;
        ReadOnlySpan<byte> s = line.Span;
        if (!VirtLauncherJson.TryParse(s, out VirtLauncherJson.Members m, out error))
        {
            return false;
        }

        if (!m.IsVirtLauncher)
        {
            return AuditLineError.Fail(out error, 0, "a JSON line that is not KubeVirt's virt-launcher's (no \"component\":\"virt-launcher\" or \"subcomponent\":\"libvirt\")", LineParts.Rendering);
        }

        if (!m.HasMsg)
        {
            return AuditLineError.Fail(out error, 0, DaemonMessage.OtherLineReason, LineParts.Daemon);
        }

        ReadOnlyMemory<byte> text = line.Slice(m.MsgStart, m.MsgLength);
        if (m.MsgEscaped)
        {
            Memory<byte> destination = scratch.Length >= m.MsgLength ? scratch : new byte[m.MsgLength];
            if (!VirtLauncherJson.TryDecode(text.Span, destination.Span, out int written, out int errorAt))
            {
                return AuditLineError.Fail(out error, m.MsgStart + errorAt, "unpaired UTF-16 surrogate in a \\u escape", LineParts.Json);
            }

            text = destination.Slice(0, written);
        }

        var prefix = new LinePrefix(AuditRendering.KubeVirtLog, Math.Max(m.TimestampStart, 0), Math.Max(m.TimestampLength, 0), 0, 0);
        DaemonLogLevel level = m.LevelLength > 0 ? LibvirtLogPrefix.ParseLevel(s.Slice(m.LevelStart, m.LevelLength)) : DaemonLogLevel.Unknown;
        var parts = new DaemonParts(text, m.ThreadStart, Math.Max(m.ThreadLength, 0), m.PosStart, Math.Max(m.PosLength, 0), level);
        return TryBuildDaemonLine(line, m.MsgStart, m.MsgStart + m.MsgLength, prefix, parts, out result, out error);
    }

    // The message (at `textStart` in the line as printed) classified; the record type inferred from its payload.
    private static bool TryBuildDaemonLine(ReadOnlyMemory<byte> line, int textStart, int textEnd, LinePrefix prefix, DaemonParts parts, out AuditLine result, out AuditLineError error)
    {
        result = default;
        if (!DaemonMessage.TryClassify(parts.Text.Span, out DaemonMessageKind kind, out bool success, out int payloadStart, out int payloadLength, out int reasonStart, out error))
        {
            error = new AuditLineError(textStart + error.Offset, error.Reason, error.Part);
            return false;
        }

        if (kind == DaemonMessageKind.None)
        {
            return AuditLineError.Fail(out error, textStart, DaemonMessage.OtherLineReason, LineParts.Daemon);
        }

        parts = parts.WithMessage(kind, success, payloadStart, payloadLength, reasonStart);
        int typeNumber = DaemonMessage.InferRecordType(parts.Text.Span.Slice(payloadStart, payloadLength), out _);
        result = new AuditLine(line, 0, 0, 0, 0, typeNumber, default, textStart, textEnd, 0, textStart + payloadStart, textStart + payloadStart + payloadLength, default, Flags.NoStamp | Flags.Daemon, prefix, parts);
        error = default;
        return true;
    }

    /// <summary>Where a daemon log line put its parts (offsets into the line; the message text may be decoded elsewhere).</summary>
    private readonly struct DaemonParts
    {
        public DaemonParts(ReadOnlyMemory<byte> text, int threadStart, int threadLength, int callerStart, int callerLength, DaemonLogLevel level)
        {
            Text = text;
            ThreadStart = threadStart;
            ThreadLength = threadLength;
            CallerStart = callerStart;
            CallerLength = callerLength;
            Level = level;
        }

        /// <summary>The message: a slice of the line, or its JSON-decoded copy.</summary>
        public ReadOnlyMemory<byte> Text { get; }

        public int ThreadStart { get; }

        public int ThreadLength { get; }

        public int CallerStart { get; }

        public int CallerLength { get; }

        public DaemonLogLevel Level { get; }

        public DaemonMessageKind Kind { get; private init; }

        public bool Success { get; private init; }

        public int PayloadStart { get; private init; }

        public int PayloadLength { get; private init; }

        public int ReasonStart { get; private init; }

        public DaemonParts WithMessage(DaemonMessageKind kind, bool success, int payloadStart, int payloadLength, int reasonStart) =>
            new(Text, ThreadStart, ThreadLength, CallerStart, CallerLength, Level)
            {
                Kind = kind,
                Success = success,
                PayloadStart = payloadStart,
                PayloadLength = payloadLength,
                ReasonStart = reasonStart,
            };
    }
}
