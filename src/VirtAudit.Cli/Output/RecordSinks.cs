using System;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace VirtAudit.Cli.Output;

/// <summary>The output formats of <c>parse</c> and <c>follow</c>.</summary>
internal enum OutputFormat
{
    /// <summary>Aligned columns for people.</summary>
    Table,

    /// <summary>One JSON object per record (the output contract).</summary>
    Jsonl,

    /// <summary>One Elastic Common Schema document per record.</summary>
    Ecs,
}

/// <summary>Writes records to standard output, one at a time, in constant memory.</summary>
internal abstract class RecordSink : IDisposable
{
    /// <summary>Creates the sink of <paramref name="format"/>.</summary>
    public static RecordSink Create(OutputFormat format, CliConsole console, bool color) => format switch
    {
        OutputFormat.Jsonl => new JsonSink(console, ecs: false),
        OutputFormat.Ecs => new JsonSink(console, ecs: true),
        _ => new TableSink(console, color),
    };

    /// <summary>Writes one record; <paramref name="inputName"/> is the file it came from.</summary>
    public abstract void Write(in AuditLogRecord record, string inputName);

    /// <summary>Pushes what is buffered to standard output.</summary>
    public abstract void Flush();

    /// <inheritdoc/>
    public void Dispose()
    {
        Flush();
        GC.SuppressFinalize(this);
    }
}

/// <summary>JSON lines (<c>jsonl</c> or <c>ecs</c>) through one reused <see cref="Utf8JsonWriter"/>.</summary>
internal sealed class JsonSink : RecordSink
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly BufferedStream _out;
    private readonly Utf8JsonWriter _writer;
    private readonly bool _ecs;

    public JsonSink(CliConsole console, bool ecs)
    {
        console.Out.Flush();
        _out = new BufferedStream(console.OutputStream, 65536);
        _writer = new Utf8JsonWriter(_out, Options);
        _ecs = ecs;
    }

    public override void Write(in AuditLogRecord record, string inputName)
    {
        if (_ecs)
        {
            EcsDocument.Write(_writer, record, inputName);
        }
        else
        {
            RecordJson.WriteRecord(_writer, record);
        }

        _writer.Flush();
        _writer.Reset();
        _out.WriteByte((byte)'\n');
    }

    public override void Flush()
    {
        _writer.Flush();
        _out.Flush();
    }
}
