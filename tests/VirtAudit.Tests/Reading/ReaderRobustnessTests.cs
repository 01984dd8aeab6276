using System.IO.Pipelines;
using System.Text;
using VirtAudit.Tests.Lines;
using VirtAudit.Tests.Records;
using static VirtAudit.Tests.Reading.ReadingSupport;

namespace VirtAudit.Tests.Reading;

/// <summary>Line ends, long lines, odd bytes, cancellation: the reader never throws on its input and loses no line.</summary>
public class ReaderRobustnessTests
{
    private static readonly string C14 = SpecExamples.Line("C14");
    private static readonly string C18 = SpecExamples.Line("C18");

    [Fact]
    public void Crlf_line_ends_and_a_missing_last_newline()
    {
        byte[] input = Corpus.Bytes(C14 + "\r\n" + C18 + "\r\n" + C14);
        List<ItemCopy> items = ReadAll(input);
        Assert.Equal(3, items.Count);
        Assert.All(items, i => Assert.True(i.Record.IsTyped));
        Assert.Equal([0L, C14.Length + 2, C14.Length + C18.Length + 4], items.Select(i => i.Offset));
        Assert.Equal(C14, Text(items[2].Line));
        Assert.DoesNotContain((byte)'\r', items[0].Line);

        // A CR alone before the end of the input is a line end too; a CR inside a line is kept.
        List<ItemCopy> cr = ReadAll(Corpus.Bytes(C18 + "\r"));
        Assert.Equal(C18, Text(Assert.Single(cr).Line));
        Assert.Equal(AuditLogErrorKind.Blank, Assert.Single(ReadAll(Corpus.Bytes("\r\n"))).ErrorKind);
    }

    [Fact]
    public void Nul_bytes_and_invalid_utf8_are_kept_as_bytes()
    {
        string nulInValue = C18.Replace("vm=\"rhel9\"", "vm=\"rh\0el9\"", StringComparison.Ordinal);
        string invalidUtf8 = C18.Replace("vm=\"rhel9\"", "vm=\"rh\u00ff\u00feel9\"", StringComparison.Ordinal);
        string nulInType = "type=VIRT\0CONTROL msg=audit(1.000:1): x=1";
        List<ItemCopy> items = ReadAll(Corpus.Bytes(nulInValue + "\n" + invalidUtf8 + "\n" + nulInType + "\n\0\0\0\n"));
        Assert.Equal(4, items.Count);

        // Quoted values with bytes libvirt would have hex-encoded: read, typed as legacy-shaped or left untyped, never thrown.
        Assert.Equal(AuditLogItemKind.Record, items[0].Kind);
        Assert.Equal(nulInValue, Text(items[0].Line));
        Assert.Equal(AuditLogItemKind.Record, items[1].Kind);
        Assert.Equal(new byte[] { 0xFF, 0xFE }, items[1].Line.AsSpan(items[1].Line.AsSpan().IndexOf((byte)0xFF), 2).ToArray());
        Assert.Equal(AuditLogErrorKind.Malformed, items[2].ErrorKind);
        Assert.Equal(9, items[2].Position);
        Assert.Equal(AuditLogErrorKind.NotAuditRecord, items[3].ErrorKind);
        Assert.Equal([0, 0, 0], items[3].Line);
    }

    [Fact]
    public void A_one_megabyte_record_is_read_whole_and_the_buffer_shrinks_back()
    {
        string longPath = "/" + new string('a', 1_000_000);
        string line = SpecExamples.Line("C16").Replace("/var/lib/libvirt/images/rhel9.snap1", longPath, StringComparison.Ordinal);
        byte[] input = Corpus.Bytes(C18 + "\n" + line + "\n" + C14 + "\n");
        using var reader = new AuditLogReader(new ChunkedStream(input, 65536), new AuditLogReaderOptions { BufferSize = 64 * 1024 });
        int initial = reader.BufferCapacity;
        Assert.True(initial < 1_000_000);

        Assert.True(reader.Read());
        Assert.True(reader.Read());
        AuditLogRecord big = reader.Current.Record;
        Assert.True(big.TryGet(out VirtResourceDisk disk), big.Virt.Error);
        Assert.Equal(longPath, disk.NewDisk.Value);
        Assert.True(reader.BufferCapacity > 1_000_000);

        Assert.True(reader.Read());
        Assert.True(reader.Current.Record.IsTyped);
        Assert.False(reader.Read());
        Assert.Equal(initial, reader.BufferCapacity);
    }

    [Fact]
    public void A_record_cut_at_the_kernel_limit_is_read_from_a_buffer_smaller_than_it()
    {
        // The kernel copies at most 8560 bytes of a message and closes the quote (spec §3.6): the trailer is lost,
        // here in the middle of a long path.
        string payload = "virt=kvm resrc=disk reason=attach vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-disk=\"?\" new-disk=\"/srv/" + new string('a', 9000);
        string line = "type=VIRT_RESOURCE msg=audit(1715511400.777:5102): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='"
            + payload.Substring(0, AuditLimits.MaxMessageText) + "'\u001dUID=\"root\" AUID=\"unset\"";
        Assert.True(line.Length > 2 * 4096);

        List<ItemCopy> items = ReadAll(Corpus.Bytes(C18 + "\n" + line + "\n" + C18 + "\n"), new AuditLogReaderOptions { BufferSize = 4096 }, chunk: 1000);
        Assert.Equal(3, items.Count);
        AuditLogRecord cut = items[1].Record;
        Assert.Equal(AuditRendering.Enriched, cut.Rendering);
        Assert.Equal(AuditLimits.MaxMessageText, cut.Line.Message.Length);
        Assert.True(cut.Line.IsMessageTruncated);
        Assert.True(cut.Virt.Trailer.IsMissing);
        Assert.Equal(AuditRecordNotes.Untyped | AuditRecordNotes.Truncated, cut.Notes);
        Assert.True(items[2].Record.IsTyped);
    }

    [Fact]
    public void Lines_longer_than_the_limit_become_error_items_without_being_held()
    {
        var options = new AuditLogReaderOptions { MaxLineLength = 64 * 1024 };
        byte[] huge = Corpus.Bytes(C14 + new string('x', 3_000_000));
        byte[] input = [.. Corpus.Bytes(C18 + "\n"), .. huge, (byte)'\r', (byte)'\n', .. Corpus.Bytes(C18 + "\n"), .. huge];

        foreach (int chunk in new[] { 0, 4096, 65537 })
        {
            using var reader = new AuditLogReader(chunk == 0 ? new MemoryStream(input) : new ChunkedStream(input, chunk), options);
            var items = new List<ItemCopy>();
            int largest = 0;
            while (reader.Read())
            {
                items.Add(Copy(reader.Current));
                largest = Math.Max(largest, reader.BufferCapacity);
            }

            Assert.Equal(4, items.Count);
            Assert.Equal(AuditLogErrorKind.LineTooLong, items[1].ErrorKind);
            Assert.Equal(huge.Length, items[1].LineLength);
            Assert.Equal(C18.Length + 1, items[1].Offset);
            Assert.Equal(256, items[1].Line.Length);
            Assert.StartsWith("type=VIRT_CONTROL", Text(items[1].Line), StringComparison.Ordinal);
            Assert.True(items[2].Record.IsTyped);
            Assert.Equal(C18.Length + 1 + huge.Length + 2, items[2].Offset);
            Assert.Equal(AuditLogErrorKind.LineTooLong, items[3].ErrorKind);
            Assert.Equal(huge.Length, items[3].LineLength);
            Assert.True(largest <= 256 * 1024, $"buffer grew to {largest}");
            Assert.Equal(input.Length, reader.BytesRead);
        }
    }

    [Fact]
    public void Random_bytes_never_throw_and_every_line_is_one_item()
    {
        var random = new Random(20240512);
        byte[] corpus = File.ReadAllBytes(Corpus.FindFile("libvirt-9.0/audit.log"));
        for (int round = 0; round < 200; round++)
        {
            byte[] input = corpus.AsSpan(random.Next(corpus.Length / 2), random.Next(200, 4000)).ToArray();
            for (int flips = random.Next(1, 20); flips > 0; flips--)
            {
                input[random.Next(input.Length)] = (byte)random.Next(256);
            }

            if (round % 4 == 0)
            {
                random.NextBytes(input);
            }

            int lineFeeds = input.Count(b => b == (byte)'\n');
            int expected = lineFeeds + (input[^1] == (byte)'\n' ? 0 : 1);
            List<ItemCopy> items = ReadAll(input, new AuditLogReaderOptions { MaxLineLength = 1024, BufferSize = 256 }, chunk: random.Next(1, 300));
            Assert.Equal(expected, items.Count);
            foreach (ItemCopy item in items.Where(i => i.Kind == AuditLogItemKind.Record))
            {
                // Everything a record hands out is readable.
                foreach (AuditField field in item.Record.Fields)
                {
                    byte[] buffer = new byte[item.Record.Line.GetInterpretedValueLength(field)];
                    Assert.True(item.Record.Line.TryGetInterpretedValue(field, buffer, out _));
                }

                foreach (AuditField field in item.Record.EnrichmentFields)
                {
                    Assert.True(field.Name.Length >= 0);
                }
            }
        }
    }

    [Fact]
    public void Records_are_valid_until_the_next_read_and_owned_copies_stay_valid()
    {
        byte[] input = Corpus.Bytes(C14 + "\n" + C18 + "\n");
        using var reader = new AuditLogReader(new ChunkedStream(input, 50), new AuditLogReaderOptions { BufferSize = 256 });
        Assert.True(reader.Read());
        AuditLogRecord owned = reader.Current.Record.ToOwned();
        Assert.True(reader.Read());
        Assert.True(reader.Read() is false);

        Assert.Equal(C14, Text(owned.Bytes));
        Assert.Equal(1, owned.LineNumber);
        Assert.True(owned.TryGet(out VirtControl control));
        Assert.Equal("rhel9", control.Vm.Value);
        Assert.Equal(AuditRendering.Enriched, owned.Rendering);
    }

    [Fact]
    public async Task Cancellation_stops_sync_and_async_reads()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Corpus.Bytes(C14 + "\n"));
        using var reader = new AuditLogReader(pipe.Reader);
        using var cancel = new CancellationTokenSource();
        Assert.True(await reader.ReadAsync(cancel.Token));

        // Nothing more in the pipe: the read waits until cancelled.
        ValueTask<bool> pending = reader.ReadAsync(cancel.Token);
        Assert.False(pending.IsCompleted);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending);
        Assert.Throws<OperationCanceledException>(() => reader.Read(cancel.Token));

        // The reader goes on afterwards.
        await pipe.Writer.WriteAsync(Corpus.Bytes(C18 + "\n"));
        await pipe.Writer.CompleteAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(5220UL, reader.Current.Record.Stamp.Serial);
        Assert.False(await reader.ReadAsync());
    }

    [Fact]
    public async Task Async_events_from_a_pipe()
    {
        var pipe = new Pipe();
        // A SYSCALL event with a libvirt record written between its records (same second, as in real logs).
        string syscall = "type=SYSCALL msg=audit(1715510880.300:5024): arch=c000003e syscall=257 items=1 pid=1";
        string path = "type=PATH msg=audit(1715510880.300:5024): item=0 name=\"/etc/passwd\"";
        string proctitle = "type=PROCTITLE msg=audit(1715510880.300:5024): proctitle=\"cat\"";
        await pipe.Writer.WriteAsync(Corpus.Bytes(string.Join('\n', syscall, C14, path, proctitle, C18)));
        await pipe.Writer.CompleteAsync();
        await using var reader = new AuditLogReader(pipe.Reader);
        var events = new List<AuditEvent>();
        await foreach (AuditEvent auditEvent in reader.ReadEventsAsync())
        {
            events.Add(auditEvent);
        }

        Assert.Equal(["1715510880.300:5024 SYSCALL,PATH,PROCTITLE (LastRecord) Interleaved", "1715510880.307:5025 VIRT_CONTROL (Single)", "1715514000.044:5220 VIRT_CONTROL (Single)"], events.Select(e => e.ToString()));
    }

    [Fact]
    public void Disposed_readers_refuse_to_read_and_return_their_buffer_once()
    {
        var reader = new AuditLogReader(new MemoryStream(Encoding.ASCII.GetBytes(C18)));
        reader.Dispose();
        reader.Dispose();
        Assert.Throws<ObjectDisposedException>(() => reader.Read());
        Assert.Equal(AuditLogItemKind.None, reader.Current.Kind);
    }
}
