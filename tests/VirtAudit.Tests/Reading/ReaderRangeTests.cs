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
