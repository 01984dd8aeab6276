using System;
using System.Diagnostics;
using System.Globalization;

namespace VirtAudit.Cli;

/// <summary>
/// A progress bar on standard error, drawn only when standard error is a terminal, for inputs that take longer than
/// half a second: <c>[#########-----------]  45%  120.3/267.0 MB  audit.log</c>, redrawn at most ten times a
/// second and erased when the input is done. Input of unknown length (a pipe, a .gz) shows the bytes read.
/// </summary>
internal sealed class Progress : IDisposable
{
    private const int BarWidth = 30;
    private static readonly long DelayTicks = Stopwatch.Frequency / 2;
    private static readonly long IntervalTicks = Stopwatch.Frequency / 10;

    private readonly CliConsole _console;
    private readonly string _name;
    private readonly long _length;
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _next;
    private int _calls;
    private bool _drawn;

    private Progress(CliConsole console, string name, long length)
    {
        _console = console;
        _name = name;
        _length = length;
        _next = _start + DelayTicks;
    }

    /// <summary>A progress bar for <paramref name="input"/>, or null when standard error is not a terminal.</summary>
    public static Progress? Create(CliConsole console, InputSource input) =>
        console.IsErrorTerminal ? new Progress(console, input.Name, input.Length) : null;

    /// <summary>Called once per line (or per block of <paramref name="lines"/> lines); looks at the clock every 1024 lines.</summary>
    public void Update(long bytesRead, int lines = 1)
    {
        _calls += Math.Clamp(lines, 0, 1024);
        if (_calls < 1024)
        {
            return;
        }

        _calls = 0;

        var now = Stopwatch.GetTimestamp();
        if (now < _next)
        {
            return;
        }

        _next = now + IntervalTicks;
        _drawn = true;
        var mb = bytesRead / 1e6;
        if (_length > 0 && bytesRead <= _length)
        {
            var fraction = (double)bytesRead / _length;
            var filled = (int)(fraction * BarWidth);
            _console.Error.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r[{new string('#', filled)}{new string('-', BarWidth - filled)}] {fraction * 100,3:F0}%  {mb:F1}/{_length / 1e6:F1} MB  {_name}\u001b[K"));
        }
        else
        {
            _console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\r[reading] {mb:F1} MB  {_name}\u001b[K"));
        }
    }

    /// <summary>Erases the bar.</summary>
    public void Dispose()
    {
        if (_drawn)
        {
            _console.Error.Write("\r\u001b[K");
        }
    }
}
