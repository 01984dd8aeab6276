using System.Text;

namespace VirtAudit.Tests.Lines;

public class AuditRecordTypesTests
{
    [Theory]
    [InlineData("VIRT_CONTROL", 2500)]
    [InlineData("VIRT_RESOURCE", 2501)]
    [InlineData("VIRT_MACHINE_ID", 2502)]
    [InlineData("VIRT_INTEGRITY_CHECK", 2503)]
    [InlineData("VIRT_CREATE", 2504)]
    [InlineData("VIRT_DESTROY", 2505)]
    [InlineData("VIRT_MIGRATE_IN", 2506)]
    [InlineData("VIRT_MIGRATE_OUT", 2507)]
    [InlineData("SYSCALL", 1300)]
    [InlineData("PATH", 1302)]
    [InlineData("CONFIG_CHANGE", 1305)]
    [InlineData("SOCKADDR", 1306)]
    [InlineData("CWD", 1307)]
    [InlineData("EXECVE", 1309)]
    [InlineData("EOE", 1320)]
    [InlineData("NETFILTER_CFG", 1325)]
    [InlineData("PROCTITLE", 1327)]
    [InlineData("BPF", 1334)]
    [InlineData("AVC", 1400)]
    [InlineData("MAC_POLICY_LOAD", 1403)]
    [InlineData("DAEMON_START", 1200)]
    [InlineData("DAEMON_END", 1201)]
    [InlineData("USER_AUTH", 1100)]
    [InlineData("USER_ACCT", 1101)]
    [InlineData("CRED_ACQ", 1103)]
    [InlineData("CRED_DISP", 1104)]
    [InlineData("USER_START", 1105)]
    [InlineData("USER_END", 1106)]
    [InlineData("USER_AVC", 1107)]
    [InlineData("USER_LOGIN", 1112)]
    [InlineData("ADD_USER", 1114)]
    [InlineData("ADD_GROUP", 1116)]
    [InlineData("USER_CMD", 1123)]
    [InlineData("SERVICE_START", 1130)]
    [InlineData("SERVICE_STOP", 1131)]
    [InlineData("SOFTWARE_UPDATE", 1138)]
    [InlineData("ANOM_PROMISCUOUS", 1700)]
    [InlineData("ANOM_ABEND", 1701)]
    [InlineData("KERNEL", 2000)]
    [InlineData("USER", 1005)]
    [InlineData("LOGIN", 1006)]
    public void Name_and_number_map_both_ways(string name, int number)
    {
        byte[] utf8 = Encoding.ASCII.GetBytes(name);

        Assert.True(AuditRecordTypes.TryGetNumber(utf8, out int found));
        Assert.Equal(number, found);
        Assert.True(AuditRecordTypes.TryGetName(number, out ReadOnlySpan<byte> back));
        Assert.Equal(name, Encoding.ASCII.GetString(back));
        Assert.Equal(name, AuditRecordTypes.GetName(number));
        Assert.Equal(utf8.Length, AuditRecordTypes.GetNameLength(number));
    }

    [Fact]
    public void Virt_constants_are_the_libvirt_types()
    {
        Assert.Equal(2500, AuditRecordTypes.VirtControl);
        Assert.Equal(2501, AuditRecordTypes.VirtResource);
        Assert.Equal(2502, AuditRecordTypes.VirtMachineId);
    }

    [Theory]
    [InlineData(1420)]
    [InlineData(1204)]
    [InlineData(1329)]
    [InlineData(0)]
    [InlineData(2599)]
    public void Numbers_without_a_name_use_the_unknown_form(int number)
    {
        string expected = $"UNKNOWN[{number}]";

        Assert.False(AuditRecordTypes.TryGetName(number, out ReadOnlySpan<byte> name));
        Assert.True(name.IsEmpty);
        Assert.Equal(expected, AuditRecordTypes.GetName(number));
        Assert.Equal(expected.Length, AuditRecordTypes.GetNameLength(number));
        Assert.True(AuditRecordTypes.TryGetNumber(Encoding.ASCII.GetBytes(expected), out int parsed));
        Assert.Equal(number, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("virt_control")]
    [InlineData("VIRT_CONTROLX")]
    [InlineData("VIRT_CONTRO")]
    [InlineData("UNKNOWN")]
    [InlineData("UNKNOWN[]")]
    [InlineData("UNKNOWN[12")]
    [InlineData("UNKNOWN[1a]")]
    [InlineData("UNKNOWN[-1]")]
    [InlineData("UNKNOWN[2147483648]")]
    [InlineData("UNKNOWN[1420]x")]
    public void Other_names_are_not_found(string name)
    {
        Assert.False(AuditRecordTypes.TryGetNumber(Encoding.ASCII.GetBytes(name), out int number));
        Assert.Equal(0, number);
    }

    [Fact]
    public void Every_number_round_trips_through_its_printed_name()
    {
        Span<byte> buffer = stackalloc byte[64];
        int named = 0;
        for (int number = 0; number < 3100; number++)
        {
            Assert.True(AuditRecordTypes.TryWriteName(number, buffer, out int written));
            Assert.Equal(AuditRecordTypes.GetNameLength(number), written);
            Assert.True(AuditRecordTypes.TryGetNumber(buffer[..written], out int back));
            Assert.Equal(number, back);
            if (AuditRecordTypes.TryGetName(number, out _))
            {
                named++;
            }
        }

        // The table is the msg_typetab.h set: a sanity bound that catches a lost or duplicated block.
        Assert.InRange(named, 180, 200);
    }

    [Fact]
    public void TryWriteName_reports_a_short_destination()
    {
        Span<byte> buffer = stackalloc byte[16];

        Assert.False(AuditRecordTypes.TryWriteName(2502, buffer[..14], out int written));
        Assert.Equal(0, written);
        Assert.True(AuditRecordTypes.TryWriteName(2502, buffer[..15], out written));
        Assert.Equal("VIRT_MACHINE_ID", Encoding.ASCII.GetString(buffer[..written]));
        Assert.False(AuditRecordTypes.TryWriteName(1420, buffer[..12], out written));
        Assert.Equal(0, written);
        Assert.True(AuditRecordTypes.TryWriteName(1420, buffer[..13], out written));
        Assert.Equal("UNKNOWN[1420]", Encoding.ASCII.GetString(buffer[..written]));
    }
}
