using System;

namespace VirtAudit;

/// <summary>
/// The prefix of a line of libvirt's own file log (<c>virLogFormatString</c>, spec §3.7):
/// <c>YYYY-MM-DD HH:MM:SS.mmm+0000: THREAD: LEVEL : FUNCTION:LINE : MESSAGE</c>; lines without a caller
/// (<c>… info : libvirt version: 9.0.0</c>) have <c>LEVEL : MESSAGE</c>.
/// </summary>
internal static class LibvirtLogPrefix
{
    /// <summary>True when the line starts with <c>TIME: THREAD: </c>, a time stamp and a thread number.</summary>
    public static bool IsAt(ReadOnlySpan<byte> s)
    {
        int timeEnd = TimeSyntax.IsoTimeEnd(s);
        if (timeEnd < 0 || !s.Slice(timeEnd).StartsWith(": "u8))
        {
            return false;
        }

        LineSyntax.TryParseDigits(s.Slice(timeEnd + 2), out _, out int digits);
        return digits > 0 && s.Slice(timeEnd + 2 + digits).StartsWith(": "u8);
    }

    /// <summary>
    /// Reads the prefix of a line <see cref="IsAt"/> accepted: the time stamp's length, the thread, the level, the
    /// caller (length 0 when the line has none) and where the message begins.
    /// </summary>
    public static bool TryParse(
        ReadOnlySpan<byte> s,
        out int timeLength,
        out int threadStart,
        out int threadLength,
        out DaemonLogLevel level,
        out int callerStart,
        out int callerLength,
        out int messageStart,
        out AuditLineError error)
    {
        timeLength = TimeSyntax.IsoTimeEnd(s);
        threadStart = timeLength + 2;
        LineSyntax.TryParseDigits(s.Slice(threadStart), out _, out threadLength);
        int position = threadStart + threadLength + 2;
        level = DaemonLogLevel.Unknown;
        callerStart = 0;
        callerLength = 0;
        messageStart = 0;
        int levelLength = s.Slice(position).IndexOf(" : "u8);
        if (levelLength <= 0 || !TryParseLevel(s.Slice(position, levelLength), out level))
        {
            return AuditLineError.Fail(out error, position, "expected debug, info, warning or error, then ' : '", LineParts.Level);
        }

        position += levelLength + 3;
        messageStart = position;

        // FUNCTION:LINE followed by " : ", else the message starts here.
        int word = s.Slice(position).IndexOf((byte)' ');
        if (word > 0 && s.Slice(position + word).StartsWith(" : "u8))
        {
            ReadOnlySpan<byte> caller = s.Slice(position, word);
            int colon = caller.LastIndexOf((byte)':');
            if (colon > 0 && colon < caller.Length - 1 && TimeSyntax.IsDigits(caller.Slice(colon + 1)))
            {
                callerStart = position;
                callerLength = word;
                messageStart = position + word + 3;
            }
        }

        error = default;
        return true;
    }

    private static bool TryParseLevel(ReadOnlySpan<byte> text, out DaemonLogLevel level)
    {
        level = text.SequenceEqual("info"u8) ? DaemonLogLevel.Info
            : text.SequenceEqual("warning"u8) ? DaemonLogLevel.Warning
            : text.SequenceEqual("debug"u8) ? DaemonLogLevel.Debug
            : text.SequenceEqual("error"u8) ? DaemonLogLevel.Error
            : DaemonLogLevel.Unknown;
        return level != DaemonLogLevel.Unknown;
    }

    /// <summary>The level KubeVirt prints in <c>"level"</c> (the same words; anything else is <see cref="DaemonLogLevel.Unknown"/>).</summary>
    public static DaemonLogLevel ParseLevel(ReadOnlySpan<byte> text)
    {
        TryParseLevel(text, out DaemonLogLevel level);
        return level;
    }
}
