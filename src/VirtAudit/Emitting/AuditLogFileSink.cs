using System;
using System.IO;

namespace VirtAudit;

/// <summary>
/// Appends each message to a file as the audit.log line auditd would write for it (RAW or ENRICHED), with a header
/// you supply or one made from this process and the clock (see <see cref="AuditLineHeader"/>). Each line is written
/// with one unbuffered write; the sink is thread-safe and allocates nothing per record.
/// </summary>
public sealed class AuditLogFileSink : IAuditSink
{
    private readonly LineSink _sink;

    /// <summary>Opens (or creates) a file and appends to it.</summary>
    /// <param name="path">The file.</param>
    /// <param name="format">RAW or ENRICHED lines (default ENRICHED, auditd's default).</param>
    /// <param name="header">
    /// The node, pid, uid, auid, ses and subj to write; the record type, stamp and serial are filled in per record.
    /// <see langword="null"/> for this process's own (pid, uid, <c>/proc/self/loginuid</c>, <c>/proc/self/sessionid</c>).
    /// </param>
    /// <param name="clock">The clock for the stamps; <see langword="null"/> for the system clock.</param>
    /// <param name="firstSerial">The serial of the first record (then counting up).</param>
    public AuditLogFileSink(string path, AuditLogFormat format = AuditLogFormat.Enriched, AuditLineHeader? header = null, TimeProvider? clock = null, ulong firstSerial = 1)
        : this(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0), ownsStream: true, format, header, clock, firstSerial)
    {
    }

    private AuditLogFileSink(Stream stream, bool ownsStream, AuditLogFormat format, AuditLineHeader? header, TimeProvider? clock, ulong firstSerial) =>
        _sink = LineSink.ToStream(stream, ownsStream, new AuditLineFormatter(format, header, clock, firstSerial));

    /// <summary>A sink that writes to a stream.</summary>
    /// <param name="stream">The stream; every line is written with one <see cref="Stream.Write(byte[], int, int)"/>.</param>
    /// <param name="ownsStream">Whether <see cref="Dispose"/> closes the stream.</param>
    /// <param name="format">RAW or ENRICHED lines.</param>
    /// <param name="header">The header to write, or <see langword="null"/> for this process's own.</param>
    /// <param name="clock">The clock for the stamps; <see langword="null"/> for the system clock.</param>
    /// <param name="firstSerial">The serial of the first record.</param>
    /// <returns>The sink.</returns>
    public static AuditLogFileSink ForStream(Stream stream, bool ownsStream, AuditLogFormat format = AuditLogFormat.Enriched, AuditLineHeader? header = null, TimeProvider? clock = null, ulong firstSerial = 1) =>
        new(stream, ownsStream, format, header, clock, firstSerial);

    /// <inheritdoc/>
    public AuditSendResult Send(int recordType, ReadOnlySpan<byte> message) => _sink.Send(recordType, message);

    /// <inheritdoc/>
    public void Dispose() => _sink.Dispose();
}
