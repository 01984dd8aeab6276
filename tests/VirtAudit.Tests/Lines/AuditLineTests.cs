namespace VirtAudit.Tests.Lines;

using static Corpus;

public class AuditLineTests
{
    private static AuditLine ParseOk(string text)
    {
        bool ok = AuditLine.TryParse(Bytes(text), out AuditLine line, out AuditLineError error);
        Assert.True(ok, error.ToString());
        Assert.False(error.IsError);
        return line;
    }

    private static AuditLineError ParseError(string text)
    {
        Assert.False(AuditLine.TryParse(Bytes(text), out AuditLine line, out AuditLineError error));
        Assert.True(error.IsError);
        Assert.True(line.Line.IsEmpty);
        return error;
    }

    [Fact]
    public void C14_enriched_line_is_split_into_every_part()
    {
        AuditLine line = ParseOk(SpecLines.C14);

        Assert.False(line.HasNode);
        Assert.True(line.Node.IsEmpty);
        Assert.Equal("VIRT_CONTROL", Text(line.TypeName));
        Assert.Equal(AuditRecordTypes.VirtControl, line.TypeNumber);
        Assert.Equal(new AuditStamp(1715510880, 307, 5025), line.Stamp);
        Assert.Equal(new DateTimeOffset(2024, 5, 12, 10, 48, 0, 307, TimeSpan.Zero), line.Stamp.ToDateTimeOffset());
        Assert.Equal(SpecLines.C14Body, Text(line.Body));
        Assert.True(line.HasEnrichment);
        Assert.Equal("UID=\"root\" AUID=\"unset\"", Text(line.Enrichment));
        Assert.True(line.IsUserMessage);
        Assert.True(line.HasKernelHeader);
        Assert.Equal(SpecLines.C14Message, Text(line.Message));
        Assert.False(line.IsMessageTruncated);

        AuditKernelHeader header = line.KernelHeader;
        Assert.Equal(1187, header.Pid);
        Assert.Equal(0u, header.Uid);
        Assert.Equal(4294967295u, header.Auid);
        Assert.True(header.HasSes);
        Assert.Equal(4294967295u, header.Ses);
        Assert.True(header.HasSubj);
        Assert.Equal("system_u:system_r:virtqemud_t:s0", Text(header.Subj));
        Assert.False(header.HasSsid);
        Assert.False(header.HasUserPrefix);
        Assert.Equal(SpecLines.C14, Text(line.Line));
    }

    [Fact]
    public void C18_node_prefix_is_read()
    {
        AuditLine line = ParseOk(SpecLines.C18);

        Assert.True(line.HasNode);
        Assert.Equal("kvmhost01.example.com", Text(line.Node));
        Assert.Equal(2500, line.TypeNumber);
        Assert.Equal(new AuditStamp(1715514000, 44, 5220), line.Stamp);
        Assert.Equal(SpecLines.C18Message, Text(line.Message));
        Assert.False(line.HasEnrichment);
        Assert.True(line.Enrichment.IsEmpty);
    }

    [Fact]
    public void C22_legacy_user_prefix_is_flagged_and_skipped()
    {
        AuditLine line = ParseOk(SpecLines.C22);

        Assert.Equal(AuditRecordTypes.VirtResource, line.TypeNumber);
        Assert.True(line.KernelHeader.HasUserPrefix);
        Assert.Equal(2000, line.KernelHeader.Pid);
        Assert.Equal("system_u:system_r:virtd_t:s0-s0:c0.c1023", Text(line.KernelHeader.Subj));
        Assert.Equal(SpecLines.C22Message, Text(line.Message));
        Assert.Equal(new AuditStamp(1330000000, 123, 77), line.Stamp);
    }

    [Fact]
    public void R8_docker_message_keeps_its_double_space_and_duplicates()
    {
        AuditLine line = ParseOk(SpecLines.R8);

        Assert.Equal(SpecLines.R8Message, Text(line.Message));
        Assert.Equal("system_u:system_r:container_runtime_t:s0", Text(line.KernelHeader.Subj));
        Assert.Equal(1182, line.KernelHeader.Pid);
        Assert.False(line.IsMessageTruncated);
    }

    [Fact]
    public void Subj_with_a_space_runs_to_the_message()
    {
        AuditLine line = ParseOk(SpecLines.AppArmorSubj);

        Assert.True(line.KernelHeader.HasSubj);
        Assert.Equal("docker (enforce)", Text(line.KernelHeader.Subj));
        Assert.Equal(SpecLines.R8Message, Text(line.Message));
    }

    [Fact]
    public void Ssid_replaces_subj()
    {
        AuditLine line = ParseOk(SpecLines.Ssid);

        Assert.True(line.KernelHeader.HasSsid);
        Assert.Equal(42u, line.KernelHeader.Ssid);
        Assert.False(line.KernelHeader.HasSubj);
        Assert.True(line.KernelHeader.Subj.IsEmpty);
        Assert.Equal(SpecLines.C14Message, Text(line.Message));
    }

    [Fact]
    public void Header_without_subj_ends_at_ses()
    {
        AuditLine line = ParseOk(SpecLines.NoSubj);

        Assert.False(line.KernelHeader.HasSubj);
        Assert.False(line.KernelHeader.HasSsid);
        Assert.Equal(8208, line.KernelHeader.Pid);
        Assert.Equal(4294967295u, line.KernelHeader.Ses);
        Assert.Equal(SpecLines.C14Message, Text(line.Message));
        Assert.Equal("UID=\"root\" AUID=\"unset\"", Text(line.Enrichment));
    }

    [Fact]
    public void Header_without_ses_is_accepted()
    {
        AuditLine line = ParseOk("type=USER_START msg=audit(1200000000.000:100): user pid=1234 uid=0 auid=500 subj=user_u:system_r:unconfined_t msg='PAM: session open acct=\"root\" : exe=\"/bin/su\" (hostname=?, addr=?, terminal=pts/0 res=success)'");

        Assert.False(line.KernelHeader.HasSes);
        Assert.Equal(0u, line.KernelHeader.Ses);
        Assert.Equal(500u, line.KernelHeader.Auid);
        Assert.True(line.KernelHeader.HasUserPrefix);
        Assert.Equal("user_u:system_r:unconfined_t", Text(line.KernelHeader.Subj));
        Assert.Equal(1105, line.TypeNumber);
    }

    [Fact]
    public void Apostrophe_inside_a_quoted_value_does_not_end_the_message()
    {
        AuditLine line = ParseOk(SpecLines.Apostrophe);

        Assert.Equal(SpecLines.ApostropheMessage, Text(line.Message));
        Assert.False(line.IsMessageTruncated);
        Assert.Equal("UID=\"root\" AUID=\"unset\"", Text(line.Enrichment));
    }

    [Fact]
    public void Message_without_its_closing_quote_runs_to_the_end_and_is_flagged()
    {
        AuditLine line = ParseOk(SpecLines.Truncated);

        Assert.True(line.IsUserMessage);
        Assert.True(line.IsMessageTruncated);
        Assert.Equal(SpecLines.TruncatedMessage, Text(line.Message));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Message_of_the_kernels_maximum_length_is_cut_unless_it_ends_in_res(bool atLimit, bool endsInRes)
    {
        // The kernel copies at most 8560 bytes of a user message and closes the quote itself (spec §3.6).
        const string Head = "type=VIRT_RESOURCE msg=audit(1715511400.777:5102): pid=1187 uid=0 auid=4294967295 ses=4294967295 msg='";
        string start = "virt=kvm resrc=disk reason=attach vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-disk=\"?\" new-disk=\"/srv/";
        string end = endsInRes ? "\" exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success" : "aaaa";
        int length = atLimit ? AuditLimits.MaxMessageText : AuditLimits.MaxMessageText - 1;
        string message = start + new string('a', length - start.Length - end.Length) + end;
        Assert.Equal(length, message.Length);

        AuditLine line = ParseOk(Head + message + "'");

        Assert.Equal(message, Text(line.Message));
        Assert.Equal(atLimit && !endsInRes, line.IsMessageTruncated);
    }

    [Fact]
    public void Truncated_message_with_enrichment_stops_at_the_separator()
    {
        AuditLine line = ParseOk(SpecLines.Truncated + "\u001DUID=\"root\"");

        Assert.True(line.IsMessageTruncated);
        Assert.Equal(SpecLines.TruncatedMessage, Text(line.Message));
        Assert.Equal("UID=\"root\"", Text(line.Enrichment));
    }

    [Theory]
    [InlineData("msg='", "", true)]
    [InlineData("msg=''", "", false)]
    [InlineData("msg='''", "'", false)]
    [InlineData("msg='a", "a", true)]
    public void Message_edges(string body, string message, bool truncated)
    {
        AuditLine line = ParseOk("type=USER_AVC msg=audit(1.000:1): " + body);

        Assert.True(line.IsUserMessage);
        Assert.False(line.HasKernelHeader);
        Assert.Equal(message, Text(line.Message));
        Assert.Equal(truncated, line.IsMessageTruncated);
    }

    [Fact]
    public void Unknown_type_number_is_read_from_the_name()
    {
        AuditLine line = ParseOk(SpecLines.Unknown1420);

        Assert.Equal("UNKNOWN[1420]", Text(line.TypeName));
        Assert.Equal(1420, line.TypeNumber);
        Assert.False(line.IsUserMessage);
        Assert.False(line.HasKernelHeader);
        Assert.True(line.Message.IsEmpty);
        Assert.Equal("subj_apparmor=unconfined subj_selinux=system_u:system_r:virtqemud_t:s0", Text(line.Body));
    }

    [Fact]
    public void Type_name_this_library_does_not_know_gives_number_zero()
    {
        AuditLine line = ParseOk("type=FUTURE_THING msg=audit(1.000:1): a=b");

        Assert.Equal("FUTURE_THING", Text(line.TypeName));
        Assert.Equal(0, line.TypeNumber);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Line_end_is_not_part_of_the_line(string end)
    {
        string raw = SpecLines.C18;
        AuditLine line = ParseOk(raw + end);

        Assert.Equal(raw, Text(line.Line));
        Assert.Equal(SpecLines.C18Message, Text(line.Message));
        Assert.False(line.IsMessageTruncated);
    }

    [Fact]
    public void Crlf_after_enrichment_is_cut_from_the_enrichment()
    {
        AuditLine line = ParseOk(SpecLines.C14 + "\r\n");

        Assert.Equal("UID=\"root\" AUID=\"unset\"", Text(line.Enrichment));
        Assert.Equal(SpecLines.C14Message, Text(line.Message));
    }

    [Fact]
    public void Nul_bytes_and_invalid_utf8_in_the_message_are_kept()
    {
        string message = "virt=kvm vm=\"a\0b\u00FF\u00FE\u00C3\" uuid=x\0 res=success";
        AuditLine line = ParseOk("type=VIRT_CONTROL msg=audit(1.000:1): pid=1 uid=0 auid=0 ses=0 msg='" + message + "'\u001DUID=\"root\"");

        Assert.Equal(Bytes(message), line.Message.ToArray());
        Assert.Equal("UID=\"root\"", Text(line.Enrichment));
    }

    [Fact]
    public void Nul_byte_in_the_type_is_an_error_at_its_offset()
    {
        AuditLineError error = ParseError("type=VIRT\0CONTROL msg=audit(1.000:1): a=b");

        Assert.Equal(9, error.Offset);
        Assert.Equal("type", error.Part);
    }

    [Fact]
    public void Arbitrary_bytes_never_throw()
    {
        var random = new Random(20240512);
        byte[] template = Bytes(SpecLines.C14);
        for (int round = 0; round < 5000; round++)
        {
            byte[] bytes = (byte[])template.Clone();
            int changes = 1 + random.Next(4);
            for (int i = 0; i < changes; i++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            AssertParsesOrFailsInRange(bytes);
        }

        for (int round = 0; round < 500; round++)
        {
            byte[] noise = new byte[random.Next(200)];
            random.NextBytes(noise);
            AssertParsesOrFailsInRange(noise);
        }
    }

    [Fact]
    public void Every_prefix_of_an_enriched_line_parses_or_fails_in_range()
    {
        byte[] bytes = Bytes(SpecLines.C14);
        int parsed = 0;
        for (int length = 0; length <= bytes.Length; length++)
        {
            if (AssertParsesOrFailsInRange(bytes.AsMemory(0, length)))
            {
                parsed++;
            }
        }

        // From "...(1715510880.307:5025):" on, every prefix is a line (possibly with a truncated message).
        int firstParsed = SpecLines.C14.IndexOf("):", StringComparison.Ordinal) + 2;
        Assert.Equal(bytes.Length + 1 - firstParsed, parsed);
    }

    private static bool AssertParsesOrFailsInRange(ReadOnlyMemory<byte> bytes)
    {
        bool ok = AuditLine.TryParse(bytes, out AuditLine line, out AuditLineError error);
        if (ok)
        {
            Assert.False(error.IsError);
            Assert.InRange(line.Line.Length, 1, bytes.Length);
            int fields = 0;
            foreach (AuditField field in line.Fields)
            {
                Assert.InRange(field.Name.Length + field.Value.Length, 0, line.Body.Length);
                fields++;
            }

            foreach (AuditField field in line.EnrichmentFields)
            {
                Assert.InRange(field.Name.Length + field.Value.Length, 0, line.Enrichment.Length);
                fields++;
            }

            Assert.InRange(fields, 0, bytes.Length);
        }
        else
        {
            Assert.True(error.IsError);
            Assert.InRange(error.Offset, 0, bytes.Length);
            Assert.NotEqual(string.Empty, error.Reason);
            Assert.NotEqual(string.Empty, error.Part);
        }

        return ok;
    }

    [Fact]
    public void Empty_body_of_an_end_of_event_record()
    {
        AuditLine line = ParseOk("type=EOE msg=audit(1364481363.243:24287): ");
        AuditLine trimmed = ParseOk("type=EOE msg=audit(1364481363.243:24287):");

        Assert.Equal(1320, line.TypeNumber);
        Assert.True(line.Body.IsEmpty);
        Assert.True(trimmed.Body.IsEmpty);
        Assert.False(trimmed.IsUserMessage);
        Assert.Equal(new AuditStamp(1364481363, 243, 24287), trimmed.Stamp);
        Assert.False(trimmed.Fields.MoveNext());
    }

    [Fact]
    public void Flat_record_has_no_kernel_header_or_message()
    {
        AuditLine line = ParseOk("type=PROCTITLE msg=audit(1795542501.612:3): proctitle=617564697463746C002D650031");

        Assert.Equal(1327, line.TypeNumber);
        Assert.False(line.IsUserMessage);
        Assert.False(line.HasKernelHeader);
        Assert.False(line.HasEnrichment);
        Assert.True(line.Message.IsEmpty);
        Assert.Equal(0, line.KernelHeader.Pid);
        Assert.Equal("proctitle=617564697463746C002D650031", Text(line.Body));
    }

    [Theory]
    [InlineData("", 0, "line", "empty line")]
    [InlineData("\n", 0, "line", "empty line")]
    [InlineData("\r\n", 0, "line", "empty line")]
    [InlineData("hello", 0, "type", "expected type=")]
    [InlineData("node=host", 9, "node", "expected a space after the node name")]
    [InlineData("node= type=X msg=audit(1.000:1): a", 5, "node", "empty node name")]
    [InlineData("node=h  type=X msg=audit(1.000:1): a", 7, "type", "expected type=")]
    [InlineData("type= msg=audit(1.000:1): a", 5, "type", "empty record type")]
    [InlineData("type=VIRT-CONTROL msg=audit(1.000:1): a", 9, "type", "invalid byte in the record type")]
    [InlineData("type=VIRT_CONTROL", 17, "msg", "expected ' msg=audit('")]
    [InlineData("type=VIRT_CONTROL  msg=audit(1.000:1): a", 17, "msg", "expected ' msg=audit('")]
    [InlineData("type=VIRT_CONTROL msg=(1.000:1): a", 17, "msg", "expected ' msg=audit('")]
    [InlineData("type=VIRT_CONTROL msg=audit(x.000:1): a", 28, "seconds", "expected digits")]
    [InlineData("type=VIRT_CONTROL msg=audit(99999999999999999999.000:1): a", 28, "seconds", "number too large")]
    [InlineData("type=VIRT_CONTROL msg=audit(9223372036854775808.000:1): a", 28, "seconds", "number too large")]
    [InlineData("type=VIRT_CONTROL msg=audit(1715510880:5025): a", 38, "stamp", "expected '.' after the seconds")]
    [InlineData("type=VIRT_CONTROL msg=audit(1715510880.37:5025): a", 39, "milliseconds", "expected three digits")]
    [InlineData("type=VIRT_CONTROL msg=audit(1715510880.3071:5025): a", 39, "milliseconds", "expected three digits")]
    [InlineData("type=VIRT_CONTROL msg=audit(1715510880.307.5025): a", 42, "stamp", "expected ':' after the milliseconds")]
    [InlineData("type=VIRT_CONTROL msg=audit(1715510880.307:): a", 43, "serial", "expected digits")]
    [InlineData("type=VIRT_CONTROL msg=audit(1715510880.307:18446744073709551616): a", 43, "serial", "number too large")]
    [InlineData("type=VIRT_CONTROL msg=audit(1715510880.307:5025) a", 47, "stamp", "expected '):' after the serial")]
    [InlineData("type=VIRT_CONTROL msg=audit(1715510880.307:5025):a", 49, "stamp", "expected a space after '):'")]
    [InlineData("type=VIRT_CONTROL msg=audit(1.000:1): a=b\nc=d", 41, "line", "line feed inside the line")]
    public void Envelope_errors_point_at_the_offending_byte(string text, int offset, string part, string reason)
    {
        AuditLineError error = ParseError(text);

        Assert.Equal(offset, error.Offset);
        Assert.Equal(part, error.Part);
        Assert.Equal(reason, error.Reason);
    }

    [Theory]
    [InlineData("pid=abc uid=0 auid=0 ses=0 msg='x'", "abc", "pid", "expected a 32-bit integer")]
    [InlineData("pid=2147483648 uid=0 auid=0 ses=0 msg='x'", "2147483648", "pid", "expected a 32-bit integer")]
    [InlineData("process=1 uid=0 auid=0 ses=0 msg='x'", "process", "pid", "expected pid=")]
    [InlineData("pid=1 auid=0 ses=0 msg='x'", " auid=0 ses", "uid", "expected ' uid='")]
    [InlineData("pid=1 uid=-1 auid=0 ses=0 msg='x'", "-1 auid", "uid", "expected a 32-bit unsigned integer")]
    [InlineData("pid=1 uid=0 ses=0 msg='x'", " ses=0", "auid", "expected ' auid='")]
    [InlineData("pid=1 uid=0 auid=4294967296 ses=0 msg='x'", "4294967296", "auid", "expected a 32-bit unsigned integer")]
    [InlineData("pid=1 uid=0 auid=0 ses=unset msg='x'", "unset", "ses", "expected a 32-bit unsigned integer")]
    [InlineData("pid=1 uid=0 auid=0 ses=0 ssid=x msg='x'", "x msg", "ssid", "expected a 32-bit unsigned integer")]
    [InlineData("pid=1 uid=0 auid=0 ses=0 ssid=4 subj=a msg='x'", " subj=a", "header", "unexpected text before ' msg='")]
    [InlineData("pid=1 uid=0 auid=0 ses=0 tty=pts0 msg='x'", " tty=pts0", "header", "unexpected text before ' msg='")]
    [InlineData("pid=1 uid=0 auid=0 ses=0  msg='x'", "  msg", "header", "unexpected text before ' msg='")]
    public void Kernel_header_errors_point_at_the_offending_byte(string body, string at, string part, string reason)
    {
        string text = "type=USER_AVC msg=audit(1.000:1): " + body;
        AuditLineError error = ParseError(text);

        Assert.Equal(text.IndexOf(at, StringComparison.Ordinal), error.Offset);
        Assert.Equal(part, error.Part);
        Assert.Equal(reason, error.Reason);
        Assert.Equal($"{part} at byte {error.Offset}: {reason}", error.ToString());
    }

    [Fact]
    public void Negative_pid_is_read()
    {
        AuditLine line = ParseOk("type=USER_AVC msg=audit(1.000:1): pid=-1 uid=0 auid=0 ses=0 msg='x'");

        Assert.Equal(-1, line.KernelHeader.Pid);
    }

    [Fact]
    public void Parse_throws_with_the_error_text()
    {
        var exception = Assert.Throws<FormatException>(() => AuditLine.Parse(Bytes("type=X msg=audit(1.00:1): a")));

        Assert.Contains("milliseconds at byte 19: expected three digits", exception.Message);
        Assert.Equal(2500, AuditLine.Parse(Bytes(SpecLines.C14)).TypeNumber);
    }

    [Fact]
    public void Default_line_and_error_are_empty()
    {
        AuditLine line = default;
        AuditLineError error = default;

        Assert.True(line.Body.IsEmpty);
        Assert.True(line.Message.IsEmpty);
        Assert.True(line.Node.IsEmpty);
        Assert.False(line.Fields.MoveNext());
        Assert.False(line.EnrichmentFields.MoveNext());
        Assert.False(error.IsError);
        Assert.Equal(string.Empty, error.ToString());
    }
}
