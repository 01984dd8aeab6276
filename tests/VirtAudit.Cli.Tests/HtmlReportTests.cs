using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using VirtAudit.Cli.Report;
using VirtAudit.Testing;

namespace VirtAudit.Cli.Tests;

/// <summary>
/// The HTML report as markup: well-formed (parsed as XML, which also proves every element is closed), every id unique,
/// every internal link pointing at an id, no reference outside the page, the inline style and script allowed by the
/// page's Content-Security-Policy hashes, and a tenant's hostile guest name shown as text, never as markup.
/// </summary>
public sealed class HtmlReportTests
{
    /// <summary>A guest name that tries to close the title, run a script, load an image and break out of an attribute.</summary>
    internal const string HostileName = "</title><script>alert(1)</script><img src=x onerror=alert(2)>\"' onmouseover='alert(3)' & ]]> <!-- \u0001";

    internal const string HostileDisk = "\"><svg onload=alert(4)><a href=\"https://evil.example/x\">";

    [Fact]
    public void The_report_of_the_real_capture_is_well_formed_with_unique_ids_and_no_external_reference()
    {
        var launcher = Path.Combine(Path.GetDirectoryName(Repository.Libvirt90AuditLog)!, "daemon-logs", "virt-launcher.log");
        var html = Render(Repository.Libvirt90AuditLog, launcher);
        var page = XhtmlCheck.Check(html);
        // The daemon log tells of the same five guests (same UUIDs): they are joined, not doubled.
        Assert.Equal(5, page.Elements.Count(e => e.Name == "section" && e.Classes.Contains("guest")));
        Assert.Contains(page.Elements, e => e.Name == "svg" && e.Classes.Contains("timeline"));
        Assert.Contains(page.Elements, e => e.Name == "a" && e.Classes.Contains("mark") && e.Classes.Contains("failed"));
        Assert.Contains(page.Elements, e => e.Name == "input" && e.Id == "search");
        Assert.True(page.Elements.Count(e => e.Name == "table" && e.Classes.Contains("sortable")) > 10);
    }

    [Fact]
    public void A_hostile_guest_name_is_text_not_markup()
    {
        var path = HostileLog();
        try
        {
            var html = Render(path);
            var page = XhtmlCheck.Check(html);
            Assert.Single(page.Elements, e => e.Name == "script");
            Assert.DoesNotContain(page.Elements, e => e.Name is "img" or "iframe" or "object" or "embed");
            Assert.DoesNotContain(page.Elements, e => e.Attributes.Keys.Any(a => a.StartsWith("on", StringComparison.OrdinalIgnoreCase)));
            var shown = HostileName.Replace('\u0001', '\uFFFD');
            var heading = Assert.Single(page.Elements, e => e.Name == "h2" && e.Text == shown);
            Assert.StartsWith("g", heading.Id, StringComparison.Ordinal);
            Assert.Contains(page.Elements, e => e.Name == "td" && e.Text == HostileDisk);
            Assert.Contains(page.Elements, e => e.Attributes.TryGetValue("data-search", out var s) && s.Contains(shown.ToLowerInvariant(), StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_page_s_policy_allows_exactly_its_own_style_and_script()
    {
        var html = Render(Repository.Libvirt90AuditLog);
        var csp = Regex.Match(html, "<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\"/>").Groups[1].Value;
        Assert.StartsWith("default-src 'none';", csp, StringComparison.Ordinal);
        var style = Between(html, "<style>", "</style>");
        var script = Between(html, "<script>", "</script>");
        Assert.Contains($"style-src 'sha256-{Sha(style)}'", csp, StringComparison.Ordinal);
        Assert.Contains($"script-src 'sha256-{Sha(script)}'", csp, StringComparison.Ordinal);
        Assert.Equal(1, Regex.Count(html, "<script"));
        Assert.Equal(1, Regex.Count(html, "<style"));

        static string Between(string text, string open, string close)
        {
            var start = text.IndexOf(open, StringComparison.Ordinal) + open.Length;
            return text[start..text.IndexOf(close, start, StringComparison.Ordinal)];
        }

        static string Sha(string text) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public async Task Report_with_no_input_writes_the_embedded_sample_s_report_to_the_default_path_and_says_where()
    {
        var dir = Directory.CreateTempSubdirectory("virtaudit-report-default-");
        try
        {
            var start = new ProcessStartInfo(Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet")
            {
                WorkingDirectory = dir.FullName,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "VirtAudit.Cli.dll"));
            start.ArgumentList.Add("report");
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            var stderrTask = process.StandardError.ReadToEndAsync();
            var stdout = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            var stderr = await stderrTask;
            var expected = Path.Combine(dir.FullName, ReportCommand.DefaultName + ".html");
            Assert.True(process.ExitCode == 0, stdout + stderr);
            Assert.Contains("reading the embedded sample", stderr, StringComparison.Ordinal);
            Assert.Contains("to " + expected, stderr, StringComparison.Ordinal);
            Assert.Equal(string.Empty, stdout);
            var page = XhtmlCheck.Check(File.ReadAllText(expected));
            Assert.Contains(page.Elements, e => e.Name == "h2" && e.Text == "auditvm1");
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void Bad_inputs_and_outputs_get_clear_errors()
    {
        var missing = Cli.Run("report", "-o", "-", "/nonexistent/audit.log");
        Assert.Equal(3, missing.Code);
        Assert.Contains("virtaudit: /nonexistent/audit.log: no such file", missing.Stderr, StringComparison.Ordinal);

        var unwritable = Cli.Run("report", "-o", "/nonexistent/dir/r.html", Repository.Libvirt90AuditLog);
        Assert.Equal(3, unwritable.Code);
        Assert.Contains("virtaudit: /nonexistent/dir/r.html: cannot write the report", unwritable.Stderr, StringComparison.Ordinal);

        var format = Cli.Run("report", "--format", "pdf");
        Assert.Equal(2, format.Code);

        var limit = Cli.Run("report", "--max-events", "1");
        Assert.Equal(2, limit.Code);
        Assert.Contains("--max-events must be at least 2", limit.Stderr, StringComparison.Ordinal);

        // A line that is not an audit record is counted, listed and makes the exit code 2, as for the other commands.
        var withError = Cli.Run(Encoding.UTF8.GetBytes(File.ReadAllText(Repository.Libvirt90AuditLog) + "this is not a record\n"), "report", "-o", "-");
        Assert.Equal(2, withError.Code);
        var page = XhtmlCheck.Check(withError.Stdout);
        Assert.Contains(page.Elements, e => e.Name == "h2" && e.Text == "Parse errors (1)");
    }

    internal static string Render(params string[] files)
    {
        var result = Cli.Run(["report", "-o", "-", .. files]);
        Assert.True(result.Code == 0, result.Stderr);
        return result.Stdout;
    }

    /// <summary>A log of one guest whose name and disk path are hostile (hex-encoded as libvirt writes them), with a failed attach.</summary>
    internal static string HostileLog()
    {
        var name = Convert.ToHexString(Encoding.UTF8.GetBytes(HostileName));
        var disk = Convert.ToHexString(Encoding.UTF8.GetBytes(HostileDisk));
        const string uuid = "0badc0de-0000-4000-8000-000000000001";
        const string trailer = "exe=\"/usr/sbin/libvirtd\" hostname=? addr=? terminal=?";
        var lines = new[]
        {
            $"type=VIRT_RESOURCE msg=audit(1795542733.544:24): pid=8208 uid=0 auid=4294967295 ses=4294967295 msg='virt=qemu resrc=disk reason=start vm={name} uuid={uuid} old-disk=\"?\" new-disk={disk} {trailer} res=success'",
            $"type=VIRT_CONTROL msg=audit(1795542733.544:25): pid=8208 uid=0 auid=4294967295 ses=4294967295 msg='virt=qemu op=start reason=booted vm={name} uuid={uuid} vm-pid=11600 {trailer} res=success'",
            $"type=VIRT_RESOURCE msg=audit(1795542740.100:26): pid=8208 uid=0 auid=4294967295 ses=4294967295 msg='virt=qemu resrc=disk reason=attach vm={name} uuid={uuid} old-disk=\"?\" new-disk={disk} {trailer} res=failed'",
            $"type=VIRT_CONTROL msg=audit(1795542750.000:27): pid=8208 uid=0 auid=4294967295 ses=4294967295 msg='virt=qemu op=stop reason=destroyed vm={name} uuid={uuid} vm-pid=0 {trailer} res=success'",
        };
        var path = Path.Combine(Path.GetTempPath(), $"virtaudit-hostile-{Guid.NewGuid():N}.log");
        File.WriteAllLines(path, lines);
        return path;
    }
}

/// <summary>
/// Checks the report's markup with System.Xml: well-formed, ids unique, internal links resolved, non-void HTML
/// elements never self-closed (an HTML parser would leave them open), and no reference outside the page.
/// </summary>
internal static class XhtmlCheck
{
    private static readonly HashSet<string> Void = ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];
    private static readonly string[] ReferenceAttributes = ["href", "src", "action", "formaction", "poster", "srcset", "data", "xlink:href", "background", "cite", "manifest", "ping"];

    public sealed record Element(string Name, string Namespace, string? Id, HashSet<string> Classes, Dictionary<string, string> Attributes)
    {
        public string Text { get; set; } = string.Empty;
    }

    public sealed record Page(List<Element> Elements);

    public static Page Check(string html)
    {
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null, IgnoreWhitespace = false };
        var elements = new List<Element>();
        var open = new Stack<(Element Element, StringBuilder Text)>();
        using (var reader = XmlReader.Create(new StringReader(html), settings))
        {
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
                        if (reader.MoveToFirstAttribute())
                        {
                            do
                            {
                                attributes[reader.Name] = reader.Value;
                            }
                            while (reader.MoveToNextAttribute());
                            reader.MoveToElement();
                        }

                        var element = new Element(
                            reader.LocalName,
                            reader.NamespaceURI,
                            attributes.GetValueOrDefault("id"),
                            [.. (attributes.GetValueOrDefault("class") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries)],
                            attributes);
                        elements.Add(element);
                        if (reader.IsEmptyElement)
                        {
                            Assert.True(element.Namespace != "http://www.w3.org/1999/xhtml" || Void.Contains(element.Name), $"<{element.Name}/> is self-closed: an HTML parser leaves it open");
                        }
                        else
                        {
                            Assert.False(Void.Contains(element.Name) && element.Namespace == "http://www.w3.org/1999/xhtml", $"<{element.Name}> is a void element with content");
                            open.Push((element, new StringBuilder()));
                        }

                        break;
                    case XmlNodeType.Text:
                    case XmlNodeType.CDATA:
                    case XmlNodeType.SignificantWhitespace:
                    case XmlNodeType.Whitespace:
                        foreach (var (_, text) in open)
                        {
                            text.Append(reader.Value);
                        }

                        break;
                    case XmlNodeType.EndElement:
                        var (done, content) = open.Pop();
                        done.Text = content.ToString();
                        break;
                }
            }
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in elements)
        {
            if (e.Id is not null)
            {
                Assert.True(ids.Add(e.Id), $"id '{e.Id}' is not unique");
            }
        }

        foreach (var e in elements)
        {
            foreach (var (name, value) in e.Attributes)
            {
                if (Array.IndexOf(ReferenceAttributes, name) >= 0)
                {
                    Assert.True(value.StartsWith('#'), $"<{e.Name} {name}=\"{value}\"> refers outside the page");
                    Assert.True(ids.Contains(value[1..]), $"<{e.Name} {name}=\"{value}\"> points at no id");
                }

                if (name == "data-tip")
                {
                    Assert.True(ids.Contains(value), $"data-tip=\"{value}\" points at no id");
                }

                if (name == "style")
                {
                    Assert.Fail($"<{e.Name}> has a style attribute, which the page's policy blocks");
                }
            }

            if (e.Name == "link" || e.Name == "base" || e.Name == "iframe" || e.Name == "object")
            {
                Assert.Fail($"<{e.Name}> in the page");
            }

            if (e.Name is "style" or "script")
            {
                Assert.DoesNotContain("url(", e.Text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("@import", e.Text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("fetch(", e.Text, StringComparison.Ordinal);
                Assert.DoesNotContain("XMLHttpRequest", e.Text, StringComparison.Ordinal);
                Assert.False(e.Attributes.ContainsKey("src"), "an external script");
            }
        }

        return new Page(elements);
    }
}
