namespace VirtAudit.Tests.Lines;

public class AllocationTests
{
    [Fact]
    public void Parsing_every_corpus_line_a_thousand_times_allocates_nothing()
    {
        ReadOnlyMemory<byte>[] lines = Corpus.Libvirt90.Select(bytes => (ReadOnlyMemory<byte>)bytes).ToArray();
        long checksum = Walk(lines, 3);
        Assert.True(checksum > 0, $"a corpus line did not parse (error at byte {-checksum - 1} of the line)");

        (long measured, int runs) = AllocationProbe.AssertAllocatesNothing("parsing every corpus line 1,000 times", () => Walk(lines, 1000));

        Assert.Equal(runs * 1000L * (checksum / 3), measured);
    }

    [Fact]
    public void Writing_a_line_to_a_span_allocates_nothing()
    {
        AuditLine line = AuditLine.Parse(Corpus.Bytes(SpecLines.C14));
        AuditLineHeader header = AuditLineHeader.From(line);
        byte[] destination = new byte[1024];
        AuditLineWriter.TryWrite(header, line.Message.Span, line.Enrichment.Span, destination, out _);

        (long total, int runs) = AllocationProbe.AssertAllocatesNothing("measuring and writing the C14 line 1,000 times", () =>
        {
            long batch = 0;
            for (int i = 0; i < 1000; i++)
            {
                batch += AuditLineWriter.GetLength(header, line.Message.Span, line.Enrichment.Span);
                AuditLineWriter.TryWrite(header, line.Message.Span, line.Enrichment.Span, destination, out int written);
                batch += written;
            }

            return batch;
        });

        Assert.Equal(runs * 2000L * (SpecLines.C14.Length + 1), total);
    }

    private static long Walk(ReadOnlyMemory<byte>[] lines, int rounds)
    {
        long checksum = 0;
        Span<byte> type = stackalloc byte[32];
        for (int round = 0; round < rounds; round++)
        {
            foreach (ReadOnlyMemory<byte> bytes in lines)
            {
                if (!AuditLine.TryParse(bytes, out AuditLine line, out AuditLineError error))
                {
                    return -error.Offset - 1;
                }

                checksum += line.TypeNumber + line.Stamp.Milliseconds + line.KernelHeader.Pid + line.Message.Length;
                foreach (AuditField field in line.Fields)
                {
                    checksum += field.Value.Length;
                }

                foreach (AuditField field in line.EnrichmentFields)
                {
                    checksum += field.Name.Length;
                }

                AuditRecordTypes.TryWriteName(line.TypeNumber, type, out int written);
                checksum += written;
            }
        }

        return checksum;
    }
}
