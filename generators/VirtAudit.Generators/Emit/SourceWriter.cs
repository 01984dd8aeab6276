using System.Text;

namespace VirtAudit.Generators.Emit;

/// <summary>A small indenting text writer for emitted C#.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
            _text.Append(line);
        }

        _text.Append('\n');
        return this;
    }

    public SourceWriter Open(string line)
    {
        Line(line);
        Line("{");
        _indent++;
        return this;
    }

    /// <summary>One level deeper without a brace (the statements of a <c>case</c>).</summary>
    public SourceWriter Indent()
    {
        _indent++;
        return this;
    }

    public SourceWriter Outdent()
    {
        _indent--;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    /// <summary>Writes schema text <paramref name="doc"/> (escaped) as a <c>summary</c>, and XML <paramref name="remarks"/>.</summary>
    public SourceWriter Doc(string? doc, string? remarks = null) => DocXml(string.IsNullOrWhiteSpace(doc) ? null : Escape(doc!), remarks);

    /// <summary>Writes <paramref name="xml"/> (already XML) as a <c>summary</c>, and XML <paramref name="remarks"/>.</summary>
    public SourceWriter DocXml(string? xml, string? remarks = null)
    {
        var doc = xml;
        if (string.IsNullOrWhiteSpace(doc))
        {
            doc = "(not documented in the schema)";
        }

        Line("/// <summary>");
        foreach (var line in doc!.Trim().Split('\n'))
        {
            Line("/// " + line.TrimEnd());
        }

        Line("/// </summary>");
        if (!string.IsNullOrEmpty(remarks))
        {
            Line("/// <remarks>" + remarks + "</remarks>");
        }

        return this;
    }

    public static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>A C# string literal for <paramref name="value"/>.</summary>
    public static string Literal(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || c > 0x7E)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    /// <summary>A UTF-8 literal (<c>"…"u8</c>) for <paramref name="value"/>.</summary>
    public static string Utf8(string value) => Literal(value) + "u8";

    public override string ToString() => _text.ToString();
}
