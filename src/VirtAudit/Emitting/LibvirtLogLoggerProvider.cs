using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Microsoft.Extensions.Logging;

namespace VirtAudit;

/// <summary>
/// An <see cref="ILoggerProvider"/> that writes log messages in libvirt's daemon-log line format
/// (<c>virLogFormatString</c>, spec §3.7):
/// <c>YYYY-MM-DD HH:MM:SS.mmm+0000: THREAD: LEVEL : FUNCTION:LINE : MESSAGE</c>, LEVEL one of
/// <c>debug</c>, <c>info</c>, <c>warning</c>, <c>error</c>. With <see cref="AuditEmitter.AuditLogging"/> on, an
/// emitter's records come out as libvirt's <c>audit_logging = 1</c> writes them
/// (<c>info : CALLER:LINE : success=yes PAYLOAD</c>), so <see cref="AuditLogReader"/> types them back. FUNCTION:LINE
/// is the caller of <see cref="AuditEmitter.Emit"/>; for other messages, the category and event id. Thread-safe.
/// </summary>
public sealed class LibvirtLogLoggerProvider : ILoggerProvider
{
    private readonly object _gate = new();
    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;
    private readonly TimeProvider _clock;
    private readonly LogLevel _minimum;

    /// <summary>Creates the provider.</summary>
    /// <param name="writer">Where lines go (flushed after each line).</param>
    /// <param name="ownsWriter">Whether <see cref="Dispose"/> closes the writer.</param>
    /// <param name="clock">The clock for the time stamps; <see langword="null"/> for the system clock.</param>
    /// <param name="minimum">The lowest level written (default Information).</param>
    public LibvirtLogLoggerProvider(TextWriter writer, bool ownsWriter = false, TimeProvider? clock = null, LogLevel minimum = LogLevel.Information)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _ownsWriter = ownsWriter;
        _clock = clock ?? TimeProvider.System;
        _minimum = minimum;
    }

    /// <summary>Formats one line, without its line feed.</summary>
    /// <param name="time">The time (written in UTC).</param>
    /// <param name="thread">The thread id.</param>
    /// <param name="level">The level: Trace and Debug give <c>debug</c>, Information <c>info</c>, Warning <c>warning</c>, Error and Critical <c>error</c>.</param>
    /// <param name="function">The function name (libvirt: the <c>virDomainAudit*</c> caller).</param>
    /// <param name="line">The line number.</param>
    /// <param name="message">The message.</param>
    /// <returns>The line.</returns>
    public static string FormatLine(DateTimeOffset time, long thread, LogLevel level, string function, int line, string message)
    {
        DateTime utc = time.UtcDateTime;
        return utc.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + "+0000: "
            + thread.ToString(CultureInfo.InvariantCulture) + ": " + LevelName(level) + " : "
            + function + ":" + line.ToString(CultureInfo.InvariantCulture) + " : " + message;
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_ownsWriter)
            {
                _writer.Dispose();
            }
            else
            {
                _writer.Flush();
            }
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        _ => "error",
    };

    private void Write(string category, LogLevel level, EventId eventId, string message, IReadOnlyList<KeyValuePair<string, object?>>? values)
    {
        string function = category;
        int line = eventId.Id;
        if (values is not null)
        {
            foreach (KeyValuePair<string, object?> pair in values)
            {
                if (pair.Key == "Caller" && pair.Value is string caller && caller.Length > 0)
                {
                    function = caller;
                }
                else if (pair.Key == "Line" && pair.Value is int number)
                {
                    line = number;
                }
            }
        }

        string text = FormatLine(_clock.GetUtcNow(), Environment.CurrentManagedThreadId, level, function, line, message.Replace('\n', ' '));
        lock (_gate)
        {
            _writer.Write(text);
            _writer.Write('\n');
            _writer.Flush();
        }
    }

    private sealed class Logger : ILogger
    {
        private readonly LibvirtLogLoggerProvider _provider;
        private readonly string _category;

        public Logger(LibvirtLogLoggerProvider provider, string category)
        {
            _provider = provider;
            _category = category;
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= _provider._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            string message = formatter(state, exception);
            if (exception is not null)
            {
                message += ": " + exception.Message;
            }

            _provider.Write(_category, logLevel, eventId, message, state as IReadOnlyList<KeyValuePair<string, object?>>);
        }
    }
}
