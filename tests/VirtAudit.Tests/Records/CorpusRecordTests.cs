using VirtAudit.Tests.Lines;
using static VirtAudit.Tests.Records.RecordKit;

namespace VirtAudit.Tests.Records;

/// <summary>Issue 2 §6: every VIRT line of the real libvirt 9.0 capture, typed and re-encoded byte for byte.</summary>
public class CorpusRecordTests
{
    private static IEnumerable<AuditLine> VirtLines()
    {
        foreach (byte[] bytes in Corpus.Libvirt90)
        {
            AuditLine line = AuditLine.Parse(bytes);
            if (line.TypeNumber is >= 2500 and <= 2502)
            {
                yield return line;
            }
        }
    }

    [Fact]
    public void Every_virt_line_is_typed_by_the_registry_as_its_resrc_or_op_implies()
    {
        var failures = new List<string>();
        var counts = new Dictionary<string, int>();
        foreach (AuditLine line in VirtLines())
        {
            string payload = Corpus.Text(line.Message);
            string expected = ExpectedVariant(line.TypeNumber, payload);
            VirtAuditRecord record = VirtAuditRegistry.Default.Parse(line.TypeNumber, line.Message);
            counts[expected] = counts.GetValueOrDefault(expected) + 1;

            if (!record.IsTyped)
            {
                failures.Add($"untyped ({record.Error}, field {record.ErrorField}): {payload}");
                continue;
            }

            if (record.Variant!.Name != expected || !ReferenceEquals(record.Variant, Cases[expected].Info))
            {
                failures.Add($"typed as {record.Variant.Name}, expected {expected}: {payload}");
            }

            if (record.IsLegacy)
            {
                failures.Add($"flagged legacy {record.Legacy} although libvirt 9.0 wrote it: {payload}");
            }

            if (record.TryGet(out VirtControl control)
                && (!control.Op.IsKnown || control.Op.ToString() != FieldToken(payload, "op")
                    || !control.Reason.IsKnown || control.Reason.ToString() != FieldToken(payload, "reason")))
            {
                failures.Add($"op/reason typed as {control.Op}/{control.Reason}: {payload}");
            }

            if (record.RecordNumber != line.TypeNumber || !record.Message.Span.SequenceEqual(line.Message.Span))
            {
                failures.Add($"record number or message not kept: {payload}");
            }
        }

        Assert.Empty(failures);
        Assert.Equal(293, counts.Values.Sum());
        var expectedCounts = new Dictionary<string, int>
        {
            ["VirtControl"] = 23,
            ["VirtMachineId"] = 12,
            ["VirtResourceCgroup"] = 106,
            ["VirtResourceChardev"] = 28,
            ["VirtResourceDev"] = 7,
            ["VirtResourceDisk"] = 25,
            ["VirtResourceFs"] = 4,
            ["VirtResourceIothread"] = 6,
            ["VirtResourceIvshmemSocket"] = 1,
            ["VirtResourceMem"] = 13,
            ["VirtResourceNet"] = 20,
            ["VirtResourceNetOpen"] = 11,
            ["VirtResourceRng"] = 9,
            ["VirtResourceShmem"] = 6,
            ["VirtResourceSmartcard"] = 4,
            ["VirtResourceTpmEmulator"] = 4,
            ["VirtResourceVcpu"] = 14,
        };
        Assert.Equal(expectedCounts.OrderBy(p => p.Key), counts.OrderBy(p => p.Key));
    }

    [Fact]
    public void Every_virt_line_reencodes_byte_for_byte_through_the_registry()
    {
        var failures = new List<string>();
        int checkedLines = 0;
        foreach (AuditLine line in VirtLines())
        {
            VirtAuditRecord record = VirtAuditRegistry.Default.Parse(line.TypeNumber, line.Message);
            byte[]? again = Reencode(record);
            checkedLines++;
            if (again is null || !again.AsSpan().SequenceEqual(line.Message.Span))
            {
                failures.Add($"\n  in:  {Corpus.Text(line.Message)}\n  out: {(again is null ? "(refused)" : L(again))}");
            }
        }

        Assert.Equal(293, checkedLines);
        Assert.Empty(failures);
    }

    [Fact]
    public void Every_virt_line_round_trips_through_its_generated_type_and_the_trailer()
    {
        var failures = new List<string>();
        int checkedLines = 0;
        foreach (AuditLine line in VirtLines())
        {
            string expected = ExpectedVariant(line.TypeNumber, Corpus.Text(line.Message));
            byte[]? again = FormatThroughType(Cases[expected], line.Message);
            checkedLines++;
            if (again is null || !again.AsSpan().SequenceEqual(line.Message.Span))
            {
                failures.Add($"\n  {expected} in:  {Corpus.Text(line.Message)}\n  out: {(again is null ? "(refused)" : L(again))}");
            }
        }

        Assert.Equal(293, checkedLines);
        Assert.Empty(failures);
    }

    [Fact]
    public void No_other_variant_of_the_record_type_accepts_a_virt_line()
    {
        var failures = new List<string>();
        byte[] scratch = new byte[16384];
        foreach (AuditLine line in VirtLines())
        {
            string expected = ExpectedVariant(line.TypeNumber, Corpus.Text(line.Message));
            foreach (VariantCase other in Cases.Values)
            {
                if (other.Name != expected && other.RecordNumber == line.TypeNumber && other.RoundTrip(line.Message, scratch, out _))
                {
                    failures.Add($"{other.Name} also parses the {expected} line {Corpus.Text(line.Message)}");
                }
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void The_typed_line_keeps_the_whole_trailer()
    {
        foreach (AuditLine line in VirtLines())
        {
            VirtAuditRecord record = VirtAuditRegistry.Default.Parse(line.TypeNumber, line.Message);
            Assert.False(record.Trailer.IsMissing);
            Assert.Equal("/usr/sbin/libvirtd", record.Trailer.Exe.Value);
            Assert.True(record.Trailer.Hostname.IsAbsent);
            Assert.Equal(Corpus.Text(line.Message).EndsWith(" res=success", StringComparison.Ordinal), record.Trailer.Success);
            int trailerStart = record.LibvirtPart.Length;
            Assert.Equal(" exe=", Corpus.Text(line.Message.Slice(trailerStart, 5)));
        }
    }
}
