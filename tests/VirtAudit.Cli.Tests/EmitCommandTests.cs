using VirtAudit.Cli.Emit;

namespace VirtAudit.Cli.Tests;

public class EmitCommandTests
{
    private const string Uuid = "3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11";

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = EmitCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Control_prints_libvirts_payload()
    {
        var (code, stdout, stderr) = Run("control", "--virt", "kvm", "--op", "start", "--reason", "booted", "--vm", "rhel9", "--uuid", Uuid, "--vm-pid", "4242");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Equal($"virt=kvm op=start reason=booted vm=\"rhel9\" uuid={Uuid} vm-pid=4242\n", stdout.Replace("\r\n", "\n"));
    }

    [Fact]
    public void The_resrc_picks_the_variant_and_a_name_with_a_space_is_hex()
    {
        var (code, stdout, _) = Run("resource", "--virt", "qemu", "--resrc", "net", "--reason", "open", "--vm", "a b", "--uuid", Uuid, "--net", "52:54:00:ab:cd:01", "--path", "/dev/net/tun", "--rdev", "0A:C8");
        Assert.Equal(0, code);
        Assert.Equal($"virt=qemu resrc=net reason=open vm=612062 uuid={Uuid} net=52:54:00:ab:cd:01 path=\"/dev/net/tun\" rdev=0A:C8", stdout.TrimEnd());
    }

    [Fact]
    public void A_record_libvirt_could_not_write_is_refused_with_the_field_named()
    {
        var (code, stdout, stderr) = Run("control", "--virt", "kvm", "--op", "start", "--reason", "booted", "--vm", "rhel9", "--uuid", Uuid, "--vm-pid", "1", "--init-pid", "2");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("init-pid", stderr);
    }

    [Theory]
    [InlineData("--vm-pid", "x", "--vm-pid: 'x' is not an integer")]
    [InlineData("--uuid", "nope", "--uuid: 'nope' is not a UUID")]
    [InlineData("--new-disk", "/x", "VirtControl (VIRT_CONTROL) has no field 'new-disk'")]
    public void A_bad_value_or_a_field_of_another_record_is_a_usage_error(string option, string value, string message)
    {
        var args = new List<string> { "control", "--virt", "kvm", "--op", "stop", "--reason", "shutdown", "--vm", "v", "--uuid", Uuid, "--vm-pid", "0" };
        int at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange(new[] { option, value });
        }

        var (code, _, stderr) = Run(args.ToArray());
        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public void Resource_without_resrc_lists_the_choices()
    {
        var (code, _, stderr) = Run("resource", "--virt", "kvm", "--vm", "v", "--uuid", Uuid);
        Assert.Equal(2, code);
        Assert.Contains("--resrc disk", stderr);
    }

    [Fact]
    public void Failed_appends_a_res_failed_line_to_a_file_that_the_reader_types()
    {
        string path = Path.Combine(Path.GetTempPath(), "virtaudit-cli-emit-" + Guid.NewGuid().ToString("N") + ".log");
        try
        {
            Assert.Equal(0, Run("machine-id", "--virt", "kvm", "--vm", "g", "--uuid", Uuid, "--vm-ctx", "+0:+0", "--img-ctx", "+0:+0", "--model", "dac", "--failed", "--to", "file:" + path).Code);
            Assert.Equal(0, Run("control", "--virt", "kvm", "--op", "stop", "--reason", "destroyed", "--vm", "g", "--uuid", Uuid, "--vm-pid", "0", "--to", "file:" + path, "--format", "raw").Code);

            using var reader = AuditLogReader.Open(path);
            Assert.True(reader.Read());
            Assert.Equal(AuditRendering.Enriched, reader.Current.Record.Rendering);
            Assert.True(reader.Current.Record.TryGet(out VirtMachineId id));
            Assert.Equal(SecurityModel.Dac, id.Model);
            Assert.False(reader.Current.Record.Virt.Trailer.Success);
            Assert.True(reader.Read());
            Assert.Equal(AuditRendering.Raw, reader.Current.Record.Rendering);
            Assert.True(reader.Current.Record.TryGet(out VirtControl stop));
            Assert.Equal(VirtControlReason.Destroyed, stop.Reason);
            Assert.False(reader.Read());
            Assert.Equal(0, reader.ErrorsRead);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("--to", "somewhere", "--to 'somewhere': one of stdout, file:PATH, kernel")]
    [InlineData("--success", null, "--success and --failed exclude each other")]
    public void Usage_errors_exit_2(string option, string? value, string message)
    {
        var args = new List<string> { "control", "--virt", "kvm", "--op", "stop", "--reason", "shutdown", "--vm", "v", "--uuid", Uuid, "--vm-pid", "0", "--failed", option };
        if (value is not null)
        {
            args.Add(value);
        }

        var (code, _, stderr) = Run(args.ToArray());
        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public void An_unknown_kind_is_a_usage_error()
    {
        var (code, _, stderr) = Run("lifecycle", "--vm", "v");
        Assert.Equal(2, code);
        Assert.Contains("lifecycle", stderr);
    }
}
