using static VirtAudit.Tests.Bytes;

namespace VirtAudit.Tests;

public class AuditTextTests
{
    [Fact]
    public void Null_and_question_mark_are_absent()
    {
        foreach (AuditText absent in new[] { (AuditText)(string?)null, (AuditText)"?", AuditText.FromUtf8(U("?")), AuditText.Absent, default })
        {
            Assert.True(absent.IsAbsent);
            Assert.Null(absent.Value);
            Assert.Equal("?", absent.ToString());
            Assert.Equal("\"?\"", WriteEncoded(absent));
            Assert.Equal("?", WriteRaw(absent));
            Assert.Equal(0, absent.GetDecodedLength());
            Assert.False(absent.ValueEquals(U("?")));
            Assert.True(absent.CanWriteRaw);
            Assert.Equal(AuditText.Absent, absent);
        }
    }

    [Fact]
    public void Empty_string_is_a_present_empty_value()
    {
        AuditText empty = "";
        Assert.False(empty.IsAbsent);
        Assert.Equal("", empty.Value);
        Assert.Equal("\"\"", WriteEncoded(empty));
        Assert.Equal("", WriteRaw(empty));
        Assert.NotEqual(AuditText.Absent, empty);
        Assert.True(empty.ValueEquals(ReadOnlySpan<byte>.Empty));
    }

    [Theory]
    [InlineData("rhel9", "\"rhel9\"")]
    [InlineData("my vm", "6D7920766D")]
    [InlineData("win\"11", "77696E223131")]
    [InlineData("Тест", "D0A2D0B5D181D182")]
    [InlineData("line\nbreak", "6C696E650A627265616B")]
    [InlineData("\u007f", "7F")]
    [InlineData("it's=ok\\", "\"it's=ok\\\"")]
    public void Constructed_values_encode_canonically_from_string_and_from_utf8(string value, string encoded)
    {
        AuditText fromString = value;
        AuditText fromUtf8 = AuditText.FromUtf8(U(value));

        Assert.Equal(encoded, WriteEncoded(fromString));
        Assert.Equal(encoded, WriteEncoded(fromUtf8));
        Assert.Equal(L(U(value)), WriteRaw(fromString));
        Assert.Equal(L(U(value)), WriteRaw(fromUtf8));
        Assert.Equal(AuditValueForm.None, fromString.Form);
        Assert.True(fromString.Token.IsEmpty);
        Assert.True(fromUtf8.Token.IsEmpty);
        Assert.True(fromString.IsCanonicalEncoded);
        Assert.Equal(fromString, fromUtf8);
        Assert.Equal(fromString.GetHashCode(), fromUtf8.GetHashCode());
    }

    [Fact]
    public void A_lone_surrogate_is_written_as_the_replacement_character_and_compares_as_such()
    {
        AuditText text = "a\ud800";
        Assert.Equal("61EFBFBD", WriteEncoded(text));

        // Equality is on the UTF-8 value, so it stays transitive across origins.
        AuditText other = "a\udbff";
        AuditText replacement = AuditText.FromUtf8(U("a\ufffd"));
        Assert.Equal(text, replacement);
        Assert.Equal(other, replacement);
        Assert.Equal(text, other);
    }

    [Theory]
    [InlineData("\"rhel9\"")]
    [InlineData("\"?\"")]
    [InlineData("\"\"")]
    [InlineData("\"it's\"")]
    [InlineData("\"/sys/fs/cgroup/machine.slice/machine-qemu\\x2d3\\x2drhel9.scope/\"")]
    [InlineData("77696E203131")]
    [InlineData("61756469742D766D3220227465737422")]
    [InlineData("D0A2D0B5D181D182")]
    [InlineData("555342207265646972646576")]
    public void A_canonical_parsed_token_is_written_back_unchanged(string token)
    {
        AuditText text = AuditText.FromEncodedToken(U(token));

        Assert.True(text.IsCanonicalEncoded);
        Assert.Equal(token, WriteEncoded(text));
        Assert.Equal(token, S(text.Token));
    }

    [Theory]
    [InlineData("rhel9", AuditValueForm.Bare, "\"rhel9\"")] // bare (libvirt without libaudit, or ausearch -i)
    [InlineData("?", AuditValueForm.Bare, "\"?\"")] // legacy raw absent
    [InlineData("'52:54:00:aa:bb:cc'", AuditValueForm.SingleQuoted, "\"52:54:00:aa:bb:cc\"")]
    [InlineData("'?'", AuditValueForm.SingleQuoted, "\"?\"")]
    [InlineData("7268656C39", AuditValueForm.Hex, "\"rhel9\"")] // hex of a value that needs no encoding
    [InlineData("3F", AuditValueForm.Hex, "\"?\"")]
    [InlineData("\"my vm\"", AuditValueForm.Quoted, "6D7920766D")] // quoted although it needs encoding
    [InlineData("\"Тест\"", AuditValueForm.Quoted, "D0A2D0B5D181D182")] // unsigned-char ABI libaudit
    [InlineData("", AuditValueForm.Bare, "\"\"")]
    public void A_non_canonical_token_is_written_canonically(string token, AuditValueForm form, string canonical)
    {
        AuditText text = AuditText.FromEncodedToken(U(token));

        Assert.Equal(form, text.Form);
        Assert.False(text.IsCanonicalEncoded);
        Assert.Equal(canonical, WriteEncoded(text));
        Assert.NotEqual(token, WriteEncoded(text));
    }

    [Theory]
    [InlineData("\"?\"", true)]
    [InlineData("?", true)]
    [InlineData("'?'", true)]
    [InlineData("3F", true)]
    [InlineData("\"??\"", false)]
    [InlineData("\"\"", false)]
    public void Encoded_tokens_meaning_question_mark_are_absent(string token, bool absent)
    {
        AuditText text = AuditText.FromEncodedToken(U(token));
        Assert.Equal(absent, text.IsAbsent);
        Assert.Equal(token, S(text.Token));
    }

    [Fact]
    public void Raw_tokens_are_taken_as_is()
    {
        AuditText quoted = AuditText.FromRawToken(U("\"?\""));
        Assert.False(quoted.IsAbsent);
        Assert.Equal("\"?\"", quoted.Value);
        Assert.Equal(AuditValueForm.Bare, quoted.Form);

        AuditText hexLooking = AuditText.FromRawToken(U("0A"));
        Assert.Equal("0A", hexLooking.Value);
        Assert.Equal("0A", WriteRaw(hexLooking));

        AuditText absent = AuditText.FromRawToken(U("?"));
        Assert.True(absent.IsAbsent);
        Assert.Equal("?", WriteRaw(absent));
    }

    [Fact]
    public void Parsed_values_decode_lazily_from_their_slice()
    {
        byte[] payload = U("vm=77696E203131 x");
        AuditText text = AuditText.FromEncodedToken(payload.AsMemory(3, 12));

        Assert.Equal(6, text.GetDecodedLength());
        Assert.Equal("win 11", text.Value);
        Assert.True(text.ValueEquals(U("win 11")));
        Assert.False(text.ValueEquals(U("win 12")));
        Assert.False(text.ValueEquals(U("win 1")));

        // No copy: the value follows the buffer it was sliced from.
        payload[3] = (byte)'6';
        payload[4] = (byte)'1';
        Assert.Equal("ain 11", text.Value);
    }

    [Fact]
    public void Equality_compares_decoded_values_across_forms_and_origins()
    {
        AuditText[] same =
        {
            "win 11",
            AuditText.FromUtf8(U("win 11")),
            AuditText.FromEncodedToken(U("77696E203131")),
            AuditText.FromEncodedToken(U("\"win 11\"")),
            AuditText.FromRawToken(U("win 11")),
        };

        foreach (AuditText a in same)
        {
            foreach (AuditText b in same)
            {
                Assert.True(a == b);
                Assert.False(a != b);
                Assert.True(a.Equals((object)b));
                Assert.Equal(a.GetHashCode(), b.GetHashCode());
            }

            Assert.NotEqual(a, (AuditText)"win 12");
            Assert.NotEqual(a, AuditText.Absent);
        }

        Assert.NotEqual(AuditText.FromEncodedToken(U("\"rhel9\"")), AuditText.FromRawToken(U("\"rhel9\"")));
    }

    [Fact]
    public void Long_values_are_handled_beyond_the_stack_buffer()
    {
        string path = "/var/lib/libvirt/images/" + new string('x', 600) + " copy.qcow2";
        AuditText fromString = path;
        string hex = WriteEncoded(fromString);
        AuditText parsed = AuditText.FromEncodedToken(U(hex));

        Assert.Equal(2 * U(path).Length, hex.Length);
        Assert.Equal(path, parsed.Value);
        Assert.Equal(fromString, parsed);
        Assert.Equal(fromString.GetHashCode(), parsed.GetHashCode());
        Assert.True(parsed.ValueEquals(U(path)));
        Assert.True(fromString.ValueEquals(U(path)));
        Assert.True(parsed.CanWriteRaw);
    }

    [Theory]
    [InlineData("a b", true)]
    [InlineData("é", true)]
    [InlineData("a\tb", false)]
    [InlineData("a\nb", false)]
    [InlineData("\u007f", false)]
    [InlineData("~", true)]
    public void CanWriteRaw_refuses_control_bytes_and_del(string value, bool expected)
    {
        Assert.Equal(expected, ((AuditText)value).CanWriteRaw);
        Assert.Equal(expected, AuditText.FromUtf8(U(value)).CanWriteRaw);
        Assert.Equal(expected, AuditText.FromEncodedToken(U(Encode(U(value)))).CanWriteRaw);
    }

    [Fact]
    public void Writers_report_a_destination_that_is_too_small_for_every_origin()
    {
        AuditText[] values =
        {
            "my vm", "rhel9", AuditText.FromEncodedToken(U("7268656C39")), AuditText.FromEncodedToken(U("\"rhel9\"")),
            AuditText.FromEncodedToken(U("rhel9")), AuditText.Absent,
        };

        foreach (AuditText value in values)
        {
            int length = value.GetEncodedLength();
            byte[] buffer = new byte[length - 1];
            Assert.False(value.TryWriteEncoded(buffer, out int written));
            Assert.Equal(0, written);
            byte[] raw = new byte[value.GetRawLength() - 1];
            Assert.False(value.TryWriteRaw(raw, out written));
            Assert.Equal(0, written);
        }
    }
}
