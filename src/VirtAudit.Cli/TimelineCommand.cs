using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using VirtAudit.Cli.Output;

namespace VirtAudit.Cli;

/// <summary>
/// <c>virtaudit timeline (--vm NAME | --uuid UUID)</c>: one guest's life from its records, correlated by UUID (a guest
/// keeps its UUID when renamed; a name reused by another guest is another UUID, shown apart). Every start and stop
/// with its reason, pid and how long the run lasted; the resources the guest had at each start, rebuilt from the
/// <c>reason=start</c> records libvirt writes just before the <c>op=start</c> record (spec §9); every attach,
/// detach, update, mirror and snapshot, applied to that set; failed operations marked <c>FAILED</c> (red on a
/// terminal) and not applied. With <c>--vm</c> and files, a first pass finds the guest's UUIDs so that records
/// under an earlier name are included; from a pipe, the UUID is learnt at the first record with the name.
/// Memory: the state of the selected guests only (their current resource sets), bounded.
/// </summary>
internal static class TimelineCommand
{
    internal const int MaxGuests = 100;
    internal const int MaxResources = 1000;

    public static int Run(IReadOnlyList<string> files, string? vm, Guid? uuid, bool color, CliConsole console)
    {
        var inputs = Inputs.Resolve(files, console);
        var uuids = new HashSet<Guid>();
        if (uuid is { } u)
        {
            uuids.Add(u);
        }

        var vmBytes = vm is null ? null : Encoding.UTF8.GetBytes(vm);
        var rereadable = inputs.TrueForAll(i => i.Name != "<stdin>");
        if (vmBytes is not null && rereadable)
        {
            // First pass: every UUID the name had.
            Inputs.ForEach(inputs, console, (_, reader, _) =>
            {
                while (reader.Read(console.Cancellation))
                {
                    ref readonly var item = ref reader.Current;
                    if (!item.IsError && item.Record.IsVirt && uuids.Count < MaxGuests
                        && RecordFields.DecodedEquals(item.Record, "vm"u8, vmBytes) && RecordFields.TryGetUuid(item.Record, out var id))
                    {
                        uuids.Add(id);
                    }
                }
            });
        }

        var timeline = new Timeline(console.Out, color);
        long errors = 0;
        var readable = Inputs.ForEach(inputs, console, (input, reader, progress) =>
        {
            while (reader.Read(console.Cancellation))
            {
                progress?.Update(reader.BytesRead);
                ref readonly var item = ref reader.Current;
                if (item.IsError)
                {
                    if (!item.Error.IsSkippable)
                    {
                        errors++;
                        console.Error.WriteLine(ParseCommand.Describe(input.Name, item.Error));
                    }

                    continue;
                }

                var record = item.Record;
                if (!record.IsVirt || !RecordFields.TryGetUuid(record, out var id))
                {
                    continue;
                }

                if (!uuids.Contains(id))
                {
                    if (vmBytes is null || rereadable || uuids.Count >= MaxGuests || !RecordFields.DecodedEquals(record, "vm"u8, vmBytes))
                    {
                        continue;
                    }

                    uuids.Add(id);
                }

                timeline.Add(record, id);
            }
        });

        timeline.Finish();
        console.Out.Flush();
        if (timeline.Records == 0)
        {
            console.Error.WriteLine($"virtaudit: no records of {(vm is null ? "the guest " + uuid : "a guest named " + vm)}");
        }

        return ParseCommand.Finish(readable, errors, console);
    }

    /// <summary>The state of the selected guests and the lines written for them.</summary>
    private sealed class Timeline(TextWriter output, bool color)
    {
        private const string Red = "\u001b[31m";
        private const string Reset = "\u001b[0m";
        private readonly Dictionary<Guid, Guest> _guests = new();

        public long Records { get; private set; }

        public void Add(in AuditLogRecord record, Guid id)
        {
            Records++;
            if (!_guests.TryGetValue(id, out var guest))
            {
                _guests[id] = guest = new Guest(id);
            }

            var name = RecordFields.GetDecoded(record, "vm"u8) ?? "?";
            if (guest.Name != name)
            {
                output.WriteLine(guest.Name is null
                    ? $"guest {Quote(name)} uuid={id} virt={RecordFields.GetDecoded(record, "virt"u8) ?? "?"}"
                    : $"{Time(record)}  renamed {Quote(guest.Name)} -> {Quote(name)}{Tag(guest)}");
                guest.Name = name;
            }

            var failed = RecordFields.GetDecoded(record, "res"u8) == "failed";
            var reason = RecordFields.GetDecoded(record, "reason"u8) ?? "?";
            switch (record.TypeNumber)
            {
                case 2500:
                    Control(record, guest, reason, failed);
                    break;
                case 2502:
                    if (guest.Pending.Count < MaxResources)
                    {
                        guest.Pending.Add("label=" + Values(record, skip: ["virt", "vm", "uuid"]));
                    }

                    break;
                case 2501:
                    Resource(record, guest, reason, failed);
                    break;
            }
        }

        public void Finish()
        {
            foreach (var guest in _guests.Values)
            {
                if (guest.RunStart is not null)
                {
                    output.WriteLine($"  still running at the end of the input: started {RecordJson.Iso(guest.RunStart.Value)} pid={guest.RunPid}{Tag(guest)}");
                }

                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"summary: starts={guest.Starts} failed_starts={guest.FailedStarts} stops={guest.Stops} changes={guest.Changes} failed_changes={guest.FailedChanges}{Tag(guest)}"));
            }
        }

        private void Control(in AuditLogRecord record, Guest guest, string reason, bool failed)
        {
            var op = RecordFields.GetDecoded(record, "op"u8) ?? "?";
            var pid = RecordFields.GetDecoded(record, "vm-pid"u8) ?? "?";
            if (op == "start")
            {
                guest.Starts++;
                var line = $"{Time(record)}  start {reason} pid={pid} res={(failed ? "failed" : "success")}";
                if (failed)
                {
                    guest.FailedStarts++;
                    Write(line + "  FAILED", true, guest);
                }
                else
                {
                    Write(line, false, guest);
                    guest.RunStart = record.HasStamp ? record.Stamp : null;
                    guest.RunPid = pid;
                }

                guest.Current.Clear();
                guest.Current.AddRange(guest.Pending);
                output.WriteLine($"  resources at start: {(guest.Pending.Count == 0 ? "(no records)" : string.Join(", ", guest.Pending))}{Tag(guest)}");
                guest.Pending.Clear();
                if (failed)
                {
                    guest.Current.Clear();
                }
            }
            else if (op == "stop")
            {
                guest.Stops++;
                var ran = guest.RunStart is { } start && record.HasStamp
                    ? FormattableString.Invariant($"ran={Seconds(start, record.Stamp)}s run_pid={guest.RunPid}")
                    : "ran=? (no start seen)";
                Write($"{Time(record)}  stop {reason} {ran} pid={pid}", failed, guest);
                output.WriteLine($"  resources at stop: {(guest.Current.Count == 0 ? "(none)" : string.Join(", ", guest.Current))}{Tag(guest)}");
                guest.RunStart = null;
                guest.Current.Clear();
                guest.Pending.Clear();
            }
            else
            {
                Write($"{Time(record)}  {op} {Values(record, skip: ["virt", "op", "vm", "uuid"])}", failed, guest);
            }
        }

        private void Resource(in AuditLogRecord record, Guest guest, string reason, bool failed)
        {
            var resrc = RecordFields.GetDecoded(record, "resrc"u8) ?? "?";
            var (old, @new) = OldNew(record, resrc);
            if (reason == "start")
            {
                if (guest.Pending.Count < MaxResources && @new is not null)
                {
                    guest.Pending.Add($"{resrc}={@new}");
                }

                return;
            }

            if (reason is "open" or "allow" or "deny")
            {
                // Device ACLs and tap opens come with starts and hotplugs; they are not resources of their own.
                return;
            }

            guest.Changes++;
            guest.FailedChanges += failed ? 1 : 0;
            var change = reason switch
            {
                "attach" => @new ?? old ?? "?",
                "detach" => old ?? @new ?? "?",
                _ => $"{old ?? "?"} -> {@new ?? "?"}",
            };
            Write($"{Time(record)}  {reason} {resrc} {change}{(failed ? "  FAILED" : string.Empty)}", failed, guest);
            if (failed)
            {
                return;
            }

            if (old is not null)
            {
                guest.Current.Remove($"{resrc}={old}");
            }

            if (@new is not null && guest.Current.Count < MaxResources)
            {
                if (resrc is "mem" or "vcpu" or "iothread")
                {
                    guest.Current.RemoveAll(r => r.StartsWith(resrc + "=", StringComparison.Ordinal));
                }

                guest.Current.Add($"{resrc}={@new}");
            }
        }

        /// <summary>The old and new value of a resource record: <c>old-X</c>/<c>new-X</c>, else its other fields as the new value.</summary>
        private static (string? Old, string? New) OldNew(in AuditLogRecord record, string resrc)
        {
            if (RecordFields.TryGetOldNew(record, out var oldText, out var newText))
            {
                string? old = oldText is null ? null : Quote(oldText), @new = newText is null ? null : Quote(newText);
                return resrc is "mem" ? (old is null ? null : old + "KiB", @new is null ? null : @new + "KiB") : (old, @new);
            }

            var value = Values(record, skip: ["virt", "resrc", "reason", "vm", "uuid"]);
            return RecordFields.GetDecoded(record, "reason"u8) == "detach" ? (value, null) : (null, value);
        }

        private static string Values(in AuditLogRecord record, string[] skip)
        {
            var text = new StringBuilder();
            foreach (var field in record.Fields)
            {
                if (!field.IsInner)
                {
                    continue;
                }

                var name = Encoding.UTF8.GetString(field.Name.Span);
                if (name is "exe" or "hostname" or "addr" or "terminal" or "res" || Array.IndexOf(skip, name) >= 0)
                {
                    continue;
                }

                text.Append(text.Length == 0 ? string.Empty : " ").Append(name).Append('=').Append(DecodedOrNull(field) ?? "?");
            }

            return text.ToString();
        }

        private static string? DecodedOrNull(in AuditField field) => RecordFields.DecodeToString(field) is { } text ? Quote(text) : null;

        private static string Quote(string text) =>
            text.Length == 0 || text.AsSpan().IndexOfAny(" \",=") >= 0 ? "\"" + text.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"" : text;

        private void Write(string line, bool failed, Guest guest)
        {
            line += Tag(guest);
            output.WriteLine(failed && color ? Red + line + Reset : line);
        }

        private string Tag(Guest guest) => _guests.Count > 1 ? $"  [{guest.Id}]" : string.Empty;

        private static string Time(in AuditLogRecord record) => record.HasStamp ? RecordJson.Iso(record.Stamp) : "(no time)";


        private static string Seconds(AuditStamp from, AuditStamp to) =>
            (((to.Seconds - from.Seconds) * 1000) + to.Milliseconds - from.Milliseconds) is var ms
                ? (ms / 1000m).ToString("0.000", CultureInfo.InvariantCulture)
                : string.Empty;
    }

    private sealed class Guest(Guid id)
    {
        public Guid Id { get; } = id;

        public string? Name { get; set; }

        public List<string> Pending { get; } = new();

        public List<string> Current { get; } = new();

        public AuditStamp? RunStart { get; set; }

        public string? RunPid { get; set; }

        public long Starts { get; set; }

        public long FailedStarts { get; set; }

        public long Stops { get; set; }

        public long Changes { get; set; }

        public long FailedChanges { get; set; }
    }
}
