using System.Text;
using CsCheck;
using VirtAudit.Tests.Emitting;

namespace VirtAudit.Tests.Properties;

/// <summary>
/// Issue 12, properties: a line built by the writer and read by the reader gives back the same header, record and
/// ENRICHED pairs, in every rendering the writer produces: <see cref="AuditLineWriter"/> RAW and ENRICHED (with and
/// without node and subj), and the sinks that use it (<see cref="AuditLogFileSink"/> RAW/ENRICHED,
/// <see cref="TextWriterAuditSink"/> RawLine/EnrichedLine).
/// </summary>
public sealed class WriterReaderProperties
{
    private const int Iterations = 600;

    private static readonly Gen<byte[]> NodeOrSubj = VariantGen.Mix<byte[]>(
        (1, Gen.Const(Array.Empty<byte>())),
        (3, Gen.Byte.Where(b => b > 0x20 && b != 0x7F && b != '\'').Array[1, 24]));

    private static readonly Gen<AuditLineHeader> Header =
        Gen.Select(
            NodeOrSubj,
            Gen.Const(0), // the type is the record's, set per sample
            Gen.Select(Gen.Long[0, 99_999_999_999], Gen.Int[0, 999], VariantGen.Mix<ulong>((1, Gen.OneOf(0UL, ulong.MaxValue)), (3, Gen.ULong))),
            VariantGen.Mix<int>((1, Gen.OneOf(0, int.MaxValue)), (3, Gen.Int[0, int.MaxValue])),
            Gen.Select(Id(), Id(), Id()),
            NodeOrSubj,
            (node, type, stamp, pid, ids, subj) => new AuditLineHeader
            {
                Node = node,
                Type = type,
                Stamp = new AuditStamp(stamp.Item1, stamp.Item2, stamp.Item3),
                Pid = pid,
                Uid = ids.Item1,
                Auid = ids.Item2,
                Ses = ids.Item3,
                Subj = subj,
            });

    /// <summary>
    /// ENRICHED pairs as auditd writes them: upper-case names, values encoded (quoted or hex). Without <c>'</c>: the
    /// reader takes the last 0x1D as the ENRICHED separator only when no <c>'</c> follows it (so a 0x1D inside a raw
    /// value cannot forge <c>res=</c>, issue 12 finding 6); auditd's names (users, groups, syscalls) hold none.
    /// </summary>
    private static readonly Gen<(string Name, byte[] Value)[]> Enrichment = Gen.Select(
        Gen.Char['A', 'Z'].Array[1, 8],
        VariantGen.HostileBytes.Select(bytes => bytes.Where(b => b != '\'').ToArray()),
        (name, value) => (new string(name), Encoded(value))).Array[1, 5];

    /// <summary>libaudit's trailer with a hostile exe and either result.</summary>
    private static readonly Gen<AuditTrailer> Trailer = Gen.Select(
        VariantGen.HostileBytes,
        VariantGen.Mix<byte[]>((1, Gen.Const("?"u8.ToArray())), (1, VariantGen.Token)),
        Gen.Bool,
        (exe, host, success) => new AuditTrailer(AuditText.FromUtf8(exe), AuditText.FromUtf8(host), default, default, success));

    [Fact]
    public void AuditLineWriter_lines_read_back_with_the_same_header_record_and_enrichment()
    {
        Gen.Select(Header, VariantGen.AnyPayload, Trailer, Gen.Bool, Enrichment).Sample(
            (header, record, trailer, enriched, pairs) =>
            {
                header = header with { Type = record.Variant.RecordNumber };
                byte[] message = Message(record.Payload, trailer);
                byte[] enrichment = enriched ? Join(pairs) : Array.Empty<byte>();
                byte[] line = new byte[AuditLineWriter.GetLength(header, message, enrichment)];
                Assert.True(AuditLineWriter.TryWrite(header, message, enrichment, line, out int written));
                Assert.Equal(line.Length, written);

                var read = ReadOne(line);
                AssertHeader(header, read);
                AssertRecord(record.Variant, message, trailer, read);
                Assert.Equal(enriched ? pairs.Select(p => (p.Name, Show(p.Value))) : [], Pairs(read));
            },
            iter: Iterations,
            threads: 1);
    }

    [Fact]
    public void Sink_lines_read_back_with_the_same_header_record_and_enrichment()
    {
        Gen.Select(Header, VariantGen.AnyPayload, Trailer, Gen.Int[0, 3]).Sample(
            (template, record, trailer, rendering) =>
            {
                byte[] message = Message(record.Payload, trailer);
                var now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
                var output = new MemoryStream();
                bool enriched = rendering % 2 == 1;
                if (rendering < 2)
                {
                    using var sink = AuditLogFileSink.ForStream(output, ownsStream: false, enriched ? AuditLogFormat.Enriched : AuditLogFormat.Raw, template, new FixedClock(now), template.Stamp.Serial);
                    Assert.True(sink.Send(record.Variant.RecordNumber, message).IsSuccess);
                }
                else
                {
                    var text = new StringWriter();
                    using (var sink = new TextWriterAuditSink(text, enriched ? AuditTextForm.EnrichedLine : AuditTextForm.RawLine, header: template, clock: new FixedClock(now)))
                    {
                        Assert.True(sink.Send(record.Variant.RecordNumber, message).IsSuccess);
                    }

                    output.Write(Encoding.UTF8.GetBytes(text.ToString()));

                    // a TextWriter holds text: bytes that are not UTF-8 (in raw values, node, subj) become U+FFFD
                    message = AsText(message);
                    template = template with { Node = AsText(template.Node.ToArray()), Subj = AsText(template.Subj.ToArray()) };
                }

                var read = ReadOne(output.ToArray());
                var expected = template with { Type = record.Variant.RecordNumber, Stamp = read.Line.Stamp };
                AssertHeader(expected, read);
                Assert.Equal(1_700_000_000, read.Line.Stamp.Seconds);
                Assert.Equal(123, read.Line.Stamp.Milliseconds);
                AssertRecord(record.Variant, message, trailer, read);
                var pairs = Pairs(read);
                Assert.Equal(enriched ? ["UID", "AUID"] : Array.Empty<string>(), pairs.Select(p => p.Name));
            },
            iter: Iterations / 2,
            threads: 1);
    }

    private static byte[] AsText(byte[] bytes) => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes));

    private static Gen<uint> Id() => VariantGen.Mix<uint>((1, Gen.OneOf(0U, AuditLineHeader.Unset)), (3, Gen.UInt));

    private static byte[] Message(byte[] payload, AuditTrailer trailer)
    {
        byte[] tail = new byte[trailer.GetLength()];
        Assert.True(trailer.TryFormat(tail, out int n));
        return [.. payload, .. tail.AsSpan(0, n)];
    }

    private static byte[] Encoded(byte[] value)
    {
        AuditText text = AuditText.FromUtf8(value);
        byte[] token = new byte[text.GetEncodedLength()];
        Assert.True(text.TryWriteEncoded(token, out int n));
        return token.AsSpan(0, n).ToArray();
    }

    private static byte[] Join((string Name, byte[] Value)[] pairs)
    {
        var output = new MemoryStream();
        for (int i = 0; i < pairs.Length; i++)
        {
            if (i > 0)
            {
                output.WriteByte((byte)' ');
            }

            output.Write(Encoding.ASCII.GetBytes(pairs[i].Name + "="));
            output.Write(pairs[i].Value);
        }

        return output.ToArray();
    }

    /// <summary>The one record of <paramref name="bytes"/>, owned; the reader must count one line and no error.</summary>
    private static AuditLogRecord ReadOne(byte[] bytes)
    {
        using var reader = new AuditLogReader(new MemoryStream(bytes));
        Assert.True(reader.Read(), "no item");
        Assert.False(reader.Current.IsError, reader.Current.IsError ? reader.Current.Error.ToString() + " in " + Show(bytes) : "");
        var record = reader.Current.Record.ToOwned();
        Assert.False(reader.Read(), "more than one item: the line was split");
        Assert.Equal(1, reader.LinesRead);
        return record;
    }

    private static void AssertHeader(AuditLineHeader expected, AuditLogRecord read)
    {
        var actual = AuditLineHeader.From(read.Line);
        Assert.Equal(Show(expected.Node.Span), Show(actual.Node.Span));
        Assert.Equal(expected.Type, read.TypeNumber);
        Assert.Equal(expected.Stamp, actual.Stamp);
        Assert.Equal((expected.Pid, expected.Uid, expected.Auid, expected.Ses), (actual.Pid, actual.Uid, actual.Auid, actual.Ses));
        Assert.Equal(Show(expected.Subj.Span), Show(actual.Subj.Span));
    }

    private static void AssertRecord(VirtAuditVariantInfo variant, byte[] message, AuditTrailer trailer, AuditLogRecord read)
    {
        Assert.Equal(Show(message), Show(read.Line.Message.Span));
        Assert.True(read.Virt.IsTyped, $"untyped: {read.Virt.Error} in {Show(message)}");
        Assert.Same(variant, read.Virt.Variant);
        Assert.Equal(trailer.Success, read.Virt.Trailer.Success);
        Assert.Equal(trailer.Exe, read.Virt.Trailer.Exe);
    }

    private static List<(string Name, string Value)> Pairs(AuditLogRecord read)
    {
        var pairs = new List<(string, string)>();
        foreach (var field in read.EnrichmentFields)
        {
            pairs.Add((Encoding.Latin1.GetString(field.Name.Span), Show(field.Value.Span)));
        }

        return pairs;
    }

    private static string Show(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (byte b in bytes)
        {
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : $"\\x{b:X2}");
        }

        return text.ToString();
    }
}
