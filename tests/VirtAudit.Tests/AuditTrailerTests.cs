using System.Text;
using static VirtAudit.Tests.Bytes;

namespace VirtAudit.Tests;

public class AuditTrailerTests
{
    [Fact]
    public void Splits_the_current_trailer()
    {
        byte[] message = U(Samples.Spec["C14"]);

        Assert.True(AuditTrailer.TrySplit(message, out ReadOnlyMemory<byte> libvirtPart, out AuditTrailer trailer));

        Assert.Equal("virt=kvm op=start reason=booted vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-pid=24811", S(libvirtPart));
        Assert.Equal("/usr/sbin/virtqemud", trailer.Exe.Value);
        Assert.Equal(AuditValueForm.Quoted, trailer.Exe.Form);
        Assert.True(trailer.Hostname.IsAbsent);
        Assert.True(trailer.Addr.IsAbsent);
        Assert.True(trailer.Terminal.IsAbsent);
        Assert.True(trailer.Success);
        Assert.Equal("success", trailer.Result.Value);
        Assert.Equal(LegacyShape.None, trailer.Legacy);
        Assert.False(trailer.IsMissing);
        Assert.Equal(" exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success", Format(trailer));
    }

    [Fact]
    public void Failed_result()
    {
        Assert.True(AuditTrailer.TrySplit(U(Samples.Spec["C19"]), out _, out AuditTrailer trailer));
        Assert.False(trailer.Success);
        Assert.Equal("failed", trailer.Result.Value);
        Assert.EndsWith(" res=failed", Format(trailer), StringComparison.Ordinal);
    }

    [Fact]
    public void Legacy_colon_before_exe_is_cut_from_the_libvirt_part_and_written_back()
    {
        byte[] message = U(Samples.Spec["C22"]);

        Assert.True(AuditTrailer.TrySplit(message, out ReadOnlyMemory<byte> libvirtPart, out AuditTrailer trailer));

        Assert.EndsWith("new-net=52:54:00:aa:bb:cc", S(libvirtPart), StringComparison.Ordinal);
        Assert.Equal(LegacyShape.ColonBeforeExe, trailer.Legacy);
        Assert.Equal(": exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=success", Format(trailer));
        Assert.Equal(S(message.AsSpan()), S(libvirtPart) + Format(trailer));
    }

    [Fact]
    public void A_truncated_message_has_no_trailer()
    {
        string message = "virt=kvm resrc=disk reason=start vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-disk=\"?\" new-disk=\"/var/lib/" + new string('x', 40);
        byte[] bytes = U(message);

        Assert.False(AuditTrailer.TrySplit(bytes, out ReadOnlyMemory<byte> libvirtPart, out AuditTrailer trailer));

        Assert.Equal(message, S(libvirtPart));
        Assert.Equal(LegacyShape.MissingTrailer, trailer.Legacy);
        Assert.True(trailer.IsMissing);
        Assert.Equal("", Format(trailer));
        Assert.Equal(0, trailer.GetLength());
    }

    [Theory]
    [InlineData(" exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=succ")]
    [InlineData(" exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=?")]
    [InlineData(" exe=\"/usr/sbin/libvirtd\" hostname=? addr=? termi")]
    [InlineData(" exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=success extra=1")]
    [InlineData(" exe=\"/usr/sbin/libvir")]
    [InlineData(" exe=/usr/sbin/libvirtd")]
    [InlineData(" exe=\"/usr/sbin/libvirtd\"hostname=? addr=? terminal=? res=success")]
    public void A_partial_or_damaged_trailer_is_not_a_trailer(string tail)
    {
        string message = "virt=kvm op=stop reason=destroyed vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-pid=0" + tail;

        Assert.False(AuditTrailer.TrySplit(U(message), out ReadOnlyMemory<byte> libvirtPart, out AuditTrailer trailer));
        Assert.Equal(message, S(libvirtPart));
        Assert.True(trailer.IsMissing);
    }

    [Fact]
    public void A_single_quote_inside_a_value_does_not_disturb_the_split()
    {
        string message = "virt=kvm op=start reason=booted vm=\"it's\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-pid=1 exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success";

        Assert.True(AuditTrailer.TrySplit(U(message), out ReadOnlyMemory<byte> libvirtPart, out AuditTrailer trailer));

        Assert.EndsWith("vm=\"it's\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-pid=1", S(libvirtPart), StringComparison.Ordinal);
        Assert.Equal(message, S(libvirtPart) + Format(trailer));
    }

    [Fact]
    public void The_last_exe_wins_when_the_payload_has_one_of_its_own()
    {
        byte[] message = U(Samples.Spec["R8"]);

        Assert.True(AuditTrailer.TrySplit(message, out ReadOnlyMemory<byte> libvirtPart, out AuditTrailer trailer));

        Assert.Equal("reason=api vm-pid=10657 hostname=1235c5a6476b op=resize vm=centos:7 user=origin auid=1000 exe=sleep ", S(libvirtPart));
        Assert.Equal("/usr/bin/dockerd-current", trailer.Exe.Value);
    }

    [Fact]
    public void An_exe_whose_remainder_is_not_a_trailer_is_skipped_for_an_earlier_one()
    {
        string message = "virt=kvm path=/x exe=\"/usr/sbin/libvirtd\" hostname=h addr=? terminal=a exe=b res=success";

        Assert.True(AuditTrailer.TrySplit(U(message), out ReadOnlyMemory<byte> libvirtPart, out AuditTrailer trailer));

        Assert.Equal("virt=kvm path=/x", S(libvirtPart));
        Assert.Equal("a exe=b", trailer.Terminal.Value);
        Assert.Equal("h", trailer.Hostname.Value);
        Assert.Equal(message, S(libvirtPart) + Format(trailer));
    }

    [Fact]
    public void Hex_exe_after_an_in_place_upgrade()
    {
        string exe = "/usr/sbin/libvirtd (deleted)";
        string hex = Encode(U(exe));
        string message = "virt=kvm op=stop reason=shutdown vm=\"a\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-pid=0 exe=" + hex + " hostname=? addr=? terminal=? res=success";

        Assert.True(AuditTrailer.TrySplit(U(message), out ReadOnlyMemory<byte> libvirtPart, out AuditTrailer trailer));

        Assert.Equal(exe, trailer.Exe.Value);
        Assert.Equal(LegacyShape.None, trailer.Legacy);
        Assert.Equal(message, S(libvirtPart) + Format(trailer));
    }

    [Fact]
    public void Interpreted_bare_exe_is_flagged_and_written_canonically()
    {
        Assert.True(AuditTrailer.TrySplit(U(Samples.Spec["R7"]), out _, out AuditTrailer trailer));

        Assert.Equal("/usr/sbin/libvirtd", trailer.Exe.Value);
        Assert.Equal(LegacyShape.BareValue, trailer.Legacy);
        Assert.Equal(" exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=success", Format(trailer));
    }

    [Fact]
    public void A_daemon_on_a_terminal_has_hostname_and_terminal()
    {
        string message = "virt=kvm op=stop reason=shutdown vm=\"a\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-pid=0 exe=\"/usr/sbin/libvirtd\" hostname=kvmhost01 addr=? terminal=pts/0 res=success";

        Assert.True(AuditTrailer.TrySplit(U(message), out ReadOnlyMemory<byte> libvirtPart, out AuditTrailer trailer));

        Assert.Equal("kvmhost01", trailer.Hostname.Value);
        Assert.True(trailer.Addr.IsAbsent);
        Assert.Equal("pts/0", trailer.Terminal.Value);
        Assert.Equal(message, S(libvirtPart) + Format(trailer));
    }

    [Fact]
    public void For_builds_the_trailer_libvirt_daemons_get()
    {
        AuditTrailer ok = AuditTrailer.For("/usr/sbin/virtqemud", success: true);
        AuditTrailer failed = AuditTrailer.For(null, success: false);
        AuditTrailer deleted = AuditTrailer.For("/usr/sbin/libvirtd (deleted)", success: true);

        Assert.Equal(" exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success", Format(ok));
        Assert.Equal(" exe=\"?\" hostname=? addr=? terminal=? res=failed", Format(failed));
        Assert.Equal(" exe=2F7573722F7362696E2F6C69627669727464202864656C6574656429 hostname=? addr=? terminal=? res=success", Format(deleted));
        Assert.True(ok.Success);
        Assert.Equal("success", ok.Result.Value);
        Assert.Equal("failed", failed.Result.Value);
        Assert.Equal(LegacyShape.None, ok.Legacy);
        Assert.Equal(Format(ok), ok.ToString());
    }

    [Fact]
    public void Format_reports_a_destination_that_is_too_small()
    {
        AuditTrailer trailer = AuditTrailer.For("/usr/sbin/virtqemud", success: true);
        int length = trailer.GetLength();

        for (int size = 0; size < length; size++)
        {
            Assert.False(trailer.TryFormat(new byte[size], out int written));
            Assert.Equal(0, written);
        }
    }

    [Fact]
    public void Every_virt_record_of_the_real_capture_splits_and_its_trailer_round_trips()
    {
        int records = 0;
        foreach (string line in File.ReadLines(Samples.CorpusPath, Encoding.UTF8))
        {
            if (!line.Contains("type=VIRT_", StringComparison.Ordinal))
            {
                continue;
            }

            records++;
            byte[] message = U(PayloadOf(line));
            Assert.True(AuditTrailer.TrySplit(message, out ReadOnlyMemory<byte> libvirtPart, out AuditTrailer trailer), line);
            Assert.Equal(LegacyShape.None, trailer.Legacy);
            Assert.StartsWith("virt=", S(libvirtPart), StringComparison.Ordinal);
            Assert.Equal("/usr/sbin/libvirtd", trailer.Exe.Value);
            Assert.Equal(S(message.AsSpan()), S(libvirtPart) + Format(trailer));
        }

        Assert.Equal(293, records);
    }

    private static string Format(AuditTrailer trailer)
    {
        byte[] buffer = new byte[trailer.GetLength()];
        Assert.True(trailer.TryFormat(buffer, out int written));
        Assert.Equal(buffer.Length, written);
        return S(buffer.AsSpan());
    }
}
