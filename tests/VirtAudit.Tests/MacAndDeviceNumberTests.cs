using static VirtAudit.Tests.Bytes;

namespace VirtAudit.Tests;

public class MacAddressTests
{
    [Theory]
    [InlineData("52:54:00:6b:3c:58", "52:54:00:6b:3c:58")]
    [InlineData("52:54:00:6B:3C:58", "52:54:00:6b:3c:58")]
    [InlineData("00:00:00:00:00:00", "00:00:00:00:00:00")]
    [InlineData("FF:ff:Ff:fF:aa:AA", "ff:ff:ff:ff:aa:aa")]
    public void Parses_either_case_and_formats_lower_case(string text, string formatted)
    {
        Assert.True(MacAddress.TryParse(U(text), out MacAddress mac));
        Assert.Equal(formatted, mac.ToString());
        Assert.Equal(formatted, $"{mac}");
        Assert.Equal(mac, MacAddress.Parse(text));

        Span<byte> utf8 = stackalloc byte[20];
        Assert.True(mac.TryFormat(utf8, out int written));
        Assert.Equal(17, written);
        Assert.Equal(formatted, S(utf8.Slice(0, written)));
        Assert.True(((IUtf8SpanFormattable)mac).TryFormat(utf8, out written, default, null));
        Assert.Equal(formatted, S(utf8.Slice(0, written)));

        Span<char> chars = stackalloc char[17];
        Assert.True(mac.TryFormat(chars, out int charsWritten, default, null));
        Assert.Equal(formatted, chars.Slice(0, charsWritten).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("?")]
    [InlineData("52:54:00:6b:3c")]
    [InlineData("52:54:00:6b:3c:5")]
    [InlineData("52:54:00:6b:3c:588")]
    [InlineData("52-54-00-6b-3c-58")]
    [InlineData("52:54:00:6g:3c:58")]
    [InlineData("525:4:00:6b:3c:58")]
    [InlineData("52:54:00:6b:3c:58:")]
    [InlineData("\"52:54:00:6b:3c:58\"")]
    public void Rejects_anything_else(string text)
    {
        Assert.False(MacAddress.TryParse(U(text), out MacAddress mac));
        Assert.Equal(default, mac);
        Assert.False(MacAddress.TryParse(text.AsSpan(), out _));
        Assert.Throws<FormatException>(() => MacAddress.Parse(text));
    }

    [Fact]
    public void Non_ascii_text_is_rejected()
    {
        Assert.False(MacAddress.TryParse("52:54:00:6b:3c:5é".AsSpan(), out _));
    }

    [Fact]
    public void Bytes_round_trip_in_transmission_order()
    {
        byte[] bytes = { 0x52, 0x54, 0x00, 0xAB, 0xCD, 0x01 };
        var mac = new MacAddress(bytes);
        Assert.Equal("52:54:00:ab:cd:01", mac.ToString());

        byte[] back = new byte[6];
        Assert.True(mac.TryWriteBytes(back));
        Assert.Equal(bytes, back);
        Assert.False(mac.TryWriteBytes(new byte[5]));
        Assert.Throws<ArgumentException>(() => new MacAddress(new byte[5]));
    }

    [Fact]
    public void Equality()
    {
        MacAddress a = MacAddress.Parse("52:54:00:aa:bb:cc");
        MacAddress b = MacAddress.Parse("52:54:00:AA:BB:CC");
        MacAddress c = MacAddress.Parse("52:54:00:aa:bb:cd");

        Assert.True(a == b);
        Assert.True(a != c);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.True(a.Equals((object)b));
        Assert.False(a.Equals((object)"52:54:00:aa:bb:cc"));
    }

    [Fact]
    public void Formatting_reports_small_destinations_and_refuses_format_strings()
    {
        MacAddress mac = MacAddress.Parse("52:54:00:aa:bb:cc");
        Assert.False(mac.TryFormat(new byte[16], out int written));
        Assert.Equal(0, written);
        Assert.False(mac.TryFormat(new char[16], out written, default, null));
        Assert.Equal(0, written);
        Assert.Throws<FormatException>(() => mac.ToString("X", null));
    }
}

public class DeviceNumberTests
{
    [Theory]
    [InlineData(0x0Au, 0xC8u, "0A:C8")] // /dev/net/tun
    [InlineData(0x0Au, 0xEEu, "0A:EE")] // /dev/vhost-net
    [InlineData(1u, 3u, "01:03")] // /dev/null
    [InlineData(0u, 0u, "00:00")]
    [InlineData(0xFDu, 3u, "FD:03")]
    [InlineData(0x103u, 0u, "103:00")] // >= 256: three digits
    [InlineData(0x1u, 0xFFFFFu, "01:FFFFF")]
    [InlineData(uint.MaxValue, uint.MaxValue, "FFFFFFFF:FFFFFFFF")]
    public void Formats_upper_case_hex_with_at_least_two_digits(uint major, uint minor, string text)
    {
        var number = new DeviceNumber(major, minor);

        Assert.Equal(text, number.ToString());
        Assert.Equal(text, $"{number}");
        Span<byte> utf8 = stackalloc byte[DeviceNumber.MaxFormattedLength];
        Assert.True(number.TryFormat(utf8, out int written));
        Assert.Equal(text, S(utf8.Slice(0, written)));
        Assert.True(((IUtf8SpanFormattable)number).TryFormat(utf8, out written, default, null));
        Assert.Equal(text, S(utf8.Slice(0, written)));

        Assert.True(DeviceNumber.TryParse(U(text), out DeviceNumber parsed));
        Assert.Equal(number, parsed);
        Assert.Equal(major, parsed.Major);
        Assert.Equal(minor, parsed.Minor);
        Assert.Equal(number, DeviceNumber.Parse(text));
    }

    [Theory]
    [InlineData("0a:c8", 0x0Au, 0xC8u)]
    [InlineData("A:C8", 0x0Au, 0xC8u)]
    [InlineData("000A:0C8", 0x0Au, 0xC8u)]
    public void Parses_other_spellings(string text, uint major, uint minor)
    {
        Assert.True(DeviceNumber.TryParse(U(text), out DeviceNumber number));
        Assert.Equal(new DeviceNumber(major, minor), number);
    }

    [Theory]
    [InlineData("?")]
    [InlineData("")]
    [InlineData("0AC8")]
    [InlineData(":C8")]
    [InlineData("0A:")]
    [InlineData("0A:C8:01")]
    [InlineData("0G:00")]
    [InlineData("-1:00")]
    [InlineData("123456789:00")]
    [InlineData("0A :C8")]
    public void Rejects_anything_else(string text)
    {
        Assert.False(DeviceNumber.TryParse(U(text), out _));
        Assert.False(DeviceNumber.TryParse(text.AsSpan(), out _));
        Assert.Throws<FormatException>(() => DeviceNumber.Parse(text));
    }

    [Fact]
    public void Equality_and_small_destinations()
    {
        Assert.True(new DeviceNumber(1, 3) == DeviceNumber.Parse("01:03"));
        Assert.True(new DeviceNumber(1, 3) != new DeviceNumber(3, 1));
        Assert.Equal(new DeviceNumber(1, 3).GetHashCode(), DeviceNumber.Parse("1:3").GetHashCode());

        var number = new DeviceNumber(0x103, 0);
        Assert.False(number.TryFormat(new byte[5], out int written));
        Assert.Equal(0, written);
        Assert.False(number.TryFormat(new char[5], out written, default, null));
        Assert.Equal(0, written);
        Assert.True(number.TryFormat(new byte[6], out written));
        Assert.Equal(6, written);
        Assert.Equal("103:00", number.ToString(null, null));
    }
}
