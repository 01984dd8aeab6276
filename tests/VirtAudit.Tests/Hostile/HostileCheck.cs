using System.Reflection;
using VirtAudit.CompilerServices;
using VirtAudit.Testing;

namespace VirtAudit.Tests.Hostile;

/// <summary>
/// What every malformed input must get (issue 12, catalogue): <c>AuditLine.TryParse</c>/<c>TryParseAny</c>, the
/// registry and the generated <c>TryParse</c> never throw; a failure says where (an offset inside the line, a part,
/// a reason; an untyped VIRT record says why and at which offset of its message); and the reader accounts for every
/// line, each error item with its line number, the line's byte offset and a position inside the line.
/// </summary>
internal static class HostileCheck
{
    /// <summary>A VIRT_RESOURCE line up to and with <c>msg='</c>, as libvirtd 9.0 through auditd writes it.</summary>
    public const string Header = "type=VIRT_RESOURCE msg=audit(1715510880.307:5025): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='";

    /// <summary>A guest's name and UUID.</summary>
    public const string Guest = "vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11";

    /// <summary>libaudit's trailer with the closing quote.</summary>
    public const string Trailer = " exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success'";

    private static readonly Func<ReadOnlyMemory<byte>, bool>[] GeneratedParsers = typeof(VirtControl).Assembly.GetTypes()
        .Where(t => t.IsValueType && t.GetCustomAttribute<Schema.AuditVariantAttribute>() is not null)
        .Select(t => typeof(HostileCheck).GetMethod(nameof(TryParseAs), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(t)
            .CreateDelegate<Func<ReadOnlyMemory<byte>, bool>>())
        .ToArray();

    /// <summary>The real lines: the libvirt 9.0 audit.log, libvirtd's log and virt-launcher's JSON log.</summary>
    public static IEnumerable<(string File, byte[] Line)> CorpusLines()
    {
        foreach (string file in new[] { "libvirt-9.0/audit.log", "libvirt-9.0/daemon-logs/libvirtd.log", "libvirt-9.0/daemon-logs/virt-launcher.log" })
        {
            byte[] bytes = File.ReadAllBytes(Repository.Corpus(file));
            int start = 0;
            for (int i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == '\n')
                {
                    yield return (file, bytes.AsSpan(start, i - start).ToArray());
                    start = i + 1;
                }
            }
        }
    }

    /// <summary>One line through every parser; <paramref name="allVariants"/> also tries each generated TryParse.</summary>
    public static void Line(ReadOnlyMemory<byte> line, bool allVariants = false)
    {
        if (!AuditLine.TryParse(line, out _, out AuditLineError strict))
        {
            AssertLocated(strict, line.Length);
        }

        if (!AuditLine.TryParseAny(line, out AuditLine parsed, out AuditLineError error))
        {
            AssertLocated(error, line.Length);
            return;
        }

        if (parsed.TypeNumber is >= 2500 and <= 2599)
        {
            VirtAuditRecord virt = VirtAuditRegistry.Default.Parse(parsed.TypeNumber, parsed.Message);
            if (!virt.IsTyped && VirtAuditRegistry.Default.Handles(parsed.TypeNumber))
            {
                Assert.False(string.IsNullOrEmpty(virt.Error), "an untyped VIRT record says why");
                Assert.InRange(virt.ErrorOffset, 0, parsed.Message.Length);
            }
        }

        if (allVariants)
        {
            foreach (var tryParse in GeneratedParsers)
            {
                _ = tryParse(parsed.Message);
                _ = tryParse(line);
            }
        }
    }

    /// <summary>
    /// <paramref name="lines"/> joined with LF through the reader: one item per line (no daemon-log joining is
    /// expected unless <paramref name="allowJoined"/>), lines read = records + errors + skipped + joined, and each
    /// error item located at its line.
    /// </summary>
    public static (long Records, long Errors) Reader(IReadOnlyList<byte[]> lines, bool allowJoined = false, int maxLineLength = 1 << 20)
    {
        var offsets = new long[lines.Count + 1];
        var input = new MemoryStream();
        for (int i = 0; i < lines.Count; i++)
        {
            offsets[i] = input.Position;
            input.Write(lines[i]);
            input.WriteByte((byte)'\n');
        }

        input.Position = 0;
        using var reader = new AuditLogReader(input, new AuditLogReaderOptions { MaxLineLength = maxLineLength });
        long last = 0;
        int errors = 0;
        while (reader.Read())
        {
            AuditLogItem item = reader.Current;
            if (item.LineNumber <= last || item.Offset != offsets[item.LineNumber - 1])
            {
                Assert.Fail($"line {item.LineNumber} at byte {item.Offset} after line {last}; expected byte {offsets[item.LineNumber - 1]}");
            }

            last = item.LineNumber;
            if (item.IsError)
            {
                AuditLogError e = item.Error;
                if (e.Position < 0 || e.Position > e.LineLength || e.LineLength != lines[(int)item.LineNumber - 1].Length || e.Reason.Length == 0)
                {
                    Assert.Fail($"error item not located: {e}");
                }

                if (++errors <= 1000)
                {
                    Assert.StartsWith($"line {e.LineNumber} (byte {e.ErrorOffset})", e.ToString(), StringComparison.Ordinal);
                }
            }
            else if (item.Record.IsVirt && !item.Record.Virt.IsTyped && VirtAuditRegistry.Default.Handles(item.Record.TypeNumber))
            {
                Assert.False(string.IsNullOrEmpty(item.Record.Virt.Error), "an untyped VIRT record says why");
            }
        }

        Assert.Equal(lines.Count, reader.LinesRead);
        Assert.Equal(reader.LinesRead, reader.RecordsRead + reader.ErrorsRead + reader.LinesSkipped + reader.LinesJoined);
        if (!allowJoined)
        {
            Assert.Equal(0, reader.LinesJoined);
        }

        return (reader.RecordsRead, reader.ErrorsRead);
    }

    private static void AssertLocated(AuditLineError error, int length)
    {
        Assert.True(error.IsError);
        Assert.InRange(error.Offset, 0, length);
        Assert.False(string.IsNullOrEmpty(error.Part), "an error names its part");
        Assert.False(string.IsNullOrEmpty(error.Reason), "an error says why");
    }

    private static bool TryParseAs<T>(ReadOnlyMemory<byte> message)
        where T : struct, IVirtAuditVariant<T> => VirtAuditVariants.TryParse<T>(message, out _);
}
