using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VirtAudit.Extensions.Hosting.Tests;

public class AddVirtAuditTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<VirtAuditOptions>? configure = null, ILoggerProvider? logs = null)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(builder =>
        {
            if (logs is not null)
            {
                builder.AddProvider(logs);
            }
        });
        services.AddVirtAudit(configuration, configure);
        return services.BuildServiceProvider();
    }

    [Theory]
    [InlineData("0", AuditLevel.Disabled)]
    [InlineData("1", AuditLevel.IfAvailable)]
    [InlineData("2", AuditLevel.Required)]
    [InlineData("disabled", AuditLevel.Disabled)]
    [InlineData("Required", AuditLevel.Required)]
    public void AuditLevel_binds_from_libvirts_numbers_and_from_names(string text, AuditLevel level)
    {
        using ServiceProvider provider = Build(new() { ["VirtAudit:AuditLevel"] = text });
        Assert.Equal(level, provider.GetRequiredService<IOptions<VirtAuditOptions>>().Value.AuditLevel);
    }

    [Fact]
    public void Defaults_are_libvirts_level_1_without_logging()
    {
        using ServiceProvider provider = Build(new());
        VirtAuditOptions options = provider.GetRequiredService<IOptions<VirtAuditOptions>>().Value;
        Assert.Equal(AuditLevel.IfAvailable, options.AuditLevel);
        Assert.False(options.AuditLogging);
    }

    [Theory]
    [InlineData("VirtAudit:AuditLevel", "3", "VirtAudit:AuditLevel is '3'; it must be 0, 1, 2, Disabled, IfAvailable or Required")]
    [InlineData("VirtAudit:AuditLevel", "5", "VirtAudit:AuditLevel is '5'; it must be 0, 1, 2")]
    [InlineData("VirtAudit:AuditLogging", "yes", "VirtAudit:AuditLogging is 'yes'; it must be 0, 1, false or true")]
    public void A_value_outside_the_allowed_is_refused_with_key_and_value(string key, string value, string message)
    {
        using ServiceProvider provider = Build(new() { [key] = value });
        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IOptions<VirtAuditOptions>>().Value);
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void Code_runs_after_the_binding()
    {
        using ServiceProvider provider = Build(new() { ["VirtAudit:AuditLevel"] = "2", ["VirtAudit:AuditLogging"] = "0" }, o => o.AuditLogging = true);
        VirtAuditOptions options = provider.GetRequiredService<IOptions<VirtAuditOptions>>().Value;
        Assert.Equal(AuditLevel.Required, options.AuditLevel);
        Assert.True(options.AuditLogging);
    }

    [Fact]
    public async Task The_host_start_creates_the_emitter_which_logs_through_the_hosts_loggers()
    {
        var lines = new StringWriter();
        using var logs = new LibvirtLogLoggerProvider(lines);
        using ServiceProvider provider = Build(new() { ["VirtAudit:AuditLevel"] = "0", ["VirtAudit:AuditLogging"] = "1" }, logs: logs);

        foreach (IHostedService service in provider.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
        }

        AuditEmitter emitter = provider.GetRequiredService<AuditEmitter>();
        Assert.Null(emitter.Sink);
        Assert.True(emitter.AuditLogging);
        int line = Here() + 1;
        emitter.Emit(new VirtControl { Virt = VirtType.Qemu, Op = VirtOp.Stop, Reason = VirtControlReason.Shutdown, Vm = "g", Uuid = Guid.Empty, VmPid = 0 });
        Assert.EndsWith(
            ": info : The_host_start_creates_the_emitter_which_logs_through_the_hosts_loggers:" + line + " : success=yes virt=qemu op=stop reason=shutdown vm=\"g\" uuid=00000000-0000-0000-0000-000000000000 vm-pid=0\n",
            lines.ToString());
    }

    [Fact]
    public void Registering_twice_keeps_one_emitter_and_one_start_up_check()
    {
        var services = new ServiceCollection();
        services.AddVirtAudit(o => o.AuditLevel = AuditLevel.Disabled);
        services.AddVirtAudit();
        Assert.Single(services, d => d.ServiceType == typeof(AuditEmitter));
        Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
    }

    private static int Here([System.Runtime.CompilerServices.CallerLineNumber] int line = 0) => line;
}
