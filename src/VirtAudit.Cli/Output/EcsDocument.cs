using System;
using System.Text.Json;

namespace VirtAudit.Cli.Output;

/// <summary>
/// <c>--format ecs</c>: one Elastic Common Schema document per record, the way a fleet of hypervisors ships these
/// records (Filebeat or Elastic Agent reading the NDJSON). <c>event.action</c> uses the names of auditd's normalizer
/// (go-libaudit) and Elastic's auditd module: <c>issued-vm-control</c> (VIRT_CONTROL), <c>assigned-vm-resource</c>
/// (VIRT_RESOURCE), <c>assigned-vm-id</c> (VIRT_MACHINE_ID); <c>event.category</c> is <c>host</c> and
/// <c>event.type</c> <c>start</c>/<c>end</c> for <c>op=start</c>/<c>op=stop</c>, <c>creation</c> for a machine id,
/// <c>info</c> otherwise, as that module's pipeline sets them. docs/ecs.md lists every field.
/// </summary>
internal static class EcsDocument
{
    /// <summary>The ECS version the documents follow.</summary>
    public const string EcsVersion = "8.11.0";

    public static void Write(Utf8JsonWriter w, in AuditLogRecord record, string inputName)
    {
        w.WriteStartObject();
        if (record.HasStamp)
        {
            // Without a stamp (journald) the shipper's read time stands in.
            RecordJson.WriteTime(w, "@timestamp"u8, record);
        }

        w.WriteStartObject("ecs"u8);
        w.WriteString("version"u8, EcsVersion);
        w.WriteEndObject();

        var typeNumber = record.TypeNumber;
        RecordFields.TryFind(record, "res"u8, out var res);
        w.WriteStartObject("event"u8);
        w.WriteString("kind"u8, "event"u8);
        w.WriteString("module"u8, "libvirt"u8);
        w.WriteString("dataset"u8, "libvirt.audit"u8);
        w.WriteStartArray("category"u8);
        w.WriteStringValue(record.IsVirt ? "host"u8 : "process"u8);
        w.WriteEndArray();
        w.WriteStartArray("type"u8);
        w.WriteStringValue(EventType(record, typeNumber));
        w.WriteEndArray();
        if (Action(typeNumber) is { } action)
        {
            w.WriteString("action"u8, action);
        }
        else
        {
            JsonValues.WriteString(w, "action"u8, record.TypeName.Span);
        }

        w.WriteString("outcome"u8, res.SequenceEqual("success"u8) ? "success"u8 : res.SequenceEqual("failed"u8) ? "failure"u8 : "unknown"u8);
        if (record.HasStamp)
        {
            w.WriteNumber("sequence"u8, record.Stamp.Serial);
        }

        w.WriteEndObject();

        if (!record.Origin.IsEmpty)
        {
            // Without node= the shipper's own host metadata (Filebeat's add_host_metadata) names the host.
            w.WriteStartObject("host"u8);
            RecordJson.WriteOrigin(w, "name"u8, record);
            w.WriteEndObject();
        }

        var line = record.Line;
        w.WriteStartObject("process"u8);
        if (line.HasKernelHeader)
        {
            w.WriteNumber("pid"u8, line.KernelHeader.Pid);
        }

        if (record.IsVirt && !record.Virt.Trailer.IsMissing && (record.Virt.Variant is not null || record.Virt.Error is not null))
        {
            w.WritePropertyName("executable"u8);
            JsonValues.WriteText(w, record.Virt.Trailer.Exe);
        }

        w.WriteEndObject();

        if (line.HasKernelHeader)
        {
            var header = line.KernelHeader;
            w.WriteStartObject("user"u8);
            w.WriteString("id"u8, header.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.WriteStartObject("audit"u8);
            w.WriteString("id"u8, header.Auid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteStartObject("log"u8);
        w.WriteStartObject("file"u8);
        w.WriteString("path"u8, inputName);
        w.WriteEndObject();
        w.WriteNumber("offset"u8, record.Offset);
        w.WriteEndObject();

        w.WriteStartObject("libvirt"u8);
        JsonValues.WriteString(w, "record_type"u8, record.TypeName.Span);
        if (record.Virt.IsTyped)
        {
            w.WriteString("variant"u8, record.Virt.Variant!.Name);
            w.WritePropertyName("fields"u8);
            RecordJson.WriteTypedFields(w, record.Virt);
        }
        else
        {
            w.WriteNull("variant"u8);
            w.WritePropertyName("fields"u8);
            RecordJson.WriteFields(w, record);
        }

        w.WriteString("rendering"u8, RecordJson.RenderingName(record.Rendering));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The action auditd's normalizer gives the record type; null for types outside the VIRT set.</summary>
    private static string? Action(int typeNumber) => typeNumber switch
    {
        2500 => "issued-vm-control",
        2501 => "assigned-vm-resource",
        2502 => "assigned-vm-id",
        _ => null,
    };

    private static ReadOnlySpan<byte> EventType(in AuditLogRecord record, int typeNumber)
    {
        if (typeNumber == 2500 && RecordFields.TryFind(record, "op"u8, out var op))
        {
            return op.SequenceEqual("start"u8) ? "start"u8 : op.SequenceEqual("stop"u8) ? "end"u8 : "info"u8;
        }

        return typeNumber == 2502 ? "creation"u8 : "info"u8;
    }
}
