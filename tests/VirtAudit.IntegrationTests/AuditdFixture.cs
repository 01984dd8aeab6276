using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace VirtAudit.IntegrationTests;

/// <summary>
/// A working kernel audit subsystem with an auditd writing to a log this test can read: starts a private auditd
/// (its own auditd.conf, log_file in a temporary folder) when none runs, else uses the running one; enables auditing
/// and raises the backlog for the tests, and puts back what it found (enabled flag, backlog limit) and stops, by
/// pid, the auditd it started. <see cref="SkipReason"/> says which capability is missing when it cannot.
/// </summary>
public sealed class AuditdFixture : IDisposable
{
    /// <summary>The backlog the flood test runs with (auditd's own rules usually set 8192).</summary>
    public const int Backlog = 8192;

    private readonly List<string> _log = new();
    private string? _folder;
    private readonly Dictionary<string, long> _before = new();

    public AuditdFixture()
    {
        SkipReason = FindMissingCapability();
        if (SkipReason is not null)
        {
            return;
        }

        _before = Status();
        try
        {
            Start();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private void Start()
    {
        Note($"before: enabled={_before["enabled"]} backlog_limit={_before["backlog_limit"]} pid={_before["pid"]}");
        if (_before["pid"] == 0)
        {
            _folder = Directory.CreateTempSubdirectory("virtaudit-auditd-").FullName;
            Directory.CreateDirectory(Path.Combine(_folder, "plugins"));
            LogPath = Path.Combine(_folder, "audit.log");
            File.WriteAllText(Path.Combine(_folder, "auditd.conf"), PrivateConfig(LogPath, Path.Combine(_folder, "plugins")));
            Run("auditd", "-c", _folder);
            StartedPid = (int)WaitFor(() => Status()["pid"], pid => pid != 0, TimeSpan.FromSeconds(20), "auditd to register with the kernel");
            Note($"started auditd pid={StartedPid} log_file={LogPath}");
        }
        else
        {
            LogPath = RunningLogFile();
            Note($"using the running auditd pid={_before["pid"]} log_file={LogPath}");
        }

        StartOffset = File.Exists(LogPath) ? new FileInfo(LogPath).Length : 0;
        Run("auditctl", "-e", "1");
        Run("auditctl", "-b", Backlog.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The pid of the auditd this fixture started, 0 when it uses the running one.</summary>
    public int StartedPid { get; private set; }

    /// <summary>Why the tests cannot run here (the missing capability), or <see langword="null"/>.</summary>
    public string? SkipReason { get; }

    /// <summary>The audit.log auditd writes.</summary>
    public string LogPath { get; private set; } = "";

    /// <summary>Its length when the fixture started: the tests read what comes after.</summary>
    public long StartOffset { get; private set; }

    /// <summary>What the fixture did, for the test output.</summary>
    public IReadOnlyList<string> Notes => _log;

    /// <summary>The kernel's audit status (<c>auditctl -s</c>): enabled, pid, backlog_limit, lost, backlog, …</summary>
    public static Dictionary<string, long> Status()
    {
        var status = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string line in Run("auditctl", "-s").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(' ', 2);
            if (parts.Length == 2 && long.TryParse(parts[1].Split(' ')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
            {
                status[parts[0]] = value;
            }
        }

        return status;
    }

    /// <summary>Runs a program, returning its standard output; throws with its stderr when it fails.</summary>
    public static string Run(string program, params string[] args) => Run(program, args, expectSuccess: true).Out;

    /// <summary>Runs a program and returns its exit code, standard output and standard error.</summary>
    public static (int Code, string Out, string Err, int Pid) Run(string program, string[] args, bool expectSuccess)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in 120 s");
        }

        var result = (process.ExitCode, stdout.Result, stderr.Result, process.Id);
        if (expectSuccess && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {result.Item3}{result.Item2}");
        }

        return result;
    }

    /// <summary>Polls until <paramref name="done"/> holds for what <paramref name="read"/> returns, or fails after <paramref name="timeout"/> without progress.</summary>
    public static T WaitFor<T>(Func<T> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        T value = read();
        T last = value;
        while (!done(value))
        {
            if (!EqualityComparer<T>.Default.Equals(value, last))
            {
                last = value;
                clock.Restart();
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds} s without progress for {what}; last: {value}");
            }

            Thread.Sleep(100);
            value = read();
        }

        return value;
    }

    public void Dispose()
    {
        if (SkipReason is not null)
        {
            return;
        }

        Run("auditctl", "-b", _before["backlog_limit"].ToString(CultureInfo.InvariantCulture));
        if (StartedPid != 0)
        {
            // SIGTERM, by the pid it registered with the kernel: auditd writes what it holds and says DAEMON_END.
            Run("kill", "-TERM", StartedPid.ToString(CultureInfo.InvariantCulture));
            WaitFor(() => Directory.Exists("/proc/" + StartedPid), alive => !alive, TimeSpan.FromSeconds(20), $"auditd {StartedPid} to stop");
        }

        Run("auditctl", "-e", _before["enabled"] == 2 ? "2" : _before["enabled"].ToString(CultureInfo.InvariantCulture));
        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private void Note(string text) => _log.Add(text);

    private static string? FindMissingCapability()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "the kernel audit subsystem exists only on Linux";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "needs root: CAP_AUDIT_CONTROL to run auditd and auditctl, CAP_AUDIT_WRITE to send records";
        }

        foreach (string tool in new[] { "auditd", "auditctl", "ausearch" })
        {
            if (Which(tool) is null)
            {
                return $"needs {tool} (apt-get install auditd; .ci/run installs it)";
            }
        }

        if (!KernelAuditSink.TryOpen(out KernelAuditSink? sink, out AuditSendResult failure))
        {
            return "needs a kernel that takes audit records from this process: " + failure.Reason;
        }

        sink.Dispose();
        return null;
    }

    private static string? Which(string tool) =>
        new[] { "/usr/sbin", "/sbin", "/usr/bin", "/bin" }.Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    private static string RunningLogFile()
    {
        const string conf = "/etc/audit/auditd.conf";
        if (File.Exists(conf))
        {
            Match match = Regex.Match(File.ReadAllText(conf), @"^\s*log_file\s*=\s*(\S+)", RegexOptions.Multiline);
            if (match.Success)
            {
                return match.Groups[1].Value;
            }
        }

        return "/var/log/audit/audit.log";
    }

    private static string PrivateConfig(string logFile, string pluginDir)
    {
        var conf = new StringBuilder();
        conf.Append("local_events = yes\nwrite_logs = yes\n");
        conf.Append("log_file = ").Append(logFile).Append('\n');
        conf.Append("log_group = root\nlog_format = ENRICHED\nflush = INCREMENTAL_ASYNC\nfreq = 50\n");
        conf.Append("max_log_file = 0\nnum_logs = 1\nmax_log_file_action = IGNORE\npriority_boost = 4\nname_format = NONE\n");
        conf.Append("space_left = 2\nspace_left_action = IGNORE\nadmin_space_left = 1\nadmin_space_left_action = IGNORE\n");
        conf.Append("disk_full_action = IGNORE\ndisk_error_action = IGNORE\nverify_email = no\nuse_libwrap = no\n");
        conf.Append("tcp_listen_queue = 5\ntcp_max_per_addr = 1\ntcp_client_max_idle = 0\ntransport = TCP\n");
        conf.Append("distribute_network = no\nq_depth = 2000\noverflow_action = SYSLOG\nmax_restarts = 10\n");
        conf.Append("plugin_dir = ").Append(pluginDir).Append('\n');
        conf.Append("end_of_event_timeout = 2\n");
        return conf.ToString();
    }
}

[CollectionDefinition(Name)]
public sealed class AuditdCollection : ICollectionFixture<AuditdFixture>
{
    public const string Name = "auditd";
}
