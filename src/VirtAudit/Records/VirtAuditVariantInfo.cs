using System;
using System.Collections.Generic;
using System.Text;
using VirtAudit.CompilerServices;

namespace VirtAudit;

/// <summary>
/// Describes one generated variant to a <see cref="VirtAuditRegistry"/>: its name, record type, the constant fields
/// that identify it (<c>resrc=disk</c>, <c>reason=open</c>), and how to parse and re-encode it.
/// </summary>
public sealed class VirtAuditVariantInfo
{
    private readonly ReadFunc _read;
    private readonly FormatFunc _format;

    private static int s_nextId;

    // libaudit wrote a colon before exe= up to 2.1.x (2011; spec §3.3). The last distributions that paired such a
    // libaudit with libvirt (Debian 7 and Ubuntu 12.04, audit 1.7.18) had libvirt before 2.0; RHEL 7, Debian 8 and
    // Ubuntu 14.04 already had audit 2.3 or later. So a shape libvirt first wrote in 2.0 or later never has it.
    private static readonly Version s_colonBeforeExeEnd = new(2, 0);

    private VirtAuditVariantInfo(string name, string recordType, int recordNumber, bool isLegacy, Version? since, string[] constants, ReadFunc read, FormatFunc format)
    {
        Id = System.Threading.Interlocked.Increment(ref s_nextId) - 1;
        Name = name;
        Since = since;
        RecordType = recordType;
        RecordNumber = recordNumber;
        IsLegacy = isLegacy;
        _read = read;
        _format = format;
        var keys = new byte[constants.Length][];
        var values = new byte[constants.Length][];
        for (var i = 0; i < constants.Length; i++)
        {
            var eq = constants[i].IndexOf('=');
            if (eq <= 0)
            {
                throw new ArgumentException($"constant '{constants[i]}' of variant {name} is not key=value", nameof(constants));
            }

            keys[i] = Encoding.UTF8.GetBytes(constants[i].Substring(0, eq));
            values[i] = Encoding.UTF8.GetBytes(constants[i].Substring(eq + 1));
        }

        ConstantKeys = keys;
        ConstantValues = values;
        Constants = constants;
    }

    private delegate bool ReadFunc(ref PayloadReader reader, ParsedRecords? store, out ParsedRecord? parsed, out long version);

    private delegate bool FormatFunc(ParsedRecord? parsed, long version, ReadOnlyMemory<byte> libvirtPart, Span<byte> destination, out int bytesWritten, out bool valid);

    /// <summary>A number unique to this description in the process (the index of its holder in a <see cref="ParsedRecords"/>).</summary>
    internal int Id { get; }

    /// <summary>The C# type name, e.g. <c>VirtResourceDisk</c>.</summary>
    public string Name { get; }

    /// <summary>The record type name, e.g. <c>VIRT_RESOURCE</c>.</summary>
    public string RecordType { get; }

    /// <summary>The record type number, e.g. 2501.</summary>
    public int RecordNumber { get; }

    /// <summary>True for a shape current libvirt no longer writes.</summary>
    public bool IsLegacy { get; }

    /// <summary>The libvirt version that first wrote this shape (the schema's <c>since</c>), or null when not known.</summary>
    public Version? Since { get; }

    /// <summary>
    /// Whether a record of this shape can end with libaudit's old <c>: exe=</c> trailer (libaudit ≤ 2.1.x, spec §3.3):
    /// true unless <see cref="Since"/> is libvirt 2.0 or later, which never ran with such a libaudit. For the others,
    /// a colon before <c>exe=</c> is the last byte of the last value (a raw <c>path=/dev/shm/a:</c>).
    /// </summary>
    public bool AcceptsColonBeforeExe => Since is null || Since < s_colonBeforeExeEnd;

    /// <summary>The constant fields as <c>key=value</c>.</summary>
    public IReadOnlyList<string> Constants { get; }

    internal byte[][] ConstantKeys { get; }

    internal byte[][] ConstantValues { get; }

    /// <summary>Creates the description of <typeparamref name="T"/>; generated code calls it through <c>VirtAuditVariants.Describe</c>.</summary>
    internal static VirtAuditVariantInfo Create<T>(string name, string recordType, int recordNumber, bool isLegacy, Version? since, params string[] constants)
        where T : struct, IVirtAuditVariant<T> =>
        new(name, recordType, recordNumber, isLegacy, since, constants, ReadAs<T>, FormatAs<T>);

    /// <summary>
    /// The libvirt part and trailer of <paramref name="message"/> for this variant: the split
    /// <see cref="AuditTrailer.TrySplit"/> made, except that a colon before <c>exe=</c> stays in the libvirt part when
    /// the variant is younger than that trailer shape (<see cref="AcceptsColonBeforeExe"/>).
    /// </summary>
    internal void FitTrailer(ReadOnlyMemory<byte> message, ref ReadOnlyMemory<byte> libvirtPart, ref AuditTrailer trailer)
    {
        if ((trailer.Legacy & LegacyShape.ColonBeforeExe) != 0 && !AcceptsColonBeforeExe)
        {
            libvirtPart = message.Slice(0, libvirtPart.Length + 1);
            trailer = trailer.WithoutColon();
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>
    /// Parses the payload as this variant; with a <paramref name="store"/>, the typed struct is kept there
    /// (<paramref name="parsed"/>, <paramref name="version"/>) for <see cref="VirtAuditRecord.TryGet{T}"/>.
    /// </summary>
    internal bool TryRead(ref PayloadReader reader, ParsedRecords? store, out ParsedRecord? parsed, out long version) =>
        _read(ref reader, store, out parsed, out version);

    internal bool TryReformat(ParsedRecord? parsed, long version, ReadOnlyMemory<byte> libvirtPart, Span<byte> destination, out int bytesWritten, out bool valid) =>
        _format(parsed, version, libvirtPart, destination, out bytesWritten, out valid);

    private static bool ReadAs<T>(ref PayloadReader reader, ParsedRecords? store, out ParsedRecord? parsed, out long version)
        where T : struct, IVirtAuditVariant<T>
    {
        if (store is null)
        {
            parsed = null;
            version = 0;
            return T.TryRead(ref reader, out _);
        }

        // The generated parser writes straight into the holder; the version moves first, so that a record typed
        // earlier from this holder never sees this one's fields.
        var holder = store.For<T>(T.Variant.Id);
        version = ++holder.Version;
        if (!T.TryRead(ref reader, out holder.Value))
        {
            parsed = null;
            return false;
        }

        parsed = holder;
        return true;
    }

    private static bool FormatAs<T>(ParsedRecord? parsed, long version, ReadOnlyMemory<byte> libvirtPart, Span<byte> destination, out int bytesWritten, out bool valid)
        where T : struct, IVirtAuditVariant<T>
    {
        if (parsed is ParsedRecord<T> holder && holder.Version == version)
        {
            valid = true;
            return holder.Value.TryFormat(destination, out bytesWritten);
        }

        var reader = new PayloadReader(libvirtPart);
        bytesWritten = 0;
        if (!T.TryRead(ref reader, out var record))
        {
            valid = false;
            return false;
        }

        valid = true;
        return record.TryFormat(destination, out bytesWritten);
    }
}
