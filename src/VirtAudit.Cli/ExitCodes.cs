namespace VirtAudit.Cli;

/// <summary>The exit codes of every command.</summary>
internal static class ExitCodes
{
    /// <summary>All good.</summary>
    public const int Ok = 0;

    /// <summary><c>check</c> found a line or record that failed.</summary>
    public const int Findings = 1;

    /// <summary>A usage error (unknown option, bad value), or input lines that are not audit records (parse, stats, timeline).</summary>
    public const int Usage = 2;

    /// <summary>An input could not be opened or read (missing, a directory, no permission, an I/O error, a corrupt .gz).</summary>
    public const int ReadFailure = 3;

    /// <summary>Stopped by Ctrl-C (128 + SIGINT, as shells report it); <c>follow</c> exits 0 instead.</summary>
    public const int Interrupted = 130;
}
