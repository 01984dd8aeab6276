using System;
using System.Text;
using BenchmarkDotNet.Attributes;

namespace VirtAudit.Benchmarks;

/// <summary>
/// The value codec of libaudit's rule (<see cref="AuditEncoding"/>): encoding a value (quoted, or upper-case hex when it
/// has a space, a quote or a byte outside 0x21–0x7E) and decoding a token back, for a short quoted path and for a hex one.
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private readonly byte[] _destination = new byte[1024];
    private byte[] _value = [];
    private byte[] _token = [];

    /// <summary><c>quoted</c>: a plain path; <c>hex</c>: a guest name with spaces.</summary>
    [Params("quoted", "hex")]
    public string Value { get; set; } = "quoted";

    /// <summary>Encodes the value once to get its token.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _value = Encoding.UTF8.GetBytes(Value == "hex" ? "my guest \"prod\" 01" : "/var/lib/libvirt/images/rhel9-guest-01.qcow2");
        if (!AuditEncoding.TryEncode(_value, _destination, out var written))
        {
            throw new InvalidOperationException("does not encode");
        }

        _token = _destination.AsSpan(0, written).ToArray();
    }

    /// <summary>Encodes the value.</summary>
    [Benchmark]
    public int Encode() => AuditEncoding.TryEncode(_value, _destination, out var written) ? written : -1;

    /// <summary>Decodes the token.</summary>
    [Benchmark]
    public int Decode() => AuditEncoding.TryDecode(_token, _destination, out var written) ? written : -1;

    /// <summary>Classifies the token (quoted, hex, bare, single-quoted) as the parser does for every encoded field.</summary>
    [Benchmark]
    public AuditValueForm Classify() => AuditEncoding.Classify(_token);
}
