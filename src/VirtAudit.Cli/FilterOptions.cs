using System;
using System.CommandLine;

namespace VirtAudit.Cli;

/// <summary>The filter options shared by <c>parse</c>, <c>stats</c> and <c>follow</c>.</summary>
internal sealed class FilterOptions
{
    private readonly Option<string[]> _type = new("--type", "-t")
    {
        Description = "Record types to keep, by name or number (VIRT_RESOURCE, 2500, SYSCALL); repeat or separate with commas. Implies --all for the types named.",
        HelpName = "TYPE",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string> _vm = new("--vm") { Description = "Only records of the guest with this name (vm=, decoded).", HelpName = "NAME" };

    private readonly Option<string> _uuid = new("--uuid") { Description = "Only records of the guest with this UUID.", HelpName = "UUID" };

    private readonly Option<string> _resrc = new("--resrc") { Description = "Only VIRT_RESOURCE records of this resource (disk, net, dev, cgroup, mem, vcpu, …).", HelpName = "RESRC" };

    private readonly Option<string> _res = new("--res") { Description = "Only records with this result.", HelpName = "success|failed" };

    private readonly Option<string> _since = new("--since") { Description = "Only records at or after TIME: ISO 8601 (2026-11-24T17:52:13Z; no offset = UTC), epoch seconds, or relative (-2h, -30m, -7d).", HelpName = "TIME" };

    private readonly Option<string> _until = new("--until") { Description = "Only records at or before TIME (same forms as --since).", HelpName = "TIME" };

    private readonly Option<bool> _all = new("--all", "-a") { Description = "Include non-VIRT records (SYSCALL, AVC, USER_*, …); by default only VIRT_* records are shown." };

    public FilterOptions()
    {
        _res.AcceptOnlyFromAmong("success", "failed");
        _resrc.CompletionSources.Add("disk", "fs", "net", "chardev", "smartcard", "rng", "dev", "redir", "hostdev", "tpm", "tpm-emulator", "tpm-external", "cgroup", "mem", "vcpu", "iothread", "shmem", "ivshmem-socket", "evdev");
        _type.CompletionSources.Add("VIRT_CONTROL", "VIRT_RESOURCE", "VIRT_MACHINE_ID", "SYSCALL", "AVC", "USER_START");
        _uuid.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && !Guid.TryParse(r.Tokens[0].Value, out _))
            {
                r.AddError($"--uuid: '{r.Tokens[0].Value}' is not a UUID");
            }
        });
        foreach (var time in new[] { _since, _until })
        {
            time.Validators.Add(r =>
            {
                if (r.Tokens.Count > 0 && !RecordFilter.TryParseTime(r.Tokens[0].Value, DateTimeOffset.UtcNow, out _, out var error))
                {
                    r.AddError($"{time.Name}: {error}");
                }
            });
        }
    }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _type, _vm, _uuid, _resrc, _res, _since, _until, _all })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The filter the options describe (times relative to now).</summary>
    public bool TryCreate(ParseResult result, CliConsole console, out RecordFilter filter)
    {
        var now = DateTimeOffset.UtcNow;
        DateTimeOffset? since = null, until = null;
        if (result.GetValue(_since) is { } s)
        {
            RecordFilter.TryParseTime(s, now, out var t, out _);
            since = t;
        }

        if (result.GetValue(_until) is { } u)
        {
            RecordFilter.TryParseTime(u, now, out var t, out _);
            until = t;
        }

        if (since > until)
        {
            console.Error.WriteLine($"virtaudit: --since ({since:O}) is after --until ({until:O})");
            filter = null!;
            return false;
        }

        filter = new RecordFilter(
            result.GetValue(_type),
            result.GetValue(_vm),
            result.GetValue(_uuid) is { } uuid ? Guid.Parse(uuid) : null,
            result.GetValue(_resrc),
            result.GetValue(_res),
            since,
            until,
            result.GetValue(_all));
        return true;
    }
}
