using System.Text.Json;

namespace EdgeGateway.Dashboard.Tests;

/// <summary>One headless Chromium for the rendering tests.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public HeadlessChromium Browser { get; private set; } = null!;

    public async Task InitializeAsync() => Browser = await HeadlessChromium.StartAsync();

    public async Task DisposeAsync() => await Browser.DisposeAsync();
}

/// <summary>
/// Every page in headless Chromium against the real InfluxDB filled with the demo programme's data (<see cref="DemoProgramme"/>): charts drawn with data, no text under 10 px, no horizontal
/// overflow at 1280 and 390 px, no console errors (a CSP violation or a failed load is one); and a screenshot of each.
/// </summary>
[Collection(DemoTests.Name)]
public sealed class PageRenderingTests(DemoProgramme programme, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>Counts charts (and the charts without a drawn mark), the smallest text on screen after SVG scaling, and the page's overflow.</summary>
    private const string MeasureScript = """
        (() => {
          const r = { charts: 0, withoutData: 0, minFontPx: 1e9, smallText: [], overflowPx: document.documentElement.scrollWidth - document.documentElement.clientWidth };
          for (const svg of document.querySelectorAll('svg.chart, svg.strip')) {
            r.charts++;
            const drawn = [...svg.querySelectorAll('polyline, polygon, rect, circle, path')].filter(e => { const b = e.getBBox(); return b.width > 0 || b.height > 0; });
            if (drawn.length === 0) r.withoutData++;
          }
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const node = walker.currentNode, el = node.parentElement;
            if (!node.textContent.trim() || el.closest('title')) continue;
            const box = el.getBoundingClientRect();
            if (box.width === 0 && box.height === 0) continue;
            let size = parseFloat(getComputedStyle(el).fontSize);
            const svg = el.closest('svg');
            if (svg && svg.viewBox.baseVal && svg.viewBox.baseVal.width) size *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            r.minFontPx = Math.min(r.minFontPx, size);
            if (size < 10 && r.smallText.length < 5) r.smallText.push(node.textContent.trim().slice(0, 40) + ' ' + size.toFixed(1));
          }
          return JSON.stringify(r);
        })()
        """;

    public static TheoryData<string, int> Pages()
    {
        var data = new TheoryData<string, int>();
        foreach (var page in (string[])["overview", "cell", "evaluation", "signin", "users", "sme-overview", "sme-evaluation"])
        {
            data.Add(page, 1280);
            data.Add(page, 390);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_DrawsItsChartsWithData_LegibleText_NoOverflow_NoConsoleErrors(string page, int width)
    {
        var (url, minimumCharts) = await OpenAsUserAsync(page);

        await browser.Browser.OpenAsync(url, width);
        using var measured = JsonDocument.Parse(await browser.Browser.EvaluateAsync(MeasureScript));

        var r = measured.RootElement;
        Assert.True(r.GetProperty("charts").GetInt32() >= minimumCharts, $"{page}: {r.GetProperty("charts").GetInt32()} charts, expected at least {minimumCharts}");
        Assert.True(r.GetProperty("withoutData").GetInt32() == 0, $"{page} at {width} px: {r.GetProperty("withoutData").GetInt32()} charts without a drawn mark");
        Assert.True(r.GetProperty("minFontPx").GetDouble() >= 10, $"{page} at {width} px: text under 10 px: {r.GetProperty("smallText")}");
        Assert.True(r.GetProperty("overflowPx").GetInt32() <= 0, $"{page} at {width} px: {r.GetProperty("overflowPx").GetInt32()} px wider than the window");
        Assert.True(browser.Browser.Errors.Count == 0, $"{page} at {width} px: " + string.Join("; ", browser.Browser.Errors));
    }

    /// <summary>Writes each page's screenshot (1280 px wide) to $EDGEGW_DASHBOARD_SCREENSHOTS when set (the README's), else a temporary folder.</summary>
    [Fact]
    public async Task Screenshots_OfEveryPage_ArePageWidePngs()
    {
        var folder = Environment.GetEnvironmentVariable("EDGEGW_DASHBOARD_SCREENSHOTS") is { Length: > 0 } given ? given : Path.Combine(programme.Folder, "screenshots");
        Directory.CreateDirectory(folder);
        foreach (var page in (string[])["signin", "overview", "cell", "evaluation", "users"])
        {
            var (url, _) = await OpenAsUserAsync(page);
            await browser.Browser.OpenAsync(url, 1280, 800);

            var png = await browser.Browser.ScreenshotAsync();

            await File.WriteAllBytesAsync(Path.Combine(folder, $"{page}.png"), png);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            Assert.Equal(1280, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
            Assert.True(png.Length > 10_000, $"{page}: {png.Length} bytes, an almost blank page");
        }
    }

    /// <summary>Signs the browser in as the page's user and returns the page's URL and how many charts it must draw.</summary>
    private async Task<(Uri Url, int MinimumCharts)> OpenAsUserAsync(string page)
    {
        var (user, password) = page switch
        {
            "users" => (DashboardServer.AdminName, DashboardServer.AdminPassword),
            "sme-overview" or "sme-evaluation" => (DashboardServer.SmeName, DashboardServer.SmePassword),
            _ => (DashboardServer.EvaluatorName, DashboardServer.EvaluatorPassword),
        };
        var cookie = page == "signin" ? "" : await programme.SignInCookieAsync(user, password);
        await browser.Browser.SetCookieAsync(programme.BaseUrl, "edgegw.auth", cookie);
        var cell = programme.SmeCell;
        var cells = programme.Register.Count;
        var own = programme.Register.Count(e => e.Site == cell.Site);
        return page switch
        {
            "overview" => (new Uri(programme.BaseUrl, "/"), cells),
            "sme-overview" => (new Uri(programme.BaseUrl, "/"), own),
            // Weeks, energy per part, shifts, the day's states, the Pareto; on a working day, whose states vary.
            "cell" => (new Uri(programme.BaseUrl, $"/cells/{cell.Site}/{cell.Cell}?day={DemoProgramme.LastWorkingDay:yyyy-MM-dd}"), 5),
            // An event-time chart per outcome (9) and a small multiple per cell.
            "evaluation" => (new Uri(programme.BaseUrl, "/evaluation"), 9 + cells),
            "sme-evaluation" => (new Uri(programme.BaseUrl, "/evaluation"), own),
            "signin" => (new Uri(programme.BaseUrl, "/signin"), 0),
            "users" => (new Uri(programme.BaseUrl, "/users"), 0),
            _ => throw new ArgumentOutOfRangeException(nameof(page)),
        };
    }
}
