using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VirtAudit;

/// <summary>Registers VirtAudit's <see cref="AuditEmitter"/> in a host.</summary>
public static class VirtAuditServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="AuditEmitter"/> made by <see cref="AuditEmitter.Create"/> from
    /// <see cref="VirtAuditOptions"/>, logging to the category <c>VirtAudit.Audit</c>, and a hosted service that creates
    /// it when the host starts, so that <see cref="AuditLevel.Required"/> without a usable kernel audit subsystem
    /// fails start-up with the reason, and <see cref="AuditLevel.IfAvailable"/> says so once, at start-up.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options in code; <see langword="null"/> for the defaults (level 1, no logging).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddVirtAudit(this IServiceCollection services, Action<VirtAuditOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<VirtAuditOptions> options = services.AddOptions<VirtAuditOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(static provider => AuditEmitter.Create(
            provider.GetRequiredService<IOptions<VirtAuditOptions>>().Value,
            provider.GetService<ILoggerFactory>()?.CreateLogger(AuditEmitter.LoggerCategory)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, VirtAuditStartup>());
        return services;
    }

    /// <summary>
    /// As <see cref="AddVirtAudit(IServiceCollection, Action{VirtAuditOptions}?)"/>, with the options bound from the
    /// section <c>VirtAudit</c> of <paramref name="configuration"/>: <c>AuditLevel</c> (0, 1, 2 as in libvirtd.conf, or
    /// Disabled, IfAvailable, Required) and <c>AuditLogging</c> (0, 1, false, true). A value outside these fails with
    /// the key and the value named. <paramref name="configure"/> runs after the binding.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration (its <c>VirtAudit</c> section is read).</param>
    /// <param name="configure">Sets the options in code after the binding; <see langword="null"/> for none.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddVirtAudit(this IServiceCollection services, IConfiguration configuration, Action<VirtAuditOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        IConfigurationSection section = configuration.GetSection(VirtAuditOptions.SectionName);
        services.AddOptions<VirtAuditOptions>().Configure(options => Bind(section, options));
        return services.AddVirtAudit(configure);
    }

    /// <summary>Reads <c>AuditLevel</c> and <c>AuditLogging</c> from a section (no reflection: trimming- and AOT-safe).</summary>
    internal static void Bind(IConfigurationSection section, VirtAuditOptions options)
    {
        string? level = section[nameof(VirtAuditOptions.AuditLevel)];
        if (level is not null)
        {
            options.AuditLevel = level.Trim() switch
            {
                "0" => AuditLevel.Disabled,
                "1" => AuditLevel.IfAvailable,
                "2" => AuditLevel.Required,
                var name when Enum.TryParse(name, ignoreCase: true, out AuditLevel parsed) && Enum.IsDefined(parsed) && !char.IsDigit(name[0]) => parsed,
                _ => throw new InvalidOperationException(Invalid(section, nameof(VirtAuditOptions.AuditLevel), level, "0, 1, 2, Disabled, IfAvailable or Required")),
            };
        }

        string? logging = section[nameof(VirtAuditOptions.AuditLogging)];
        if (logging is not null)
        {
            options.AuditLogging = logging.Trim().ToLowerInvariant() switch
            {
                "1" or "true" => true,
                "0" or "false" => false,
                _ => throw new InvalidOperationException(Invalid(section, nameof(VirtAuditOptions.AuditLogging), logging, "0, 1, false or true")),
            };
        }
    }

    private static string Invalid(IConfigurationSection section, string key, string value, string allowed) =>
        string.Create(CultureInfo.InvariantCulture, $"{section.Path}:{key} is '{value}'; it must be {allowed}");

    /// <summary>Creates the emitter when the host starts, so that its audit level is checked then.</summary>
    private sealed class VirtAuditStartup : IHostedService
    {
        private readonly IServiceProvider _services;

        public VirtAuditStartup(IServiceProvider services) => _services = services;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            _services.GetRequiredService<AuditEmitter>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
