using System;
using BenchmarkDotNet.Attributes;

namespace VirtAudit.Benchmarks;

/// <summary>
/// The emit side: one <c>VIRT_RESOURCE</c> disk record as libvirt writes it at domain start, payload
/// (<see cref="VirtResourceDisk.TryFormat"/>) plus libaudit's trailer (<see cref="AuditTrailer.TryFormat"/>), from
/// the same inputs as the peer <c>bench/peers/libvirt_encode.c</c>: one name in ten needs hex.
/// </summary>
[MemoryDiagnoser]
public class EncodeBenchmarks
{
    private const int RecordsPerInvoke = 10;
    private const string PlainName = "rhel9-web-01";
    private const string HexName = "audit-vm2 \"test\"";
    private const string NewDisk = "/var/lib/libvirt/images/rhel9-web-01.qcow2";
    private const string Exe = "/usr/sbin/libvirtd";
    private static readonly Guid Uuid = Guid.Parse("3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11");

    private readonly byte[] _buffer = new byte[AuditLimits.MaxMessageLength];

    /// <summary>Ten records, the first with a name that needs hex (as <c>names[i % 10 == 0]</c> in the peer).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = RecordsPerInvoke)]
    public int Disk_10PercentHex()
    {
        var total = 0;
        for (var i = 0; i < RecordsPerInvoke; i++)
        {
            total += Encode(i == 0 ? HexName : PlainName);
        }

        return total;
    }

    /// <summary>Every name quoted.</summary>
    [Benchmark(OperationsPerInvoke = RecordsPerInvoke)]
    public int Disk_Quoted()
    {
        var total = 0;
        for (var i = 0; i < RecordsPerInvoke; i++)
        {
            total += Encode(PlainName);
        }

        return total;
    }

    /// <summary>Every name hex.</summary>
    [Benchmark(OperationsPerInvoke = RecordsPerInvoke)]
    public int Disk_Hex()
    {
        var total = 0;
        for (var i = 0; i < RecordsPerInvoke; i++)
        {
            total += Encode(HexName);
        }

        return total;
    }

    private int Encode(string vm)
    {
        var record = new VirtResourceDisk
        {
            Virt = VirtType.Kvm,
            Reason = VirtResourceReason.Start,
            Vm = vm,
            Uuid = Uuid,
            OldDisk = null,
            NewDisk = NewDisk,
        };

        var buffer = _buffer.AsSpan();
        if (!record.TryFormat(buffer, out var payload) || !AuditTrailer.For(Exe, success: true).TryFormat(buffer.Slice(payload), out var trailer))
        {
            throw new InvalidOperationException("the buffer is too small");
        }

        return payload + trailer;
    }
}
