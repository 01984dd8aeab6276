using System.Reflection;
using Microsoft.CodeAnalysis;

namespace VirtAudit.Generators.Tests;

/// <summary>A consumer schema that says <c>extends: virt-audit</c> builds on the built-in schema by name.</summary>
public sealed class ExtensionTests
{
    private const string Contoso = """
        virtaudit: 1
        namespace: Contoso.Audit
        registry: ContosoSchema
        extends: virt-audit
        enums:
          - name: ContosoReason
            extends: VirtResourceReason
            doc: The built-in resource reasons and Contoso's own.
            values:
              - { audit: rotate, doc: The vsock CID was rotated. }
        variants:
          - name: VirtResourceVsock
            record: VIRT_RESOURCE
            doc: A vsock device (Contoso's agent).
            fields:
              - { use: virt }
              - { audit: resrc, value: vsock }
              - { audit: reason, type: enum, enum: ContosoReason, doc: Why. }
              - { use: vm }
              - { use: uuid }
              - { audit: cid, type: uint64, doc: The guest context id. }
              - { audit: path, type: text, encoding: encoded, doc: The host socket. }
          - name: TieredDisk
            record: VIRT_RESOURCE
            extends: VirtResourceDisk
            doc: A disk record with Contoso's storage tier after libvirt's fields.
            fields:
              - { audit: tier, type: text, doc: The storage tier. }
        """;

    private const string Program = """
        using System;
        using System.Text;
        using Contoso.Audit;
        using VirtAudit;

        public static class Probe
        {
            public static string Run()
            {
                var line = "virt=kvm resrc=vsock reason=rotate vm=\"web1\" uuid=9b2d6e1f-0c4a-4f3e-8d57-6a1b2c3d4e5f cid=42 path=2F72756E2F76736F636B20312E736F636B exe=\"/usr/sbin/contosod\" hostname=? addr=? terminal=? res=success";
                var record = ContosoSchema.Registry.Parse(2501, Encoding.UTF8.GetBytes(line));
                var vsock = record.Get<VirtResourceVsock>();
                var disk = ContosoSchema.Registry.Parse(2501, Encoding.UTF8.GetBytes("virt=kvm resrc=disk reason=start vm=\"a\" uuid=9b2d6e1f-0c4a-4f3e-8d57-6a1b2c3d4e5f old-disk=\"?\" new-disk=\"/d\" tier=gold"));
                var plain = ContosoSchema.Registry.Parse(2501, Encoding.UTF8.GetBytes("virt=kvm resrc=disk reason=start vm=\"a\" uuid=9b2d6e1f-0c4a-4f3e-8d57-6a1b2c3d4e5f old-disk=\"?\" new-disk=\"/d\""));
                var built = new VirtResourceVsock { Virt = VirtType.Kvm, Reason = ContosoReason.Attach, Vm = "web1", Uuid = Guid.Empty, Cid = 3, Path = "/run/v.sock" };
                var buffer = new byte[256];
                built.TryFormat(buffer, out var written);

                // The runtime's reader types the consumer's variants when it is given the consumer's registry.
                var log = "type=VIRT_RESOURCE msg=audit(1715510880.301:5014): pid=1187 uid=0 auid=4294967295 ses=4294967295 msg='" + line + "'\n";
                using var reader = new AuditLogReader(new System.IO.MemoryStream(Encoding.UTF8.GetBytes(log)), new AuditLogReaderOptions { Registry = ContosoSchema.Registry });
                reader.Read();
                var viaReader = reader.Current.Record.TryGet(out VirtResourceVsock fromLog) ? fromLog.Cid : 0UL;
                using var builtInOnly = new AuditLogReader(new System.IO.MemoryStream(Encoding.UTF8.GetBytes(log)));
                builtInOnly.Read();
                return string.Join("|", viaReader, builtInOnly.Current.Record.IsTyped,
                    record.Variant!.Name, vsock.Cid, vsock.Path.ToString(), vsock.Reason == ContosoReason.Rotate, vsock.Virt == VirtType.Kvm,
                    disk.Variant!.Name, disk.Get<TieredDisk>().Tier.ToString(), plain.Variant!.Name,
                    VirtAuditRegistry.Default.Parse(2501, Encoding.UTF8.GetBytes(line)).IsTyped,
                    Encoding.UTF8.GetString(buffer, 0, written));
            }
        }
        """;

    [Fact]
    public void A_consumer_schema_extends_the_built_in_one_and_joins_its_dispatcher()
    {
        var (result, output, diagnostics) = GeneratorHarness.Run(new[] { new InMemoryText("/c/contoso.virtaudit.yaml", Contoso) }, Program);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(diagnostics);
        var hints = result.Results.Single().GeneratedSources.Select(s => s.HintName).ToList();
        Assert.Equal(new[] { "Contoso.Audit.ContosoReason.g.cs", "Contoso.Audit.ContosoSchema.g.cs", "Contoso.Audit.TieredDisk.g.cs", "Contoso.Audit.VirtResourceVsock.g.cs" }, hints.Order());

        using var image = new MemoryStream();
        var emit = output.Emit(image);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        var assembly = Assembly.Load(image.ToArray());
        var text = (string)assembly.GetType("Probe")!.GetMethod("Run")!.Invoke(null, null)!;
        Assert.Equal(
            "42|False|VirtResourceVsock|42|/run/vsock 1.sock|True|True|TieredDisk|gold|VirtResourceDisk|False|virt=kvm resrc=vsock reason=attach vm=\"web1\" uuid=00000000-0000-0000-0000-000000000000 cid=3 path=\"/run/v.sock\"",
            text);
    }

    [Fact]
    public void Nullable_numbers_and_uuids_read_and_write_a_bare_question_mark()
    {
        const string schema = """
            virtaudit: 1
            namespace: Gauges.Audit
            registry: ProbeSchema
            extends: virt-audit
            variants:
              - name: Gauge
                record: VIRT_RESOURCE
                doc: A probe.
                fields:
                  - { audit: resrc, value: gauge }
                  - { audit: level, type: int64, nullable: true, doc: Level. }
                  - { audit: owner, type: uuid, nullable: true, doc: Owner. }
                  - { audit: mask, type: hexbyte, nullable: true, doc: Mask. }
            """;
        const string program = """
            using System.Text;
            using Gauges.Audit;

            public static class Probe
            {
                public static string Run()
                {
                    var absent = Gauge.Parse(Encoding.UTF8.GetBytes("resrc=gauge level=? owner=? mask=?"));
                    var present = Gauge.Parse(Encoding.UTF8.GetBytes("resrc=gauge level=-5 owner=9b2d6e1f-0c4a-4f3e-8d57-6a1b2c3d4e5f mask=0F"));
                    var buffer = new byte[128];
                    absent.TryFormat(buffer, out var a);
                    var first = Encoding.UTF8.GetString(buffer, 0, a);
                    present.TryFormat(buffer, out var p);
                    return first + "|" + Encoding.UTF8.GetString(buffer, 0, p) + "|" + (absent.Level is null) + (present.Mask == 15);
                }
            }
            """;
        Assert.Equal(
            "resrc=gauge level=? owner=? mask=?|resrc=gauge level=-5 owner=9b2d6e1f-0c4a-4f3e-8d57-6a1b2c3d4e5f mask=0F|TrueTrue",
            CompileAndRun(schema, program));
    }

    [Fact]
    public void A_closed_enum_and_the_built_in_value_rules_hold_in_a_consumer_variant()
    {
        // closed: a value the schema does not list is refused (parse and IsValid). The built-in enums keep their
        // only-in/only-with rules in the consumer's own variants (the analyzer judges records built in code the same way).
        const string schema = """
            virtaudit: 1
            namespace: Lamps.Audit
            registry: LampSchema
            extends: virt-audit
            enums:
              - name: LampState
                doc: On or off, nothing else.
                closed: true
                values: [ on, off ]
            variants:
              - name: Lamp
                record: VIRT_RESOURCE
                doc: A lamp.
                fields:
                  - { audit: resrc, value: lamp }
                  - { audit: reason, type: enum, enum: VirtResourceReason, doc: Why. }
                  - { audit: state, type: enum, enum: LampState, doc: State. }
            """;
        const string program = """
            using System.Text;
            using Lamps.Audit;
            using VirtAudit;

            public static class Probe
            {
                private static string Read(string payload)
                {
                    var record = LampSchema.Registry.Parse(2501, Encoding.UTF8.GetBytes(payload + " exe=\"/usr/bin/lampd\" hostname=? addr=? terminal=? res=success"));
                    return record.IsTyped ? "typed" : record.ErrorField + ":" + record.Error;
                }

                public static string Run()
                {
                    var other = new Lamp { Reason = VirtResourceReason.Attach, State = LampState.Other }.IsValid(out var otherError);
                    return string.Join("|",
                        Read("resrc=lamp reason=attach state=on"),
                        Read("resrc=lamp reason=attach state=blink"),
                        Read("resrc=lamp reason=allow state=off"),
                        Read("resrc=lamp reason=rotate state=off"),
                        other + ":" + otherError);
                }
            }
            """;
        var parts = CompileAndRun(schema, program).Split('|');
        Assert.Equal("typed", parts[0]);
        Assert.Equal("state:State (state) must be on or off: the schema lists every value written there", parts[1]);
        Assert.Equal("reason:Reason (reason) = allow is only written in VirtResourceCgroup records", parts[2]);
        Assert.Equal("typed", parts[3]); // VirtResourceReason is open: an unknown reason is kept
        Assert.Equal("False:State (state) must be on or off: the schema lists every value written there", parts[4]);
    }

    [Fact]
    public void Closed_must_be_true_or_false()
    {
        var (result, _, _) = GeneratorHarness.Run(new[] { new InMemoryText("/c/bad.virtaudit.yaml", """
            virtaudit: 1
            namespace: Bad.Audit
            registry: BadSchema
            enums:
              - name: LampState
                closed: yes
                values: [ on, off ]
            """) });
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("VA1002", error.Id);
        Assert.Contains("'closed' must be true or false, not 'yes'", error.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(6, error.Location.GetLineSpan().StartLinePosition.Line + 1);
    }

    [Theory]
    [InlineData("{ audit: reason, type: enum, enum: VirtResourceReason, values: [attach, plug], doc: Why. }", 9, "'values' of field 'reason' names 'plug', which enum 'VirtResourceReason' does not have")]
    [InlineData("{ audit: reason, type: text, values: [attach], doc: Why. }", 9, "'values' applies only to an enum field; 'reason' is not one")]
    public void Values_name_members_of_an_enum_field(string field, int line, string message)
    {
        var (result, _, _) = GeneratorHarness.Run(new[] { new InMemoryText("/c/bad.virtaudit.yaml", $$"""
            virtaudit: 1
            namespace: Bad.Audit
            registry: BadSchema
            extends: virt-audit
            variants:
              - name: Plug
                record: VIRT_RESOURCE
                doc: A plug.
                fields: [ { audit: resrc, value: plug }, {{field}} ]
            """) });
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("VA1002", error.Id);
        Assert.Contains(message, error.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(line, error.Location.GetLineSpan().StartLinePosition.Line + 1);
    }

    private static string CompileAndRun(string schema, string program)
    {
        var (result, output, diagnostics) = GeneratorHarness.Run(new[] { new InMemoryText("/c/probe.virtaudit.yaml", schema) }, program);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(diagnostics);
        using var image = new MemoryStream();
        var emit = output.Emit(image);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return (string)Assembly.Load(image.ToArray()).GetType("Probe")!.GetMethod("Run")!.Invoke(null, null)!;
    }

    [Fact]
    public void A_mistake_in_a_key_taken_from_a_built_in_shared_field_is_located_at_the_use_site()
    {
        var schema = Contoso.Replace("      - { use: virt }\n      - { audit: resrc, value: vsock }", "      - { use: virt, type: text }\n      - { audit: resrc, value: vsock }", StringComparison.Ordinal);
        Assert.NotEqual(Contoso, schema);
        var (result, _, _) = GeneratorHarness.Run(new[] { new InMemoryText("/c/contoso.virtaudit.yaml", schema) });
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("VA1002", diagnostic.Id);
        Assert.Equal(16, diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1);
    }

    [Theory]
    [InlineData("'3.4'", null)]
    [InlineData("'10.1.2'", null)]
    [InlineData("three", "must be a libvirt version")]
    [InlineData("'3'", "must be a libvirt version")]
    [InlineData("'3.x'", "must be a libvirt version")]
    public void Since_is_a_libvirt_version(string since, string? error)
    {
        var schema = Contoso.Replace("record: VIRT_RESOURCE\n    doc: A vsock device", $"record: VIRT_RESOURCE\n    since: {since}\n    doc: A vsock device", StringComparison.Ordinal);
        Assert.NotEqual(Contoso, schema);
        var (result, _, _) = GeneratorHarness.Run(new[] { new InMemoryText("/c/contoso.virtaudit.yaml", schema) });
        if (error is null)
        {
            Assert.Empty(result.Diagnostics);
            return;
        }

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("VA1002", diagnostic.Id);
        Assert.Contains(error, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_legacy_value_of_an_unsigned_field_is_an_error()
    {
        var schema = Contoso.Replace("{ audit: cid, type: uint64, doc: The guest context id. }", "{ audit: cid, type: uint64, legacy-values: [-1], doc: The guest context id. }", StringComparison.Ordinal);
        var (result, _, _) = GeneratorHarness.Run(new[] { new InMemoryText("/c/contoso.virtaudit.yaml", schema) });
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("VA1002", diagnostic.Id);
        Assert.Contains("from 0 of a uint64 field", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Extending_an_unknown_schema_or_variant_is_an_error_at_its_line()
    {
        var schema = Contoso.Replace("extends: virt-audit", "extends: libvirt").Replace("extends: VirtResourceDisk", "extends: VirtResourceDisc");
        var (result, _, _) = GeneratorHarness.Run(new[] { new InMemoryText("/c/contoso.virtaudit.yaml", schema) });
        var lines = result.Diagnostics.Select(d => (d.Id, Line: d.Location.GetLineSpan().StartLinePosition.Line + 1)).ToList();
        Assert.Contains(("VA1002", 4), lines);
        Assert.Contains(("VA1002", 25), lines);
        Assert.Contains(result.Diagnostics, d => d.GetMessage().Contains("does not say 'extends: virt-audit'", StringComparison.Ordinal));
    }
}
