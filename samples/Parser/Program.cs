using System;
using System.IO;
using System.Text;
using VirtAudit;

namespace VirtAudit.Samples.Parser;

/// <summary>
/// Reads an audit.log, types every libvirt record with the built-in schema (<see cref="VirtAuditRegistry.Default"/>)
/// and prints it. Usage: <c>Parser [FILE|-]</c>; without an argument it reads a few lines of a real libvirt 9.0 log.
/// </summary>
public static class Program
{
    // A few lines of a libvirt 9.0 capture (auditd ENRICHED format: the 0x1D byte starts the UID/AUID tail).
    private const string SampleLines =
        "type=VIRT_MACHINE_ID msg=audit(1795542732.200:10): pid=8208 uid=0 auid=4294967295 ses=4294967295 msg='virt=qemu vm=\"auditvm1\" uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 vm-ctx=+0:+0 img-ctx=+0:+0 model=dac exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=success'\u001dUID=\"root\" AUID=\"unset\"\n"
        + "type=VIRT_RESOURCE msg=audit(1795542733.544:24): pid=8208 uid=0 auid=4294967295 ses=4294967295 msg='virt=qemu resrc=disk reason=start vm=\"auditvm1\" uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 old-disk=\"?\" new-disk=\"/var/lib/libvirt/images/test/disk1.qcow2\" exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=success'\u001dUID=\"root\" AUID=\"unset\"\n"
        + "type=VIRT_RESOURCE msg=audit(1795542733.544:27): pid=8208 uid=0 auid=4294967295 ses=4294967295 msg='virt=qemu resrc=net reason=start vm=\"auditvm1\" uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 old-net=\"?\" new-net=\"52:54:00:12:34:56\" exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=success'\u001dUID=\"root\" AUID=\"unset\"\n"
        + "type=VIRT_CONTROL msg=audit(1795542733.544:42): pid=8208 uid=0 auid=4294967295 ses=4294967295 msg='virt=qemu op=start reason=booted vm=\"auditvm1\" uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 vm-pid=11600 exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=success'\u001dUID=\"root\" AUID=\"unset\"\n"
        + "type=VIRT_CONTROL msg=audit(1795542783.408:51): pid=8208 uid=0 auid=4294967295 ses=4294967295 msg='virt=qemu op=stop reason=failed vm=\"auditvm1\" uuid=6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 vm-pid=0 exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=success'\u001dUID=\"root\" AUID=\"unset\"\n";

    /// <summary>Prints the typed records; returns 1 when a line or a libvirt record could not be read.</summary>
    public static int Main(string[] args)
    {
        byte[] input;
        if (args.Length == 0)
        {
            Console.Error.WriteLine("parser: no FILE given; reading the embedded sample lines");
            input = Encoding.UTF8.GetBytes(SampleLines);
        }
        else if (args[0] == "-")
        {
            using var buffer = new MemoryStream();
            Console.OpenStandardInput().CopyTo(buffer);
            input = buffer.ToArray();
        }
        else
        {
            input = File.ReadAllBytes(args[0]);
        }

        var registry = VirtAuditRegistry.Default;
        int failures = 0;
        long lineNumber = 0;
        ReadOnlyMemory<byte> rest = input;
        while (!rest.IsEmpty)
        {
            int end = rest.Span.IndexOf((byte)'\n');
            ReadOnlyMemory<byte> text = end < 0 ? rest : rest.Slice(0, end + 1);
            rest = end < 0 ? ReadOnlyMemory<byte>.Empty : rest.Slice(end + 1);
            lineNumber++;
            if (text.Span.Trim("\r\n"u8).IsEmpty)
            {
                continue;
            }

            if (!AuditLine.TryParse(text, out var line, out var error))
            {
                Console.WriteLine($"{lineNumber}: not an audit line: {error.Reason} at byte {error.Offset}");
                failures++;
                continue;
            }

            if (!registry.Handles(line.TypeNumber))
            {
                continue; // not a VIRT_* record
            }

            var record = registry.Parse(line.TypeNumber, line.Message);
            if (!record.IsTyped)
            {
                failures++;
            }

            Console.WriteLine($"{lineNumber}: {line.Stamp} {Describe(record)}");
        }

        return failures == 0 ? 0 : 1;
    }

    /// <summary>The typed values of the records this sample knows; the variant name for the others.</summary>
    private static string Describe(in VirtAuditRecord record)
    {
        string text;
        if (!record.IsTyped)
        {
            text = "untyped: " + record.Error;
        }
        else if (record.TryGet<VirtControl>(out var control))
        {
            text = $"guest {control.Vm} ({control.Uuid}) op={control.Op} reason={control.Reason} vm-pid={control.VmPid}";
        }
        else if (record.TryGet<VirtResourceDisk>(out var disk))
        {
            text = $"guest {disk.Vm} disk reason={disk.Reason} old={disk.OldDisk} new={disk.NewDisk}";
        }
        else if (record.TryGet<VirtResourceNet>(out var net))
        {
            text = $"guest {net.Vm} NIC reason={net.Reason} old={net.OldNet?.ToString() ?? "?"} new={net.NewNet?.ToString() ?? "?"}";
        }
        else if (record.TryGet<VirtMachineId>(out var label))
        {
            text = $"guest {label.Vm} security model={label.Model} vm-ctx={label.VmCtx} img-ctx={label.ImgCtx}";
        }
        else
        {
            text = record.Variant!.Name;
        }

        string outcome = record.Trailer.IsMissing ? string.Empty : record.Trailer.Success ? " [success]" : " [failed]";
        string legacy = record.IsLegacy ? $" (legacy shape: {record.Legacy})" : string.Empty;
        return text + outcome + legacy;
    }
}
