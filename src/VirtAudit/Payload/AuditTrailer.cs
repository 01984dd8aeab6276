using System;

namespace VirtAudit;

/// <summary>
/// The tail libaudit appends to a user message (spec §3.3):
/// <c> exe=E hostname=R addr=R terminal=R res=success|failed</c>, or with a colon before <c>exe=</c> (libaudit
/// ≤ 2.1.x). A message the kernel truncated may have none (<see cref="IsMissing"/>).
/// </summary>
public readonly struct AuditTrailer
{
    private static readonly byte[] s_success = "success"u8.ToArray();
    private static readonly byte[] s_failed = "failed"u8.ToArray();

    /// <summary>Creates a trailer; <see cref="Result"/> is <c>success</c> or <c>failed</c>.</summary>
    /// <param name="exe">The executable path (encoded).</param>
    /// <param name="hostname">The host name (raw); usually absent.</param>
    /// <param name="addr">The address (raw); usually absent.</param>
    /// <param name="terminal">The terminal (raw); usually absent.</param>
    /// <param name="success">Whether the operation succeeded.</param>
    public AuditTrailer(AuditText exe, AuditText hostname, AuditText addr, AuditText terminal, bool success)
        : this(exe, hostname, addr, terminal, AuditText.FromUtf8(success ? s_success : s_failed), success, LegacyShape.None)
    {
    }

    private AuditTrailer(AuditText exe, AuditText hostname, AuditText addr, AuditText terminal, AuditText result, bool success, LegacyShape legacy)
    {
        Exe = exe;
        Hostname = hostname;
        Addr = addr;
        Terminal = terminal;
        Result = result;
        Success = success;
        Legacy = legacy;
    }

    /// <summary>The executable that sent the message (<c>exe=</c>, encoded); absent for <c>"?"</c>.</summary>
    public AuditText Exe { get; }

    /// <summary>The host name (<c>hostname=</c>, raw); absent for <c>?</c>, which is what libvirt's daemons write.</summary>
    public AuditText Hostname { get; }

    /// <summary>The address (<c>addr=</c>, raw); absent for <c>?</c>.</summary>
    public AuditText Addr { get; }

    /// <summary>The terminal (<c>terminal=</c>, raw); absent for <c>?</c>.</summary>
    public AuditText Terminal { get; }

    /// <summary>Whether <c>res=success</c>.</summary>
    public bool Success { get; }

    /// <summary>The text of <c>res=</c> (raw): <c>success</c> or <c>failed</c>; absent when the trailer is missing.</summary>
    public AuditText Result { get; }

    /// <summary>
    /// What the trailer had that current libaudit does not write: <see cref="LegacyShape.ColonBeforeExe"/>,
    /// <see cref="LegacyShape.MissingTrailer"/>, or a bare, single-quoted or non-canonical <c>exe</c>.
    /// </summary>
    public LegacyShape Legacy { get; }

    /// <summary>Whether the message had no trailer (<see cref="LegacyShape.MissingTrailer"/>); such a trailer formats as nothing.</summary>
    public bool IsMissing => (Legacy & LegacyShape.MissingTrailer) != 0;

    /// <summary>The trailer libvirt's daemons get: the given <c>exe</c>, <c>hostname=? addr=? terminal=?</c>.</summary>
    /// <param name="exe">The executable path, e.g. <c>/usr/sbin/virtqemud</c>; <see langword="null"/> gives <c>"?"</c>.</param>
    /// <param name="success">Whether the operation succeeded.</param>
    /// <returns>The trailer.</returns>
    public static AuditTrailer For(string? exe, bool success) => new(exe, default, default, default, success);

    /// <summary>
    /// Splits a user message into its libvirt part and its trailer. The trailer starts at the last <c> exe=</c>
    /// whose remainder is a complete trailer (the res value must be <c>success</c> or <c>failed</c> and end the
    /// message). A colon right before it is the legacy form: it is left out of <paramref name="libvirtPart"/> and
    /// flagged.
    /// </summary>
    /// <param name="message">The payload (the text inside <c>msg='…'</c>).</param>
    /// <param name="libvirtPart">The part before the trailer; the whole message when there is no trailer.</param>
    /// <param name="trailer">The trailer; flagged <see cref="LegacyShape.MissingTrailer"/> when there is none.</param>
    /// <returns><see langword="true"/> when a trailer was found.</returns>
    public static bool TrySplit(ReadOnlyMemory<byte> message, out ReadOnlyMemory<byte> libvirtPart, out AuditTrailer trailer)
    {
        // Linear (issue 12, finding 1): the trailer ends the message, so its keys are found from the end, each
        // once: res= is fixed, then the last terminal=, addr=, hostname= and exe= before it.
        if (TryLocate(message.Span, out int start) && TryParse(message, start, out trailer))
        {
            ReadOnlySpan<byte> span = message.Span;
            bool colon = start > 0 && span[start - 1] == (byte)':';
            if (colon)
            {
                trailer = new AuditTrailer(
                    trailer.Exe, trailer.Hostname, trailer.Addr, trailer.Terminal, trailer.Result, trailer.Success, trailer.Legacy | LegacyShape.ColonBeforeExe);
            }

            libvirtPart = message.Slice(0, colon ? start - 1 : start);
            return true;
        }

        libvirtPart = message;
        trailer = new AuditTrailer(default, default, default, default, default, false, LegacyShape.MissingTrailer);
        return false;
    }

    /// <summary>This trailer without the legacy colon (for a variant younger than that shape, the colon is data).</summary>
    internal AuditTrailer WithoutColon() =>
        new(Exe, Hostname, Addr, Terminal, Result, Success, Legacy & ~LegacyShape.ColonBeforeExe);

    /// <summary>The length <see cref="TryFormat"/> writes.</summary>
    /// <returns>The length in bytes.</returns>
    public int GetLength()
    {
        if (IsMissing)
        {
            return 0;
        }

        int colon = (Legacy & LegacyShape.ColonBeforeExe) != 0 ? 1 : 0;
        return colon + " exe= hostname= addr= terminal= res=".Length + Exe.GetEncodedLength() + Hostname.GetRawLength()
            + Addr.GetRawLength() + Terminal.GetRawLength() + ResultText.GetRawLength();
    }

    /// <summary>
    /// Writes the trailer with its leading space (and the colon before it when the parsed trailer had one), so a
    /// parsed trailer with a canonical <c>exe</c> round-trips byte for byte. A missing trailer writes nothing.
    /// </summary>
    /// <param name="destination">Where to write.</param>
    /// <param name="bytesWritten">The number of bytes written; 0 when the destination is too small.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small.</returns>
    public bool TryFormat(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (IsMissing)
        {
            return true;
        }

        int position = 0;
        if ((Legacy & LegacyShape.ColonBeforeExe) != 0 && !TryAppend(destination, ref position, ":"u8))
        {
            return false;
        }

        if (!TryAppend(destination, ref position, " exe="u8) || !TryAppendEncoded(destination, ref position, Exe))
        {
            return false;
        }

        // What libvirt writes from a daemon (no hostname, address or terminal): one copy for the three of them.
        if (Hostname.IsAbsent && Addr.IsAbsent && Terminal.IsAbsent)
        {
            if (!TryAppend(destination, ref position, " hostname=? addr=? terminal=?"u8)
                || !TryAppendRaw(destination, ref position, " res="u8, ResultText))
            {
                return false;
            }

            bytesWritten = position;
            return true;
        }

        if (!TryAppendRaw(destination, ref position, " hostname="u8, Hostname)
            || !TryAppendRaw(destination, ref position, " addr="u8, Addr)
            || !TryAppendRaw(destination, ref position, " terminal="u8, Terminal)
            || !TryAppendRaw(destination, ref position, " res="u8, ResultText))
        {
            return false;
        }

        bytesWritten = position;
        return true;
    }

    /// <summary>The text of the trailer as written (allocates); empty when missing.</summary>
    /// <returns>The text, with its leading space.</returns>
    public override string ToString()
    {
        byte[] buffer = new byte[GetLength()];
        TryFormat(buffer, out int length);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }

    private AuditText ResultText => Result.IsAbsent ? AuditText.FromUtf8(Success ? s_success : s_failed) : Result;

    private static bool TryAppend(Span<byte> destination, ref int position, ReadOnlySpan<byte> text)
    {
        if (!text.TryCopyTo(destination.Slice(position)))
        {
            return false;
        }

        position += text.Length;
        return true;
    }

    private static bool TryAppendEncoded(Span<byte> destination, ref int position, AuditText value)
    {
        if (!value.TryWriteEncoded(destination.Slice(position), out int written))
        {
            return false;
        }

        position += written;
        return true;
    }

    private static bool TryAppendRaw(Span<byte> destination, ref int position, ReadOnlySpan<byte> key, AuditText value)
    {
        if (!TryAppend(destination, ref position, key) || !value.TryWriteRaw(destination.Slice(position), out int written))
        {
            return false;
        }

        position += written;
        return true;
    }

    // Finds where the trailer's " exe=" starts with a bounded number of backward searches: the message must end
    // with " res=success" or " res=failed"; terminal=, addr= and hostname= are the last ones before it; exe= is the
    // last one before hostname= (or, for a quoted exe holding " exe=", the one right before its opening quote).
    private static bool TryLocate(ReadOnlySpan<byte> span, out int start)
    {
        start = -1;
        int resKey = span.EndsWith(" res=success"u8) ? span.Length - " res=success".Length
            : span.EndsWith(" res=failed"u8) ? span.Length - " res=failed".Length : -1;
        int terminalKey = resKey < 0 ? -1 : span.Slice(0, resKey).LastIndexOf(" terminal="u8);
        int addrKey = terminalKey < 0 ? -1 : span.Slice(0, terminalKey).LastIndexOf(" addr="u8);
        int hostnameKey = addrKey < 0 ? -1 : span.Slice(0, addrKey).LastIndexOf(" hostname="u8);
        if (hostnameKey < 0)
        {
            return false;
        }

        ReadOnlySpan<byte> before = span.Slice(0, hostnameKey);
        if (before.Length > 0 && before[^1] == (byte)'"')
        {
            int open = before.Slice(0, before.Length - 1).LastIndexOf((byte)'"');
            if (open >= " exe=".Length && before.Slice(open - " exe=".Length, " exe=".Length).SequenceEqual(" exe="u8))
            {
                start = open - " exe=".Length;
                return true;
            }
        }

        start = before.LastIndexOf(" exe="u8);
        return start >= 0;
    }

    private static bool TryParse(ReadOnlyMemory<byte> message, int start, out AuditTrailer trailer)
    {
        trailer = default;
        ReadOnlySpan<byte> span = message.Span;
        int exeStart = start + " exe=".Length;
        int exeEnd;
        if (exeStart < span.Length && span[exeStart] == (byte)'"')
        {
            int close = span.Slice(exeStart + 1).IndexOf((byte)'"');
            if (close < 0)
            {
                return false;
            }

            exeEnd = exeStart + close + 2;
        }
        else
        {
            int space = span.Slice(exeStart).IndexOf((byte)' ');
            if (space < 0)
            {
                return false;
            }

            exeEnd = exeStart + space;
        }

        if (!span.Slice(exeEnd).StartsWith(" hostname="u8))
        {
            return false;
        }

        int hostnameStart = exeEnd + " hostname=".Length;
        int addrKey = IndexOf(span, hostnameStart, " addr="u8);
        int terminalKey = addrKey < 0 ? -1 : IndexOf(span, addrKey + " addr=".Length, " terminal="u8);
        int resKey = terminalKey < 0 ? -1 : IndexOf(span, terminalKey + " terminal=".Length, " res="u8);
        if (resKey < 0)
        {
            return false;
        }

        int addrStart = addrKey + " addr=".Length;
        int terminalStart = terminalKey + " terminal=".Length;
        int resStart = resKey + " res=".Length;
        ReadOnlySpan<byte> res = span.Slice(resStart);
        bool success = res.SequenceEqual(s_success);
        if (!success && !res.SequenceEqual(s_failed))
        {
            return false;
        }

        AuditText exe = AuditText.FromEncodedToken(message.Slice(exeStart, exeEnd - exeStart));
        LegacyShape legacy = exe.Form switch
        {
            AuditValueForm.Bare => LegacyShape.BareValue,
            AuditValueForm.SingleQuoted => LegacyShape.SingleQuotedValue,
            _ => exe.IsCanonicalEncoded ? LegacyShape.None : LegacyShape.NonCanonicalEncoding,
        };
        trailer = new AuditTrailer(
            exe,
            AuditText.FromRawToken(message.Slice(hostnameStart, addrKey - hostnameStart)),
            AuditText.FromRawToken(message.Slice(addrStart, terminalKey - addrStart)),
            AuditText.FromRawToken(message.Slice(terminalStart, resKey - terminalStart)),
            AuditText.FromRawToken(message.Slice(resStart)),
            success,
            legacy);
        return true;
    }

    private static int IndexOf(ReadOnlySpan<byte> span, int from, ReadOnlySpan<byte> value)
    {
        int found = span.Slice(from).IndexOf(value);
        return found < 0 ? -1 : from + found;
    }
}
