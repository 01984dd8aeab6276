using System.Globalization;
using System.Text;

namespace VirtAudit.LogGenerator;

/// <summary>
/// Writes a large, realistic audit log, deterministically from its options: libvirt's VIRT_CONTROL, VIRT_RESOURCE and
/// VIRT_MACHINE_ID records of every variant of the schema (today's and legacy shapes, about 10 % of encoded values in
/// hex, hosts with and without an LSM), mixed with the kernel and user-space traffic of the same host, RAW and
/// ENRICHED, in auditd's line or in another rendering. The grammar is in docs/performance.md ("The generated log").
/// </summary>
public static class AuditLogGenerator
{
    private const byte GroupSeparator = 0x1D;
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>Writes the log to <paramref name="output"/> and returns what it holds.</summary>
    public static LogStatistics Write(Stream output, LogGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var random = new SeededRandom(options.Seed);
        var clock = new LogClock(random, options.StartTime);
        int domainIds = 1;
        var virt = new VirtTraffic(random, options, clock, GuestPopulation.Create(options, random, ref domainIds));
        var host = new HostTraffic(random, clock);
        var stats = new LogStatistics();
        var writer = new LineWriter(output, options, stats);

        long virtLines = 0;
        List<GeneratedRecord>? held = null;
        int heldAt = 0;
        while (stats.Lines < options.Lines)
        {
            bool enriched = options.Format switch
            {
                LogFormat.Raw => false,
                LogFormat.Enriched => true,
                _ => random.Chance(options.EnrichedShare),
            };
            bool isVirt = options.VirtShare >= 1 || (options.VirtShare > 0 && virtLines < options.VirtShare * (writer.Records + 1));
            List<GeneratedRecord> records = isVirt ? virt.NextOperation(enriched) : host.NextEvent(enriched);
            if (held is not null)
            {
                // A one-record event written inside a kernel event, as concurrent CPUs do: same time, later serial.
                if (records.Count == 1)
                {
                    records[0].TimeMs = held[0].TimeMs;
                    held.Insert(heldAt, records[0]);
                    records = held;
                }
                else
                {
                    held.AddRange(records);
                    records = held;
                }

                held = null;
            }
            else if (!isVirt && records.Count > 1 && random.Chance(options.Interleave))
            {
                held = records;
                heldAt = random.Next(1, records.Count);
                continue;
            }

            foreach (GeneratedRecord record in records)
            {
                if (stats.Lines >= options.Lines)
                {
                    break;
                }

                writer.Write(record);
                virtLines += record.Variant is null ? 0 : 1;
            }
        }

        writer.Flush();
        return stats;
    }

    /// <summary>The log as bytes, with what it holds.</summary>
    public static (byte[] Log, LogStatistics Statistics) Generate(LogGeneratorOptions options)
    {
        using var buffer = new MemoryStream();
        LogStatistics stats = Write(buffer, options);
        return (buffer.ToArray(), stats);
    }

    /// <summary>Renders records into lines (ASCII and the 0x1D byte only) and counts them.</summary>
    private sealed class LineWriter(Stream output, LogGeneratorOptions options, LogStatistics stats)
    {
        private readonly StringBuilder _line = new(1024);
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _used;
        private long _serial = -1;

        /// <summary>Record lines written (the lines less ausearch's separators).</summary>
        public long Records { get; private set; }

        public void Write(GeneratedRecord record)
        {
            _line.Clear();
            if (options.Rendering == LogRendering.Interpreted && record.Serial != _serial)
            {
                // ausearch starts every event with a separator line (a line of the log, not a record).
                _serial = record.Serial;
                _line.Append("----\n");
                stats.Lines++;
                if (stats.Lines >= options.Lines)
                {
                    Append();
                    return;
                }
            }

            bool tail = Render(record);
            _line.Append('\n');
            stats.Lines++;
            Records++;
            stats.CountType(record.Type);
            if (tail)
            {
                stats.EnrichedLines++;
            }

            if (record.Variant is not null)
            {
                stats.VirtLines++;
                stats.CountVariant(record.Variant);
                stats.EncodedValues += record.EncodedValues;
                stats.HexValues += record.HexValues;
            }

            Append();
        }

        public void Flush()
        {
            output.Write(_buffer, 0, _used);
            stats.Bytes += _used;
            _used = 0;
        }

        private void Append()
        {
            if (_used + _line.Length > _buffer.Length)
            {
                Flush();
            }

            if (_line.Length > _buffer.Length)
            {
                byte[] big = Encoding.Latin1.GetBytes(_line.ToString());
                output.Write(big);
                stats.Bytes += big.Length;
                return;
            }

            foreach (ReadOnlyMemory<char> chunk in _line.GetChunks())
            {
                _used += Encoding.Latin1.GetBytes(chunk.Span, _buffer.AsSpan(_used));
            }
        }

        /// <summary>Appends the record in the options' rendering; true when it carries an ENRICHED tail.</summary>
        private bool Render(GeneratedRecord record)
        {
            CultureInfo c = CultureInfo.InvariantCulture;
            switch (options.Rendering)
            {
                case LogRendering.Journald:
                    // journald's short form: its own time, the host, audit[PID], then TYPE BODY; no stamp, no tail.
                    SyslogTime(record.TimeMs);
                    _line.Append(' ').Append(record.Node ?? "kvmhost").Append(" audit");
                    if (record.Pid > 0)
                    {
                        _line.Append(c, $"[{record.Pid}]");
                    }

                    _line.Append(": ").Append(record.Type).Append(' ').Append(record.Body);
                    return false;
                case LogRendering.Printk:
                    // dmesg: seconds since boot, then the kernel's own printk of the record, with the type as a number.
                    long uptimeMs = record.TimeMs - (options.StartTime * 1000) + 12_345;
                    _line.Append(c, $"[{uptimeMs / 1000,5}.{uptimeMs % 1000:D3}{record.Serial % 1000:D3}] audit: type={TypeNumber(record.Type)} ");
                    _line.Append(c, $"audit({record.TimeMs / 1000}.{record.TimeMs % 1000:D3}:{record.Serial}): ").Append(record.Body);
                    return false;
                case LogRendering.Interpreted:
                    _line.Append("type=").Append(record.Type).Append(' ');
                    Interpretation.AppendStamp(_line, record.TimeMs, record.Serial);
                    Interpretation.AppendBody(_line, record.Body);
                    return false;
                case LogRendering.Syslog:
                    SyslogTime(record.TimeMs);
                    _line.Append(' ').Append(record.Node ?? "kvmhost").Append(" audisp-syslog: ");
                    break;
            }

            if (record.Node is not null)
            {
                _line.Append("node=").Append(record.Node).Append(' ');
            }

            _line.Append("type=").Append(record.Type).Append(' ');
            Stamp(record);
            _line.Append(record.Body);
            if (record.Tail is null || options.Rendering != LogRendering.Auditd)
            {
                return false;
            }

            _line.Append((char)GroupSeparator).Append(record.Tail);
            return true;
        }

        private void Stamp(GeneratedRecord record) =>
            _line.Append(CultureInfo.InvariantCulture, $"msg=audit({record.TimeMs / 1000}.{record.TimeMs % 1000:D3}:{record.Serial}): ");

        private void SyslogTime(long timeMs)
        {
            DateTime time = DateTime.UnixEpoch.AddMilliseconds(timeMs);
            _line.Append(Months[time.Month - 1]).Append(CultureInfo.InvariantCulture, $" {time.Day,2} {time:HH:mm:ss}");
        }

        private static int TypeNumber(string type) => type switch
        {
            "SYSCALL" => 1300,
            "PATH" => 1302,
            "CWD" => 1307,
            "PROCTITLE" => 1327,
            "AVC" => 1400,
            "USER_LOGIN" => 1112,
            "USER_CMD" => 1123,
            "SERVICE_START" => 1130,
            "SERVICE_STOP" => 1131,
            "VIRT_CONTROL" => 2500,
            "VIRT_RESOURCE" => 2501,
            "VIRT_MACHINE_ID" => 2502,
            _ => throw new InvalidOperationException("no number for record type " + type),
        };
    }
}
