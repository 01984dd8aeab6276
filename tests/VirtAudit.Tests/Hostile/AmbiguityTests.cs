using System.Reflection;
using System.Text;
using VirtAudit.Schema;
using VirtAudit.Tests.Reading;
using VirtAudit.Tests.Records;

namespace VirtAudit.Tests.Hostile;

/// <summary>
/// Issue 12, ambiguity: values libvirt prints raw can hold spaces and <c>key=</c> text. The reader keeps the reading
/// libvirt's format implies and marks the record ambiguous when a raw value holds the key of its own field, of a field
/// that may follow it, or of libaudit's trailer. The catalogue is built from the schema's own field list (the
/// generated <see cref="AuditFieldAttribute"/>s): a new raw field is covered without touching this file.
/// </summary>
public class AmbiguityTests
{
    private const string Header = "type=VIRT_RESOURCE msg=audit(1715510880.307:5025): pid=1187 uid=0 auid=4294967295 ses=4294967295 msg='";
    private static readonly string[] TrailerKeys = ["exe", "hostname", "addr", "terminal", "res"];

    /// <summary>Every (variant, raw field) of the schema: a text field libvirt prints raw that is not one word.</summary>
    public static IEnumerable<object[]> RawFields => RawFieldList().Select(f => new object[] { f.Variant, f.Key });

    /// <summary>Every raw field with every key text that gives its value another reading.</summary>
    public static IEnumerable<object[]> AmbiguousCases =>
        RawFieldList().SelectMany(f => LaterKeys(f.Variant, f.Key).Concat(TrailerKeys).Select(k => new object[] { f.Variant, f.Key, " " + k + "=x" }));

    /// <summary>Every raw field with text that has spaces (and even <c>=</c>) but names no field that may follow.</summary>
    public static IEnumerable<object[]> UnambiguousCases =>
        RawFieldList().SelectMany(f => new[] { " with two spaces", " a=b", " uuid=x", " vm=\"evil\"", " exe", "=x model", " res", " my-ctx=x" }
            .Where(t => !LaterKeys(f.Variant, f.Key).Concat(TrailerKeys).Any(k => t.StartsWith(" " + k + "=", StringComparison.Ordinal)))
            .Select(t => new object[] { f.Variant, f.Key, t }));

    [Fact]
    public void The_catalogue_holds_every_raw_field_of_the_schema()
    {
        // The schema's raw fields today (spec §4.3); the list above comes from the generated attributes, so this pins
        // that they were found, not which ones the catalogue is limited to.
        Assert.Equal(
            ["VirtMachineId.img-ctx", "VirtMachineId.vm-ctx", "VirtResourceEvdev.path", "VirtResourceIvshmemSocket.path", "VirtResourceShmem.path"],
            RawFieldList().Select(f => f.Variant + "." + f.Key).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(AmbiguousCases))]
    public void A_raw_value_holding_the_key_of_a_field_that_may_follow_is_ambiguous(string variant, string key, string text)
    {
        (string line, string value) = Inject(variant, key, text);

        AuditLogRecord record = ReadingSupport.Record(line);

        Assert.True(record.Virt.IsTyped, $"{variant}.{key} with '{text}': {record.Virt.Error}");
        Assert.Equal(variant, record.Virt.Variant!.Name);
        Assert.True(record.IsAmbiguous, $"{variant}.{key} with '{text}' is not marked ambiguous");
        Assert.Equal(AuditRecordNotes.Ambiguous, record.Notes & AuditRecordNotes.Ambiguous);
        string description = record.Virt.AmbiguityDescription!;
        Assert.Contains(text.Substring(0, text.IndexOf('=', StringComparison.Ordinal) + 1), description, StringComparison.Ordinal);
        string? previous = PreviousRawField(variant, key);
        if (text == " " + key + "=x" && previous is not null)
        {
            // Text of a field's own key, when the raw field before it stops at that key: the last such key ends the
            // earlier value (as the trailer is the last exe=), so the text lands in the earlier field, which is marked.
            Assert.Equal(previous, record.Virt.AmbiguousField);
            return;
        }

        Assert.Equal(key, record.Virt.AmbiguousField);
        Assert.Equal(value, ValueOf(record.Virt, variant, key));
        int at = record.Virt.AmbiguityOffset;
        Assert.Equal(text, Encoding.UTF8.GetString(record.Virt.LibvirtPart.Span.Slice(at, text.Length)));
        Assert.StartsWith(key + " holds \"" + text + "\"", description, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(UnambiguousCases))]
    public void A_raw_value_with_spaces_but_no_later_key_is_not_ambiguous(string variant, string key, string text)
    {
        (string line, string value) = Inject(variant, key, text);

        AuditLogRecord record = ReadingSupport.Record(line);

        Assert.True(record.Virt.IsTyped, $"{variant}.{key} with '{text}': {record.Virt.Error}");
        Assert.False(record.IsAmbiguous, record.Virt.AmbiguityDescription);
        Assert.Equal(AuditRecordNotes.None, record.Notes & AuditRecordNotes.Ambiguous);
        Assert.Null(record.Virt.AmbiguousField);
        Assert.Null(record.Virt.AmbiguityDescription);
        Assert.Equal(-1, record.Virt.AmbiguityOffset);
        Assert.Equal(value, ValueOf(record.Virt, variant, key));
    }

    [Fact]
    public void The_issue_example_is_typed_with_libvirts_reading_and_marked()
    {
        const string Payload = "virt=kvm vm=\"a\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 vm-ctx=x model=dac img-ctx=y model=selinux exe=\"/usr/sbin/virtqemud\" hostname=? addr=? terminal=? res=success";

        VirtAuditRecord record = VirtAuditRegistry.Default.Parse(AuditRecordTypes.VirtMachineId, Encoding.UTF8.GetBytes(Payload));

        Assert.True(record.IsTyped, record.Error);
        VirtMachineId id = record.Get<VirtMachineId>();
        Assert.Equal("x model=dac", id.VmCtx.Value);
        Assert.Equal("y", id.ImgCtx.Value);
        Assert.Equal(SecurityModel.SELinux, id.Model.Value);
        Assert.True(record.IsAmbiguous);
        Assert.Equal("vm-ctx", record.AmbiguousField);
        Assert.Equal(
            "vm-ctx holds \" model=dac\" at byte 66: read as libvirt's field order implies, it is part of vm-ctx (\"x model=dac\"); another reading takes model=dac as the field model",
            record.AmbiguityDescription);
    }

    [Fact]
    public void Trailer_text_inside_the_last_raw_path_stays_in_it_and_the_real_result_wins()
    {
        string line = Header + "virt=kvm resrc=evdev reason=start vm=\"a\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 path=/dev/input/x exe=\"/bin/true\" hostname=? addr=? terminal=? res=success" + RecordKit.Trailer.Replace("success", "failed", StringComparison.Ordinal) + "'";

        AuditLogRecord record = ReadingSupport.Record(line);

        Assert.True(record.Virt.IsTyped, record.Virt.Error);
        Assert.False(record.Virt.Trailer.Success);
        Assert.Equal("/dev/input/x exe=\"/bin/true\" hostname=? addr=? terminal=? res=success", record.Virt.Get<VirtResourceEvdev>().Path.Value);
        Assert.True(record.IsAmbiguous);
        Assert.Contains("as libaudit's trailer", record.Virt.AmbiguityDescription, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_an_unambiguous_raw_value_with_spaces_and_equals_signs_allocates_nothing()
    {
        byte[] payload = Encoding.UTF8.GetBytes("virt=kvm resrc=shmem reason=start vm=\"a\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 size=1 path=/dev/shm/a b=c d=e f" + RecordKit.Trailer);
        VirtAuditRegistry registry = VirtAuditRegistry.Default;
        Assert.False(registry.Parse(AuditRecordTypes.VirtResource, payload).IsAmbiguous);

        AllocationProbe.AssertAllocatesNothing("typing 1,000 raw values with spaces and '='", () =>
        {
            long typed = 0;
            for (int i = 0; i < 1000; i++)
            {
                VirtAuditRecord record = registry.Parse(AuditRecordTypes.VirtResource, payload);
                typed += record.IsTyped && !record.IsAmbiguous ? 1 : 0;
            }

            return typed;
        });
    }

    [Fact]
    public void Marking_an_ambiguous_record_allocates_nothing_either()
    {
        byte[] payload = Encoding.UTF8.GetBytes("virt=kvm resrc=shmem reason=start vm=\"a\" uuid=3f1a8c52-6d0e-4b7a-9c1e-2b8f0d4e6a11 size=1 path=/dev/shm/a res=failed" + RecordKit.Trailer);
        VirtAuditRegistry registry = VirtAuditRegistry.Default;
        Assert.True(registry.Parse(AuditRecordTypes.VirtResource, payload).IsAmbiguous);

        AllocationProbe.AssertAllocatesNothing("typing 1,000 ambiguous raw values", () =>
        {
            long marked = 0;
            for (int i = 0; i < 1000; i++)
            {
                marked += registry.Parse(AuditRecordTypes.VirtResource, payload).IsAmbiguous ? 1 : 0;
            }

            return marked;
        });
    }

    private static List<(string Variant, string Key)> RawFieldList() =>
        typeof(VirtAuditRecord).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<AuditVariantAttribute>() is not null)
            .SelectMany(t => t.GetProperties()
                .Select(p => p.GetCustomAttribute<AuditFieldAttribute>())
                .Where(a => a is { Raw: true, Token: false })
                .Select(a => (t.Name, a!.AuditName)))
            .ToList();

    // The libvirt part of the variant's sample, as its fields' keys in order.
    private static List<string> SampleKeys(string variant)
    {
        string sample = Encoding.UTF8.GetString(RecordKit.Cases[variant].Sample);
        string libvirtPart = sample.Substring(0, sample.LastIndexOf(" exe=", StringComparison.Ordinal));
        return libvirtPart.Split(' ').Select(word => word.Substring(0, word.IndexOf('=', StringComparison.Ordinal))).ToList();
    }

    // The field's own key and those after it in the variant (from its sample, which holds every field in order).
    private static IEnumerable<string> LaterKeys(string variant, string key)
    {
        List<string> keys = SampleKeys(variant);
        return keys.Skip(keys.IndexOf(key));
    }

    private static string? PreviousRawField(string variant, string key)
    {
        List<string> keys = SampleKeys(variant);
        int at = keys.IndexOf(key);
        return at > 0 && RawFieldList().Contains((variant, keys[at - 1])) ? keys[at - 1] : null;
    }

    // The sample of the variant with text appended to the raw field's value; the line and the new value.
    private static (string Line, string Value) Inject(string variant, string key, string text)
    {
        string sample = Encoding.UTF8.GetString(RecordKit.Cases[variant].Sample);
        int start = sample.IndexOf(" " + key + "=", StringComparison.Ordinal) + key.Length + 2;
        int end = sample.IndexOf(' ', start);
        string value = sample.Substring(start, end - start) + text;
        return (Header.Replace("VIRT_RESOURCE", RecordKit.Cases[variant].Info.RecordType, StringComparison.Ordinal) + sample.Substring(0, start) + value + sample.Substring(end) + "'", value);
    }

    private static string? ValueOf(in VirtAuditRecord virt, string variant, string key)
    {
        Type type = typeof(VirtAuditRecord).Assembly.GetType("VirtAudit." + variant)!;
        object typed = typeof(VirtAuditRecord).GetMethod(nameof(VirtAuditRecord.Get))!.MakeGenericMethod(type).Invoke(virt, null)!;
        PropertyInfo property = type.GetProperties().Single(p => p.GetCustomAttribute<AuditFieldAttribute>()?.AuditName == key);
        return ((AuditText)property.GetValue(typed)!).Value;
    }
}
