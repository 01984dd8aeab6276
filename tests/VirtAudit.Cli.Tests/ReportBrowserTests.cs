using System.Text.RegularExpressions;
using Microsoft.Playwright;
using VirtAudit.Testing;

namespace VirtAudit.Cli.Tests;

/// <summary>
/// The report in a real browser: Debian's headless Chromium driven by Playwright for .NET (its bundled driver; no
/// browser is downloaded, <c>ExecutablePath</c> is the system's). Skips only when Chromium is missing and
/// <c>VIRTAUDIT_REQUIRE_CHROMIUM</c> is not set (CI sets it and installs the <c>chromium</c> package). Screenshots and
/// a PDF print are kept under the test output, in <c>report-artifacts/</c>, for CI to collect.
/// </summary>
public sealed class ReportBrowserTests
{
    private const string Vm1 = "auditvm1";

    private static string? Chromium()
    {
        foreach (var candidate in new[] { Environment.GetEnvironmentVariable("VIRTAUDIT_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" })
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    [SkippableFact]
    public async Task The_report_of_the_real_capture_works_in_headless_chromium()
    {
        var chromium = Chromium();
        var required = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("VIRTAUDIT_REQUIRE_CHROMIUM"));
        Skip.If(chromium is null && !required, "needs Debian's chromium package (apt-get install chromium); CI sets VIRTAUDIT_REQUIRE_CHROMIUM=1");
        Assert.True(chromium is not null, "VIRTAUDIT_REQUIRE_CHROMIUM is set but no chromium was found (/usr/bin/chromium, or VIRTAUDIT_CHROMIUM)");

        var artifacts = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "report-artifacts")).FullName;
        var html = Path.Combine(artifacts, "report.html");
        var result = Cli.Run("report", "-o", html, Repository.Libvirt90AuditLog);
        Assert.True(result.Code == 0, result.Stderr);

        // The starts of auditvm1, counted from the records' text.
        var lines = File.ReadAllLines(Repository.Libvirt90AuditLog);
        var starts = lines.Count(l => l.StartsWith("type=VIRT_CONTROL ", StringComparison.Ordinal) && l.Contains(" op=start ", StringComparison.Ordinal) && l.Contains($" vm=\"{Vm1}\" ", StringComparison.Ordinal));
        Assert.True(starts >= 2);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox"] });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, ColorScheme = ColorScheme.Light });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        var requests = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                errors.Add($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => errors.Add("page error: " + error);
        page.Request += (_, request) => requests.Add(request.Url);
        page.RequestFailed += (_, request) => errors.Add("request failed: " + request.Url);

        var url = new Uri(html).AbsoluteUri;
        await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        Assert.Equal(url, Assert.Single(requests));

        // auditvm1's timeline: one bar a start.
        var section = page.Locator($"section.guest:has(h2:text-is(\"{Vm1}\"))");
        Assert.Equal(1, await section.CountAsync());
        Assert.Equal(starts, await section.Locator("svg.timeline a.run").CountAsync());

        // Hovering a failed mark shows its decoded fields; focusing it by keyboard does too; Escape hides it.
        var failed = section.Locator("svg.timeline a.mark.failed").First;
        await failed.ScrollIntoViewIfNeededAsync();
        await failed.HoverAsync();
        var tip = page.Locator("#tip");
        Assert.True(await tip.IsVisibleAsync());
        var tipText = await tip.InnerTextAsync();
        Assert.Contains("res", tipText, StringComparison.Ordinal);
        Assert.Contains("failed", tipText, StringComparison.Ordinal);
        Assert.Contains("6f1a2b3c-4d5e-4f60-8172-93a4b5c6d7e8", tipText, StringComparison.Ordinal);
        var where = Regex.Match(tipText, @"audit\.log:(\d+)");
        Assert.True(where.Success, tipText);
        Assert.Contains("res=failed", lines[int.Parse(where.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) - 1], StringComparison.Ordinal);
        await page.Mouse.MoveAsync(1, 1);
        Assert.False(await tip.IsVisibleAsync());
        Assert.Equal(0, await failed.EvaluateAsync<int>("e => e.tabIndex")); // in the Tab order, as every mark and bar
        Assert.Equal(0, await section.Locator("svg.timeline a.run").First.EvaluateAsync<int>("e => e.tabIndex"));
        await failed.FocusAsync();
        Assert.True(await tip.IsVisibleAsync());
        await page.Keyboard.PressAsync("Escape");
        Assert.False(await tip.IsVisibleAsync());

        // The mark links to its record's row, which shows the raw line and where it is.
        var href = await failed.GetAttributeAsync("href");
        Assert.NotNull(href);
        Assert.Contains(where.Value, await page.Locator(href!).InnerTextAsync(), StringComparison.Ordinal);

        // The search box filters guests by name and by UUID (any case).
        var search = page.Locator("#search");
        await search.FillAsync("auditvm6");
        Assert.Equal(1, await page.Locator("section.guest:visible").CountAsync());
        Assert.Equal("auditvm6-kvm", await page.Locator("section.guest:visible h2").InnerTextAsync());
        Assert.Equal(1, await page.Locator("#guests-table tbody tr:visible").CountAsync());
        await search.FillAsync("0E9D8C7B");
        Assert.Equal("audit-vm2 \"test\"", await page.Locator("section.guest:visible h2").InnerTextAsync());
        await search.FillAsync("no such guest");
        Assert.Equal(0, await page.Locator("section.guest:visible").CountAsync());
        Assert.Contains("0 of 5", await page.Locator("#search-count").InnerTextAsync(), StringComparison.Ordinal);
        await search.FillAsync(string.Empty);
        Assert.Equal(5, await page.Locator("section.guest:visible").CountAsync());

        // Sortable: the Runs column of the guests' table, ascending then descending, by keyboard.
        var runsHeader = page.Locator("#guests-table thead th").Nth(2);
        await runsHeader.Locator("button").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("ascending", await runsHeader.GetAttributeAsync("aria-sort"));
        var ascending = await Column(page, "#guests-table", 2);
        Assert.Equal(ascending.Order(), ascending);
        await page.Keyboard.PressAsync("Enter");
        var descending = await Column(page, "#guests-table", 2);
        Assert.Equal(descending.OrderDescending(), descending);

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "report-full.png"), FullPage = true });

        // auditvm1's timeline with the last failed mark's fields shown (docs/report-screenshot.png is a copy).
        await section.Locator("h2").EvaluateAsync("e => e.scrollIntoView({ block: 'start' })");
        var last = section.Locator("svg.timeline a.mark.failed").Last;
        await last.HoverAsync();
        Assert.True(await tip.IsVisibleAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "report-auditvm1.png") });
        await page.Mouse.MoveAsync(1, 1);

        // Dark scheme from the system setting; readable in a narrow window (nothing wider than it); prints to PDF.
        Assert.Equal("rgb(255, 255, 255)", await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        Assert.Equal("rgb(13, 17, 23)", await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
        await page.SetViewportSizeAsync(380, 800);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page is wider than a 380 px window");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "report-narrow-dark.png") });
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Light, Media = Media.Print });
        var pdf = await page.PdfAsync(new PagePdfOptions { Path = Path.Combine(artifacts, "report.pdf") });
        Assert.True(pdf.Length > 1000 && pdf[0] == '%' && pdf[1] == 'P' && pdf[2] == 'D' && pdf[3] == 'F');

        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.Equal(url, Assert.Single(requests));
    }

    private static async Task<List<double>> Column(IPage page, string table, int column)
    {
        var cells = await page.Locator($"{table} tbody tr td:nth-child({column + 1})").AllInnerTextsAsync();
        return cells.Select(c => double.Parse(c, System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }
}
