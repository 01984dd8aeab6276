using System;
using System.Buffers.Text;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;

namespace VirtAudit;

/// <summary>The two audit.log line formats auditd writes (<c>log_format</c> in auditd.conf).</summary>
public enum AuditLogFormat
{
    /// <summary><c>RAW</c>: the kernel's record as is.</summary>
    Raw,

    /// <summary><c>ENRICHED</c> (auditd's default): the record, a 0x1D byte, then <c>UID="name" AUID="name"</c> (spec §3.4).</summary>
    Enriched,
}

/// <summary>
/// Turns a user message into an audit.log line as the kernel and auditd would write it for this process: a header
/// you supply or one made from the process (pid, uid, loginuid, session), the clock and a serial that counts up.
/// Shared by <see cref="AuditLogFileSink"/> and <see cref="TextWriterAuditSink"/>. Thread-safe through its callers.
/// </summary>
internal sealed class AuditLineFormatter
{
    private readonly AuditLineHeader _template;
    private readonly TimeProvider _clock;
    private readonly byte[] _enrichment;
    private long _serial;

    public AuditLineFormatter(AuditLogFormat format, AuditLineHeader? header, TimeProvider? clock, ulong firstSerial)
    {
        if (format is not (AuditLogFormat.Raw or AuditLogFormat.Enriched))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "RAW or ENRICHED");
        }

        _template = header ?? FromProcess();
        _clock = clock ?? TimeProvider.System;
        _serial = (long)firstSerial - 1;
        _enrichment = format == AuditLogFormat.Enriched ? Enrich(_template.Uid, _template.Auid) : Array.Empty<byte>();
    }

    /// <summary>The length of the longest line for a message of the kernel's maximum length.</summary>
    public int MaxLineLength => AuditLineWriter.GetLength(Header(2500, default), new byte[AuditEmitter.MaxMessageLength], _enrichment) + 64;

    public int Format(int recordType, ReadOnlySpan<byte> message, Span<byte> destination)
    {
        long now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        var stamp = new AuditStamp(now / 1000, (int)(now % 1000), (ulong)Interlocked.Increment(ref _serial));
        AuditLineHeader header = Header(recordType, stamp);
        return AuditLineWriter.TryWrite(header, message, _enrichment, destination, out int written) ? written : -1;
    }

    private AuditLineHeader Header(int recordType, AuditStamp stamp) => new()
    {
        Node = _template.Node,
        Type = recordType,
        Stamp = stamp,
        Pid = _template.Pid,
        Uid = _template.Uid,
        Auid = _template.Auid,
        Ses = _template.Ses,
        Subj = _template.Subj,
    };

    private static AuditLineHeader FromProcess()
    {
        if (!OperatingSystem.IsLinux())
        {
            return new AuditLineHeader { Pid = Environment.ProcessId };
        }

        return new AuditLineHeader
        {
            Pid = Environment.ProcessId,
            Uid = Linux.GetUid(),
            Auid = ReadId("/proc/self/loginuid"),
            Ses = ReadId("/proc/self/sessionid"),
        };
    }

    private static uint ReadId(string path)
    {
        try
        {
            return uint.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out uint id) ? id : AuditLineHeader.Unset;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return AuditLineHeader.Unset;
        }
    }

    /// <summary>auditd's ENRICHED tail for a user message: <c>UID="root" AUID="unset"</c> (names from /etc/passwd).</summary>
    private static byte[] Enrich(uint uid, uint auid)
    {
        var text = "UID=" + Quote(UserName(uid)) + " AUID=" + Quote(auid == AuditLineHeader.Unset ? "unset" : UserName(auid));
        return Encoding.UTF8.GetBytes(text);
    }

    private static string Quote(string value)
    {
        AuditText text = value;
        var bytes = new byte[text.GetEncodedLength()];
        text.TryWriteEncoded(bytes, out int written);
        return Encoding.UTF8.GetString(bytes, 0, written);
    }

    private static string UserName(uint uid)
    {
        try
        {
            if (OperatingSystem.IsLinux() && File.Exists("/etc/passwd"))
            {
                string id = uid.ToString(CultureInfo.InvariantCulture);
                foreach (string line in File.ReadLines("/etc/passwd"))
                {
                    // name:password:uid:gid:…
                    int first = line.IndexOf(':');
                    int second = first < 0 ? -1 : line.IndexOf(':', first + 1);
                    int third = second < 0 ? -1 : line.IndexOf(':', second + 1);
                    if (third > 0 && line.AsSpan(second + 1, third - second - 1).SequenceEqual(id))
                    {
                        return line.Substring(0, first);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return "unknown(" + uid.ToString(CultureInfo.InvariantCulture) + ")";
    }
}
