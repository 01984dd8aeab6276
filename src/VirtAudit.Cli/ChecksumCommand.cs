using System.Collections.Generic;
using System.Threading;
using VirtAudit.Cli.Output;

namespace VirtAudit.Cli;

/// <summary>
/// <c>virtaudit parse --format checksum</c>: folds every record that passes the filters (<see cref="ChecksumFold"/>)
/// and prints one line, <c>records=N virt=N fields=N checksum=HEX</c>. A plain file is cut into blocks at line starts
/// (<see cref="AuditLogRange.Cut"/>) read on every core (<see cref="BlockRun{TBlock}"/>), and the blocks' folds, line
/// counts and error lines are put back together in input order: output, line numbers and byte offsets are those of
/// one reader going through the file. Standard input, the embedded sample and .gz files are read in order on one
/// thread.
/// </summary>
internal static class ChecksumCommand
{
    public static int Run(IReadOnlyList<string> files, RecordFilter filter, CliConsole console)
    {
        var inputs = Inputs.Resolve(files, console);
        var total = new Block();
        var readable = BlockSettings.From(console).ReadInputs(
            inputs,
            console,
            console.Error,
            total,
            () => new Block(),
            (input, reader, into, errors, progress, cancel) => Fold(reader, into, filter, input.Name + ":", errors, progress, cancel),
            (block, _, _) => total.Add(block),
            out _);
        console.Out.WriteLine(total.Fold.ToString());
        console.Out.Flush();
        return ParseCommand.Finish(readable, total.Errors, console);
    }

    private static void Fold(AuditLogReader reader, Block block, RecordFilter filter, string before, LineOutput errors, Progress? progress, CancellationToken cancellation)
    {
        var scratch = new ChecksumScratch();
        while (reader.Read(cancellation))
        {
            progress?.Update(reader.BytesRead);
            ref readonly AuditLogItem item = ref reader.Current;
            if (item.IsError)
            {
                ref readonly AuditLogError error = ref item.Error;
                if (!error.IsSkippable)
                {
                    errors.WriteLine(before, error.LineNumber, ParseCommand.DescribeAfterLine(error.Part, error.Reason, error.ErrorOffset));
                    block.Errors++;
                }
            }
            else if (filter.Matches(item.Record))
            {
                block.Fold.Add(item.Record, scratch);
            }
        }
    }

    /// <summary>What a block (or the whole) folded, and how many lines were not records.</summary>
    private sealed class Block
    {
        public ChecksumFold Fold;

        public long Errors;

        public void Add(Block block)
        {
            Fold.Append(block.Fold);
            Errors += block.Errors;
        }
    }
}
