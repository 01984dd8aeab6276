using System;
using System.Buffers;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Extensions.Logging;

namespace VirtAudit.Cli.Emit;

/// <summary>
/// <c>virtaudit emit KIND --field value … [--success|--failed] [--to stdout|file:PATH|kernel]</c>: builds a record
/// from options named after its audit fields, checks it as the generated code does, and prints it, appends it to an
/// audit.log-format file, or sends it to the kernel audit subsystem. A self-contained System.CommandLine command.
/// </summary>
public static class EmitCommand
{
    /// <summary>Exit code: sent, printed or written (also: level 1 and the kernel unavailable, which was logged once).</summary>
    public const int Ok = 0;

    /// <summary>Exit code: the kernel or file refused the record, or level 2 and the kernel unavailable.</summary>
    public const int SendFailed = 1;

    /// <summary>Exit code: a usage error, or a record libvirt could not write (the message names the field).</summary>
    public const int UsageError = 2;

    /// <summary>Creates the <c>emit</c> command; its action writes to the invocation's output and error writers.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var kind = new Argument<string>("KIND") { Description = "The record: control (VIRT_CONTROL), resource (VIRT_RESOURCE) or machine-id (VIRT_MACHINE_ID)." };
        kind.AcceptOnlyFromAmong(RecordBuilder.Kinds.Keys.ToArray());
        var success = new Option<bool>("--success") { Description = "The operation succeeded: res=success (the default)." };
        var failed = new Option<bool>("--failed") { Description = "The operation failed: res=failed." };
        var to = new Option<string>("--to")
        {
            Description = "Where the record goes: stdout, file:PATH (appends an audit.log line) or kernel (the audit subsystem; needs CAP_AUDIT_WRITE).",
            DefaultValueFactory = _ => "stdout",
        };
        var format = new Option<string>("--format")
        {
            Description = "stdout: payload (the libvirt payload, as libvirt logs it), raw or enriched (a whole audit.log line). file: raw or enriched (the default).",
        };
        format.AcceptOnlyFromAmong("payload", "raw", "enriched");
        var level = new Option<string>("--audit-level")
        {
            Description = "For --to kernel, libvirt's audit_level: 0 never sends, 1 sends when the kernel has audit and otherwise says so once, 2 (the default) fails when it cannot.",
            DefaultValueFactory = _ => "2",
        };
        level.AcceptOnlyFromAmong("0", "1", "2");
        var logging = new Option<bool>("--audit-logging") { Description = "Also log the record on stderr in libvirt's daemon-log format (audit_logging = 1)." };
        var repeat = new Option<int>("--repeat")
        {
            Description = "Send the record this many times through one emitter (default 1), e.g. to load the kernel's backlog.",
            DefaultValueFactory = _ => 1,
        };
        repeat.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--repeat must be at least 1");
            }
        });

        var command = new Command("emit", "Build a libvirt audit record from its fields, check it, and print it, append it to a file, or send it to the kernel.")
        {
            kind, success, failed, to, format, level, logging, repeat,
        };
        var fields = new List<Option<string>>();
        foreach (string field in RecordBuilder.FieldNames)
        {
            var option = new Option<string>("--" + field) { Description = $"The {field}= field.", HelpName = "VALUE" };
            fields.Add(option);
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            if (parse.GetValue(success) && parse.GetValue(failed))
            {
                return Usage(stderr, "--success and --failed exclude each other");
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Option<string> option in fields)
            {
                if (parse.GetResult(option) is not null)
                {
                    values[option.Name.Substring(2)] = parse.GetValue(option) ?? "";
                }
            }

            if (!RecordBuilder.TryBuild(parse.GetValue(kind)!, values, out VirtAuditVariantInfo? variant, out IVirtAuditPayload? record, out string? error))
            {
                return Usage(stderr, error!);
            }

            var payload = new ArrayBufferWriter<byte>();
            record!.WriteTo(payload);
            return Deliver(variant!.RecordNumber, payload.WrittenSpan, !parse.GetValue(failed), parse.GetValue(to)!, parse.GetValue(format), int.Parse(parse.GetValue(level)!, System.Globalization.CultureInfo.InvariantCulture), parse.GetValue(logging), parse.GetValue(repeat), stdout, stderr);
        });
        return command;
    }

    /// <summary>Runs <c>emit</c> alone (the arguments after <c>emit</c>), for the current <c>Program</c> and tests.</summary>
    /// <param name="args">The arguments after <c>emit</c>.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("virtaudit") { Create() };
        ParseResult parse = root.Parse(new[] { "emit" }.Concat(args).ToArray());
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors)
            {
                stderr.WriteLine("virtaudit: emit: " + parseError.Message);
            }

            return UsageError;
        }

        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private static int Deliver(int recordType, ReadOnlySpan<byte> payload, bool success, string to, string? format, int level, bool auditLogging, int repeat, TextWriter stdout, TextWriter stderr)
    {
        using var logs = new LibvirtLogLoggerProvider(stderr);
        ILogger logger = logs.CreateLogger(AuditEmitter.LoggerCategory);
        if (to == "stdout")
        {
            if (format is null or "payload")
            {
                stdout.WriteLine(Encoding.UTF8.GetString(payload));
                return Ok;
            }

            using var lines = new AuditEmitter(new TextWriterAuditSink(stdout, format == "raw" ? AuditTextForm.RawLine : AuditTextForm.EnrichedLine), logger, auditLogging);
            return Repeat(lines, recordType, payload, success, repeat);
        }

        if (to.StartsWith("file:", StringComparison.Ordinal) && to.Length > "file:".Length)
        {
            if (format == "payload")
            {
                return Usage(stderr, "--format payload is for --to stdout; a file takes raw or enriched lines");
            }

            AuditLogFileSink sink;
            try
            {
                sink = new AuditLogFileSink(to.Substring("file:".Length), format == "raw" ? AuditLogFormat.Raw : AuditLogFormat.Enriched);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"virtaudit: emit: cannot open '{to.Substring("file:".Length)}': {e.Message}");
                return SendFailed;
            }

            using var file = new AuditEmitter(sink, logger, auditLogging);
            return Repeat(file, recordType, payload, success, repeat);
        }

        if (to != "kernel")
        {
            return Usage(stderr, $"--to '{to}': one of stdout, file:PATH, kernel");
        }

        if (format is not null)
        {
            return Usage(stderr, "--format is for stdout and files; the kernel writes its own header");
        }

        AuditEmitter kernel;
        try
        {
            kernel = AuditEmitter.Create(new VirtAuditOptions { AuditLevel = (AuditLevel)level, AuditLogging = auditLogging }, logger);
        }
        catch (AuditUnavailableException e)
        {
            stderr.WriteLine("virtaudit: emit: " + e.Message + " (--audit-level 2)");
            return SendFailed;
        }

        using (kernel)
        {
            AuditSendResult result = default;
            for (int i = 0; i < repeat && (result.IsSuccess || result.Error == AuditSendError.NotSent); i++)
            {
                result = kernel.EmitPayload(recordType, payload, success, "virtaudit.emit", 0);
            }

            if (result.Error == AuditSendError.NotSent)
            {
                return Ok; // level 0, or level 1 without audit: said so once, carried on
            }

            if (result.IsSuccess)
            {
                stdout.WriteLine(Encoding.UTF8.GetString(payload));
            }

            return result.IsSuccess ? Ok : SendFailed;
        }
    }

    private static int Repeat(AuditEmitter emitter, int recordType, ReadOnlySpan<byte> payload, bool success, int repeat)
    {
        for (int i = 0; i < repeat; i++)
        {
            if (!emitter.EmitPayload(recordType, payload, success, "virtaudit.emit", 0).IsSuccess)
            {
                return SendFailed;
            }
        }

        return Ok;
    }

    private static int Usage(TextWriter stderr, string message)
    {
        stderr.WriteLine("virtaudit: emit: " + message);
        return UsageError;
    }
}
