using System.Collections.Generic;
using System.Globalization;
using VirtAudit.Cli.Output;

namespace VirtAudit.Cli;

/// <summary>
/// <c>virtaudit parse</c>: prints the records that pass the filters in the chosen format. A line that is not an audit
/// record goes to stderr as <c>FILE:LINE: part: reason (byte N)</c> and is counted; stdout stays valid output. Exit
/// code 0 when every line was read, 2 when some lines were not audit records, 3 when an input could not be read.
/// </summary>
internal static class ParseCommand
{
    public static int Run(IReadOnlyList<string> files, OutputFormat format, RecordFilter filter, bool noColor, CliConsole console)
    {
        long errors = 0;
        var inputs = Inputs.Resolve(files, console);
        bool readable;
        using (var sink = RecordSink.Create(format, console, console.UseColor(noColor)))
        {
            readable = Inputs.ForEach(inputs, console, (input, reader, progress) =>
            {
                while (reader.Read(console.Cancellation))
                {
                    progress?.Update(reader.BytesRead);
                    errors += Handle(reader.Current, input.Name, filter, sink, console) ? 0 : 1;
                }
            });
        }

        return Finish(readable, errors, console);
    }

    /// <summary>Writes one item: a record that passes the filter to the sink, an error line to stderr.</summary>
    /// <returns>False for an error item that is not a blank line or an ausearch separator.</returns>
    public static bool Handle(in AuditLogItem item, string name, RecordFilter filter, RecordSink sink, CliConsole console)
    {
        if (item.IsError)
        {
            var error = item.Error;
            if (error.IsSkippable)
            {
                return true;
            }

            console.Error.WriteLine(Describe(name, error));
            return false;
        }

        if (filter.Matches(item.Record))
        {
            sink.Write(item.Record, name);
        }

        return true;
    }

    /// <summary>A line that is not a record, as stderr shows it: <c>FILE:LINE: part: reason (byte N)</c>.</summary>
    public static string Describe(string name, in AuditLogError error) =>
        Describe(name, error.LineNumber, error.Part, error.Reason, error.ErrorOffset);

    /// <summary>An error line from its parts.</summary>
    public static string Describe(string name, long lineNumber, string part, string reason, long byteOffset) =>
        string.Create(CultureInfo.InvariantCulture, $"{name}:{lineNumber}{DescribeAfterLine(part, reason, byteOffset)}");

    /// <summary>What follows the line number in an error line (<c>: part: reason (byte N)</c>).</summary>
    public static string DescribeAfterLine(string part, string reason, long byteOffset) =>
        string.Create(CultureInfo.InvariantCulture, $": {part}: {reason} (byte {byteOffset})");

    /// <summary>The exit code after reading, with a count of the lines that were not records on stderr.</summary>
    public static int Finish(bool readable, long errors, CliConsole console)
    {
        if (errors > 0)
        {
            console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"virtaudit: {errors} line(s) were not audit records"));
        }

        return !readable ? ExitCodes.ReadFailure : errors > 0 ? ExitCodes.Usage : ExitCodes.Ok;
    }
}
