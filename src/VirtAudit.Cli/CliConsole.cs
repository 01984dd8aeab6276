using System;
using System.IO;
using System.Text;
using System.Threading;

namespace VirtAudit.Cli;

/// <summary>
/// The process's standard streams and terminal facts, injectable so that every command runs in-process in tests:
/// standard input as a stream, standard output and error as byte streams with UTF-8 text writers over them, whether
/// each is a terminal, the terminal's width, the environment (<c>NO_COLOR</c>) and a cancellation token (Ctrl-C).
/// </summary>
public sealed class CliConsole
{
    private readonly Func<Stream> _openInput;
    private readonly Func<string, string?> _environment;

    /// <summary>Creates a console over the given streams.</summary>
    /// <param name="input">Opens standard input (called at most once per <c>-</c> or pipe).</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="environment">Reads an environment variable (null: none set).</param>
    public CliConsole(Func<Stream> input, Stream output, Stream error, Func<string, string?>? environment = null)
    {
        _openInput = input;
        OutputStream = output;
        ErrorStream = error;
        Out = new StreamWriter(output, new UTF8Encoding(false), 16384, leaveOpen: true) { NewLine = "\n" };
        Error = new StreamWriter(error, new UTF8Encoding(false), 1024, leaveOpen: true) { NewLine = "\n", AutoFlush = true };
        _environment = environment ?? (_ => null);
    }

    /// <summary>The real console of the process.</summary>
    public static CliConsole CreateSystem(CancellationToken cancellation = default) =>
        new(Console.OpenStandardInput, Console.OpenStandardOutput(), Console.OpenStandardError(), Environment.GetEnvironmentVariable)
        {
            IsInputTerminal = !Console.IsInputRedirected,
            IsOutputTerminal = !Console.IsOutputRedirected,
            IsErrorTerminal = !Console.IsErrorRedirected,
            Width = Console.IsOutputRedirected ? 0 : SafeWidth(),
            Cancellation = cancellation,
        };

    /// <summary>Standard output as bytes (JSON lines are written here directly; flush <see cref="Out"/> first).</summary>
    public Stream OutputStream { get; }

    /// <summary>Standard error as bytes.</summary>
    public Stream ErrorStream { get; }

    /// <summary>Standard output as text (buffered; the commands flush it).</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error as text (flushed on every write).</summary>
    public TextWriter Error { get; }

    /// <summary>True when standard input is a terminal (nothing piped in).</summary>
    public bool IsInputTerminal { get; init; }

    /// <summary>True when standard output is a terminal.</summary>
    public bool IsOutputTerminal { get; init; }

    /// <summary>True when standard error is a terminal (the progress bar is drawn only then).</summary>
    public bool IsErrorTerminal { get; init; }

    /// <summary>The terminal's width in columns; 0 when standard output is not a terminal.</summary>
    public int Width { get; init; }

    /// <summary>Cancelled on Ctrl-C (the framework's token is linked to it).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Opens standard input.</summary>
    public Stream OpenInput() => _openInput();

    /// <summary>Reads an environment variable.</summary>
    public string? GetEnvironmentVariable(string name) => _environment(name);

    /// <summary>Colour on standard output: only on a terminal, never with <c>--no-color</c> or <c>NO_COLOR</c> set.</summary>
    public bool UseColor(bool noColorOption) =>
        IsOutputTerminal && !noColorOption && string.IsNullOrEmpty(GetEnvironmentVariable("NO_COLOR"));

    private static int SafeWidth()
    {
        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
