using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace VirtAudit.Cli.Report;

/// <summary>
/// <c>virtaudit report [FILE…] [-o PATH] [--format html|json]</c>: one self-contained HTML evidence report (or its model
/// as JSON) of every guest in the inputs. With no FILE and nothing piped in, the report of the embedded sample. Written
/// to <c>-o</c> (<c>-</c> for standard output), else to <see cref="DefaultName"/> in the current directory; the path
/// is said on stderr.
/// </summary>
internal static class ReportCommand
{
    internal const string DefaultName = "virtaudit-report";

    public static Command Create(CliConsole console, Dictionary<Command, string> examples)
    {
        var files = Commands.Files("report on");
        var output = new Option<string>("--output", "-o") { Description = $"Where to write the report ('-' for standard output). Default: ./{DefaultName}.html (or .json).", HelpName = "PATH" };
        var format = new Option<string>("--format", "-f") { Description = "html (one self-contained page) or json (the report's model for other tools).", DefaultValueFactory = _ => "html" };
        format.AcceptOnlyFromAmong("html", "json");
        var maxGuests = Limit("--max-guests", "Guests kept in full; later guests are counted in the overview only.", new ReportLimits().MaxGuests);
        var maxEvents = Limit("--max-events", "Events kept per guest (the first and last halves); the middle of a longer history is counted by kind.", new ReportLimits().MaxEventsPerGuest);
        var command = new Command("report", "An evidence report of every guest: the inputs and counts, each guest's runs on an SVG timeline with start and stop reasons, device, memory, vCPU and iothread changes, failed operations, the resources at each start and what changed between starts, security labels. One self-contained HTML file (or --format json).")
        {
            files,
            output,
            format,
            maxGuests,
            maxEvents,
        };
        command.SetAction(result => Run(
            result.GetValue(files) ?? Array.Empty<string>(),
            result.GetValue(output),
            result.GetValue(format) == "json",
            new ReportLimits { MaxGuests = result.GetValue(maxGuests), MaxEventsPerGuest = result.GetValue(maxEvents) },
            console));
        examples[command] = """
              virtaudit report                                 the embedded sample, to ./virtaudit-report.html
              virtaudit report -o evidence.html /var/log/audit/audit.log*
              virtaudit report --format json -o - audit.log | jq '.guests[].runs'
              virtaudit report audit.log /var/log/libvirt/libvirtd.log    daemon logs show records that never reached the kernel
            """;
        return command;
    }

    private static Option<int> Limit(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = "N" };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 2)
            {
                r.AddError($"{name} must be at least 2");
            }
        });
        return option;
    }

    public static int Run(IReadOnlyList<string> files, string? output, bool json, ReportLimits limits, CliConsole console)
    {
        var inputs = Inputs.Resolve(files, console);
        var model = Build(inputs, limits, console, out var readable);
        var path = output ?? DefaultName + (json ? ".json" : ".html");
        try
        {
            if (path == "-")
            {
                Write(console.OutputStream, model, json);
                console.OutputStream.Flush();
            }
            else
            {
                using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read))
                {
                    Write(file, model, json);
                }

                console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"virtaudit: wrote the {(json ? "JSON" : "HTML")} report of {Describe(inputs)} ({model.Guests.Count} guests, {model.Records} records) to {Path.GetFullPath(path)}"));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            console.Error.WriteLine($"virtaudit: {path}: cannot write the report: {ex.Message}");
            return ExitCodes.ReadFailure;
        }

        foreach (var summary in model.Summaries)
        {
            console.Error.WriteLine("virtaudit: summarised: " + summary);
        }

        return ParseCommand.Finish(readable, model.ParseErrorCount, console);
    }

    /// <summary>Reads every input once into a report model.</summary>
    internal static ReportModel Build(List<InputSource> inputs, ReportLimits limits, CliConsole console, out bool readable)
    {
        var builder = new ReportBuilder(limits);
        readable = Inputs.ForEach(inputs, console, (input, reader, progress) =>
        {
            builder.BeginInput(input.Name, input.Length);
            try
            {
                while (reader.Read(console.Cancellation))
                {
                    progress?.Update(reader.BytesRead);
                    builder.Add(in reader.Current);
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                builder.EndInput(reader, ex.Message);
                throw;
            }

            builder.EndInput(reader, null);
        });
        return builder.Finish();
    }

    private static void Write(Stream stream, ReportModel model, bool json)
    {
        if (json)
        {
            JsonSerializer.Serialize(stream, model, ReportJsonContext.Default.ReportModel);
            stream.WriteByte((byte)'\n');
            return;
        }

        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 65536, leaveOpen: true) { NewLine = "\n" };
        HtmlReport.Write(writer, model);
    }

    private static string Describe(List<InputSource> inputs) =>
        inputs.Count == 1 ? inputs[0].Name : string.Create(CultureInfo.InvariantCulture, $"{inputs.Count} inputs");
}
