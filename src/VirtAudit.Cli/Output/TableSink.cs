using System;
using System.Text;

namespace VirtAudit.Cli.Output;

/// <summary>
/// <c>--format table</c>: one aligned row per record: time, type, guest, what happened (<c>op reason</c>,
/// <c>resrc reason</c>), the result and the other fields decoded. On a terminal the guest column and the row are cut
/// to fit with <c>…</c>; when piped every value is whole. Colour (on a terminal only) marks failures red.
/// </summary>
internal sealed class TableSink : RecordSink
{
    private const int TimeWidth = 23;
    private const int TypeWidth = 15;
    private const int VmWidth = 20;
    private const int EventWidth = 21;
    private const int ResWidth = 7;
    private const string Red = "\u001b[31m";
    private const string Bold = "\u001b[1m";
    private const string Reset = "\u001b[0m";

    private readonly CliConsole _console;
    private readonly bool _color;
    private readonly int _width;
    private readonly StringBuilder _row = new();
    private bool _headerWritten;

    public TableSink(CliConsole console, bool color)
    {
        _console = console;
        _color = color;
        _width = console.IsOutputTerminal ? Math.Max(console.Width, 60) : 0;
    }

    public override void Write(in AuditLogRecord record, string inputName)
    {
        if (!_headerWritten)
        {
            _headerWritten = true;
            var header = Row("TIME", "TYPE", "VM", "EVENT", "RES", "DETAILS");
            _console.Out.WriteLine(_color ? Bold + header + Reset : header);
        }

        string time;
        if (record.HasStamp)
        {
            Span<byte> text = stackalloc byte[32];
            RecordJson.FormatTime(record.Stamp, text, out var n);
            text[10] = (byte)' ';
            time = Encoding.ASCII.GetString(text.Slice(0, n - 1));
        }
        else
        {
            time = "-";
        }

        var type = Encoding.UTF8.GetString(record.TypeName.Span);
        var vm = RecordFields.GetDecoded(record, "vm"u8) ?? string.Empty;
        var res = RecordFields.GetDecoded(record, "res"u8) ?? string.Empty;
        var what = Event(record);
        var details = Details(record);
        var row = Row(time, type, vm, what, res, details);
        if (_color && res == "failed")
        {
            row = Red + row + Reset;
        }

        _console.Out.WriteLine(row);
    }

    public override void Flush() => _console.Out.Flush();

    /// <summary><c>op reason</c> of a VIRT_CONTROL record, <c>resrc reason</c> of a VIRT_RESOURCE, <c>label model</c> of a VIRT_MACHINE_ID.</summary>
    private static string Event(in AuditLogRecord record)
    {
        if (!record.IsVirt)
        {
            return string.Empty;
        }

        var reason = RecordFields.GetDecoded(record, "reason"u8);
        var head = RecordFields.GetDecoded(record, "op"u8) ?? RecordFields.GetDecoded(record, "resrc"u8);
        if (head is null && RecordFields.GetDecoded(record, "model"u8) is { } model)
        {
            return "label " + model;
        }

        return reason is null ? head ?? string.Empty : head is null ? reason : head + " " + reason;
    }

    private string Details(in AuditLogRecord record)
    {
        _row.Clear();
        if (record.Virt.IsTyped)
        {
            foreach (var field in new AuditFieldEnumerator(record.Virt.LibvirtPart))
            {
                var name = field.Name.Span;
                if (name.SequenceEqual("virt"u8) || name.SequenceEqual("op"u8) || name.SequenceEqual("reason"u8) || name.SequenceEqual("resrc"u8) || name.SequenceEqual("vm"u8))
                {
                    continue;
                }

                var role = AmbiguousFields.Of(record.Virt, field);
                if (role == AmbiguousFields.Role.Ambiguous)
                {
                    var text = Encoding.UTF8.GetString(record.Virt.AmbiguousValue.Span);
                    _row.Append(_row.Length == 0 ? string.Empty : " ").Append(Encoding.UTF8.GetString(name)).Append("=\"").Append(text).Append('"');
                }
                else if (role == AmbiguousFields.Role.Plain)
                {
                    AppendDecoded(field);
                }
            }

            if (record.Virt.IsAmbiguous)
            {
                _row.Append(" [ambiguous: ").Append(record.Virt.AmbiguityDescription).Append(']');
            }
        }
        else
        {
            foreach (var field in record.Fields)
            {
                _row.Append(_row.Length == 0 ? string.Empty : " ").Append(Encoding.UTF8.GetString(field.Name.Span)).Append('=').Append(Encoding.UTF8.GetString(field.Value.Span));
            }
        }

        return _row.ToString();
    }

    private void AppendDecoded(in AuditField field)
    {
        if (_row.Length > 0)
        {
            _row.Append(' ');
        }

        _row.Append(Encoding.UTF8.GetString(field.Name.Span)).Append('=');
        var text = RecordFields.DecodeToString(field) ?? "?";
        _row.Append(text.Contains(' ', StringComparison.Ordinal) ? "\"" + text + "\"" : text);
    }

    private string Row(string time, string type, string vm, string what, string res, string details)
    {
        var line = new StringBuilder(160);
        line.Append(time.PadRight(TimeWidth)).Append("  ");
        line.Append(type.PadRight(TypeWidth)).Append("  ");
        line.Append(Cut(vm, VmWidth).PadRight(VmWidth)).Append("  ");
        line.Append(Cut(what, EventWidth).PadRight(EventWidth)).Append("  ");
        line.Append(res.PadRight(ResWidth)).Append("  ");
        line.Append(details);
        var text = line.ToString().TrimEnd();
        return _width > 0 ? Cut(text, _width) : text;
    }

    /// <summary>On a terminal, cuts <paramref name="text"/> to <paramref name="width"/> columns ending in <c>…</c>; piped, keeps it whole.</summary>
    private string Cut(string text, int width) =>
        _width > 0 && text.Length > width ? string.Concat(text.AsSpan(0, width - 1), "…") : text;
}
