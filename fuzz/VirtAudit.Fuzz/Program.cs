using System;
using System.IO;
using SharpFuzz;
using VirtAudit.Fuzz;

// VirtAudit.Fuzz TARGET                  run TARGET under afl-fuzz (SharpFuzz's out-of-process fork server)
// VirtAudit.Fuzz seeds TARGET DIR ROOT   write TARGET's seeds (from ROOT's corpus/ and the generator) into DIR
// VirtAudit.Fuzz replay TARGET FILE...   run TARGET once on each FILE without afl: prints what each does
if (args.Length == 1 && Array.IndexOf(FuzzTargets.Names, args[0]) >= 0)
{
    string target = args[0];
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        FuzzTargets.Run(target, buffer.ToArray());
    });
    return 0;
}

if (args.Length == 4 && args[0] == "seeds")
{
    Directory.CreateDirectory(args[2]);
    var seeds = FuzzSeeds.For(args[1], args[3]);
    for (int i = 0; i < seeds.Count; i++)
    {
        File.WriteAllBytes(Path.Combine(args[2], $"seed-{i:D3}"), seeds[i]);
    }

    Console.WriteLine($"{seeds.Count} seeds for {args[1]} in {args[2]}");
    return 0;
}

if (args.Length >= 3 && args[0] == "replay")
{
    int failures = 0;
    for (int i = 2; i < args.Length; i++)
    {
        try
        {
            FuzzTargets.Run(args[1], File.ReadAllBytes(args[i]));
            Console.WriteLine($"ok    {args[i]}");
        }
        catch (Exception e)
        {
            failures++;
            Console.WriteLine($"FAIL  {args[i]}: {e.GetType().Name}: {e.Message}");
            Console.WriteLine(e.StackTrace);
        }
    }

    return failures == 0 ? 0 : 1;
}

Console.Error.WriteLine("usage: VirtAudit.Fuzz line|dispatch|reader | seeds TARGET DIR ROOT | replay TARGET FILE...");
return 2;
