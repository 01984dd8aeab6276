using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace VirtAudit.Cli.Report;

/// <summary>
/// What <c>virtaudit report</c> found in its inputs: the overview, then one entry per guest (correlated by UUID). Built
/// in one streaming pass by <see cref="ReportBuilder"/>; written as HTML (<see cref="HtmlReport"/>) or as this model in
/// JSON (<c>--format json</c>, <see cref="ReportJsonContext"/>). Every list is bounded by <see cref="Limits"/>; what did
/// not fit is counted (the <c>…Omitted</c> numbers) and named in <see cref="Summaries"/>.
/// </summary>
internal sealed class ReportModel
{
    public string Tool { get; set; } = "virtaudit report";

    public List<ReportInput> Inputs { get; set; } = new();

    public ReportLimits Limits { get; set; } = new();

    /// <summary>Sentences saying what was summarised because a limit was reached; empty when the report is complete.</summary>
    public List<string> Summaries { get; set; } = new();

    public long Lines { get; set; }

    public long Records { get; set; }

    public long VirtRecords { get; set; }

    public string? FirstTime { get; set; }

    public string? LastTime { get; set; }

    /// <summary>Hosts from <c>node=</c> (else the syslog / journald host), with their record counts.</summary>
    public List<KeyCount> Hosts { get; set; } = new();

    public List<KeyCount> Renderings { get; set; } = new();

    public List<KeyCount> Types { get; set; } = new();

    public List<KeyCount> Variants { get; set; } = new();

    public List<KeyCount> Results { get; set; } = new();

    public long ParseErrorCount { get; set; }

    public List<RecordRef> ParseErrors { get; set; } = new();

    /// <summary>Records whose <c>msg='…'</c> was cut (no closing quote, or the kernel's 8560-byte limit).</summary>
    public long CutRecordCount { get; set; }

    public List<RecordRef> CutRecords { get; set; } = new();

    /// <summary>Records that never reached the kernel: libvirt logged <c>Failed to send audit message</c>.</summary>
    public long NotSentCount { get; set; }

    public List<RecordRef> NotSent { get; set; } = new();

    public long FailureCount { get; set; }

    public List<RecordRef> Failures { get; set; } = new();

    /// <summary>Every guest seen, including those beyond <see cref="ReportLimits.MaxGuests"/>.</summary>
    public long GuestCount { get; set; }

    /// <summary>VIRT records of guests beyond <see cref="ReportLimits.MaxGuests"/> (counted above, not kept per guest).</summary>
    public long GuestRecordsOmitted { get; set; }

    public List<GuestReport> Guests { get; set; } = new();
}

/// <summary>The bounds the report was built with.</summary>
internal sealed class ReportLimits
{
    /// <summary>Guests kept; the records of later ones are counted only.</summary>
    public int MaxGuests { get; set; } = 200;

    /// <summary>Events kept per guest: the first half and the last half; the middle is counted by kind.</summary>
    public int MaxEventsPerGuest { get; set; } = 200;

    /// <summary>Runs kept per guest: the first half and the last half.</summary>
    public int MaxRunsPerGuest { get; set; } = 60;

    /// <summary>Resources kept in one resource set.</summary>
    public int MaxResources { get; set; } = 100;

    /// <summary>Entries kept in each overview list (errors, cut, not sent, failures) and distinct keys per count.</summary>
    public int MaxListed { get; set; } = 1000;

    /// <summary>Bytes of a raw line kept with an event or overview entry (longer ones end with …).</summary>
    public int MaxRawBytes { get; set; } = 2048;
}

/// <summary>One input and what its reader saw.</summary>
internal sealed class ReportInput
{
    public string Name { get; set; } = string.Empty;

    public long Bytes { get; set; }

    public long Lines { get; set; }

    public long Records { get; set; }

    public long Errors { get; set; }

    /// <summary>Lines of a daemon log that were not audit messages (skipped) or joined to the message before them.</summary>
    public long LinesSkipped { get; set; }

    public long LinesJoined { get; set; }

    public List<KeyCount> Renderings { get; set; } = new();

    /// <summary>The read failed (I/O error, corrupt gzip): the message; the counts are what was read before it.</summary>
    public string? ReadError { get; set; }
}

internal sealed class KeyCount
{
    public string Key { get; set; } = string.Empty;

    public long Count { get; set; }
}

/// <summary>A line of an input: where it is, what it was, and for overview lists the guest it belongs to.</summary>
internal sealed class RecordRef
{
    public string Input { get; set; } = string.Empty;

    public long Line { get; set; }

    public long Offset { get; set; }

    public string? Time { get; set; }

    public string? Type { get; set; }

    public string? Guest { get; set; }

    public string? GuestName { get; set; }

    /// <summary>The event's id in its guest's <see cref="GuestReport.Events"/>, when it was kept there.</summary>
    public int? EventId { get; set; }

    /// <summary>What it says: the error's part and reason, the operation, why a send failed.</summary>
    public string Summary { get; set; } = string.Empty;

    public string? Raw { get; set; }
}

/// <summary>One guest, correlated by UUID, with every name it had.</summary>
internal sealed class GuestReport
{
    public string Uuid { get; set; } = string.Empty;

    /// <summary>Every name, in the order first seen.</summary>
    public List<string> Names { get; set; } = new();

    public List<string> Virt { get; set; } = new();

    public List<string> Hosts { get; set; } = new();

    public long Records { get; set; }

    public string? FirstTime { get; set; }

    public string? LastTime { get; set; }

    public long Starts { get; set; }

    public long FailedStarts { get; set; }

    public long Stops { get; set; }

    public long Changes { get; set; }

    public long FailedOperations { get; set; }

    public long NotSent { get; set; }

    /// <summary>Device ACL and tap-open records (cgroup allow/deny, net open): counted, kept as events only when failed.</summary>
    public long AccessRecords { get; set; }

    public List<RunReport> Runs { get; set; } = new();

    public long RunsOmitted { get; set; }

    public List<GuestEvent> Events { get; set; } = new();

    public long EventsOmitted { get; set; }

    /// <summary>The omitted events by kind (<c>attach disk</c>, <c>stop destroyed</c>, …).</summary>
    public List<KeyCount> EventsOmittedByKind { get; set; } = new();

    public List<SecurityLabel> Labels { get; set; } = new();

    /// <summary>The resources after the last record (the running guest's set, or the last stopped one's).</summary>
    public List<ResourceItem> CurrentResources { get; set; } = new();
}

/// <summary>A run: a start (or the input's beginning) to a stop (or the input's end).</summary>
internal sealed class RunReport
{
    /// <summary>1-based, counting every run of the guest (also those omitted).</summary>
    public long Number { get; set; }

    /// <summary>The start's <c>reason=</c> (booted, restored, migrated, from-snapshot, …); null when the run began before the input.</summary>
    public string? StartReason { get; set; }

    public string? StartTime => ReportBuilder.Iso(StartMs);

    public long? StartMs { get; set; }

    public int? StartEvent { get; set; }

    /// <summary>The start failed (<c>res=failed</c>): the guest never ran; the run is only the attempt.</summary>
    public bool StartFailed { get; set; }

    public string? Pid { get; set; }

    /// <summary>The stop's <c>reason=</c> (destroyed, shutdown, crashed, failed, saved, migrated, from-snapshot, …); null while running at the input's end, and for a failed start (which never ran).</summary>
    public string? StopReason { get; set; }

    public string? StopTime => ReportBuilder.Iso(StopMs);

    public long? StopMs { get; set; }

    public int? StopEvent { get; set; }

    public bool StopFailed { get; set; }

    /// <summary>The resource set at the start, from the <c>reason=start</c> records written just before it.</summary>
    public List<ResourceItem> Resources { get; set; } = new();

    public long ResourcesOmitted { get; set; }

    /// <summary>What differs from the previous start's set: added, removed, and scalar changes (mem, vcpu, iothread).</summary>
    public List<ResourceChange> ChangesSincePreviousStart { get; set; } = new();

    /// <summary>True when there was a previous start to compare with.</summary>
    public bool HasPreviousStart { get; set; }
}

/// <summary>One resource: its kind (<c>resrc=</c>) and value (a path, a MAC, a number, or its other fields).</summary>
internal sealed class ResourceItem
{
    public string Kind { get; set; } = string.Empty;

    public string Value { get; set; } = string.Empty;
}

internal sealed class ResourceChange
{
    public string Kind { get; set; } = string.Empty;

    /// <summary><c>added</c>, <c>removed</c> or <c>changed</c>.</summary>
    public string Change { get; set; } = string.Empty;

    public string? Old { get; set; }

    public string? New { get; set; }
}

/// <summary>A VIRT_MACHINE_ID label of the guest, with how often and where first seen.</summary>
internal sealed class SecurityLabel
{
    public string Model { get; set; } = string.Empty;

    public string? VmCtx { get; set; }

    public string? ImgCtx { get; set; }

    public long Count { get; set; }

    public string Input { get; set; } = string.Empty;

    public long FirstLine { get; set; }

    public string? FirstTime { get; set; }
}

/// <summary>One kept record of a guest: a start, a stop, a resource change, another operation, or a failed one.</summary>
internal sealed class GuestEvent
{
    /// <summary>The event's number among all the guest's events (0-based; unique within the guest).</summary>
    public int Id { get; set; }

    /// <summary><c>start</c>, <c>stop</c>, <c>attach</c>, <c>detach</c>, <c>update</c>, <c>resize</c>, <c>control</c>, <c>resource</c>, <c>access</c>.</summary>
    public string Kind { get; set; } = string.Empty;

    public string Type { get; set; } = string.Empty;

    public string? Variant { get; set; }

    /// <summary><c>op=</c> of a VIRT_CONTROL, <c>resrc=</c> of a VIRT_RESOURCE.</summary>
    public string? What { get; set; }

    public string? Reason { get; set; }

    public string? Result { get; set; }

    public bool Failed { get; set; }

    /// <summary>libvirt logged that this message never reached the kernel.</summary>
    public bool NotSent { get; set; }

    public string? NotSentReason { get; set; }

    public string? Time => ReportBuilder.Iso(Ms);

    /// <summary>Unix milliseconds (from the stamp, else the daemon log's time); null without a time.</summary>
    public long? Ms { get; set; }

    /// <summary>The run it happened in (its <see cref="RunReport.Number"/>); null outside runs.</summary>
    public long? Run { get; set; }

    public string Summary { get; set; } = string.Empty;

    public string Input { get; set; } = string.Empty;

    public long Line { get; set; }

    public string Rendering { get; set; } = string.Empty;

    /// <summary>Every field of the record, decoded (<c>?</c> when absent), derived from the kept line when written.</summary>
    public List<KeyValue> Fields => ReportBuilder.FieldsOf(RawBytes);

    /// <summary>The line as read (longer ones cut at <see cref="ReportLimits.MaxRawBytes"/>, with their length).</summary>
    public string Raw => RawLength > RawBytes.Length
        ? System.Text.Encoding.UTF8.GetString(RawBytes) + System.FormattableString.Invariant($"\u2026 ({RawLength} bytes)")
        : System.Text.Encoding.UTF8.GetString(RawBytes);

    /// <summary>The line's bytes as kept: the one copy of the record an event holds (its text and fields come from it).</summary>
    [JsonIgnore]
    public byte[] RawBytes { get; set; } = System.Array.Empty<byte>();

    [JsonIgnore]
    public int RawLength { get; set; }
}

internal sealed class KeyValue
{
    public string Name { get; set; } = string.Empty;

    public string? Value { get; set; }
}

/// <summary>The report model as JSON, source-generated (no reflection: the tool stays trim- and AOT-safe).</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ReportModel))]
internal sealed partial class ReportJsonContext : JsonSerializerContext
{
}
