using System.Text;
using VirtAudit.Tests.Reading;

namespace VirtAudit.Tests.Lines;

/// <summary>One daemon log line at a time through <see cref="AuditLine.TryParseAny"/>, and the small parsers behind it.</summary>
public class DaemonLineTests
{
    private const string Payload = "virt=qemu resrc=net reason=open vm=\"auditvm1\" uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 net=52:54:00:ab:cd:01 path=\"/dev/net/tun\" rdev=0A:C8";

    [Fact]
    public void Every_line_of_libvirts_log_is_an_audit_message_or_one_of_the_daemons_other_lines()
    {
        int messages = 0;
        int others = 0;
        foreach (string text in File.ReadAllLines(VirtAudit.Testing.Repository.Corpus("libvirt-9.0/daemon-logs/libvirtd.log")))
        {
            if (AuditLine.TryParseAny(Encoding.UTF8.GetBytes(text), out AuditLine line, out AuditLineError error))
            {
                Assert.Equal(AuditRendering.LibvirtLog, line.Rendering);
                Assert.True(line.DaemonLog.IsPresent);
                Assert.NotEqual(0, line.TypeNumber);
                Assert.Equal(text.Substring(text.IndexOf("success=", StringComparison.Ordinal) + (line.DaemonLog.Success == true ? 12 : 11)), Encoding.UTF8.GetString(line.Message.Span));
                messages++;
            }
            else
            {
                Assert.Equal("daemon", error.Part);
                Assert.DoesNotContain("success=", text, StringComparison.Ordinal);
                others++;
            }
        }

        Assert.Equal(315, messages);
        Assert.Equal(47, others);
    }

    [Fact]
    public void A_failed_send_alone_says_why_and_where()
    {
        string json = "{\"component\":\"virt-launcher\",\"level\":\"warning\",\"msg\":\"Failed to send audit message " + Payload.Replace("\"", "\\\"", StringComparison.Ordinal)
            + ": Operation not permitted\",\"pos\":\"virAuditSend:126\",\"subcomponent\":\"libvirt\",\"thread\":\"17\",\"timestamp\":\"2026-11-24T17:52:13.183000Z\"}";
        Assert.True(AuditLine.TryParseAny(Encoding.UTF8.GetBytes(json), out AuditLine line, out AuditLineError error), error.ToString());
        DaemonLogInfo daemon = line.DaemonLog;
        Assert.Equal(AuditRendering.KubeVirtLog, line.Rendering);
        Assert.Equal(Payload, Encoding.UTF8.GetString(line.Message.Span));
        Assert.Equal(AuditRecordTypes.VirtResource, line.TypeNumber);
        Assert.Null(daemon.Success);
        Assert.Equal(DaemonLogLevel.Warning, daemon.Level);
        Assert.True(daemon.IsNotSent);
        Assert.Equal("Operation not permitted", daemon.SendFailure.ToString());
        Assert.Equal("virAuditSend", Encoding.UTF8.GetString(daemon.Function.Span));
        Assert.Equal(126, daemon.SourceLine);
        Assert.Equal(0, daemon.SendFailure.LineNumber);
        Assert.True(daemon.TryGetTime(out DateTimeOffset time));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 17, 52, 13, 183, TimeSpan.Zero), time);
        Assert.Equal(
            new[] { "virt", "resrc", "reason", "vm", "uuid", "net", "path", "rdev" },
            Fields(line).Select(f => f.Name).ToArray());
    }

    [Fact]
    public void Parsing_daemon_lines_without_escapes_allocates_nothing()
    {
        ReadOnlyMemory<byte>[] lines =
        [
            Encoding.UTF8.GetBytes("2026-11-24 17:52:13.183+0000: 2817: info : virDomainAuditNetDevice:318 : success=yes " + Payload),
            Encoding.UTF8.GetBytes("2026-11-24 17:52:13.183+0000: 2817: warning : virAuditSend:126 : Failed to send audit message " + Payload + ": Operation not permitted"),
            Encoding.UTF8.GetBytes("{\"component\":\"virt-launcher\",\"level\":\"info\",\"msg\":\"success=yes virt=qemu op=stop reason=destroyed vm=61756469742D766D3220227465737422 uuid=0e9d8c7b-6a59-4847-a635-241302f1e0d9 vm-pid=0\",\"pos\":\"virDomainAuditLifecycle:737\",\"subcomponent\":\"libvirt\",\"thread\":\"17\",\"timestamp\":\"2026-11-24T17:52:13.183000Z\"}"),
        ];
        long Batch()
        {
            long sum = 0;
            for (int i = 0; i < 1000; i++)
            {
                foreach (ReadOnlyMemory<byte> bytes in lines)
                {
                    Assert.True(AuditLine.TryParseAny(bytes, out AuditLine line, out _));
                    DaemonLogInfo daemon = line.DaemonLog;
                    sum += line.TypeNumber + line.Message.Length + daemon.Caller.Length + (daemon.IsNotSent ? daemon.SendFailure.Reason.Length : 0);
                }
            }

            return sum;
        }

        long warm = Batch();
        (long allocated, long sum, int runs) = AllocationProbe.Measure(Batch);
        Assert.True(allocated == 0, $"parsing daemon lines allocated {allocated} bytes");
        Assert.Equal(warm * runs, sum);
    }

    [Theory]
    [InlineData("\\\"\\\\\\/\\b\\f\\n\\r\\t", "\"\\/\b\f\n\r\t")]
    [InlineData("caf\\u00e9 \\u20AC", "café €")]
    [InlineData("\\ud83d\\ude00!", "\U0001F600!")]
    [InlineData("plain", "plain")]
    public void Json_strings_decode_to_utf8(string raw, string expected)
    {
        byte[] source = Encoding.ASCII.GetBytes(raw);
        byte[] destination = new byte[source.Length];
        Assert.True(VirtLauncherJson.TryDecode(source, destination, out int written, out _));
        Assert.Equal(expected, Encoding.UTF8.GetString(destination, 0, written));
    }

    [Theory]
    [InlineData("2026-11-24 17:52:12.200+0000", 2026, 11, 24, 17, 52, 12, 200, 0)]
    [InlineData("2026-11-24T17:52:12.200999Z", 2026, 11, 24, 17, 52, 12, 200, 0)]
    [InlineData("2024-05-12T12:48:00+02:00", 2024, 5, 12, 12, 48, 0, 0, 120)]
    [InlineData("2024-05-12T12:48:00.5-0130", 2024, 5, 12, 12, 48, 0, 500, -90)]
    public void Iso_time_stamps_are_read_with_their_offset(string text, int year, int month, int day, int hour, int minute, int second, int ms, int offsetMinutes)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        Assert.Equal(bytes.Length, TimeSyntax.IsoTimeEnd(bytes));
        Assert.True(TimeSyntax.TryReadIsoTime(bytes, out DateTimeOffset time));
        Assert.Equal(new DateTimeOffset(year, month, day, hour, minute, second, ms, TimeSpan.FromMinutes(offsetMinutes)), time);
    }

    [Theory]
    [InlineData("2026-13-24 17:52:12.200+0000")]
    [InlineData("2026-02-30 17:52:12.200+0000")]
    [InlineData("2026-11-24 24:00:00.000+0000")]
    public void Impossible_time_stamps_are_not_read(string text)
    {
        Assert.False(TimeSyntax.TryReadIsoTime(Encoding.ASCII.GetBytes(text), out _));
    }

    private static List<(string Name, string Value)> Fields(in AuditLine line)
    {
        var fields = new List<(string, string)>();
        foreach (AuditField field in line.Fields)
        {
            fields.Add((Encoding.UTF8.GetString(field.Name.Span), Encoding.UTF8.GetString(field.Value.Span)));
        }

        return fields;
    }
}
