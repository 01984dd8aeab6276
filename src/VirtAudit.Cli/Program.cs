using System;
using System.CommandLine;
using System.CommandLine.Invocation;

namespace VirtAudit.Cli;

/// <summary>The <c>virtaudit</c> command line.</summary>
public static class Program
{
    /// <summary>Runs a command on the process's console; returns the process exit code.</summary>
    public static int Main(string[] args)
    {
        using var cancel = new System.Threading.CancellationTokenSource();
        var console = CliConsole.CreateSystem(cancel.Token);
        Console.CancelKeyPress += (_, e) =>
        {
            // Ctrl-C: the command stops at its next read and exits cleanly; a second Ctrl-C ends the process.
            e.Cancel = !cancel.IsCancellationRequested;
            cancel.Cancel();
        };
        return Run(args, console);
    }

    /// <summary>Runs a command on <paramref name="console"/> (tests pass their own streams); returns the exit code.</summary>
    public static int Run(string[] args, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var root = Commands.Build(console);
        var result = root.Parse(args);
        int code;
        if (result.Errors.Count > 0 && result.Action is ParseErrorAction)
        {
            foreach (var error in result.Errors)
            {
                console.Error.WriteLine("virtaudit: " + error.Message);
            }

            console.Error.WriteLine($"try 'virtaudit {(result.CommandResult.Command is RootCommand ? string.Empty : result.CommandResult.Command.Name + " ")}--help'");
            code = ExitCodes.Usage;
        }
        else
        {
            var configuration = new InvocationConfiguration
            {
                Output = console.Out,
                Error = console.Error,
                ProcessTerminationTimeout = null,
                EnableDefaultExceptionHandler = false,
            };
            try
            {
                code = result.Invoke(configuration);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C (follow handles it itself and exits 0).
                console.Out.Flush();
                console.Error.WriteLine("virtaudit: interrupted");
                code = ExitCodes.Interrupted;
            }
        }

        console.Out.Flush();
        console.Error.Flush();
        return code;
    }
}
