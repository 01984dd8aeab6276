using System;
using System.Collections.Generic;
using System.IO;

namespace VirtAudit.Cli;

/// <summary>One input of a command: a file, standard input, or the embedded sample.</summary>
/// <param name="Name">What errors call it: the path, <c>&lt;stdin&gt;</c> or <c>&lt;embedded sample&gt;</c>.</param>
/// <param name="Length">Its length in bytes when known (a plain file), for the progress bar; else 0.</param>
/// <param name="Open">Opens a reader over it.</param>
/// <param name="Path">The path of a FILE argument (which may be read in blocks); null for standard input and the sample.</param>
internal sealed record InputSource(string Name, long Length, Func<AuditLogReader> Open, string? Path = null);

/// <summary>
/// Turns a command's FILE arguments into inputs: <c>-</c> is standard input; no FILE reads what is piped in, or the
/// embedded sample (announced on stderr) when standard input is a terminal or empty. A missing file, a directory or
/// a file that cannot be read gets one line on stderr (<c>virtaudit: PATH: no such file</c>) and exit code 3.
/// </summary>
internal static class Inputs
{
    internal const string SampleResource = "VirtAudit.Cli.Sample.audit.log";

    /// <summary>The embedded sample: the real libvirt 9.0.0 + auditd 3.0.9 capture in corpus/libvirt-9.0/audit.log.</summary>
    internal static Stream OpenSample() =>
        typeof(Inputs).Assembly.GetManifestResourceStream(SampleResource) ?? throw new InvalidOperationException("the embedded sample is missing");

    /// <summary>The inputs named by <paramref name="files"/>.</summary>
    public static List<InputSource> Resolve(IReadOnlyList<string> files, CliConsole console)
    {
        var inputs = new List<InputSource>();
        if (files.Count == 0)
        {
            var piped = console.IsInputTerminal ? null : OpenPipedInput(console);
            if (piped is not null)
            {
                inputs.Add(new("<stdin>", 0, () => piped));
            }
            else
            {
                console.Error.WriteLine("virtaudit: no FILE given and nothing piped in: reading the embedded sample (libvirt 9.0.0 + auditd 3.0.9 capture)");
                inputs.Add(new("<embedded sample>", 0, () => new AuditLogReader(OpenSample())));
            }

            return inputs;
        }

        foreach (var f in files)
        {
            inputs.Add(f == "-"
                ? new("<stdin>", 0, () => OpenPiped(console.OpenInput()) ?? new AuditLogReader(Stream.Null))
                : new(f, LengthOf(f), () => OpenFile(f), f));
        }

        return inputs;
    }

    /// <summary>Opens a file for reading, with one clear message for what usually goes wrong.</summary>
    /// <exception cref="InputException">The file is missing, a directory, or not readable.</exception>
    public static AuditLogReader OpenFile(string path)
    {
        if (Directory.Exists(path))
        {
            throw new InputException($"{path}: is a directory");
        }

        try
        {
            return AuditLogReader.Open(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputException($"{path}: no such file");
        }
        catch (UnauthorizedAccessException)
        {
            throw new InputException($"{path}: permission denied");
        }
        catch (IOException ex)
        {
            throw new InputException($"{path}: {ex.Message}");
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> over every input in turn. An input that cannot be opened, or that fails under
    /// the reader (an I/O error, a corrupt .gz), is reported on stderr; the others are still read.
    /// </summary>
    /// <returns>False when an input could not be read (exit code 3).</returns>
    public static bool ForEach(List<InputSource> inputs, CliConsole console, Action<InputSource, AuditLogReader, Progress?> body)
    {
        var ok = true;
        foreach (var input in inputs)
        {
            AuditLogReader reader;
            try
            {
                reader = input.Open();
            }
            catch (InputException ex)
            {
                console.Error.WriteLine("virtaudit: " + ex.Message);
                ok = false;
                continue;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                console.Error.WriteLine($"virtaudit: {input.Name}: {ex.Message}");
                ok = false;
                continue;
            }

            using (reader)
            using (var progress = Progress.Create(console, input))
            {
                try
                {
                    body(input, reader, progress);
                }
                catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
                {
                    console.Error.WriteLine($"virtaudit: {input.Name}: read failed after {reader.BytesRead} bytes: {ex.Message}");
                    ok = false;
                }
            }
        }

        return ok;
    }

    private static long LengthOf(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? info.Length : 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return 0;
        }
    }

    /// <summary>Standard input when something is piped in; null when it is empty (e.g. /dev/null).</summary>
    private static AuditLogReader? OpenPipedInput(CliConsole console) => OpenPiped(console.OpenInput());

    /// <summary>
    /// A reader of <paramref name="stdin"/> with its first byte put back; gzip (first byte 0x1F, which no text log
    /// starts with) is decompressed with the checks a .gz file gets (cut short, no trailer, corrupt: an error, exit 3).
    /// Null when it is empty.
    /// </summary>
    internal static AuditLogReader? OpenPiped(Stream stdin)
    {
        var first = new byte[1];
        if (stdin.Read(first, 0, 1) == 0)
        {
            stdin.Dispose();
            return null;
        }

        var input = new PrefixedStream(first[0], stdin);
        return first[0] == 0x1F ? AuditLogReader.OpenGzip(input) : new AuditLogReader(input);
    }
}

/// <summary>An input that cannot be opened; the message is the one line the user sees.</summary>
internal sealed class InputException(string message) : Exception(message);
