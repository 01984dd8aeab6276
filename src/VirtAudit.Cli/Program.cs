using System;
using System.Collections.Generic;
using System.IO;

namespace VirtAudit.Cli;

/// <summary>The <c>virtaudit</c> command line.</summary>
public static class Program
{
    /// <summary>Runs a command; returns the process exit code.</summary>
    public static int Main(string[] args) => Run(args, Console.In, Console.Out, Console.Error, Console.IsInputRedirected);

    /// <summary>Runs a command with the given streams (used by tests).</summary>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, bool stdinRedirected)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            stdout.Write(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        return args[0] switch
        {
            "check" => Check(args.AsSpan(1).ToArray(), stdout, stderr, stdinRedirected),
            "emit" => Emit.EmitCommand.Run(args.AsSpan(1).ToArray(), stdout, stderr),
            "--version" => Version(stdout),
            _ => Unknown(args[0], stderr),
        };
    }

    private const string Usage = """
        virtaudit - typed libvirt audit records (VIRT_CONTROL, VIRT_RESOURCE, VIRT_MACHINE_ID)

        usage:
          virtaudit check [--stats] [FILE...]
                                      parse every line (audit.log RAW or ENRICHED, journald / syslog, printk,
                                      ausearch output); type every libvirt VIRT record, re-encode it and compare
                                      the bytes; count records per rendering and per type.
                                      '-' reads standard input. With no FILE and nothing piped in, checks the
                                      embedded sample (a real libvirt 9.0 capture). A record the log
                                      itself cut short (at the kernel's 8560-byte limit, or a cut line) is
                                      reported and counted as truncated, not as an error.
                                      --stats: print bytes read, seconds, MB/s and the process's peak
                                      working set on stderr at the end.
          virtaudit emit KIND --FIELD VALUE... [--success|--failed] [--to stdout|file:PATH|kernel]
                                      build a record (KIND control, resource or machine-id; options named
                                      after its audit fields), check it, and print it, append it to an
                                      audit.log-format file, or send it to the kernel ('emit --help').
          virtaudit --version

        exit codes: 0 all good, 1 a record or line failed, 2 usage error, 3 an input could not be read.

        """;

    private static int Check(string[] args, TextWriter stdout, TextWriter stderr, bool stdinRedirected)
    {
        var files = new List<string>();
        var stats = false;
        foreach (var arg in args)
        {
            if (arg is "-h" or "--help")
            {
                stdout.Write(Usage);
                return 0;
            }

            if (arg == "--stats")
            {
                stats = true;
            }
            else if (arg.Length > 1 && arg[0] == '-')
            {
                stderr.WriteLine($"virtaudit: check: unknown option '{arg}' (a file whose name starts with '-' is ./{arg}; try 'virtaudit --help')");
                return 2;
            }
            else
            {
                files.Add(arg);
            }
        }

        return CheckCommand.Run(files.ToArray(), stdout, stderr, stdinRedirected, stats);
    }

    private static int Version(TextWriter stdout)
    {
        stdout.WriteLine("virtaudit " + typeof(AuditText).Assembly.GetName().Version);
        return 0;
    }

    private static int Unknown(string command, TextWriter stderr)
    {
        stderr.WriteLine($"virtaudit: unknown command '{command}' (try 'virtaudit --help')");
        return 2;
    }
}
