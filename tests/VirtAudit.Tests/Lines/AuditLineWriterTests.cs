using System.Buffers;

namespace VirtAudit.Tests.Lines;

using static Corpus;

public class AuditLineWriterTests
{
    private static string Write(in AuditLineHeader header, string message, string enrichment = "")
    {
        byte[] messageBytes = Bytes(message);
        byte[] enrichmentBytes = Bytes(enrichment);
        int length = AuditLineWriter.GetLength(header, messageBytes, enrichmentBytes);
        byte[] destination = new byte[length + 8];

        Assert.True(AuditLineWriter.TryWrite(header, messageBytes, enrichmentBytes, destination, out int written));
        Assert.Equal(length, written);

        var buffer = new ArrayBufferWriter<byte>(1);
        AuditLineWriter.Write(buffer, header, messageBytes, enrichmentBytes);
        Assert.Equal(destination.AsSpan(0, written).ToArray(), buffer.WrittenSpan.ToArray());
        return Text(destination.AsMemory(0, written));
    }

    [Fact]
    public void Every_corpus_virt_line_is_written_back_byte_for_byte()
    {
        int virt = 0;
        foreach (byte[] original in Libvirt90)
        {
            AuditLine line = AuditLine.Parse(original);
            if (line.TypeNumber is < 2500 or > 2599)
            {
                continue;
            }

            virt++;
            AuditLineHeader header = AuditLineHeader.From(line);
            int length = AuditLineWriter.GetLength(header, line.Message.Span, line.Enrichment.Span);
            byte[] destination = new byte[length];
            Assert.True(AuditLineWriter.TryWrite(header, line.Message.Span, line.Enrichment.Span, destination, out int written));
            Assert.Equal(Text(original), Text(destination.AsMemory(0, written)));

            var buffer = new ArrayBufferWriter<byte>();
            AuditLineWriter.Write(buffer, header, line.Message.Span, line.Enrichment.Span);
            Assert.True(buffer.WrittenSpan.SequenceEqual(original));
        }

        Assert.Equal(293, virt);
    }

    [Theory]
    [InlineData(SpecLines.C14)]
    [InlineData(SpecLines.C18)]
    [InlineData(SpecLines.NoSubj)]
    [InlineData(SpecLines.R8)]
    [InlineData(SpecLines.AppArmorSubj)]
    [InlineData(SpecLines.Apostrophe)]
    public void Spec_lines_are_written_back_byte_for_byte(string text)
    {
        AuditLine line = AuditLine.Parse(Bytes(text));

        Assert.Equal(text + "\n", Write(AuditLineHeader.From(line), Text(line.Message), Text(line.Enrichment)));
    }

    [Fact]
    public void C18_from_its_parts()
    {
        var header = new AuditLineHeader
        {
            Node = Bytes("kvmhost01.example.com"),
            Type = AuditRecordTypes.VirtControl,
            Stamp = new AuditStamp(1715514000, 44, 5220),
            Pid = 1187,
            Subj = Bytes("system_u:system_r:virtqemud_t:s0"),
        };

        Assert.Equal(SpecLines.C18 + "\n", Write(header, SpecLines.C18Message));
    }

    [Fact]
    public void New_header_has_auid_and_ses_unset_and_millis_have_three_digits()
    {
        var header = new AuditLineHeader { Type = 2501, Stamp = new AuditStamp(1795542733, 7, 42), Pid = 8208 };

        Assert.Equal(
            "type=VIRT_RESOURCE msg=audit(1795542733.007:42): pid=8208 uid=0 auid=4294967295 ses=4294967295 msg='a=b'\u001DUID=\"root\" AUID=\"unset\"\n",
            Write(header, "a=b", "UID=\"root\" AUID=\"unset\""));
        Assert.Equal(AuditLineHeader.Unset, header.Auid);
        Assert.Equal(0u, default(AuditLineHeader).Auid);
    }

    [Fact]
    public void Type_name_wins_over_the_number_and_unknown_numbers_use_the_unknown_form()
    {
        var unknown = new AuditLineHeader { Type = 1420, Stamp = new AuditStamp(1, 0, 1), Auid = 0, Ses = 0 };
        var named = unknown with { TypeName = Bytes("VIRT_CONTROL") };

        Assert.Equal("type=UNKNOWN[1420] msg=audit(1.000:1): pid=0 uid=0 auid=0 ses=0 msg=''\n", Write(unknown, ""));
        Assert.StartsWith("type=VIRT_CONTROL msg=", Write(named, ""));
    }

    [Fact]
    public void Line_feeds_become_spaces_and_the_line_parses_back()
    {
        var header = new AuditLineHeader { Type = 2502, Stamp = new AuditStamp(5, 999, 18446744073709551615), Pid = -1, Uid = 107 };
        string written = Write(header, "vm-ctx=a\nb model=dac", "UID=\"x\ny\"");

        Assert.Equal(
            "type=VIRT_MACHINE_ID msg=audit(5.999:18446744073709551615): pid=-1 uid=107 auid=4294967295 ses=4294967295 msg='vm-ctx=a b model=dac'\u001DUID=\"x y\"\n",
            written);
        AuditLine line = AuditLine.Parse(Bytes(written));
        Assert.Equal(new AuditStamp(5, 999, ulong.MaxValue), line.Stamp);
        Assert.Equal(-1, line.KernelHeader.Pid);
        Assert.Equal(107u, line.KernelHeader.Uid);
        Assert.Equal("vm-ctx=a b model=dac", Text(line.Message));
    }

    [Fact]
    public void Every_short_destination_is_refused()
    {
        var header = new AuditLineHeader { Node = Bytes("n"), Type = 2500, Stamp = new AuditStamp(1715510880, 307, 5025), Pid = 1187, Subj = Bytes("s") };
        byte[] message = Bytes(SpecLines.C14Message);
        byte[] enrichment = Bytes("UID=\"root\"");
        int length = AuditLineWriter.GetLength(header, message, enrichment);

        for (int size = 0; size < length; size++)
        {
            byte[] destination = new byte[size];
            Assert.False(AuditLineWriter.TryWrite(header, message, enrichment, destination, out int written));
            Assert.Equal(0, written);
        }

        Assert.True(AuditLineWriter.TryWrite(header, message, enrichment, new byte[length], out int all));
        Assert.Equal(length, all);
    }

    [Fact]
    public void Invalid_headers_are_rejected()
    {
        var spaced = new AuditLineHeader { Node = Bytes("a b"), Type = 2500 };
        var untyped = new AuditLineHeader();
        byte[] destination = new byte[512];

        Assert.Throws<ArgumentException>(() => AuditLineWriter.TryWrite(spaced, default, default, destination, out _));
        Assert.Throws<ArgumentException>(() => AuditLineWriter.GetLength(untyped, default, default));
        Assert.Throws<ArgumentNullException>(() => AuditLineWriter.Write(null!, new AuditLineHeader { Type = 2500 }, default, default));
    }

    [Fact]
    public void Stamp_formats_and_compares()
    {
        var stamp = new AuditStamp(1715510880, 7, 5025);
        byte[] destination = new byte[32];

        Assert.Equal("1715510880.007:5025", stamp.ToString());
        Assert.True(stamp.TryFormat(destination, out int written));
        Assert.Equal("1715510880.007:5025", Text(destination.AsMemory(0, written)));
        Assert.Equal(written, stamp.GetFormattedLength());
        Assert.False(stamp.TryFormat(destination.AsSpan(0, written - 1), out _));
        Assert.True(stamp == new AuditStamp(1715510880, 7, 5025));
        Assert.True(stamp != new AuditStamp(1715510880, 7, 5026));
        Assert.Equal(stamp.GetHashCode(), new AuditStamp(1715510880, 7, 5025).GetHashCode());
        Assert.Throws<ArgumentOutOfRangeException>(() => new AuditStamp(1, 1000, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AuditStamp(-1, 0, 1));
    }
}
