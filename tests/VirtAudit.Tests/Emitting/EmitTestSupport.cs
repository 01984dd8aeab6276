using Microsoft.Extensions.Logging;

namespace VirtAudit.Tests.Emitting;

/// <summary>A logger that keeps what it is given, for assertions.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly object _gate = new();
    private readonly List<(LogLevel Level, EventId Id, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, EventId Id, string Message)> Entries
    {
        get
        {
            lock (_gate)
            {
                return _entries.ToArray();
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_gate)
        {
            _entries.Add((logLevel, eventId, formatter(state, exception)));
        }
    }
}

/// <summary>A clock that stands still at a given time.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>Records of every shape the emitting tests send.</summary>
internal static class EmitSamples
{
    public static readonly Guid Uuid = Guid.Parse("6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8");

    public static VirtControl Start(string vm = "rhel9") => new()
    {
        Virt = VirtType.Kvm,
        Op = VirtOp.Start,
        Reason = VirtControlReason.Booted,
        Vm = vm,
        Uuid = Uuid,
        VmPid = 4242,
    };

    public static VirtResourceDisk Disk(string vm = "rhel9") => new()
    {
        Virt = VirtType.Kvm,
        Reason = VirtResourceReason.Attach,
        Vm = vm,
        Uuid = Uuid,
        OldDisk = null,
        NewDisk = "/var/lib/libvirt/images/rhel9 data.qcow2",
    };

    public static VirtMachineId MachineId(string vm = "rhel9") => new()
    {
        Virt = VirtType.Kvm,
        Vm = vm,
        Uuid = Uuid,
        VmCtx = "+0:+0",
        ImgCtx = "+0:+0",
        Model = SecurityModel.Dac,
    };

    public static readonly AuditProcessIdentity Identity = new("/usr/sbin/virtqemud");
}
