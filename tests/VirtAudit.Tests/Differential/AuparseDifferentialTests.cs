using System.Diagnostics;
using System.Text;
using VirtAudit.Tests.Lines;
using VirtAudit.Tests.Reading;
using Xunit.Abstractions;

namespace VirtAudit.Tests.Differential;

/// <summary>
/// Our records against libauparse's (the Linux audit project's own parser, Debian <c>libauparse-dev</c>), on the
/// real capture and a generated log: the same records (type, stamp), the same events, the same field names in order,
/// the same raw values and the same interpreted values, except where auparse is known to differ. Each known
/// difference is a <see cref="Divergence"/> below, with its reason, and is counted. The C helper
/// <c>auparse_dump.c</c> is compiled with <c>cc</c> at test time; without <c>cc</c> or libauparse the tests skip
/// and say which is missing.
/// </summary>
public class AuparseDifferentialTests(AuparseHelper helper, ITestOutputHelper output) : IClassFixture<AuparseHelper>
{
    /// <summary>The known differences between auparse and VirtAudit.</summary>
    private enum Divergence
    {
        /// <summary>
        /// auparse turns an AVC's leading words (<c>avc:  denied  { read write } for</c>) into the fields
        /// <c>seresult=denied seperms=read,write</c>; we keep them as one nameless field, as printed.
        /// </summary>
        AvcWords,

        /// <summary>
        /// auparse splits on spaces and drops words without <c>=</c> (<c>op=adding group to /etc/group</c> → <c>adding</c>,
        /// <c>subj=docker (enforce)</c> → <c>docker</c>, the legacy <c>user</c> token); we keep them with the value before
        /// them (spec §4.3: raw values may hold spaces).
        /// </summary>
        WordsWithoutEquals,

        /// <summary>auparse drops a field whose value is empty (<c>op=</c> in the capture's ADD_GROUP records); we keep it.</summary>
        EmptyValue,

        /// <summary>
        /// auparse drops one trailing <c>:</c>, <c>,</c>, <c>'</c> and <c>)</c> from values (spec §4.4); we keep the bytes
        /// (the legacy <c>new-net=…:</c> colon is libaudit's old separator, which the typed record reads as such).
        /// </summary>
        TrailingPunctuation,

        /// <summary>
        /// auparse's type table lacks libvirt's encoded <c>disk</c>, <c>chardev</c>, <c>old-/new-smartcard</c>,
        /// <c>shmem</c> and <c>source</c> (spec §4.5), so it leaves them quoted or hex; we decode them.
        /// </summary>
        UndecodedLibvirtField,

        /// <summary>
        /// An unquoted legacy MAC (<c>new-net=52:54:00:…</c>, libvirt 0.9.10–1.2.6) is an ESCAPED field to auparse, which
        /// hex-decodes its leading digits <c>52</c> into <c>R</c>; we keep the MAC.
        /// </summary>
        BareMacAsHex,

        /// <summary>
        /// On a RAW line (no ENRICHED tail) auparse names user and group ids from the passwd of the machine running
        /// the test, which is not the machine that logged; we leave ids numeric (except unset).
        /// </summary>
        LocalIdLookup,

        /// <summary>
        /// auparse's lookup tables we do not carry: syscall and arch names without an ENRICHED tail, errno names of
        /// <c>exit</c>, <c>a0</c>–<c>a3</c>, <c>mode</c>, <c>perm</c>, numeric <c>res</c>, capability sets,
        /// promiscuous flags, addresses, signals.
        /// </summary>
        Lookup,
    }

    // auparse field types (auparse-defs.h) whose interpretation is a table lookup.
    private static readonly HashSet<int> LookupTypes = [3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 34, 35, 36, 37, 40, 41, 42];
    private static readonly HashSet<string> UndecodedByAuparse = ["disk", "chardev", "old-smartcard", "new-smartcard", "shmem", "source"];

    [SkippableFact]
    public void The_capture_matches_auparse()
    {
        Dictionary<Divergence, int> seen = Compare(Corpus.FindFile("libvirt-9.0/audit.log"));

        // The capture has LXC hostdev disk=/chardev= and smartcard records, and ADD_GROUP's "op=adding group to …".
        Assert.True(seen[Divergence.UndecodedLibvirtField] > 0);
        Assert.True(seen[Divergence.WordsWithoutEquals] > 0);
        Assert.Equal(0, seen[Divergence.LocalIdLookup] + seen[Divergence.BareMacAsHex] + seen[Divergence.TrailingPunctuation]);
    }

    [SkippableFact]
    public void A_generated_log_matches_auparse()
    {
        helper.RequireOrSkip();
        byte[] log = GeneratedLogs.Create(20000, 7, interleave: 0.05).Log;
        string path = Path.Combine(Path.GetTempPath(), $"virtaudit-auparse-{Environment.ProcessId}-{Guid.NewGuid():N}.log");
        File.WriteAllBytes(path, log);
        try
        {
            Dictionary<Divergence, int> seen = Compare(path);

            // RAW and ENRICHED lines, legacy bare MACs, AVC records.
            Assert.True(seen[Divergence.BareMacAsHex] > 0);
            Assert.True(seen[Divergence.AvcWords] > 0);
            Assert.True(seen[Divergence.LocalIdLookup] > 0);
            Assert.True(seen[Divergence.Lookup] > 0);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private Dictionary<Divergence, int> Compare(string path)
    {
        helper.RequireOrSkip();
        List<AuparseEvent> auparse = RunHelper(helper.Tool!, path);
        var records = new Dictionary<long, AuparseRecord>();
        foreach (AuparseRecord record in auparse.SelectMany(e => e.Records))
        {
            records.Add(record.Line, record);
        }

        var seen = Enum.GetValues<Divergence>().ToDictionary(d => d, _ => 0);
        var problems = new List<string>();
        int compared = 0;
        using (AuditLogReader reader = AuditLogReader.Open(path))
        {
            while (reader.Read())
            {
                AuditLogItem item = reader.Current;
                Assert.True(item.IsRecord, item.Error.ToString());
                AuditLogRecord record = item.Record;
                if (!records.TryGetValue(record.LineNumber, out AuparseRecord? theirs))
                {
                    problems.Add($"line {record.LineNumber}: auparse has no record");
                    continue;
                }

                CompareRecord(record, theirs, seen, problems);
                compared++;
            }

            Assert.Equal(records.Count, reader.RecordsRead);
        }

        // The same events: the same records grouped together.
        using (AuditLogReader reader = AuditLogReader.Open(path))
        {
            var ours = reader.ReadEvents().Select(e => string.Join(',', e.Records.Select(r => r.LineNumber))).OrderBy(s => s, StringComparer.Ordinal).ToList();
            var theirs = auparse.Select(e => string.Join(',', e.Records.Select(r => r.Line).Order())).OrderBy(s => s, StringComparer.Ordinal).ToList();
            Assert.Equal(theirs, ours);
        }

        output.WriteLine($"{Path.GetFileName(path)}: {compared} records, {auparse.Count} events compared; known divergences: {string.Join(", ", seen.Select(p => $"{p.Key}={p.Value}"))}");
        Assert.True(problems.Count == 0, string.Join('\n', problems.Take(40)));
        return seen;
    }

    private static void CompareRecord(in AuditLogRecord record, AuparseRecord theirs, Dictionary<Divergence, int> seen, List<string> problems)
    {
        long line = record.LineNumber;
        if (theirs.Type != record.TypeNumber || theirs.Stamp != record.Stamp.ToString())
        {
            problems.Add($"line {line}: type/stamp {record.TypeNumber} {record.Stamp} vs auparse {theirs.Type} {theirs.Stamp}");
            return;
        }

        // auparse's first field is the record type.
        List<AuparseField> fields = theirs.Fields;
        int next = fields.Count > 0 && fields[0].Name == "type" ? 1 : 0;
        byte[] buffer = new byte[record.Bytes.Length * 2];
        foreach (AuditField field in record.Fields)
        {
            string name = Escape(field.Name.Span);
            string raw = Escape(field.Value.Span);
            if (field.Name.IsEmpty)
            {
                if (record.TypeNumber == 1400 && next + 1 < fields.Count && fields[next].Name == "seresult" && fields[next + 1].Name == "seperms")
                {
                    seen[Divergence.AvcWords]++;
                    next += 2;
                }
                else
                {
                    seen[Divergence.WordsWithoutEquals]++;
                }

                continue;
            }

            if (next >= fields.Count)
            {
                problems.Add($"line {line}: field {name} is not in auparse's record");
                return;
            }

            AuparseField their = fields[next];
            if (field.Value.IsEmpty && their.Name != name)
            {
                seen[Divergence.EmptyValue]++;
                continue;
            }

            next++;
            if (their.Name != name)
            {
                problems.Add($"line {line}: field {name} vs auparse {their.Name}");
                return;
            }

            // auparse's view of the raw value: the first word, then one trailing : , ' ) dropped.
            int space = raw.IndexOf("\\x20", StringComparison.Ordinal);
            string expectedRaw = space < 0 ? raw : raw.Substring(0, space);
            if (space >= 0)
            {
                seen[Divergence.WordsWithoutEquals]++;
            }

            string trimmed = AuparseTrim(expectedRaw);
            if (trimmed != expectedRaw)
            {
                seen[Divergence.TrailingPunctuation]++;
            }

            if (their.Raw != trimmed)
            {
                problems.Add($"line {line}: {name} raw {raw} vs auparse {their.Raw}");
                continue;
            }

            Assert.True(record.Line.TryGetInterpretedValue(field, buffer, out int written));
            string interpreted = Escape(buffer.AsSpan(0, written));
            if (interpreted == their.Interpreted)
            {
                continue;
            }

            if (UndecodedByAuparse.Contains(name) && their.Interpreted == their.Raw)
            {
                seen[Divergence.UndecodedLibvirtField]++;
            }
            else if (name is "old-net" or "new-net" && their.Interpreted == "R" && MacAddress.TryParse(field.Value.Span, out _))
            {
                seen[Divergence.BareMacAsHex]++;
            }
            else if (their.Type is 1 or 2 && !record.Line.HasEnrichment && interpreted == raw)
            {
                seen[Divergence.LocalIdLookup]++;
            }
            else if (LookupTypes.Contains(their.Type) && interpreted == raw)
            {
                seen[Divergence.Lookup]++;
            }
            else if (space >= 0 || trimmed != expectedRaw)
            {
                // Already counted: the value differs because auparse cut it.
            }
            else
            {
                problems.Add($"line {line}: {name}={raw} interpreted {interpreted} vs auparse {their.Interpreted} (type {their.Type})");
            }
        }

        if (next != fields.Count)
        {
            problems.Add($"line {line}: auparse has more fields, from {fields[next].Name}");
        }
    }

    // Spec §4.4: values lose one trailing ':', then ',', then '\'', then ')' (except "(none)" and "(null)").
    private static string AuparseTrim(string value)
    {
        foreach (char c in ":,')")
        {
            if (value.Length > 0 && value[^1] == c && !(c == ')' && value is "(none)" or "(null)"))
            {
                value = value.Substring(0, value.Length - 1);
            }
        }

        return value;
    }

    // As auparse_dump.c writes values: bytes outside 0x21..0x7e and the backslash as \xHH.
    private static string Escape(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (byte b in bytes)
        {
            if (b < 0x21 || b > 0x7E || b == (byte)'\\')
            {
                text.Append("\\x").Append(b.ToString("X2"));
            }
            else
            {
                text.Append((char)b);
            }
        }

        return text.ToString();
    }

    private static List<AuparseEvent> RunHelper(string tool, string path)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(path);
        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        var events = new List<AuparseEvent>();
        AuparseRecord? current = null;
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null)
        {
            string[] parts = line.Split('\t');
            switch (parts[0])
            {
                case "E":
                    events.Add(new AuparseEvent([]));
                    break;
                case "R":
                    current = new AuparseRecord(long.Parse(parts[1]), int.Parse(parts[2]), parts[3], []);
                    events[^1].Records.Add(current);
                    break;
                case "F":
                    current!.Fields.Add(new AuparseField(parts[1], int.Parse(parts[2]), parts[3], parts[4]));
                    break;
            }
        }

        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "auparse_dump failed: " + stderr.Result);
        return events;
    }

    private sealed record AuparseEvent(List<AuparseRecord> Records);

    private sealed record AuparseRecord(long Line, int Type, string Stamp, List<AuparseField> Fields);

    private sealed record AuparseField(string Name, int Type, string Raw, string Interpreted);
}

/// <summary>Builds <c>auparse_dump.c</c> once for the test class, or says which capability is missing; removes it afterwards.</summary>
public sealed class AuparseHelper : IDisposable
{
    public AuparseHelper()
    {
        string? cc = FindOnPath("cc") ?? FindOnPath("gcc");
        if (cc is null)
        {
            Missing = "no C compiler (cc) on PATH: the auparse differential test needs one to build its helper";
            return;
        }

        if (!File.Exists("/usr/include/auparse.h"))
        {
            Missing = "libauparse-dev is not installed (no /usr/include/auparse.h): apt-get install libauparse-dev";
            return;
        }

        string source = VirtAudit.Testing.Repository.File("tests", "VirtAudit.Tests", "Differential", "auparse_dump.c");
        string tool = Path.Combine(Path.GetTempPath(), $"virtaudit-auparse-dump-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var start = new ProcessStartInfo(cc) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "-O2", "-Wall", "-o", tool, source, "-lauparse" })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode == 0)
        {
            Tool = tool;
        }
        else
        {
            Missing = "the auparse helper does not build (is libauparse-dev installed?): " + errors;
        }
    }

    /// <summary>The built helper, or null.</summary>
    public string? Tool { get; }

    /// <summary>Why there is no helper.</summary>
    public string? Missing { get; }

    /// <summary>
    /// Skips the calling test when the helper could not be built (saying what is missing), unless the environment
    /// says <c>VIRTAUDIT_REQUIRE_AUPARSE=1</c> (as <c>.ci/run</c> does): then a missing helper fails the test.
    /// </summary>
    public void RequireOrSkip()
    {
        if (Environment.GetEnvironmentVariable("VIRTAUDIT_REQUIRE_AUPARSE") == "1")
        {
            Assert.True(Tool is not null, "VIRTAUDIT_REQUIRE_AUPARSE=1 but " + Missing);
        }

        Skip.If(Tool is null, Missing);
    }

    public void Dispose()
    {
        if (Tool is not null)
        {
            File.Delete(Tool);
        }
    }

    private static string? FindOnPath(string name)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(directory, name);
            if (directory.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
