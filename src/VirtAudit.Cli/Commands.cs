using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using VirtAudit.Cli.Output;

namespace VirtAudit.Cli;

/// <summary>The command tree on System.CommandLine: options, help with examples, and the actions.</summary>
internal static class Commands
{
    public static RootCommand Build(CliConsole console)
    {
        var root = new RootCommand("virtaudit: read, check, follow and emit the Linux audit records libvirt writes (VIRT_CONTROL, VIRT_RESOURCE, VIRT_MACHINE_ID).");
        var noColor = new Option<bool>("--no-color") { Description = "No colour, even on a terminal (NO_COLOR set in the environment does the same).", Recursive = true };
        root.Options.Add(noColor);
        var examples = new Dictionary<Command, string>();

        root.Subcommands.Add(Check(console, examples));
        root.Subcommands.Add(Parse(console, noColor, examples));
        root.Subcommands.Add(Stats(console, examples));
        root.Subcommands.Add(Timeline(console, noColor, examples));
        root.Subcommands.Add(Follow(console, noColor, examples));
        root.Subcommands.Add(Report.ReportCommand.Create(console, examples));

        root.Subcommands.Add(Emit.EmitCommand.Create());
        examples[root] = """
              virtaudit check                               check the embedded sample (a real libvirt 9.0 capture)
              virtaudit parse /var/log/audit/audit.log      every VIRT record as a table
              virtaudit parse --format jsonl --vm web1 audit.log.1.gz
              virtaudit stats /var/log/audit/audit.log*
              virtaudit timeline --vm web1 /var/log/audit/audit.log
              virtaudit report -o evidence.html /var/log/audit/audit.log*
              virtaudit follow /var/log/audit/audit.log --format ecs
              virtaudit emit control --virt kvm --op start --reason booted --vm rhel9 --uuid 3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 --vm-pid 4242 --to kernel
            """;
        root.SetAction(result =>
        {
            // No command: the help, and a usage error.
            result.RootCommandResult.Command.Parse("--help").Invoke(result.InvocationConfiguration);
            return ExitCodes.Usage;
        });

        foreach (var option in root.Options)
        {
            if (option is HelpOption help && help.Action is HelpAction inner)
            {
                help.Action = new ExamplesHelpAction(inner, examples);
            }
        }

        return root;
    }

    internal static Argument<string[]> Files(string what)
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = $"Audit logs to {what}: audit.log in any rendering (RAW, ENRICHED, journald, syslog, printk, ausearch), .gz files, '-' for standard input. None: what is piped in, else the embedded sample.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        files.Validators.Add(NoOptionLikeFiles);
        return files;
    }

    /// <summary>An unknown option is not taken for a file name: <c>--verbose</c> is a usage error, <c>./--verbose</c> a file.</summary>
    private static void NoOptionLikeFiles(System.CommandLine.Parsing.ArgumentResult result)
    {
        foreach (var token in result.Tokens)
        {
            if (token.Value.Length > 1 && token.Value[0] == '-')
            {
                result.AddError($"unknown option '{token.Value}' (a file whose name starts with '-' is ./{token.Value})");
            }
        }
    }

    private static Command Check(CliConsole console, Dictionary<Command, string> examples)
    {
        var files = Files("check");
        var stats = new Option<bool>("--stats") { Description = "Print bytes read, seconds, MB/s and the process's peak working set on stderr at the end." };
        var command = new Command("check", "Type every libvirt VIRT record, re-encode it and compare the bytes; count records per rendering and per type. Exit 0 when all is well, 1 when a line or record failed.")
        {
            files,
            stats,
        };
        command.SetAction(result => CheckCommand.Run(result.GetValue(files) ?? Array.Empty<string>(), console, result.GetValue(stats)));
        examples[command] = """
              virtaudit check                                  the embedded sample: lines=451 virt=293 typed=293 roundtrip_ok=293 …
              virtaudit check /var/log/audit/audit.log /var/log/audit/audit.log.1.gz
              journalctl -o cat _TRANSPORT=audit | virtaudit check -
            """;
        return command;
    }

    private static Command Parse(CliConsole console, Option<bool> noColor, Dictionary<Command, string> examples)
    {
        var files = Files("print");
        var format = FormatOption(checksum: true);
        var filters = new FilterOptions();
        var command = new Command("parse", "Print records: a table for people, JSON lines (jsonl) for programs, Elastic Common Schema (ecs) for a cluster.")
        {
            files,
            format,
        };
        filters.AddTo(command);
        command.SetAction(result =>
            filters.TryCreate(result, console, out var filter)
                ? result.GetValue(format) == "checksum"
                    ? ChecksumCommand.Run(result.GetValue(files) ?? Array.Empty<string>(), filter, console)
                    : ParseCommand.Run(result.GetValue(files) ?? Array.Empty<string>(), ParseFormat(result.GetValue(format)), filter, result.GetValue(noColor), console)
                : ExitCodes.Usage);
        examples[command] = """
              virtaudit parse                                           the embedded sample as a table
              virtaudit parse --format jsonl audit.log | jq .fields
              virtaudit parse --vm auditvm1 --resrc disk --res success audit.log
              virtaudit parse --all --type SYSCALL,VIRT_CONTROL --since -2h /var/log/audit/audit.log
              virtaudit parse --format ecs --since 2026-11-24T17:00:00Z audit.log > virt.ndjson
              virtaudit parse --all --format checksum audit.log        records=… virt=… fields=… checksum=…
            """;
        return command;
    }

    private static Command Stats(CliConsole console, Dictionary<Command, string> examples)
    {
        var files = Files("summarize");
        var filters = new FilterOptions();
        var command = new Command("stats", "Count records by type, variant, reason, result and guest; first and last time; list failures.") { files };
        filters.AddTo(command);
        command.SetAction(result =>
            filters.TryCreate(result, console, out var filter)
                ? StatsCommand.Run(result.GetValue(files) ?? Array.Empty<string>(), filter, console)
                : ExitCodes.Usage);
        examples[command] = """
              virtaudit stats                                  the embedded sample
              virtaudit stats /var/log/audit/audit.log*        every rotated log, .gz included
              virtaudit stats --since -1d --vm web1 audit.log
            """;
        return command;
    }

    private static Command Timeline(CliConsole console, Option<bool> noColor, Dictionary<Command, string> examples)
    {
        var files = Files("read");
        var vm = new Option<string>("--vm") { Description = "The guest's name; every guest (UUID) that had this name is shown.", HelpName = "NAME" };
        var uuid = new Option<string>("--uuid") { Description = "The guest's UUID.", HelpName = "UUID" };
        uuid.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && !Guid.TryParse(r.Tokens[0].Value, out _))
            {
                r.AddError($"--uuid: '{r.Tokens[0].Value}' is not a UUID");
            }
        });
        var command = new Command("timeline", "One guest's life, correlated by UUID: every start and stop with its reason, pid and how long it ran; every device, memory, vCPU and iothread change; the resources it had at each start; failed operations marked.")
        {
            files,
            vm,
            uuid,
        };
        command.Validators.Add(r =>
        {
            if ((r.GetResult(vm) is null) == (r.GetResult(uuid) is null))
            {
                r.AddError("timeline needs exactly one of --vm NAME and --uuid UUID");
            }
        });
        command.SetAction(result => TimelineCommand.Run(
            result.GetValue(files) ?? Array.Empty<string>(),
            result.GetValue(vm),
            result.GetValue(uuid) is { } u ? Guid.Parse(u) : null,
            console.UseColor(result.GetValue(noColor)),
            console));
        examples[command] = """
              virtaudit timeline --vm auditvm1                 a guest of the embedded sample
              virtaudit timeline --uuid 6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8 /var/log/audit/audit.log*
            """;
        return command;
    }

    private static Command Follow(CliConsole console, Option<bool> noColor, Dictionary<Command, string> examples)
    {
        var file = new Argument<string>("FILE") { Description = "The log to follow (like tail -F): read to its end, then wait for more, across rotation by rename and by copytruncate." };
        var format = FormatOption();
        var filters = new FilterOptions();
        var fromStart = new Option<bool>("--from-start") { Description = "Print the records already in the file first (default: only new ones)." };
        var command = new Command("follow", "Print records as they are written, like tail -F; stops cleanly on Ctrl-C.")
        {
            file,
            format,
            fromStart,
        };
        filters.AddTo(command);
        command.SetAction(result =>
            filters.TryCreate(result, console, out var filter)
                ? FollowCommand.Run(result.GetValue(file)!, ParseFormat(result.GetValue(format)), filter, result.GetValue(fromStart), result.GetValue(noColor), console)
                : ExitCodes.Usage);
        examples[command] = """
              virtaudit follow /var/log/audit/audit.log
              virtaudit follow --format ecs /var/log/audit/audit.log >> /var/log/virtaudit/virt.ndjson
              virtaudit follow --from-start --vm web1 --res failed /var/log/audit/audit.log
            """;
        return command;
    }

    private static Option<string> FormatOption(bool checksum = false)
    {
        var format = new Option<string>("--format", "-f")
        {
            Description = "table (aligned columns; cut with … on a terminal), jsonl (one JSON object per record), ecs (Elastic Common Schema NDJSON)"
                + (checksum ? ", checksum (every field of every record decoded and folded into one line: records=N virt=N fields=N checksum=HEX)." : "."),
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong(checksum ? ["table", "jsonl", "ecs", "checksum"] : ["table", "jsonl", "ecs"]);
        return format;
    }

    private static OutputFormat ParseFormat(string? format) => format switch
    {
        "jsonl" => OutputFormat.Jsonl,
        "ecs" => OutputFormat.Ecs,
        _ => OutputFormat.Table,
    };

    /// <summary>The help of the command, then its examples.</summary>
    private sealed class ExamplesHelpAction(HelpAction inner, Dictionary<Command, string> examples) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            // The framework names the program after the entry assembly (VirtAudit.Cli); the command is virtaudit.
            var configuration = parseResult.InvocationConfiguration;
            var output = configuration.Output;
            var help = new System.IO.StringWriter();
            configuration.Output = help;
            int code;
            try
            {
                code = inner.Invoke(parseResult);
            }
            finally
            {
                configuration.Output = output;
            }

            output.Write(help.ToString().Replace("  " + RootCommand.ExecutableName, "  virtaudit", StringComparison.Ordinal));
            if (examples.TryGetValue(parseResult.CommandResult.Command, out var text))
            {
                output.WriteLine("Examples:");
                output.WriteLine(text.TrimEnd());
                output.WriteLine();
                if (parseResult.CommandResult.Command is RootCommand)
                {
                    output.WriteLine("Exit codes: 0 ok, 1 findings (check), 2 usage or input error, 3 an input could not be read.");
                    output.WriteLine();
                }
            }

            return code;
        }
    }
}
