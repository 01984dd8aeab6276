using System.IO.Compression;
using System.Text;

namespace VirtAudit.Tests.Hostile;

/// <summary>Issue 12, finding 8: a damaged .gz is an error, never a silent end of the log.</summary>
public sealed class GzipInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("virtaudit-gz-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Log()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 2000; i++)
        {
            text.Append("type=SYSCALL msg=audit(1715510879.951:").Append(i).Append("): arch=c000003e syscall=16 success=yes exit=0 pid=").Append(i * 7919 % 100_000).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private (long Lines, Exception? Error) ReadFile(byte[] bytes)
    {
        string path = Path.Combine(_dir, "audit.log.1.gz");
        File.WriteAllBytes(path, bytes);
        using var reader = AuditLogReader.Open(path);
        try
        {
            while (reader.Read())
            {
            }

            return (reader.LinesRead, null);
        }
        catch (InvalidDataException ex)
        {
            return (reader.LinesRead, ex);
        }
    }

    [Fact]
    public void A_whole_gz_reads_every_line()
    {
        var (lines, error) = ReadFile(Gzip(Log()));
        Assert.Null(error);
        Assert.Equal(2000, lines);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    [InlineData(1)]
    public void A_gz_without_its_trailer_is_an_error(int cut)
    {
        byte[] gz = Gzip(Log());
        var (_, error) = ReadFile(gz[..^cut]);
        Assert.NotNull(error);
        Assert.Contains("ends early", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gz_cut_in_half_is_an_error_after_what_was_read()
    {
        byte[] gz = Gzip(Log());
        var (lines, error) = ReadFile(gz[..(gz.Length / 2)]);
        Assert.NotNull(error);
        Assert.Contains("ends early", error.Message, StringComparison.Ordinal);
        Assert.InRange(lines, 1, 1999);
    }

    [Fact]
    public void A_bad_crc_is_reported_as_corrupt_data()
    {
        byte[] gz = Gzip(Log());
        gz[^8] ^= 0xFF;
        var (_, error) = ReadFile(gz);
        Assert.NotNull(error);
        Assert.Contains("bad CRC", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("unsupported compression method", error.Message, StringComparison.Ordinal);
    }
}
