using System;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Threading;

namespace VirtAudit;

/// <summary>
/// Sends user messages to the Linux kernel audit subsystem over a <c>NETLINK_AUDIT</c> socket, as libaudit's
/// <c>audit_send_user_message</c> does: one netlink message of the record's type with <c>NLM_F_REQUEST|NLM_F_ACK</c>,
/// the text followed by a NUL, then the kernel's ACK is read and its error, if any, reported in words. The kernel
/// adds its header and hands the record to auditd (spec §1). Thread-safe; a send allocates nothing.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Open"/> probes the kernel with a user message that carries no text, which the kernel checks and
/// discards without writing a record: <c>EINVAL</c> means it would accept records (the normal answer), success means
/// auditing is off (<c>auditctl -e 0</c>; records are accepted and discarded, see <see cref="KernelAuditEnabled"/>),
/// <c>EPERM</c> that the process lacks <c>CAP_AUDIT_WRITE</c>, <c>ECONNREFUSED</c> that the kernel has no audit or
/// the process is in a user namespace other than the initial one.
/// </para>
/// <para>
/// When the kernel's backlog is full it drops the record and only counts it (<c>lost</c> in <c>auditctl -s</c>);
/// the sender's ACK still says success, and the sender is slowed down. Raise the backlog with <c>auditctl -b</c>.
/// </para>
/// </remarks>
[SupportedOSPlatform("linux")]
public sealed class KernelAuditSink : IAuditSink
{
    private const int MaxNetlinkMessage = 8970;
    private const int HeaderLength = 16;
    private const int AfNetlink = 16;
    private const int SockRaw = 3;
    private const int SockCloexec = 0x80000;
    private const int NetlinkAudit = 9;
    private const int SolNetlink = 270;
    private const int NetlinkCapAck = 10;
    private const ushort NlmsgError = 2;
    private const ushort NlmFRequest = 1;
    private const ushort NlmFAck = 4;

    private readonly object _gate = new();
    private readonly Socket _socket;
    private readonly byte[] _request = new byte[MaxNetlinkMessage];
    private readonly byte[] _reply = new byte[MaxNetlinkMessage + 64];
    private uint _sequence;
    private bool _disposed;

    private KernelAuditSink(Socket socket, bool enabled)
    {
        _socket = socket;
        KernelAuditEnabled = enabled;
    }

    /// <summary>
    /// Whether the kernel's auditing was on when the sink was opened (<c>auditctl -s</c> says <c>enabled 1</c> or 2).
    /// When off, the kernel accepts and discards records until auditd or <c>auditctl -e 1</c> turns it on.
    /// </summary>
    public bool KernelAuditEnabled { get; }

    /// <summary>How long <see cref="Send"/> waits for the kernel's reply (default 10 s).</summary>
    public TimeSpan ReplyTimeout
    {
        get => TimeSpan.FromMilliseconds(_socket.ReceiveTimeout);
        set => _socket.ReceiveTimeout = (int)Math.Clamp(value.TotalMilliseconds, 1, int.MaxValue);
    }

    /// <summary>Opens the socket and probes the kernel; throws when the kernel would refuse records.</summary>
    /// <returns>The sink.</returns>
    /// <exception cref="AuditUnavailableException">The kernel has no audit, or refuses this process (the message says why).</exception>
    public static KernelAuditSink Open() =>
        TryOpen(out KernelAuditSink? sink, out AuditSendResult failure) ? sink : throw new AuditUnavailableException(failure);

    /// <summary>Opens the socket and probes the kernel.</summary>
    /// <param name="sink">The sink, when the kernel accepts records from this process.</param>
    /// <param name="failure">Why not, otherwise.</param>
    /// <returns>Whether the sink is open.</returns>
    public static bool TryOpen([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out KernelAuditSink? sink, out AuditSendResult failure)
    {
        sink = null;
        if (!OperatingSystem.IsLinux())
        {
            failure = new AuditSendResult(AuditSendError.NotLinux, 0);
            return false;
        }

        int fd = Linux.Socket(AfNetlink, SockRaw | SockCloexec, NetlinkAudit);
        if (fd < 0)
        {
            failure = AuditSendResult.FromErrno(Marshal.GetLastPInvokeError());
            return false;
        }

        var socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        try
        {
            // Errors come back with the request's header only, not its whole text.
            socket.SetRawSocketOption(SolNetlink, NetlinkCapAck, BitConverter.GetBytes(1));
        }
        catch (SocketException)
        {
            // Older kernels: the reply buffer holds a whole echoed request anyway.
        }

        socket.ReceiveTimeout = 10_000;
        var opened = new KernelAuditSink(socket, enabled: true);
        AuditSendResult probe = opened.Exchange(2500, ReadOnlySpan<byte>.Empty, appendNul: false);
        if (probe.Errno == Linux.EINVAL)
        {
            failure = default;
            sink = opened;
            return true;
        }

        if (probe.IsSuccess)
        {
            failure = default;
            sink = new KernelAuditSink(socket, enabled: false);
            return true;
        }

        socket.Dispose();
        failure = probe;
        return false;
    }

    /// <inheritdoc/>
    public AuditSendResult Send(int recordType, ReadOnlySpan<byte> message)
    {
        if (recordType is < 1100 or > 2999)
        {
            throw new ArgumentOutOfRangeException(nameof(recordType), recordType, "user messages have types 1100-2999");
        }

        if (message.Length > AuditEmitter.MaxMessageLength)
        {
            message = message.Slice(0, AuditEmitter.MaxMessageLength);
        }

        return Exchange(recordType, message, appendNul: true);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _socket.Dispose();
        }
    }

    private AuditSendResult Exchange(int type, ReadOnlySpan<byte> text, bool appendNul)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return new AuditSendResult(AuditSendError.Closed, 0);
            }

            uint sequence = ++_sequence;
            if (sequence == 0 || sequence > int.MaxValue)
            {
                sequence = _sequence = 1;
            }

            int size = text.Length + (appendNul ? 1 : 0);
            int length = (HeaderLength + size + 3) & ~3;
            Span<byte> request = _request.AsSpan(0, length);
            request.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(request, (uint)length);
            BinaryPrimitives.WriteUInt16LittleEndian(request.Slice(4), (ushort)type);
            BinaryPrimitives.WriteUInt16LittleEndian(request.Slice(6), NlmFRequest | NlmFAck);
            BinaryPrimitives.WriteUInt32LittleEndian(request.Slice(8), sequence);
            text.CopyTo(request.Slice(HeaderLength));

            SocketError error;
            int sent;
            do
            {
                sent = _socket.Send(request, SocketFlags.None, out error);
            }
            while (error == SocketError.Interrupted);

            if (error != SocketError.Success)
            {
                return FromSocketError(error);
            }

            if (sent != length)
            {
                return AuditSendResult.FromErrno(Linux.EINVAL);
            }

            return ReadAck(sequence);
        }
    }

    private AuditSendResult ReadAck(uint sequence)
    {
        while (true)
        {
            int received = _socket.Receive(_reply, SocketFlags.None, out SocketError error);
            if (error == SocketError.Interrupted)
            {
                continue;
            }

            if (error != SocketError.Success)
            {
                return FromSocketError(error);
            }

            ReadOnlySpan<byte> reply = _reply.AsSpan(0, received);
            if (reply.Length < HeaderLength + 4 + HeaderLength
                || BinaryPrimitives.ReadUInt16LittleEndian(reply.Slice(4)) != NlmsgError)
            {
                continue;
            }

            // NLMSG_ERROR: int error, then the request's header (whose sequence number we match).
            uint echoed = BinaryPrimitives.ReadUInt32LittleEndian(reply.Slice(HeaderLength + 4 + 8));
            if (echoed != sequence)
            {
                continue; // the ACK of an earlier request whose wait timed out
            }

            int status = BinaryPrimitives.ReadInt32LittleEndian(reply.Slice(HeaderLength));
            return AuditSendResult.FromErrno(-status);
        }
    }

    private static AuditSendResult FromSocketError(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => AuditSendResult.FromErrno(Linux.ECONNREFUSED),
        SocketError.NoBufferSpaceAvailable => AuditSendResult.FromErrno(Linux.ENOBUFS),
        SocketError.AccessDenied => AuditSendResult.FromErrno(Linux.EPERM),
        SocketError.WouldBlock or SocketError.TimedOut => new AuditSendResult(AuditSendError.Timeout, Linux.EAGAIN),
        SocketError.ProtocolNotSupported => AuditSendResult.FromErrno(Linux.EPROTONOSUPPORT),
        SocketError.AddressFamilyNotSupported => AuditSendResult.FromErrno(Linux.EAFNOSUPPORT),
        _ => new AuditSendResult(AuditSendError.Other, (int)error),
    };
}
