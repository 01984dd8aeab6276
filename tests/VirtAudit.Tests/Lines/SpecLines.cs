namespace VirtAudit.Tests.Lines;

/// <summary>Lines of spec §14 and variants of them, as test strings ("\u001D" is the ENRICHED separator).</summary>
internal static class SpecLines
{
    public const string C14Message =
        "virt=kvm op=start reason=booted vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-pid=24811 exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success";

    public const string C14Body =
        "pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='" + C14Message + "'";

    public const string C14 =
        "type=VIRT_CONTROL msg=audit(1715510880.307:5025): " + C14Body + "\u001DUID=\"root\" AUID=\"unset\"";

    public const string C18Message =
        "virt=kvm op=stop reason=destroyed vm=\"rhel9\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-pid=0 exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success";

    public const string C18 =
        "node=kvmhost01.example.com type=VIRT_CONTROL msg=audit(1715514000.044:5220): pid=1187 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtqemud_t:s0 msg='" + C18Message + "'";

    public const string C22Message =
        "virt=kvm resrc=net reason=start vm=\"rhel6\" uuid=11111111-2222-3333-4444-555555555555 old-net=? new-net=52:54:00:aa:bb:cc: exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=success";

    public const string C22 =
        "type=VIRT_RESOURCE msg=audit(1330000000.123:77): user pid=2000 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:virtd_t:s0-s0:c0.c1023 msg='" + C22Message + "'";

    public const string R8Message =
        "reason=api vm-pid=10657 hostname=1235c5a6476b op=resize vm=centos:7 user=origin auid=1000 exe=sleep  exe=\"/usr/bin/dockerd-current\" hostname=? addr=? terminal=? res=success";

    public const string R8 =
        "type=VIRT_CONTROL msg=audit(1506321923.246:470): pid=1182 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:container_runtime_t:s0 msg='" + R8Message + "'";

    public const string AppArmorSubj =
        "type=VIRT_CONTROL msg=audit(1506321923.246:471): pid=1182 uid=0 auid=4294967295 ses=4294967295 subj=docker (enforce) msg='" + R8Message + "'";

    public const string Ssid =
        "type=VIRT_CONTROL msg=audit(1715510880.307:5026): pid=1187 uid=0 auid=4294967295 ses=4294967295 ssid=42 msg='" + C14Message + "'";

    public const string NoSubj =
        "type=VIRT_CONTROL msg=audit(1715510880.307:5027): pid=8208 uid=0 auid=4294967295 ses=4294967295 msg='" + C14Message + "'\u001DUID=\"root\" AUID=\"unset\"";

    public const string ApostropheMessage =
        "virt=kvm resrc=disk reason=start vm=\"it's\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-disk=\"?\" new-disk=\"/var/lib/libvirt/images/it's.qcow2\" exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=? res=success";

    public const string Apostrophe =
        "type=VIRT_RESOURCE msg=audit(1715510880.308:5030): pid=8208 uid=0 auid=4294967295 ses=4294967295 msg='" + ApostropheMessage + "'\u001DUID=\"root\" AUID=\"unset\"";

    public const string TruncatedMessage =
        "virt=kvm resrc=disk reason=start vm=\"it's\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 old-disk=\"?\" new-disk=\"/var/lib/libvirt/images/a-very-long-na";

    public const string Truncated =
        "type=VIRT_RESOURCE msg=audit(1715510880.309:5031): pid=8208 uid=0 auid=4294967295 ses=4294967295 msg='" + TruncatedMessage;

    public const string Unknown1420 =
        "type=UNKNOWN[1420] msg=audit(1715510880.307:5025): subj_apparmor=unconfined subj_selinux=system_u:system_r:virtqemud_t:s0";
}
