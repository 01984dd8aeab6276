using System.Globalization;
using System.Text;

namespace VirtAudit.LogGenerator;

/// <summary>What a generated log holds: counted while it was written.</summary>
public sealed class LogStatistics
{
    private readonly SortedDictionary<string, long> _byType = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _byVariant = new(StringComparer.Ordinal);

    /// <summary>Lines written.</summary>
    public long Lines { get; internal set; }

    /// <summary>Bytes written.</summary>
    public long Bytes { get; internal set; }

    /// <summary>Lines that are VIRT_CONTROL, VIRT_RESOURCE or VIRT_MACHINE_ID records.</summary>
    public long VirtLines { get; internal set; }

    /// <summary>Lines with an ENRICHED tail (0x1D and interpreted fields).</summary>
    public long EnrichedLines { get; internal set; }

    /// <summary>String values of VIRT records that went through libvirt's encoder (vm, paths, exe, …).</summary>
    public long EncodedValues { get; internal set; }

    /// <summary>Of <see cref="EncodedValues"/>, those written in hex.</summary>
    public long HexValues { get; internal set; }

    /// <summary>Lines per record type name (SYSCALL, VIRT_RESOURCE, …).</summary>
    public IReadOnlyDictionary<string, long> ByType => _byType;

    /// <summary>
    /// VIRT lines per shape: the schema variant's name (<c>VirtResourceDisk</c>), and for legacy shapes the variant
    /// followed by what makes it legacy (<c>VirtResourceNet (bare MAC)</c>).
    /// </summary>
    public IReadOnlyDictionary<string, long> ByVariant => _byVariant;

    /// <summary>The counts as text: one summary line, the hex share, then one line per type and per variant.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        text.Append(c, $"lines={Lines} bytes={Bytes} virt_lines={VirtLines} ({Share(VirtLines, Lines):F3}) enriched_lines={EnrichedLines} ({Share(EnrichedLines, Lines):F3})\n");
        text.Append(c, $"virt string values encoded={EncodedValues} hex={HexValues} ({Share(HexValues, EncodedValues):F3})\n");
        foreach (KeyValuePair<string, long> type in _byType.OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal))
        {
            text.Append(c, $"  {type.Key,-16} {type.Value}\n");
        }

        text.Append("variants:\n");
        foreach (KeyValuePair<string, long> variant in _byVariant.OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal))
        {
            text.Append(c, $"  {variant.Key,-40} {variant.Value}\n");
        }

        return text.ToString();
    }

    internal void CountType(string type) => _byType[type] = _byType.GetValueOrDefault(type) + 1;

    internal void CountVariant(string variant) => _byVariant[variant] = _byVariant.GetValueOrDefault(variant) + 1;

    private static double Share(long part, long whole) => whole == 0 ? 0 : (double)part / whole;
}
