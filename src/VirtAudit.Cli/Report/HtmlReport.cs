using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace VirtAudit.Cli.Report;

/// <summary>
/// Writes a <see cref="ReportModel"/> as one self-contained HTML page: inline style, inline SVG, one small inline
/// script, no external reference of any kind (a Content-Security-Policy of <c>default-src 'none'</c> with the hashes
/// of the page's own style and script enforces it). The markup is also well-formed XML (void elements closed,
/// attributes quoted, only the five XML entities), so it parses with System.Xml. Every text and attribute value from
/// the input is escaped (<see cref="Escape"/>): guest names are chosen by tenants.
/// </summary>
internal static partial class HtmlReport
{
    public static void Write(TextWriter w, ReportModel m)
    {
        var styleHash = Hash(HtmlAssets.Style);
        var scriptHash = Hash(HtmlAssets.Script);
        w.Write("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
        w.Write($"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-{styleHash}'; script-src 'sha256-{scriptHash}'; base-uri 'none'; form-action 'none'\"/>\n");
        w.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<meta name=\"generator\" content=\"virtaudit report\"/>\n");
        w.Write($"<title>virtaudit report: {Escape(Title(m))}</title>\n<style>{HtmlAssets.Style}</style>\n</head>\n<body>\n");
        w.Write("<header>\n<h1>virtaudit report</h1>\n");
        w.Write($"<p class=\"muted\">{Escape(Title(m))} \u2014 {Count(m.Records)} records, {Count(m.Guests.Count)} guests, {Escape(Span(m.FirstTime, m.LastTime))}</p>\n");
        w.Write("<nav aria-label=\"Sections\"><ul><li><a href=\"#overview\">Overview</a></li><li><a href=\"#guests\">Guests</a></li>");
        w.Write($"<li><a href=\"#failures\">Failed operations ({Count(m.FailureCount)})</a></li><li><a href=\"#not-sent\">Not sent ({Count(m.NotSentCount)})</a></li>");
        w.Write($"<li><a href=\"#cut\">Cut records ({Count(m.CutRecordCount)})</a></li><li><a href=\"#errors\">Parse errors ({Count(m.ParseErrorCount)})</a></li></ul></nav>\n");
        w.Write("<div class=\"search\" role=\"search\"><label for=\"search\">Filter guests by name or UUID</label>");
        w.Write("<input id=\"search\" type=\"search\" autocomplete=\"off\" spellcheck=\"false\" placeholder=\"name or UUID\"/>");
        w.Write("<span id=\"search-count\" class=\"muted\" aria-live=\"polite\"></span></div>\n</header>\n<main>\n");
        Overview(w, m);
        GuestIndex(w, m);
        RefList(w, m, "failures", "Failed operations", "Records with res=failed (or success=no in a daemon log), in input order.", m.Failures, m.FailureCount);
        RefList(w, m, "not-sent", "Records that never reached the kernel", "libvirt logged \u201cFailed to send audit message\u201d: these are in its daemon log only, never in audit.log.", m.NotSent, m.NotSentCount);
        RefList(w, m, "cut", "Cut records", "msg='\u2026' without its closing quote, or at the kernel's 8560-byte limit without libaudit's res=.", m.CutRecords, m.CutRecordCount);
        RefList(w, m, "errors", "Parse errors", "Lines that are not audit records (blank lines and ausearch separators are not counted).", m.ParseErrors, m.ParseErrorCount);
        for (var i = 0; i < m.Guests.Count; i++)
        {
            Guest(w, m.Guests[i], i);
        }

        w.Write("</main>\n<div id=\"tip\" role=\"tooltip\" hidden=\"hidden\"></div>\n");
        w.Write($"<script>{HtmlAssets.Script}</script>\n</body>\n</html>\n");
    }

    private static void Overview(TextWriter w, ReportModel m)
    {
        w.Write("<section id=\"overview\" aria-labelledby=\"overview-h\">\n<h2 id=\"overview-h\">Overview</h2>\n");
        if (m.Summaries.Count > 0)
        {
            w.Write("<div class=\"notice\" role=\"note\"><strong>Summarised:</strong> this history is longer than the report's limits ");
            w.Write($"({Count(m.Limits.MaxGuests)} guests, {Count(m.Limits.MaxEventsPerGuest)} events and {Count(m.Limits.MaxRunsPerGuest)} runs a guest, {Count(m.Limits.MaxListed)} entries a list); what is left out is counted.<ul>");
            foreach (var s in m.Summaries)
            {
                w.Write($"<li>{Escape(s)}</li>");
            }

            w.Write("</ul></div>\n");
        }

        w.Write("<dl class=\"facts\">");
        Fact(w, "Lines read", Count(m.Lines));
        Fact(w, "Records", Count(m.Records));
        Fact(w, "VIRT records", Count(m.VirtRecords));
        Fact(w, "Guests", Count(m.GuestCount));
        Fact(w, "First record", m.FirstTime ?? "\u2014");
        Fact(w, "Last record", m.LastTime ?? "\u2014");
        Fact(w, "Hosts", m.Hosts.Count == 0 ? "(no node= or host)" : Join(m.Hosts));
        Fact(w, "Failed operations", Count(m.FailureCount));
        Fact(w, "Not sent to the kernel", Count(m.NotSentCount));
        Fact(w, "Parse errors", Count(m.ParseErrorCount));
        Fact(w, "Cut records", Count(m.CutRecordCount));
        w.Write("</dl>\n<h3 id=\"inputs\">Inputs</h3>\n");
        TableStart(w, "inputs-table", ("Input", false), ("Bytes", true), ("Lines", true), ("Records", true), ("Errors", true), ("Daemon lines skipped", true), ("Joined", true), ("Renderings", false));
        foreach (var input in m.Inputs)
        {
            w.Write($"<tr><td>{Escape(input.Name)}{(input.ReadError is null ? string.Empty : " <span class=\"failed\">read failed: " + Escape(input.ReadError) + "</span>")}</td>");
            w.Write($"<td class=\"num\">{Count(input.Bytes)}</td><td class=\"num\">{Count(input.Lines)}</td><td class=\"num\">{Count(input.Records)}</td><td class=\"num\">{Count(input.Errors)}</td>");
            w.Write($"<td class=\"num\">{Count(input.LinesSkipped)}</td><td class=\"num\">{Count(input.LinesJoined)}</td><td>{Escape(Join(input.Renderings))}</td></tr>\n");
        }

        w.Write("</tbody></table></div>\n<div class=\"cols\">\n");
        Counts(w, "types", "Records by type", m.Types);
        Counts(w, "variants", "VIRT records by variant", m.Variants);
        Counts(w, "results", "VIRT records by result", m.Results);
        Counts(w, "renderings", "Records by rendering", m.Renderings);
        w.Write("</div>\n</section>\n");
    }

    private static void GuestIndex(TextWriter w, ReportModel m)
    {
        w.Write("<section id=\"guests\" aria-labelledby=\"guests-h\">\n<h2 id=\"guests-h\">Guests</h2>\n");
        if (m.GuestRecordsOmitted > 0)
        {
            w.Write($"<p class=\"notice\">{Count(m.GuestCount - m.Guests.Count)} more guests ({Count(m.GuestRecordsOmitted)} records) are beyond the limit of {Count(m.Limits.MaxGuests)} and counted in the overview only.</p>\n");
        }

        TableStart(w, "guests-table", ("Guest", false), ("UUID", false), ("Runs", true), ("Failed starts", true), ("Changes", true), ("Failed ops", true), ("Not sent", true), ("First", false), ("Last", false));
        for (var i = 0; i < m.Guests.Count; i++)
        {
            var g = m.Guests[i];
            w.Write($"<tr data-search=\"{Escape(SearchText(g))}\"><td><a href=\"#g{i}\">{Escape(Names(g))}</a></td><td class=\"mono\">{Escape(g.Uuid)}</td>");
            w.Write($"<td class=\"num\">{Count(g.Starts)}</td><td class=\"num{(g.FailedStarts > 0 ? " failed" : string.Empty)}\">{Count(g.FailedStarts)}</td><td class=\"num\">{Count(g.Changes)}</td>");
            w.Write($"<td class=\"num{(g.FailedOperations > 0 ? " failed" : string.Empty)}\">{Count(g.FailedOperations)}</td><td class=\"num\">{Count(g.NotSent)}</td>");
            w.Write($"<td class=\"t\">{Escape(g.FirstTime ?? "\u2014")}</td><td class=\"t\">{Escape(g.LastTime ?? "\u2014")}</td></tr>\n");
        }

        w.Write("</tbody></table></div>\n</section>\n");
    }

    private static void RefList(TextWriter w, ReportModel m, string id, string title, string what, List<RecordRef> refs, long total)
    {
        w.Write($"<section id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h2 id=\"{id}-h\">{Escape(title)} ({Count(total)})</h2>\n<p class=\"muted\">{Escape(what)}</p>\n");
        if (total == 0)
        {
            w.Write("<p>None.</p>\n</section>\n");
            return;
        }

        if (total > refs.Count)
        {
            w.Write($"<p class=\"notice\">The first {Count(refs.Count)} of {Count(total)} are listed.</p>\n");
        }

        TableStart(w, id + "-table", ("Where", false), ("Time", false), ("Guest", false), ("What", false), ("Line", false));
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < m.Guests.Count; i++)
        {
            index[m.Guests[i].Uuid] = i;
        }

        foreach (var r in refs)
        {
            var guest = r.Guest is not null && index.TryGetValue(r.Guest, out var gi) ? gi : -1;
            var where = $"{Escape(r.Input)}:{Count(r.Line)}";
            w.Write($"<tr><td class=\"mono\" data-sort=\"{Count(r.Line)}\">{(guest >= 0 && r.EventId is { } e ? $"<a href=\"#ev{guest}-{e}\">{where}</a>" : where)}</td>");
            w.Write($"<td class=\"t\">{Escape(r.Time ?? "\u2014")}</td><td>{(guest >= 0 ? $"<a href=\"#g{guest}\">{Escape(r.GuestName ?? r.Guest!)}</a>" : Escape(r.GuestName ?? r.Guest ?? "\u2014"))}</td>");
            w.Write($"<td>{Escape(r.Summary)}</td><td><details><summary>raw line</summary><pre class=\"raw\">{Escape(r.Raw ?? string.Empty)}</pre></details></td></tr>\n");
        }

        w.Write("</tbody></table></div>\n</section>\n");
    }

    private static void Counts(TextWriter w, string id, string title, List<KeyCount> counts)
    {
        w.Write($"<div><h3 id=\"{id}\">{Escape(title)}</h3>\n");
        TableStart(w, id + "-table", ("Key", false), ("Count", true));
        foreach (var c in counts)
        {
            w.Write($"<tr><td>{Escape(c.Key)}</td><td class=\"num\">{Count(c.Count)}</td></tr>\n");
        }

        w.Write("</tbody></table></div></div>\n");
    }

    private static void Fact(TextWriter w, string name, string value) =>
        w.Write($"<div><dt>{Escape(name)}</dt><dd>{Escape(value)}</dd></div>");

    /// <summary>Starts a sortable table: every header is a button (keyboard reachable) that sorts by its column.</summary>
    private static void TableStart(TextWriter w, string id, params (string Name, bool Numeric)[] columns)
    {
        w.Write($"<div class=\"wrap\"><table class=\"sortable\" id=\"{id}\"><thead><tr>");
        foreach (var (name, numeric) in columns)
        {
            w.Write($"<th scope=\"col\"{(numeric ? " class=\"num\"" : string.Empty)}><button type=\"button\">{Escape(name)}</button></th>");
        }

        w.Write("</tr></thead><tbody>\n");
    }

    /// <summary>
    /// Text for HTML text and attribute values: the five XML entities escaped; control characters (not allowed in
    /// XML, and meaningless in a name) shown as U+FFFD.
    /// </summary>
    internal static string Escape(string text)
    {
        var clean = true;
        foreach (var c in text)
        {
            if (c is '&' or '<' or '>' or '"' or '\'' || (c < 0x20 && c is not '\t' and not '\n' and not '\r') || c is '\uFFFE' or '\uFFFF' || char.IsSurrogate(c))
            {
                clean = false;
                break;
            }
        }

        if (clean)
        {
            return text;
        }

        var b = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': b.Append("&amp;"); break;
                case '<': b.Append("&lt;"); break;
                case '>': b.Append("&gt;"); break;
                case '"': b.Append("&quot;"); break;
                case '\'': b.Append("&#39;"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        b.Append(c).Append(text[++i]);
                    }
                    else if ((c < 0x20 && c is not '\t' and not '\n' and not '\r') || c is '\uFFFE' or '\uFFFF' || char.IsSurrogate(c))
                    {
                        b.Append('\uFFFD');
                    }
                    else
                    {
                        b.Append(c);
                    }

                    break;
            }
        }

        return b.ToString();
    }

    private static string Hash(string text) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Title(ReportModel m) =>
        m.Inputs.Count == 0 ? "no input" : m.Inputs.Count == 1 ? m.Inputs[0].Name : string.Join(", ", m.Inputs.ConvertAll(i => i.Name));

    private static string Span(string? first, string? last) => first is null ? "no time stamps" : first + " \u2013 " + last;

    internal static string Names(GuestReport g) => g.Names.Count == 0 ? "(no name)" : string.Join(" / ", g.Names);

    private static string SearchText(GuestReport g) => (string.Join(" ", g.Names) + " " + g.Uuid).ToLowerInvariant();

    private static string Join(List<KeyCount> counts)
    {
        var b = new StringBuilder();
        foreach (var c in counts)
        {
            b.Append(b.Length == 0 ? string.Empty : ", ").Append(c.Key).Append(' ').Append(Count(c.Count));
        }

        return b.ToString();
    }

    internal static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);
}
