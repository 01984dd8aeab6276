namespace VirtAudit.Tests.Lines;

using static Corpus;

public class CorpusTests
{
    [Fact]
    public void Every_line_of_the_libvirt_capture_parses()
    {
        byte[][] lines = Libvirt90;
        Assert.Equal(451, lines.Length);

        var types = new Dictionary<string, int>();
        int user = 0;
        int enriched = 0;
        foreach (byte[] bytes in lines)
        {
            bool ok = AuditLine.TryParse(bytes, out AuditLine line, out AuditLineError error);
            Assert.True(ok, $"{error} in: {Text(bytes)}");
            Assert.NotEqual(0, line.TypeNumber);
            Assert.False(line.HasNode);
            Assert.False(line.IsMessageTruncated);
            Assert.Equal(bytes.Length - 1, line.Line.Length);
            string type = Text(line.TypeName);
            types[type] = types.GetValueOrDefault(type) + 1;
            if (line.IsUserMessage)
            {
                user++;
                Assert.True(line.HasKernelHeader);
                Assert.False(line.KernelHeader.HasSubj);
                Assert.Equal(0u, line.KernelHeader.Uid);
                Assert.Equal(4294967295u, line.KernelHeader.Auid);
                Assert.EndsWith("'", Text(line.Body));
            }

            if (line.HasEnrichment)
            {
                enriched++;
                Assert.NotEmpty(Pairs(line));
            }
        }

        Assert.Equal(23, types["VIRT_CONTROL"]);
        Assert.Equal(258, types["VIRT_RESOURCE"]);
        Assert.Equal(12, types["VIRT_MACHINE_ID"]);
        Assert.Equal(27, types["SYSCALL"]);
        Assert.Equal(18, types["ANOM_PROMISCUOUS"]);
        Assert.Equal(348, user);

        // Only PROCTITLE and BPF records have no field auparse interprets, so no ENRICHED tail.
        Assert.Equal(451 - types["PROCTITLE"] - types["BPF"], enriched);
    }

    [Fact]
    public void Every_virt_record_has_libvirt_fields_and_the_enriched_uid_pair()
    {
        foreach (byte[] bytes in Libvirt90)
        {
            AuditLine line = AuditLine.Parse(bytes);
            if (line.TypeNumber is < 2500 or > 2502)
            {
                continue;
            }

            Assert.True(line.IsUserMessage);
            Assert.StartsWith("virt=", Text(line.Message));
            Assert.EndsWith("res=success", Text(line.Message).Replace("res=failed", "res=success", StringComparison.Ordinal));
            Assert.Equal(["UID=\"root\"", "AUID=\"unset\""], Pairs(line));

            int inner = 0;
            string? first = null;
            foreach (AuditField field in line.Fields)
            {
                if (field.IsInner)
                {
                    first ??= Text(field.Name);
                    inner++;
                    Assert.False(field.Name.IsEmpty, Text(bytes));
                }
            }

            Assert.Equal("virt", first);
            Assert.InRange(inner, 8, 20);
        }
    }

    private static List<string> Pairs(AuditLine line)
    {
        var pairs = new List<string>();
        foreach (AuditField field in line.EnrichmentFields)
        {
            pairs.Add(Text(field.Name) + "=" + Text(field.Value));
        }

        return pairs;
    }
}
