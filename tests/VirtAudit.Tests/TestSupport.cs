using System.Runtime.CompilerServices;
using System.Text;
using VirtAudit;
using VirtAudit.CompilerServices;

namespace VirtAudit.Tests;

/// <summary>Stand-ins for generated enums: int-based, member 0 = Other, registered from a module initializer.</summary>
public enum TestVirt
{
    Other = 0,
    Kvm = 1,
    Qemu = 2,
    Lxc = 3,
}

public enum TestColor
{
    Other = 0,
    Red = 1,
    DarkBlue = 2,
    Unnamed = 3,
    Green = 4,
}

public enum LongBasedEnum : long
{
    Other = 0,
    A = 1,
}

internal static class TestEnumRegistration
{
#pragma warning disable CA2255 // Generated code registers its enums exactly like this.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        AuditEnumNames<TestVirt>.Register(new string[] { null!, "kvm", "qemu", "lxc" });
        AuditEnumNames<TestColor>.Register(new string[] { null!, "red", "dark-blue", null!, "green" });
    }
}

internal static class Bytes
{
    public static byte[] U(string text) => Encoding.UTF8.GetBytes(text);

    public static string S(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);

    public static string S(ReadOnlyMemory<byte> utf8) => Encoding.UTF8.GetString(utf8.Span);

    /// <summary>Bytes as Latin-1, so that every byte maps to one char (for byte-exact comparisons of non-UTF-8 data).</summary>
    public static string L(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    public static string Encode(ReadOnlySpan<byte> value)
    {
        byte[] buffer = new byte[AuditEncoding.GetEncodedLength(value)];
        Assert.True(AuditEncoding.TryEncode(value, buffer, out int written));
        Assert.Equal(buffer.Length, written);
        return L(buffer);
    }

    public static string Decode(string token)
    {
        byte[] tokenBytes = U(token);
        byte[] buffer = new byte[AuditEncoding.GetDecodedLength(tokenBytes)];
        Assert.True(AuditEncoding.TryDecode(tokenBytes, buffer, out int written));
        Assert.Equal(buffer.Length, written);
        return S(buffer.AsSpan());
    }

    public static string WriteEncoded(AuditText text)
    {
        byte[] buffer = new byte[text.GetEncodedLength()];
        Assert.True(text.TryWriteEncoded(buffer, out int written));
        Assert.Equal(buffer.Length, written);
        return L(buffer);
    }

    public static string WriteRaw(AuditText text)
    {
        byte[] buffer = new byte[text.GetRawLength()];
        Assert.True(text.TryWriteRaw(buffer, out int written));
        Assert.Equal(buffer.Length, written);
        return L(buffer);
    }

    /// <summary>The text inside <c>msg='…'</c> of an audit.log line: from the first <c> msg='</c> to the last <c>'</c> before 0x1D.</summary>
    public static string PayloadOf(string line)
    {
        int enrichment = line.IndexOf('\u001d');
        string raw = enrichment < 0 ? line : line.Substring(0, enrichment);
        int start = raw.IndexOf(" msg='", StringComparison.Ordinal) + " msg='".Length;
        return raw.Substring(start, raw.LastIndexOf('\'') - start);
    }
}
