using System;
using System.Buffers;
using System.IO;
using VirtAudit;

namespace VirtAudit.Samples.Emitter;

/// <summary>
/// Writes the records libvirt writes when it starts a guest with one disk, as audit.log lines: the disk's
/// VIRT_RESOURCE, then the VIRT_CONTROL op=start. Usage: <c>Emitter [FILE]</c> (default: standard output).
/// </summary>
public static class Program
{
    private static readonly Guid GuestUuid = Guid.Parse("6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8");

    /// <summary>Writes the lines; returns the exit code.</summary>
    public static int Main(string[] args)
    {
        var disk = new VirtResourceDisk
        {
            Virt = VirtType.Kvm,
            Reason = VirtResourceReason.Start,
            Vm = "rhel9 web",            // a name with a space: the encoder writes it in upper-case hex
            Uuid = GuestUuid,
            OldDisk = AuditText.Absent,  // written as "?"
            NewDisk = "/var/lib/libvirt/images/rhel9.qcow2",
        };

        var start = new VirtControl
        {
            Virt = VirtType.Kvm,
            Op = VirtOp.Start,
            Reason = VirtControlReason.Booted,
            Vm = "rhel9 web",
            Uuid = GuestUuid,
            VmPid = 4242,
        };

        var log = new ArrayBufferWriter<byte>();
        const long Seconds = 1_795_542_733;
        Append(log, disk, new AuditStamp(Seconds, 544, 24), success: true);
        Append(log, start, new AuditStamp(Seconds, 544, 25), success: true);

        using var output = args.Length > 0 ? File.Create(args[0]) : Console.OpenStandardOutput();
        output.Write(log.WrittenSpan);
        return 0;
    }

    /// <summary>Appends one audit.log line: the record's payload, libaudit's trailer, and the header auditd adds.</summary>
    private static void Append<T>(IBufferWriter<byte> log, in T record, AuditStamp stamp, bool success)
        where T : struct, IVirtAuditVariant<T>
    {
        // The message libvirt hands to audit_log_user_message, then the trailer libaudit appends to it.
        var message = new ArrayBufferWriter<byte>(256);
        record.WriteTo(message);
        var trailer = AuditTrailer.For("/usr/sbin/virtqemud", success);
        trailer.TryFormat(message.GetSpan(trailer.GetLength()), out int written);
        message.Advance(written);

        var header = new AuditLineHeader
        {
            Type = T.Variant.RecordNumber,
            Stamp = stamp,
            Pid = 1201,
            Uid = 0,
        };
        AuditLineWriter.Write(log, header, message.WrittenSpan, enrichment: default);
    }
}
