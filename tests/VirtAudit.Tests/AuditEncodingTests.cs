using static VirtAudit.Tests.Bytes;

namespace VirtAudit.Tests;

public class AuditEncodingTests
{
    [Fact]
    public void Every_single_byte_is_encoded_exactly_when_it_is_a_trigger()
    {
        for (int b = 0; b < 256; b++)
        {
            bool trigger = b == '"' || b < 0x21 || b > 0x7E;
            byte[] value = { (byte)'a', (byte)b, (byte)'z' };

            Assert.Equal(trigger, AuditEncoding.NeedsEncoding(value));
            string expected = trigger ? $"61{b:X2}7A" : "\"a" + (char)b + "z\"";
            Assert.Equal(expected, Encode(value));
        }
    }

    [Theory]
    [InlineData(0x20)] // space
    [InlineData(0x22)] // "
    [InlineData(0x00)]
    [InlineData(0x09)] // tab
    [InlineData(0x0A)] // newline
    [InlineData(0x1F)]
    [InlineData(0x7F)] // DEL
    [InlineData(0x80)]
    [InlineData(0xC3)]
    [InlineData(0xFF)]
    public void Named_triggers_force_upper_case_hex(int trigger)
    {
        Assert.Equal($"{trigger:X2}", Encode(new[] { (byte)trigger }));
    }

    [Theory]
    [InlineData("'")]
    [InlineData("\\")]
    [InlineData("=")]
    [InlineData(":")]
    [InlineData(",")]
    [InlineData("(")]
    [InlineData(")")]
    [InlineData("?")]
    [InlineData("/")]
    [InlineData("%")]
    [InlineData("!")]
    [InlineData("~")]
    public void Characters_that_are_not_triggers_are_quoted_as_is(string value)
    {
        Assert.False(AuditEncoding.NeedsEncoding(U(value)));
        Assert.Equal("\"" + value + "\"", Encode(U(value)));
    }

    [Theory]
    [InlineData("rhel9", "\"rhel9\"")]
    [InlineData("my vm", "6D7920766D")]
    [InlineData("win\"11", "77696E223131")]
    [InlineData("Тест", "D0A2D0B5D181D182")]
    [InlineData("USB redirdev", "555342207265646972646576")]
    [InlineData("?", "\"?\"")]
    [InlineData("/sys/fs/cgroup/machine.slice/machine-qemu\\x2d3\\x2drhel9.scope/", "\"/sys/fs/cgroup/machine.slice/machine-qemu\\x2d3\\x2drhel9.scope/\"")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("audit-vm2 \"test\"", "61756469742D766D3220227465737422")]
    public void Spec_examples_encode_byte_for_byte(string value, string encoded)
    {
        Assert.Equal(encoded, Encode(U(value)));
        Assert.Equal(encoded.Length, AuditEncoding.GetEncodedLength(U(value)));
    }

    [Fact]
    public void Empty_value_is_two_quotes()
    {
        Assert.False(AuditEncoding.NeedsEncoding(ReadOnlySpan<byte>.Empty));
        Assert.Equal(2, AuditEncoding.GetEncodedLength(ReadOnlySpan<byte>.Empty));
        Assert.Equal("\"\"", Encode(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void Encode_reports_a_destination_that_is_too_small()
    {
        Span<byte> small = stackalloc byte[9];
        Assert.False(AuditEncoding.TryEncode(U("rhel9"), small.Slice(0, 6), out int written));
        Assert.Equal(0, written);
        Assert.False(AuditEncoding.TryEncode(U("my vm"), small, out written)); // needs 10
        Assert.Equal(0, written);
        Assert.True(AuditEncoding.TryEncode(U("rhel"), small.Slice(0, 6), out written));
        Assert.Equal(6, written);
    }

    [Theory]
    [InlineData("\"rhel9\"", AuditValueForm.Quoted)]
    [InlineData("\"\"", AuditValueForm.Quoted)]
    [InlineData("\"?\"", AuditValueForm.Quoted)]
    [InlineData("6D7920766D", AuditValueForm.Hex)]
    [InlineData("00", AuditValueForm.Hex)]
    [InlineData("6d7920766d", AuditValueForm.Bare)] // lower-case hex is not what libaudit writes
    [InlineData("6D7920766", AuditValueForm.Bare)] // odd length
    [InlineData("6G", AuditValueForm.Bare)]
    [InlineData("'52:54:00:aa:bb:cc'", AuditValueForm.SingleQuoted)]
    [InlineData("''", AuditValueForm.SingleQuoted)]
    [InlineData("52:54:00:aa:bb:cc", AuditValueForm.Bare)]
    [InlineData("?", AuditValueForm.Bare)]
    [InlineData("\"", AuditValueForm.Bare)]
    [InlineData("'", AuditValueForm.Bare)]
    [InlineData("\"abc", AuditValueForm.Bare)]
    [InlineData("", AuditValueForm.Bare)]
    public void Classify_tells_the_form_of_a_token(string token, AuditValueForm form)
    {
        Assert.Equal(form, AuditEncoding.Classify(U(token)));
    }

    [Theory]
    [InlineData("\"rhel9\"", "rhel9")]
    [InlineData("\"it's\"", "it's")]
    [InlineData("\"\"", "")]
    [InlineData("6D7920766D", "my vm")]
    [InlineData("D0A2D0B5D181D182", "Тест")]
    [InlineData("'52:54:00:aa:bb:cc'", "52:54:00:aa:bb:cc")]
    [InlineData("52:54:00:aa:bb:cc", "52:54:00:aa:bb:cc")]
    [InlineData("6d79", "6d79")]
    [InlineData("?", "?")]
    [InlineData("", "")]
    public void Decode_follows_the_form(string token, string value)
    {
        Assert.Equal(value, Decode(token));
    }

    [Fact]
    public void Decode_reports_a_destination_that_is_too_small()
    {
        Span<byte> small = stackalloc byte[2];
        Assert.False(AuditEncoding.TryDecode(U("6D7920766D"), small, out int written));
        Assert.Equal(0, written);
        Assert.False(AuditEncoding.TryDecode(U("\"abc\""), small, out written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Encoding_then_decoding_gives_back_every_value()
    {
        var random = new Random(2500);
        for (int i = 0; i < 2000; i++)
        {
            byte[] value = new byte[random.Next(0, 12)];
            random.NextBytes(value);
            if (i % 2 == 0)
            {
                // Half of the values printable ASCII, so that the quoted form is exercised as much as hex.
                for (int j = 0; j < value.Length; j++)
                {
                    value[j] = (byte)random.Next(0x21, 0x7F);
                }
            }

            byte[] encoded = new byte[AuditEncoding.GetEncodedLength(value)];
            Assert.True(AuditEncoding.TryEncode(value, encoded, out _));
            byte[] decoded = new byte[AuditEncoding.GetDecodedLength(encoded)];
            Assert.True(AuditEncoding.TryDecode(encoded, decoded, out int length));
            Assert.Equal(value, decoded.AsSpan(0, length).ToArray());
        }
    }

    [Fact]
    public void A_trigger_deep_in_a_long_value_is_found_for_every_byte()
    {
        // Long values go through the vectorized search: each byte at each position of a 70-byte value.
        for (int b = 0; b < 256; b++)
        {
            bool trigger = b == '"' || b < 0x21 || b > 0x7E;
            for (int at = 0; at < 70; at += 23)
            {
                byte[] value = Enumerable.Repeat((byte)'m', 70).ToArray();
                value[at] = (byte)b;
                Assert.Equal(trigger, AuditEncoding.NeedsEncoding(value));
            }
        }
    }
}
