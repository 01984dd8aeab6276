using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace VirtAudit.Cli.Report;

/// <summary>One guest's section of the report: facts, the SVG timeline, runs, resource sets, labels and events.</summary>
internal static partial class HtmlReport
{
    private const double Width = 1000;
    private const double Pad = 12;
    private const double MarkRow1 = 30;
    private const double MarkRow2 = 12;
    private const double BarTop = 48;
    private const double BarHeight = 22;

    private static void Guest(TextWriter w, GuestReport g, int gi)
    {
        var names = Names(g);
        w.Write($"<section class=\"guest\" id=\"g{gi}\" data-search=\"{Escape(SearchText(g))}\" aria-labelledby=\"g{gi}-h\">\n");
        w.Write($"<h2 id=\"g{gi}-h\">{Escape(names)}</h2>\n<dl class=\"facts\">");
        Fact(w, "UUID", g.Uuid);
        Fact(w, g.Names.Count > 1 ? "Names (in order seen)" : "Name", names);
        Fact(w, "Hypervisor (virt=)", g.Virt.Count == 0 ? "\u2014" : string.Join(", ", g.Virt));
        Fact(w, "Hosts", g.Hosts.Count == 0 ? "\u2014" : string.Join(", ", g.Hosts));
        Fact(w, "Records", Count(g.Records));
        Fact(w, "Starts (failed)", $"{Count(g.Starts)} ({Count(g.FailedStarts)})");
        Fact(w, "Stops", Count(g.Stops));
        Fact(w, "Device, memory, vCPU, iothread changes", Count(g.Changes));
        Fact(w, "Failed operations", Count(g.FailedOperations));
        Fact(w, "Not sent to the kernel", Count(g.NotSent));
        Fact(w, "Device ACL and tap records", Count(g.AccessRecords));
        Fact(w, "Time span", Span(g.FirstTime, g.LastTime));
        w.Write("</dl>\n");
        if (g.EventsOmitted > 0 || g.RunsOmitted > 0)
        {
            w.Write($"<p class=\"notice\">Summarised: {Count(g.EventsOmitted)} events and {Count(g.RunsOmitted)} runs in the middle of this guest's history are not drawn or listed; the first and last are. Omitted events by kind: {Escape(Join(g.EventsOmittedByKind))}.</p>\n");
        }

        w.Write($"<h3 id=\"g{gi}-timeline\">Timeline</h3>\n");
        Timeline(w, g, gi);
        Legend(w);
        Runs(w, g, gi);
        Resources(w, g, gi);
        Labels(w, g, gi);
        Events(w, g, gi);
        w.Write("</section>\n");
    }

    private static void Timeline(TextWriter w, GuestReport g, int gi)
    {
        // Positions: an event without a time takes the time of the one before it (or its own number when none has one).
        var positions = new Dictionary<int, double>();
        double? last = null;
        var anyTime = g.Events.Exists(e => e.Ms is not null) || g.Runs.Exists(r => r.StartMs is not null || r.StopMs is not null);
        foreach (var e in g.Events)
        {
            var v = anyTime ? (e.Ms is { } ms ? ms : last ?? double.NaN) : e.Id;
            positions[e.Id] = v;
            last = double.IsNaN(v) ? last : v;
        }

        double lo = double.MaxValue, hi = double.MinValue;
        foreach (var v in positions.Values)
        {
            if (!double.IsNaN(v))
            {
                lo = Math.Min(lo, v);
                hi = Math.Max(hi, v);
            }
        }

        foreach (var r in g.Runs)
        {
            foreach (var v in new[] { RunStart(r, positions), RunStop(r, positions) })
            {
                if (v is { } x && !double.IsNaN(x))
                {
                    lo = Math.Min(lo, x);
                    hi = Math.Max(hi, x);
                }
            }
        }

        if (lo > hi)
        {
            lo = 0;
            hi = 1;
        }

        var range = hi - lo;
        if (range <= 0)
        {
            range = 1;
        }

        double X(double v) => double.IsNaN(v) ? Pad : Pad + ((v - lo) / range * (Width - (2 * Pad)));
        const double height = 160;
        w.Write($"<svg class=\"timeline\" id=\"g{gi}-svg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {N(Width)} {N(height)}\" role=\"group\" aria-label=\"Timeline of {Escape(Names(g))}: {Count(g.Runs.Count)} runs, {Count(g.Events.Count)} events\">\n");
        var tips = new StringBuilder();
        var labelEnds = new[] { double.MinValue, double.MinValue, double.MinValue };

        // Runs: a bar from start to stop; a failed start is a dashed red bar of its own; an open end reaches the edge.
        foreach (var r in g.Runs)
        {
            var x0 = RunStart(r, positions) is { } s && !double.IsNaN(s) ? X(s) : Pad;
            var x1 = RunStop(r, positions) is { } t && !double.IsNaN(t) ? X(t) : Width - Pad;
            var width = Math.Max(4, x1 - x0);
            var cls = "run" + (r.StartFailed ? " failed-start" : string.Empty) + (!r.StartFailed && (r.StartReason is null || r.StopReason is null) ? " open" : string.Empty);
            var label = RunLabel(r);
            w.Write($"<a class=\"{cls}\" href=\"#run{gi}-{r.Number}\" data-tip=\"rt{gi}-{r.Number}\" aria-label=\"{Escape(label)}\">");
            w.Write($"<rect x=\"{N(x0)}\" y=\"{N(BarTop)}\" width=\"{N(width)}\" height=\"{N(BarHeight)}\" rx=\"3\"/></a>\n");
            var startText = r.StartReason is null ? "\u25B6 (before input)" : (r.StartFailed ? "\u2715 " : "\u25B6 ") + r.StartReason + (r.StartFailed ? " (failed)" : string.Empty);
            Label(w, labelEnds, x0, startText, anchorEnd: false);
            if (!r.StartFailed)
            {
                var stopText = r.StopReason is null ? "running at end \u25B7" : "\u25A0 " + r.StopReason + (r.StopFailed ? " (failed)" : string.Empty);
                Label(w, labelEnds, x0 + width, stopText, anchorEnd: true);
            }

            tips.Append($"<dl class=\"fields\" id=\"rt{gi}-{r.Number}\"><dt>run</dt><dd>{Count(r.Number)}</dd><dt>start</dt><dd>{Escape((r.StartReason ?? "before the input") + (r.StartFailed ? " (FAILED)" : string.Empty))}</dd>");
            tips.Append($"<dt>started</dt><dd>{Escape(r.StartTime ?? "\u2014")}</dd><dt>pid</dt><dd>{Escape(r.Pid ?? "\u2014")}</dd>");
            tips.Append($"<dt>stop</dt><dd>{Escape(r.StopReason ?? "still running at the end of the input")}</dd><dt>stopped</dt><dd>{Escape(r.StopTime ?? "\u2014")}</dd>");
            tips.Append($"<dt>resources</dt><dd>{Count(r.Resources.Count + r.ResourcesOmitted)}</dd></dl>");
        }

        // Marks: every kept event but a successful start or stop (the bar's ends); failed ones as a red cross.
        var rowEnd = new[] { double.MinValue, double.MinValue };
        foreach (var e in g.Events)
        {
            if (e.Kind is "start" or "stop" && !e.Failed)
            {
                continue;
            }

            var x = X(positions[e.Id]);
            var row = x - rowEnd[0] >= 14 ? 0 : x - rowEnd[1] >= 14 ? 1 : 0;
            rowEnd[row] = x;
            var y = row == 0 ? MarkRow1 : MarkRow2;
            var kind = MarkKind(e);
            var cls = "mark " + kind + (e.Failed ? " failed" : string.Empty) + (e.NotSent ? " notsent" : string.Empty);
            var label = $"{e.Summary} at {e.Time ?? "(no time)"}{(e.Failed ? " (failed)" : string.Empty)}{(e.NotSent ? " (not sent to the kernel)" : string.Empty)}";
            w.Write($"<a class=\"{cls}\" href=\"#ev{gi}-{e.Id}\" data-tip=\"f{gi}-{e.Id}\" aria-label=\"{Escape(label)}\">{Shape(e.Failed ? "failed" : kind, x, y)}</a>\n");
        }

        // The time axis.
        var axisY = height - 22;
        w.Write($"<line class=\"axis\" x1=\"{N(Pad)}\" y1=\"{N(axisY)}\" x2=\"{N(Width - Pad)}\" y2=\"{N(axisY)}\"/>\n");
        for (var i = 0; i <= 4; i++)
        {
            var v = lo + (range * i / 4);
            var x = X(v);
            var anchor = i == 0 ? "start" : i == 4 ? "end" : "middle";
            var text = anyTime ? Tick(v, i == 0 || range > 86_400_000) : "event " + Count((long)v);
            w.Write($"<line class=\"axis\" x1=\"{N(x)}\" y1=\"{N(axisY - 4)}\" x2=\"{N(x)}\" y2=\"{N(axisY + 4)}\"/><text class=\"tick\" x=\"{N(x)}\" y=\"{N(axisY + 17)}\" text-anchor=\"{anchor}\">{Escape(text)}</text>\n");
        }

        w.Write("</svg>\n");
        w.Write($"<div class=\"tips\" hidden=\"hidden\">{tips}</div>\n");
    }

    /// <summary>A run's reason under the bars, on the first of three rows where it does not overlap the one before.</summary>
    private static void Label(TextWriter w, double[] rowEnds, double x, string text, bool anchorEnd)
    {
        var width = (text.Length * 6.3) + 6;
        var left = anchorEnd ? x - width : x;
        var row = Array.FindIndex(rowEnds, end => end <= left);
        if (row < 0)
        {
            row = 0;
            for (var i = 1; i < rowEnds.Length; i++)
            {
                row = rowEnds[i] < rowEnds[row] ? i : row;
            }
        }

        rowEnds[row] = left + width;
        var y = BarTop + BarHeight + 14 + (row * 14);
        w.Write($"<text x=\"{N(x)}\" y=\"{N(y)}\"{(anchorEnd ? " text-anchor=\"end\"" : string.Empty)}>{Escape(text)}</text>\n");
    }

    private static double? RunStart(RunReport r, Dictionary<int, double> positions) =>
        r.StartMs is { } ms ? ms : r.StartEvent is { } e && positions.TryGetValue(e, out var p) ? p : null;

    private static double? RunStop(RunReport r, Dictionary<int, double> positions) =>
        r.StopMs is { } ms ? ms : r.StopEvent is { } e && positions.TryGetValue(e, out var p) ? p : null;

    private static string RunLabel(RunReport r) =>
        $"Run {Count(r.Number)}: {(r.StartReason ?? "began before the input")}{(r.StartFailed ? " (start failed)" : string.Empty)} at {r.StartTime ?? "?"}, "
        + (r.StartFailed ? "never ran" : r.StopReason is null ? "still running at the end" : $"stopped ({r.StopReason}) at {r.StopTime ?? "?"}");

    private static string MarkKind(GuestEvent e) => e.Kind switch
    {
        "attach" => "attach",
        "detach" => "detach",
        "update" when e.What is "mem" or "vcpu" or "iothread" => "scalar",
        "update" => "update",
        _ => "other",
    };

    /// <summary>The mark's shape: attach ▲, detach ▼, device update ◆, memory/vCPU/iothread ●, other ■, failed ✖ (a cross, not only a colour).</summary>
    private static string Shape(string kind, double x, double y) => kind switch
    {
        "attach" => $"<path class=\"shape\" d=\"M{N(x)} {N(y - 7)}L{N(x + 7)} {N(y + 6)}L{N(x - 7)} {N(y + 6)}Z\"/>",
        "detach" => $"<path class=\"shape\" d=\"M{N(x)} {N(y + 7)}L{N(x + 7)} {N(y - 6)}L{N(x - 7)} {N(y - 6)}Z\"/>",
        "update" => $"<path class=\"shape\" d=\"M{N(x)} {N(y - 7)}L{N(x + 7)} {N(y)}L{N(x)} {N(y + 7)}L{N(x - 7)} {N(y)}Z\"/>",
        "scalar" => $"<circle class=\"shape\" cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"6\"/>",
        "failed" => $"<path class=\"shape\" d=\"M{N(x - 8)} {N(y - 5)}L{N(x - 5)} {N(y - 8)}L{N(x)} {N(y - 3)}L{N(x + 5)} {N(y - 8)}L{N(x + 8)} {N(y - 5)}L{N(x + 3)} {N(y)}L{N(x + 8)} {N(y + 5)}L{N(x + 5)} {N(y + 8)}L{N(x)} {N(y + 3)}L{N(x - 5)} {N(y + 8)}L{N(x - 8)} {N(y + 5)}L{N(x - 3)} {N(y)}Z\"/>",
        _ => $"<rect class=\"shape\" x=\"{N(x - 5)}\" y=\"{N(y - 5)}\" width=\"10\" height=\"10\"/>",
    };

    private static void Legend(TextWriter w)
    {
        w.Write("<ul class=\"legend\" aria-label=\"Legend\">");
        w.Write("<li><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"28\" height=\"14\" viewBox=\"0 0 28 14\" aria-hidden=\"true\"><g class=\"run\"><rect x=\"0\" y=\"2\" width=\"28\" height=\"10\" rx=\"2\"/></g></svg> run (start \u25B6 to stop \u25A0)</li>");
        w.Write("<li><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"28\" height=\"14\" viewBox=\"0 0 28 14\" aria-hidden=\"true\"><g class=\"run failed-start\"><rect x=\"1\" y=\"2\" width=\"26\" height=\"10\" rx=\"2\"/></g></svg> failed start</li>");
        foreach (var (kind, text) in new[] { ("attach", "attach"), ("detach", "detach"), ("update", "device update"), ("scalar", "memory / vCPU / iothread change"), ("other", "other operation"), ("failed", "FAILED operation") })
        {
            w.Write($"<li><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"18\" height=\"18\" viewBox=\"0 0 18 18\" aria-hidden=\"true\"><g class=\"mark {kind}{(kind == "failed" ? " failed" : string.Empty)}\">{Shape(kind, 9, 9)}</g></svg> {Escape(text)}</li>");
        }

        w.Write("</ul>\n");
    }

    private static void Runs(TextWriter w, GuestReport g, int gi)
    {
        w.Write($"<h3 id=\"g{gi}-runs\">Runs ({Count(g.Runs.Count + g.RunsOmitted)})</h3>\n");
        if (g.Runs.Count == 0)
        {
            w.Write("<p>No start or stop in the input.</p>\n");
            return;
        }

        TableStart(w, $"g{gi}-runs-table", ("Run", true), ("Started", false), ("Start reason", false), ("PID", true), ("Stopped", false), ("Stop reason", false), ("Ran (s)", true), ("Resources", true), ("Changes since the previous start", false));
        foreach (var r in g.Runs)
        {
            var failed = r.StartFailed ? " class=\"failed\"" : string.Empty;
            var ran = r.StartMs is { } a && r.StopMs is { } b && !r.StartFailed ? ((b - a) / 1000.0).ToString("0.000", CultureInfo.InvariantCulture) : "\u2014";
            w.Write($"<tr id=\"run{gi}-{r.Number}\"{failed}><td class=\"num\">{Count(r.Number)}</td><td class=\"t\">{Link(gi, r.StartEvent, r.StartTime ?? "(before the input)")}</td>");
            w.Write($"<td>{Escape(r.StartReason ?? "\u2014")}{(r.StartFailed ? " <span class=\"tag failed\">FAILED</span>" : string.Empty)}</td><td class=\"num\">{Escape(r.Pid ?? "\u2014")}</td>");
            w.Write($"<td class=\"t\">{(r.StartFailed ? "\u2014" : Link(gi, r.StopEvent, r.StopTime ?? (r.StopReason is null ? "(running at the end)" : "\u2014")))}</td><td>{Escape(r.StartFailed ? "never ran" : r.StopReason ?? "\u2014")}</td>");
            w.Write($"<td class=\"num\">{ran}</td><td class=\"num\"><a href=\"#res{gi}-{r.Number}\">{Count(r.Resources.Count + r.ResourcesOmitted)}</a></td><td>{Escape(ChangesText(r))}</td></tr>\n");
        }

        w.Write("</tbody></table></div>\n");
    }

    private static string Link(int gi, int? eventId, string text) =>
        eventId is { } e ? $"<a href=\"#ev{gi}-{e}\">{Escape(text)}</a>" : Escape(text);

    private static string ChangesText(RunReport r)
    {
        if (!r.HasPreviousStart)
        {
            return "(first start in the input)";
        }

        if (r.ChangesSincePreviousStart.Count == 0)
        {
            return "none";
        }

        var b = new StringBuilder();
        foreach (var c in r.ChangesSincePreviousStart)
        {
            b.Append(b.Length == 0 ? string.Empty : "; ").Append(c.Change switch
            {
                "added" => $"+ {c.Kind} {c.New}",
                "removed" => $"\u2212 {c.Kind} {c.Old}",
                _ => $"{c.Kind} {c.Old} \u2192 {c.New}",
            });
        }

        return b.ToString();
    }

    private static void Resources(TextWriter w, GuestReport g, int gi)
    {
        w.Write($"<h3 id=\"g{gi}-resources\">Resources at each start</h3>\n<p class=\"muted\">Rebuilt from the reason=start records libvirt writes just before each start; what changed since the previous start is marked.</p>\n");
        foreach (var r in g.Runs)
        {
            if (r.StartReason is null)
            {
                continue;
            }

            var added = new HashSet<string>(StringComparer.Ordinal);
            foreach (var c in r.ChangesSincePreviousStart)
            {
                if (c.New is not null)
                {
                    added.Add(c.Kind + "\n" + c.New);
                }
            }

            var open = ReferenceEquals(r, g.Runs[^1]) ? " open=\"open\"" : string.Empty;
            w.Write($"<details id=\"res{gi}-{r.Number}\"{open}><summary>Run {Count(r.Number)}: {Escape(r.StartReason)}{(r.StartFailed ? " (failed)" : string.Empty)} at {Escape(r.StartTime ?? "?")} \u2014 {Count(r.Resources.Count + r.ResourcesOmitted)} resources; changes: {Escape(ChangesText(r))}</summary>\n");
            TableStart(w, $"res{gi}-{r.Number}-table", ("Kind", false), ("Value", false), ("Since the previous start", false));
            foreach (var item in r.Resources)
            {
                var isNew = r.HasPreviousStart && added.Contains(item.Kind + "\n" + item.Value);
                w.Write($"<tr><td>{Escape(item.Kind)}</td><td class=\"mono\">{Escape(item.Value)}</td><td>{(isNew ? "<strong>new</strong>" : string.Empty)}</td></tr>\n");
            }

            foreach (var c in r.ChangesSincePreviousStart)
            {
                if (c.Change == "removed")
                {
                    w.Write($"<tr><td>{Escape(c.Kind)}</td><td class=\"mono\"><del>{Escape(c.Old ?? string.Empty)}</del></td><td><strong>removed</strong></td></tr>\n");
                }
            }

            w.Write("</tbody></table></div>");
            if (r.ResourcesOmitted > 0)
            {
                w.Write($"<p class=\"notice\">{Count(r.ResourcesOmitted)} more resources are not listed.</p>");
            }

            w.Write("</details>\n");
        }

        w.Write("<details><summary>Resources after the last record</summary>\n");
        TableStart(w, $"g{gi}-current-table", ("Kind", false), ("Value", false));
        foreach (var item in g.CurrentResources)
        {
            w.Write($"<tr><td>{Escape(item.Kind)}</td><td class=\"mono\">{Escape(item.Value)}</td></tr>\n");
        }

        w.Write("</tbody></table></div></details>\n");
    }

    private static void Labels(TextWriter w, GuestReport g, int gi)
    {
        w.Write($"<h3 id=\"g{gi}-labels\">Security labels (VIRT_MACHINE_ID)</h3>\n");
        if (g.Labels.Count == 0)
        {
            w.Write("<p>None in the input.</p>\n");
            return;
        }

        TableStart(w, $"g{gi}-labels-table", ("Model", false), ("vm-ctx", false), ("img-ctx", false), ("Records", true), ("First seen", false));
        foreach (var l in g.Labels)
        {
            w.Write($"<tr><td>{Escape(l.Model)}</td><td class=\"mono\">{Escape(l.VmCtx ?? "\u2014")}</td><td class=\"mono\">{Escape(l.ImgCtx ?? "\u2014")}</td><td class=\"num\">{Count(l.Count)}</td>");
            w.Write($"<td class=\"mono\">{Escape(l.Input)}:{Count(l.FirstLine)} {Escape(l.FirstTime ?? string.Empty)}</td></tr>\n");
        }

        w.Write("</tbody></table></div>\n");
    }

    private static void Events(TextWriter w, GuestReport g, int gi)
    {
        w.Write($"<h3 id=\"g{gi}-events\">Events ({Count(g.Events.Count + g.EventsOmitted)})</h3>\n");
        w.Write("<p class=\"muted\">Starts, stops, device, memory, vCPU and iothread changes, and every failed record of the guest (records that were not sent are marked; all of them are listed under Not sent). Each links to its raw line.</p>\n");
        TableStart(w, $"g{gi}-events-table", ("#", true), ("Time", false), ("Kind", false), ("What", false), ("Result", false), ("Run", true), ("Source", false), ("Fields", false));
        var omittedAt = g.EventsOmitted > 0 ? (g.Events.Count + 1) / 2 : -1;
        for (var i = 0; i < g.Events.Count; i++)
        {
            var e = g.Events[i];
            if (i == omittedAt)
            {
                w.Write($"<tr><td colspan=\"8\" class=\"notice\">\u2026 {Count(g.EventsOmitted)} events omitted: {Escape(Join(g.EventsOmittedByKind))}</td></tr>\n");
            }

            var failed = e.Failed ? " class=\"failed\"" : string.Empty;
            w.Write($"<tr id=\"ev{gi}-{e.Id}\"{failed}><td class=\"num\">{Count(e.Id)}</td><td class=\"t\" data-sort=\"{(e.Ms is { } ms ? Count(ms) : string.Empty)}\">{Escape(e.Time ?? "\u2014")}</td>");
            w.Write($"<td><span class=\"tag{(e.Failed ? " failed" : string.Empty)}\">{Escape(e.Kind)}</span></td><td>{Escape(e.Summary)}{(e.NotSent ? " <span class=\"tag failed\">not sent: " + Escape(e.NotSentReason ?? string.Empty) + "</span>" : string.Empty)}</td>");
            w.Write($"<td>{Escape(e.Result ?? "\u2014")}</td><td class=\"num\">{(e.Run is { } run ? $"<a href=\"#run{gi}-{run}\">{Count(run)}</a>" : "\u2014")}</td>");
            w.Write($"<td class=\"mono\"><details><summary>{Escape(e.Input)}:{Count(e.Line)}</summary><pre class=\"raw\">{Escape(e.Raw)}</pre></details></td>");
            var fields = e.Fields;
            w.Write($"<td><details><summary>{Count(fields.Count)} fields</summary><dl class=\"fields\" id=\"f{gi}-{e.Id}\"><dt>record</dt><dd>{Escape(e.Type)}{(e.Variant is null ? string.Empty : " (" + Escape(e.Variant) + ")")}</dd><dt>where</dt><dd>{Escape(e.Input)}:{Count(e.Line)} ({Escape(e.Rendering)})</dd><dt>time</dt><dd>{Escape(e.Time ?? "\u2014")}</dd>");
            foreach (var f in fields)
            {
                w.Write($"<dt>{Escape(f.Name)}</dt><dd>{Escape(f.Value ?? "?")}</dd>");
            }

            w.Write("</dl></details></td></tr>\n");
        }

        w.Write("</tbody></table></div>\n");
    }

    private static string Tick(double ms, bool withDate)
    {
        var t = DateTimeOffset.FromUnixTimeMilliseconds((long)ms).UtcDateTime;
        return t.ToString(withDate ? "yyyy-MM-dd HH:mm:ss'Z'" : "HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    private static string N(double v) => Math.Round(v, 1).ToString("0.#", CultureInfo.InvariantCulture);
}
