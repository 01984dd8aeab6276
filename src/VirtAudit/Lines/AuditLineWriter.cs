using System;
using System.Buffers;
using System.Buffers.Text;

namespace VirtAudit;

/// <summary>
/// Writes a user-space record as one audit.log line, the way the kernel and auditd render it (spec §3.1, §13):
/// <c>[node=N ]type=NAME msg=audit(S.mmm:SERIAL): pid=P uid=U auid=A ses=S[ subj=C] msg='MESSAGE'[\x1dENRICHMENT]\n</c>.
/// As auditd does, every line feed inside the written parts becomes a space.
/// </summary>
public static class AuditLineWriter
{
    /// <summary>The length of the line <see cref="TryWrite"/> writes, including the final line feed.</summary>
    /// <param name="header">Node, type, stamp and kernel header.</param>
    /// <param name="message">The payload that goes inside <c>msg='…'</c>, as is.</param>
    /// <param name="enrichment">The ENRICHED tail written after a 0x1D byte; empty for a RAW line (no 0x1D).</param>
    /// <returns>The length in bytes.</returns>
    /// <exception cref="ArgumentException">The node holds a space, or the header has no record type.</exception>
    public static int GetLength(in AuditLineHeader header, ReadOnlySpan<byte> message, ReadOnlySpan<byte> enrichment)
    {
        Validate(header);
        Span<byte> digits = stackalloc byte[24];
        int length = 0;
        if (!header.Node.IsEmpty)
        {
            length += "node= "u8.Length + header.Node.Length;
        }

        length += "type="u8.Length;
        length += header.TypeName.IsEmpty ? AuditRecordTypes.GetNameLength(header.Type) : header.TypeName.Length;
        length += " msg=audit("u8.Length + header.Stamp.GetFormattedLength() + "): "u8.Length;
        Utf8Formatter.TryFormat(header.Pid, digits, out int written);
        length += "pid="u8.Length + written;
        Utf8Formatter.TryFormat(header.Uid, digits, out written);
        length += " uid="u8.Length + written;
        Utf8Formatter.TryFormat(header.Auid, digits, out written);
        length += " auid="u8.Length + written;
        Utf8Formatter.TryFormat(header.Ses, digits, out written);
        length += " ses="u8.Length + written;
        if (!header.Subj.IsEmpty)
        {
            length += " subj="u8.Length + header.Subj.Length;
        }

        length += " msg=''"u8.Length + message.Length;
        if (!enrichment.IsEmpty)
        {
            length += 1 + enrichment.Length;
        }

        return length + 1;
    }

    /// <summary>Writes the line, with its final line feed, to a span.</summary>
    /// <param name="header">Node, type, stamp and kernel header.</param>
    /// <param name="message">The payload that goes inside <c>msg='…'</c>, as is.</param>
    /// <param name="enrichment">The ENRICHED tail written after a 0x1D byte; empty for a RAW line (no 0x1D).</param>
    /// <param name="destination">Where to write.</param>
    /// <param name="bytesWritten">The number of bytes written; 0 when the destination is too small.</param>
    /// <returns>False when the destination is too small.</returns>
    /// <exception cref="ArgumentException">The node holds a space, or the header has no record type.</exception>
    public static bool TryWrite(
        in AuditLineHeader header,
        ReadOnlySpan<byte> message,
        ReadOnlySpan<byte> enrichment,
        Span<byte> destination,
        out int bytesWritten)
    {
        Validate(header);
        bytesWritten = 0;
        var output = new Output(destination);
        if (!header.Node.IsEmpty)
        {
            output.Append("node="u8);
            output.Append(header.Node.Span);
            output.Append(" "u8);
        }

        output.Append("type="u8);
        if (header.TypeName.IsEmpty)
        {
            output.AppendTypeName(header.Type);
        }
        else
        {
            output.Append(header.TypeName.Span);
        }

        output.Append(" msg=audit("u8);
        output.AppendStamp(header.Stamp);
        output.Append("): pid="u8);
        output.AppendNumber(header.Pid);
        output.Append(" uid="u8);
        output.AppendNumber(header.Uid);
        output.Append(" auid="u8);
        output.AppendNumber(header.Auid);
        output.Append(" ses="u8);
        output.AppendNumber(header.Ses);
        if (!header.Subj.IsEmpty)
        {
            output.Append(" subj="u8);
            output.Append(header.Subj.Span);
        }

        output.Append(" msg='"u8);
        output.Append(message);
        output.Append("'"u8);
        if (!enrichment.IsEmpty)
        {
            output.Append("\u001D"u8);
            output.Append(enrichment);
        }

        if (!output.Ok)
        {
            return false;
        }

        destination.Slice(0, output.Position).Replace((byte)'\n', (byte)' ');
        output.Append("\n"u8);
        if (!output.Ok)
        {
            return false;
        }

        bytesWritten = output.Position;
        return true;
    }

    /// <summary>Writes the line, with its final line feed, to a buffer writer.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="header">Node, type, stamp and kernel header.</param>
    /// <param name="message">The payload that goes inside <c>msg='…'</c>, as is.</param>
    /// <param name="enrichment">The ENRICHED tail written after a 0x1D byte; empty for a RAW line (no 0x1D).</param>
    /// <exception cref="ArgumentException">The node holds a space, or the header has no record type.</exception>
    public static void Write(IBufferWriter<byte> writer, in AuditLineHeader header, ReadOnlySpan<byte> message, ReadOnlySpan<byte> enrichment)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int length = GetLength(header, message, enrichment);
        Span<byte> span = writer.GetSpan(length);
        if (!TryWrite(header, message, enrichment, span, out int written))
        {
            throw new InvalidOperationException("The buffer writer returned a span smaller than requested.");
        }

        writer.Advance(written);
    }

    private static void Validate(in AuditLineHeader header)
    {
        if (header.Node.Span.IndexOf((byte)' ') >= 0)
        {
            throw new ArgumentException("The node name cannot contain a space.", nameof(header));
        }

        if (header.TypeName.IsEmpty && header.Type <= 0)
        {
            throw new ArgumentException("The header has no record type.", nameof(header));
        }
    }

    private ref struct Output
    {
        private readonly Span<byte> _destination;

        public Output(Span<byte> destination)
        {
            _destination = destination;
            Position = 0;
            Ok = true;
        }

        public int Position { get; private set; }

        public bool Ok { get; private set; }

        public void Append(ReadOnlySpan<byte> bytes)
        {
            if (Ok && bytes.TryCopyTo(_destination.Slice(Position)))
            {
                Position += bytes.Length;
            }
            else
            {
                Ok = false;
            }
        }

        public void AppendNumber(long value)
        {
            if (Ok && Utf8Formatter.TryFormat(value, _destination.Slice(Position), out int written))
            {
                Position += written;
            }
            else
            {
                Ok = false;
            }
        }

        public void AppendTypeName(int type)
        {
            if (Ok && AuditRecordTypes.TryWriteName(type, _destination.Slice(Position), out int written))
            {
                Position += written;
            }
            else
            {
                Ok = false;
            }
        }

        public void AppendStamp(AuditStamp stamp)
        {
            if (Ok && stamp.TryFormat(_destination.Slice(Position), out int written))
            {
                Position += written;
            }
            else
            {
                Ok = false;
            }
        }
    }
}
