using System.IO.Compression;

namespace VirtAudit.Tests.Reading;

/// <summary>
/// A file cut into ranges at line boundaries (<see cref="AuditLogRange.Split"/>) and read range by range
/// (<see cref="AuditLogReader.OpenRange"/>) gives the items one reader of the whole file gives, numbered the same.
/// </summary>
public class ReaderRangeTests
{
    [Theory]
    [InlineData("generated", 2)]
    [InlineData("generated", 5)]
    [InlineData("virt-launcher", 3)]
    public void Ranges_read_in_order_are_the_whole_file(string log, int parts)
    {
        byte[] bytes = log == "generated"
            ? GeneratedLogs.Create(30_000, 21).Log
            : Repeat(File.ReadAllBytes(DaemonLogTests.DaemonFile("virt-launcher.log")), 3 * 1024 * 1024);
        string path = TempFile(bytes);
        try
        {
            List<string> whole = Items(AuditLogReader.Open(path));
            IReadOnlyList<AuditLogRange> ranges = AuditLogRange.Split(path, parts);

            Assert.Equal(parts, ranges.Count);
            Assert.Equal(0, ranges[0].Offset);
            Assert.Equal(1, ranges[0].FirstLineNumber);
            Assert.Equal(bytes.Length, ranges.Sum(r => r.Length));
            for (int i = 1; i < ranges.Count; i++)
            {
                Assert.Equal(ranges[i - 1].Offset + ranges[i - 1].Length, ranges[i].Offset);
                Assert.Equal((byte)'\n', bytes[ranges[i].Offset - 1]);
            }

            var pieces = new List<string>();
            long lines = 0;
            foreach (AuditLogRange range in ranges)
            {
                Assert.Equal(lines + 1, range.FirstLineNumber);
                using AuditLogReader reader = AuditLogReader.OpenRange(path, range);
                pieces.AddRange(Items(reader, dispose: false));
                Assert.Equal(range.Length, reader.BytesRead);
                lines += reader.LinesRead;
            }

            Assert.Equal(whole, pieces);
            Assert.Contains(whole, item => item.EndsWith(" True", StringComparison.Ordinal) || log == "generated"); // joined failed sends stay joined
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("audit.log", 1)]
    [InlineData("audit.log", 700)]
    [InlineData("libvirtd.log", 1)]
    [InlineData("libvirtd.log", 333)]
    [InlineData("virt-launcher.log", 1)]
    [InlineData("virt-launcher.log", 500)]
    [InlineData("hard", 1)]
    [InlineData("hard", 4096)]
    [InlineData("hard", 70_000)]
    public void Cut_ranges_numbered_as_they_are_read_are_the_whole_file(string log, int rangeBytes)
    {
        // rangeBytes 1 asks for a cut before every line: only the lines a reader joins to the one before (a daemon
        // log's failed sends, KubeVirt's with the text escaped, a pair longer than a cut looks at) are not cut before.
        byte[] bytes = log == "hard"
            ? [.. GeneratedLogs.Create(2_000, 23).Log, .. System.Text.Encoding.UTF8.GetBytes(VirtAudit.Testing.BoundaryLogs.Hard())]
            : File.ReadAllBytes(log == "audit.log" ? VirtAudit.Testing.Repository.Libvirt90AuditLog : DaemonLogTests.DaemonFile(log));
        string path = TempFile(bytes);
        try
        {
            List<string> whole;
            long joined;
            using (AuditLogReader reader = AuditLogReader.Open(path))
            {
                whole = Items(reader, dispose: false);
                joined = reader.LinesJoined;
            }

            IReadOnlyList<AuditLogRange> ranges = AuditLogRange.Cut(path, rangeBytes);

            Assert.Equal(new AuditLogRange(0, ranges[0].Length, 1), ranges[0]);
            Assert.Equal(bytes.Length, ranges.Sum(r => r.Length));
            for (int i = 1; i < ranges.Count; i++)
            {
                Assert.Equal(ranges[i - 1].Offset + ranges[i - 1].Length, ranges[i].Offset);
                Assert.Equal((byte)'\n', bytes[ranges[i].Offset - 1]);
                Assert.Equal(0, ranges[i].FirstLineNumber); // not counted
                Assert.True(ranges[i].Length >= Math.Min(rangeBytes, bytes.Length - ranges[i].Offset), $"range {i} is shorter than asked");
            }

            var pieces = new List<string>();
            long lines = 0;
            foreach (AuditLogRange range in ranges)
            {
                using AuditLogReader reader = AuditLogReader.OpenRange(path, range with { FirstLineNumber = lines + 1 });
                pieces.AddRange(Items(reader, dispose: false));
                Assert.Equal(range.Length, reader.BytesRead);
                lines += reader.LinesRead;
            }

            Assert.Equal(whole, pieces);
            long lineCount = bytes.AsSpan().Count((byte)'\n') + (bytes[^1] == (byte)'\n' ? 0 : 1);
            Assert.Equal(lineCount, lines);
            if (rangeBytes == 1)
            {
                Assert.Equal(lineCount - LinesNotCutBefore(bytes), ranges.Count); // a cut before every other line
            }

            Assert.Equal(log switch { "virt-launcher.log" => 315, "hard" => 81, _ => 0 }, joined); // the escaped and the long pairs are joined too
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_cut_of_nothing_is_refused_and_an_empty_file_is_one_range()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AuditLogRange.Cut("any", 0));
        string empty = TempFile([]);
        try
        {
            Assert.Equal([new AuditLogRange(0, 0, 1)], AuditLogRange.Cut(empty, 1));
            Assert.Equal([new AuditLogRange(0, 0, 1)], AuditLogRange.Split(empty, 2));
        }
        finally
        {
            File.Delete(empty);
        }
    }

    [Fact]
    public void A_small_or_gzip_file_is_one_range()
    {
        byte[] log = GeneratedLogs.Create(2_000, 22).Log;
        string plain = TempFile(log);
        string gzip = TempFile([]);
        try
        {
            using (FileStream file = File.Create(gzip))
            using (var zip = new GZipStream(file, CompressionLevel.Fastest))
            {
                zip.Write(Repeat(log, 3 * 1024 * 1024));
            }

            Assert.Equal([new AuditLogRange(0, log.Length, 1)], AuditLogRange.Split(plain, 4));
            Assert.Equal([new AuditLogRange(0, new FileInfo(gzip).Length, 1)], AuditLogRange.Cut(gzip, 1));
            AuditLogRange whole = Assert.Single(AuditLogRange.Split(gzip, 4));
            using AuditLogReader reader = AuditLogReader.OpenRange(gzip, whole);
            Assert.Equal(Items(AuditLogReader.Open(gzip)), Items(reader, dispose: false));
        }
        finally
        {
            File.Delete(plain);
            File.Delete(gzip);
        }
    }

    [Fact]
    public void A_range_that_is_not_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AuditLogRange.Split("any", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => AuditLogReader.OpenRange("any", new AuditLogRange(-1, 10, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => AuditLogReader.OpenRange("any", new AuditLogRange(0, 10, 0)));
    }

    private static List<string> Items(AuditLogReader reader, bool dispose = true)
    {
        var items = new List<string>();
        try
        {
            while (reader.Read())
            {
                ref readonly AuditLogItem item = ref reader.Current;
                items.Add(item.IsRecord
                    ? $"{item.LineNumber} {item.Offset} {item.Record.Virt} {item.Record.DaemonLog.SendFailure.LineNumber} {item.Record.DaemonLog.SendFailure.IsFailed}"
                    : $"{item.LineNumber} {item.Offset} error {item.Error.Reason}");
            }
        }
        finally
        {
            if (dispose)
            {
                reader.Dispose();
            }
        }

        return items;
    }

    // Lines after the first that no cut falls before: failed sends (joined or not: the line alone tells), and lines
    // longer than the 64 KiB a cut looks at.
    private static int LinesNotCutBefore(byte[] bytes)
    {
        int count = 0;
        int start = 0;
        while (start < bytes.Length)
        {
            int lf = bytes.AsSpan(start).IndexOf((byte)'\n');
            int end = lf < 0 ? bytes.Length : start + lf;
            ReadOnlySpan<byte> line = bytes.AsSpan(start, end - start);
            bool failedSend = line.IndexOf("Failed to send audit message"u8) >= 0 || line.IndexOf("\\u0046ailed to send audit message"u8) >= 0;
            count += start > 0 && (end - start + 1 > 64 * 1024 || failedSend) ? 1 : 0;
            start = end + 1;
        }

        return count;
    }

    private static byte[] Repeat(byte[] block, int atLeast)
    {
        var output = new MemoryStream();
        while (output.Length < atLeast)
        {
            output.Write(block);
        }

        return output.ToArray();
    }

    private static string TempFile(byte[] bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), $"virtaudit-range-{Guid.NewGuid():N}.log");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
