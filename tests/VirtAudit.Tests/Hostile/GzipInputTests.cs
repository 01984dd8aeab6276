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

    // The same data through OpenGzip over a stream that cannot seek (stdin, a pipe): the checks of a file, and the
    // line held when the input fails comes out as an error item before the failure is thrown.
    private static (long Lines, long Records, long Errors, List<string> Reasons, Exception? Error) ReadPiped(byte[] bytes)
    {
        using var reader = AuditLogReader.OpenGzip(new VirtAudit.Tests.Reading.ChunkedStream(bytes, 1000));
        var reasons = new List<string>();
        try
        {
            while (reader.Read())
            {
                if (reader.Current.IsError)
                {
                    reasons.Add(reader.Current.Error.Reason);
                }
            }

            return (reader.LinesRead, reader.RecordsRead, reader.ErrorsRead, reasons, null);
        }
        catch (InvalidDataException ex)
        {
            return (reader.LinesRead, reader.RecordsRead, reader.ErrorsRead, reasons, ex);
        }
    }

    [Fact]
    public void A_whole_gz_on_a_pipe_reads_every_line()
    {
        var (lines, records, errors, _, error) = ReadPiped(Gzip(Log()));
        Assert.Null(error);
        Assert.Equal(2000, lines);
        Assert.Equal(2000, records);
        Assert.Equal(0, errors);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    [InlineData(1)]
    public void A_gz_on_a_pipe_without_its_trailer_is_an_error(int cut)
    {
        var (_, _, _, _, error) = ReadPiped(Gzip(Log())[..^cut]);
        Assert.NotNull(error);
        Assert.Contains("ends early", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gz_on_a_pipe_cut_in_half_is_an_error_and_the_line_it_cut_is_counted()
    {
        byte[] gz = Gzip(Log());
        var (lines, records, errors, reasons, error) = ReadPiped(gz[..(gz.Length / 2)]);
        Assert.NotNull(error);
        Assert.Contains("ends early", error.Message, StringComparison.Ordinal);
        Assert.InRange(lines, 1, 1999);
        Assert.Equal(lines, records + errors);
        Assert.Equal(1, errors);
        Assert.StartsWith("the input failed before this line ended: gzip: the compressed data ends early", Assert.Single(reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_crc_on_a_pipe_is_corrupt_data_and_a_held_line_is_an_error_not_a_record()
    {
        // GZipStream throws in the read that meets the trailer, so the output of that read is lost (the failure says
        // after how many bytes); a line held from earlier reads is an error item, and the count still holds.
        byte[] gz = Gzip(Log());
        gz[^8] ^= 0xFF;
        var (lines, records, errors, reasons, error) = ReadPiped(gz);
        Assert.NotNull(error);
        Assert.Contains("bad CRC", error.Message, StringComparison.Ordinal);
        Assert.Equal(lines, records + errors);
        Assert.InRange(errors, 0, 1);
        Assert.All(reasons, r => Assert.Contains("bad CRC", r, StringComparison.Ordinal));
    }

    [Fact]
    public void A_gz_file_cut_inside_a_line_counts_that_line_as_an_error()
    {
        byte[] gz = Gzip(Log());
        string path = Path.Combine(_dir, "cut.gz");
        File.WriteAllBytes(path, gz[..(gz.Length / 3)]);
        using var reader = AuditLogReader.Open(path);
        long heldErrors = 0;
        Assert.Throws<InvalidDataException>(() =>
        {
            while (reader.Read())
            {
                heldErrors += reader.Current.IsError ? 1 : 0;
            }
        });
        Assert.Equal(1, heldErrors);
        Assert.Equal(reader.LinesRead, reader.RecordsRead + reader.ErrorsRead);
        Assert.False(reader.Read(), "the failure is thrown once, then the reader is at its end");
    }
}
