using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Globalization;
using System.IO.Hashing;

namespace VirtAudit.Cli.Output;

/// <summary>
/// <c>parse --format checksum</c>: every field of every record split, decoded and folded into one line,
/// <c>records=N virt=N fields=N checksum=HEX</c>. The fold is defined in docs/cli.md ("The checksum format"); in
/// short: each record's canonical bytes (type, node, named fields with encoded values decoded, the ENRICHED pairs,
/// the typed variant's name) are hashed with XXH3-64 into <c>h</c>, and the records are folded in input order as
/// <c>C = C × P + h</c> (mod 2^64, P = 0x100000001B3). That fold of a file is the fold of its blocks combined in order
/// (<see cref="Append"/>), which lets blocks be read on several cores and still give the sequential answer.
/// </summary>
internal struct ChecksumFold
{
    /// <summary>The multiplier of the fold (FNV-1a's 64-bit prime; odd, so no record's hash is lost).</summary>
    public const ulong Multiplier = 0x100000001B3UL;

    /// <summary>Records folded.</summary>
    public long Records;

    /// <summary>VIRT records (type 2500–2599) among them.</summary>
    public long Virt;

    /// <summary>Fields counted as auparse counts them: <c>type</c>, <c>node</c>, and every named field of the message.</summary>
    public long Fields;

    /// <summary>The fold of the records' hashes.</summary>
    public ulong Checksum;

    /// <summary>The line the command prints.</summary>
    public readonly override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"records={Records} virt={Virt} fields={Fields} checksum={Checksum:x16}");

    /// <summary>Folds the records of the input that follows this one (their fold computed on its own) after these.</summary>
    public void Append(in ChecksumFold next)
    {
        Checksum = (Checksum * Power(next.Records)) + next.Checksum;
        Records += next.Records;
        Virt += next.Virt;
        Fields += next.Fields;
    }

    /// <summary>Folds one record.</summary>
    public void Add(in AuditLogRecord record, ChecksumScratch scratch)
    {
        AuditLine line = record.Line;
        Span<byte> buffer = scratch.For(line.Line.Length);
        long fields = 1;
        "type="u8.CopyTo(buffer);
        int n = 5;
        Utf8Formatter.TryFormat(line.TypeNumber, buffer.Slice(n), out int written);
        n += written;
        buffer[n++] = (byte)'\n';
        if (line.HasNode)
        {
            fields++;
            n = Pair(buffer, n, "node"u8, line.Node.Span);
        }

        foreach (AuditField field in line.Fields)
        {
            ReadOnlySpan<byte> name = field.Name.Span;
            if (name.IsEmpty)
            {
                // Text before the first field: an SELinux "avc:  denied  { read write } for" becomes auparse's two
                // fields seresult and seperms; any other such text is dropped, as auparse drops it.
                fields += SelinuxVerdict(field.Value.Span, buffer, ref n);
                continue;
            }

            if (!field.Value.IsEmpty)
            {
                fields++; // "op=" with nothing after it is folded but not counted: auparse has no field for it
            }

            name.CopyTo(buffer.Slice(n));
            n += name.Length;
            buffer[n++] = (byte)'=';
            n += Decode(field, buffer.Slice(n));
            buffer[n++] = (byte)'\n';
        }

        if (line.HasEnrichment)
        {
            buffer[n++] = 0x1D;
            foreach (AuditField pair in line.EnrichmentFields)
            {
                n = Pair(buffer, n, pair.Name.Span, Unquote(pair.Value.Span));
            }
        }

        if (record.IsVirt)
        {
            Virt++;
            VirtAuditVariantInfo? variant = record.Virt.Variant;
            if (variant is not null)
            {
                buffer[n++] = 0x1E;
                ReadOnlySpan<byte> variantName = scratch.NameOf(variant);
                variantName.CopyTo(buffer.Slice(n));
                n += variantName.Length;
            }
        }

        Records++;
        Fields += fields;
        Checksum = (Checksum * Multiplier) + XxHash3.HashToUInt64(buffer.Slice(0, n));
    }

    // "avc:  denied  { read write } for" → "seresult=denied\nseperms=read,write\n"; the number of fields written.
    private static int SelinuxVerdict(ReadOnlySpan<byte> text, Span<byte> buffer, ref int n)
    {
        if (!text.StartsWith("avc:"u8))
        {
            return 0;
        }

        text = text.Slice(4).TrimStart((byte)' ');
        int space = text.IndexOf((byte)' ');
        int open = text.IndexOf((byte)'{');
        int close = text.IndexOf((byte)'}');
        if (space <= 0 || open < space || close < open)
        {
            return 0;
        }

        n = Pair(buffer, n, "seresult"u8, text.Slice(0, space));
        "seperms="u8.CopyTo(buffer.Slice(n));
        n += 8;
        ReadOnlySpan<byte> perms = text.Slice(open + 1, close - open - 1).Trim((byte)' ');
        bool first = true;
        while (!perms.IsEmpty)
        {
            int end = perms.IndexOf((byte)' ');
            ReadOnlySpan<byte> perm = end < 0 ? perms : perms.Slice(0, end);
            if (!first)
            {
                buffer[n++] = (byte)',';
            }

            perm.CopyTo(buffer.Slice(n));
            n += perm.Length;
            first = false;
            perms = end < 0 ? default : perms.Slice(end).TrimStart((byte)' ');
        }

        buffer[n++] = (byte)'\n';
        return 2;
    }

    /// <summary>P^count mod 2^64.</summary>
    private static ulong Power(long count)
    {
        ulong result = 1, factor = Multiplier;
        for (ulong e = (ulong)count; e != 0; e >>= 1)
        {
            if ((e & 1) != 0)
            {
                result *= factor;
            }

            factor *= factor;
        }

        return result;
    }

    private static int Pair(Span<byte> buffer, int n, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        name.CopyTo(buffer.Slice(n));
        n += name.Length;
        buffer[n++] = (byte)'=';
        value.CopyTo(buffer.Slice(n));
        n += value.Length;
        buffer[n++] = (byte)'\n';
        return n;
    }

    // An encoded field (vm, exe, name, proctitle, …) by its form, quoted or hex; any other quoted value unquoted.
    private static int Decode(in AuditField field, Span<byte> destination)
    {
        ReadOnlySpan<byte> value = field.Value.Span;
        if (field.IsEncoded)
        {
            AuditField.TryDecode(value, destination, out int decoded);
            return decoded;
        }

        value = Unquote(value);
        value.CopyTo(destination);
        return value.Length;
    }

    private static ReadOnlySpan<byte> Unquote(ReadOnlySpan<byte> value) =>
        value.Length >= 2 && (value[0] == (byte)'"' || value[0] == (byte)'\'') && value[^1] == value[0]
            ? value.Slice(1, value.Length - 2)
            : value;
}

/// <summary>The reused buffer of one <see cref="ChecksumFold"/> reader thread, and the variants' names in UTF-8.</summary>
internal sealed class ChecksumScratch
{
    private readonly Dictionary<VirtAuditVariantInfo, byte[]> _names = new(ReferenceEqualityComparer.Instance);
    private byte[] _buffer = new byte[16384];

    /// <summary>A buffer that holds the canonical bytes of a line of <paramref name="lineLength"/> bytes.</summary>
    public Span<byte> For(int lineLength)
    {
        // Every byte of the line appears at most once (decoding only shortens), plus a separator per field and pair,
        // the type number, the variant's name: twice the line and a margin is always enough.
        int needed = (2 * lineLength) + 512;
        if (_buffer.Length < needed)
        {
            _buffer = new byte[Math.Max(needed, _buffer.Length * 2)];
        }

        return _buffer;
    }

    /// <summary>The variant's name in UTF-8, encoded once.</summary>
    public ReadOnlySpan<byte> NameOf(VirtAuditVariantInfo variant)
    {
        if (!_names.TryGetValue(variant, out byte[]? name))
        {
            name = System.Text.Encoding.UTF8.GetBytes(variant.Name);
            _names.Add(variant, name);
        }

        return name;
    }
}
