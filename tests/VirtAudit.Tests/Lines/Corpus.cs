using System.Text;

namespace VirtAudit.Tests.Lines;

/// <summary>The real capture in the repository's corpus/ folder.</summary>
internal static class Corpus
{
    private static readonly Lazy<byte[][]> LibvirtLines = new(() => ReadLines("libvirt-9.0/audit.log"));

    /// <summary>Every line of libvirt-9.0/audit.log, each with its final line feed.</summary>
    public static byte[][] Libvirt90 => LibvirtLines.Value;

    /// <summary>A file of the repository's corpus/ folder.</summary>
    public static string FindFile(string relativePath) => VirtAudit.Testing.Repository.Corpus(relativePath);

    /// <summary>Bytes from a test string: every char below 256 becomes one byte (so "\u00FF" is the byte 0xFF).</summary>
    public static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    public static string Text(ReadOnlyMemory<byte> bytes) => Encoding.Latin1.GetString(bytes.Span);

    private static byte[][] ReadLines(string relativePath)
    {
        byte[] all = File.ReadAllBytes(FindFile(relativePath));
        var lines = new List<byte[]>();
        int start = 0;
        while (start < all.Length)
        {
            int lineFeed = Array.IndexOf(all, (byte)'\n', start);
            int end = lineFeed < 0 ? all.Length : lineFeed + 1;
            lines.Add(all[start..end]);
            start = end;
        }

        return lines.ToArray();
    }
}
