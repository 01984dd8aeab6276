using System.CommandLine;
using VirtAudit.LogGenerator;

var lines = new Option<long>("--lines") { Description = "Lines to write.", Required = true };
var seed = new Option<long>("--seed") { Description = "Seed: the same options give the same bytes.", DefaultValueFactory = _ => 1 };
var virtShare = new Option<double>("--virt-share") { Description = "Fraction of lines that are VIRT_* records.", DefaultValueFactory = _ => 0.5 };
var format = new Option<LogFormat>("--format") { Description = "mixed, raw or enriched.", DefaultValueFactory = _ => LogFormat.Mixed };
var enrichedShare = new Option<double>("--enriched-share") { Description = "With --format mixed: fraction of events written ENRICHED.", DefaultValueFactory = _ => 0.5 };
var awkward = new Option<double>("--awkward") { Description = "Probability that a guest name or path needs hex (0.26: about 10 % of encoded values).", DefaultValueFactory = _ => 0.26 };
var interleave = new Option<double>("--interleave") { Description = "Probability that a kernel event has another event written inside it.", DefaultValueFactory = _ => 0.01 };
var guests = new Option<int>("--guests") { Description = "Number of simulated guests.", DefaultValueFactory = _ => 200 };
var nodeShare = new Option<double>("--node-share") { Description = "Fraction of guests whose host writes a node= prefix.", DefaultValueFactory = _ => 0 };
var startTime = new Option<long>("--start-time") { Description = "Epoch seconds of the first record.", DefaultValueFactory = _ => 1_700_000_000 };
var rendering = new Option<LogRendering>("--rendering") { Description = "auditd, journald, syslog, printk or interpreted (ausearch -i).", DefaultValueFactory = _ => LogRendering.Auditd };
var stats = new Option<bool>("--stats") { Description = "Print what the log holds (lines, bytes, VIRT, ENRICHED and hex shares, types, variants) on stderr." };

var root = new RootCommand("Writes a deterministic, realistic audit.log (libvirt's VIRT records among a host's traffic) to standard output.")
{
    lines, seed, virtShare, format, enrichedShare, awkward, interleave, guests, nodeShare, startTime, rendering, stats,
};
root.SetAction(result =>
{
    var options = new LogGeneratorOptions
    {
        Lines = result.GetValue(lines),
        Seed = result.GetValue(seed),
        VirtShare = result.GetValue(virtShare),
        Format = result.GetValue(format),
        EnrichedShare = result.GetValue(enrichedShare),
        Awkward = result.GetValue(awkward),
        Interleave = result.GetValue(interleave),
        Guests = result.GetValue(guests),
        NodeShare = result.GetValue(nodeShare),
        StartTime = result.GetValue(startTime),
        Rendering = result.GetValue(rendering),
    };
    try
    {
        options.Validate();
    }
    catch (ArgumentOutOfRangeException e)
    {
        Console.Error.WriteLine("generate-audit-log: " + e.Message);
        return 2;
    }

    using Stream output = Console.OpenStandardOutput();
    LogStatistics written = AuditLogGenerator.Write(output, options);
    if (result.GetValue(stats))
    {
        Console.Error.Write(written.ToString());
    }

    return 0;
});
return root.Parse(args).Invoke();
