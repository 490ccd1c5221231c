using System.Globalization;
using System.Text;
using EdgeGateway.Dashboard.Access;
using EdgeGateway.Dashboard.Programme;
using EdgeGateway.Evaluation.Panel;
using EdgeGateway.Evaluation.Report;
using EdgeGateway.Evaluation.Results;
using EdgeGateway.Queries;
using static EdgeGateway.Dashboard.Pages.Layout;

namespace EdgeGateway.Dashboard.Overview;

/// <summary>
/// The programme overview (<c>/</c>): the evaluation headline with its warnings (an SME: its own cells' before/after),
/// the gateways with their last status, and every cell the user sees with its data coverage per week (a heat map).
/// </summary>
internal static class OverviewPage
{
    private static readonly string[] s_coverageText = ["no data", "under 50 % covered", "50–90 % covered", "90–99 % covered", "99 % or more covered"];

    public static async Task<IResult> Get(HttpContext context, SnapshotCache cache, InfluxQueryClient influx, string title)
    {
        var scope = SiteScope.Of(context.User);
        var snapshot = await cache.CurrentAsync(context.RequestAborted);
        // The gateways are live: one small query per view, at most one row per gateway.
        var gateways = await Task.Run(() => GatewayStatusQuery.Read(influx.Query(GatewayStatusQuery.Query(scope.Site))), context.RequestAborted);
        var cells = scope.Filter(snapshot.Cells, c => c.Site).ToList();
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<h1>{E(title)}</h1>\n<p class=\"lead\">{snapshot.From:yyyy-MM-dd} to {snapshot.To.AddDays(-1):yyyy-MM-dd}: ");
        html.Append(CultureInfo.InvariantCulture, $"{cells.Select(c => c.Site).Distinct().Count()} sites, {cells.Count} cells, {cells.Count(c => c.Entry.Treated)} with a voucher{(scope.Site is null ? "" : $" (your site {E(scope.Site)})")}. ");
        html.Append(CultureInfo.InvariantCulture, $"Data version <code>{E(snapshot.Version)}</code>, read {snapshot.BuiltAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC.</p>\n");
        html.Append(Form(context, "/refresh", "<button type=\"submit\">Refresh data</button>", "row"));
        html.Append(Headline(snapshot, scope));
        html.Append(Gateways(gateways, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()));
        // Each cell's fate in the evaluation once it is done: which register cells drop out, and why.
        var fates = snapshot.Evaluation.IsCompletedSuccessfully ? snapshot.Evaluation.Result.Cells.Where(c => c.Fate is not null).ToDictionary(c => (c.Site, c.Cell), c => c.Fate!) : null;
        html.Append(snapshot.Rendered.GetOrAdd($"cells|{scope.CacheKey}|{fates is not null}", _ => CellTable(snapshot, cells, fates)));
        return Page(context, "Overview", html.ToString(), scope);
    }

    /// <summary>The evaluation headline (evaluators) or the site's own before/after (SMEs), from the snapshot's evaluation when done.</summary>
    private static string Headline(ProgrammeSnapshot snapshot, SiteScope scope)
    {
        var evaluation = snapshot.Evaluation;
        if (!evaluation.IsCompleted)
        {
            return "<section id=\"headline\"><h2>Evaluation</h2><p class=\"lead\" id=\"evaluation-running\">The evaluation of this data version is running (a few seconds); refresh the page to see it.</p></section>\n";
        }

        if (!evaluation.IsCompletedSuccessfully)
        {
            return $"<section id=\"headline\"><h2>Evaluation</h2><p class=\"error\">No evaluation: {E(evaluation.Exception?.InnerException?.Message ?? "failed")}</p></section>\n";
        }

        return snapshot.Rendered.GetOrAdd("headline-done|" + scope.CacheKey, _ => scope.WholeProgramme ? Effects(evaluation.Result) : OwnCells(evaluation.Result, scope));
    }

    private static string Effects(EvaluationResult result)
    {
        var p = result.Programme;
        var html = new StringBuilder("<section id=\"headline\"><h2>Effect of the programme after ramp-up</h2>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"lead\">{p.TreatedCells} cells with a voucher, {p.ControlCells} without, {p.Sites} sites; {result.Settings.ConfidenceLevel * 100:0} % confidence intervals. <a href=\"/evaluation\">The full evaluation</a>.</p>\n");
        if (result.Warnings.Count > 0)
        {
            html.Append("<div class=\"warnings\" id=\"warnings\"><strong>Warning about the comparison</strong><ul>");
            foreach (var w in result.Warnings)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li data-code=\"{E(w.Code)}\">{E(w.Text)}</li>");
            }

            html.Append("</ul></div>\n");
        }

        html.Append("<table id=\"effects\"><tr><th>Outcome</th><th>Effect</th><th>Confidence interval</th><th>Reading</th></tr>\n");
        foreach (var effect in result.Effects)
        {
            var o = effect.Outcome;
            if (effect.Overall is not { } e)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr data-outcome=\"{OutcomeText.Key(o)}\"><td>{E(OutcomeText.Name(o))}</td><td colspan=\"3\" class=\"none\">not estimated: {E(string.Join("; ", effect.Suppressed))}</td></tr>\n");
                continue;
            }

            var rejected = PreTrendVerdict.Rejected(effect);
            var reading = rejected ? PreTrendVerdict.NotCredible : e.Lower > 0 || e.Upper < 0 ? ((e.Value > 0) == OutcomeText.HigherIsBetter(o) ? "improved" : "worsened") : "no effect detectable";
            html.Append(CultureInfo.InvariantCulture, $"<tr data-outcome=\"{OutcomeText.Key(o)}\" data-estimate=\"{e.Value.ToString("R", CultureInfo.InvariantCulture)}\" data-lower=\"{e.Lower.ToString("R", CultureInfo.InvariantCulture)}\" data-upper=\"{e.Upper.ToString("R", CultureInfo.InvariantCulture)}\"><td>{E(OutcomeText.Name(o))}</td><td class=\"num\">{E(OutcomeText.Effect(o, e.Value))}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{E(OutcomeText.Number(o, OutcomeText.Display(o, e.Lower)))} to {E(OutcomeText.Number(o, OutcomeText.Display(o, e.Upper)))} {E(OutcomeText.EffectUnit(o))}</td><td class=\"{(rejected ? "warn" : "none")}\">{E(reading)}</td></tr>\n");
        }

        html.Append("</table></section>\n");
        return html.ToString();
    }

    /// <summary>An SME's own cells: OEE before go-live and after ramp-up (the cell's own change), nothing of other sites.</summary>
    private static string OwnCells(EvaluationResult result, SiteScope scope)
    {
        var html = new StringBuilder("<section id=\"headline\"><h2>Your cells before and after</h2>\n<p class=\"lead\">Each cell's own OEE before go-live and after ramp-up (not corrected for what happened to all cells; the programme's effect is the evaluators' to read). <a href=\"/evaluation\">Your cells in the evaluation</a>.</p>\n");
        html.Append("<table id=\"own-cells\"><tr><th>Cell</th><th>Voucher</th><th>OEE before</th><th>OEE after</th><th>Change</th></tr>\n");
        foreach (var cell in scope.Filter(result.Cells, c => c.Site))
        {
            cell.BeforeAfter.TryGetValue(Outcome.Oee, out var oee);
            html.Append(CultureInfo.InvariantCulture, $"<tr><td><a href=\"/cells/{Url(cell.Site)}/{Url(cell.Cell)}\">{E(cell.Cell)}</a></td><td>{(cell.Treated ? $"go-live {cell.GoLive:yyyy-MM-dd}" : "none")}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{E(OutcomeText.Level(Outcome.Oee, oee?.Before))}</td><td class=\"num\">{E(OutcomeText.Level(Outcome.Oee, oee?.After))}</td><td class=\"num\">{E(oee?.Change is { } c ? OutcomeText.Effect(Outcome.Oee, c) : "–")}</td></tr>\n");
        }

        html.Append("</table></section>\n");
        return html.ToString();
    }

    private static string Gateways(List<GatewayStatus> gateways, DateTimeOffset now)
    {
        var html = new StringBuilder("<section id=\"gateways\"><h2>Gateways</h2>\n");
        if (gateways.Count == 0)
        {
            return html.Append("<p class=\"lead\">No gateway has reported a status yet.</p></section>\n").ToString();
        }

        html.Append(CultureInfo.InvariantCulture, $"<div class=\"cards\"><div class=\"card\"><b>{gateways.Count(g => g.Online)}</b><span>online</span></div><div class=\"card\"><b>{gateways.Count(g => !g.Online)}</b><span>offline</span></div></div>\n");
        html.Append("<table><tr><th>Site</th><th>Gateway</th><th>Status</th><th>Last word</th><th>Outbox depth</th></tr>\n");
        foreach (var g in gateways)
        {
            var age = now - g.At;
            var ago = age.TotalMinutes < 120 ? $"{Math.Max(0, age.TotalMinutes):0} min ago" : age.TotalHours < 48 ? $"{age.TotalHours:0} h ago" : $"{age.TotalDays:0} days ago";
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(g.Site)}</td><td>{E(g.Gateway)}</td><td class=\"{(g.Online ? "online" : "offline")}\">{(g.Online ? "online" : "offline")}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{g.At.UtcDateTime:yyyy-MM-dd HH:mm} UTC ({ago})</td><td class=\"num\">{(g.OutboxDepth is { } d ? d.ToString(CultureInfo.InvariantCulture) : "–")}</td></tr>\n");
        }

        return html.Append("</table></section>\n").ToString();
    }

    /// <summary>Every cell with its coverage per week as a strip (runs of equal coverage class merged into one rectangle).</summary>
    private static string CellTable(ProgrammeSnapshot snapshot, List<ProgrammeCell> cells, Dictionary<(string Site, string Cell), CellFate>? fates)
    {
        var weeks = snapshot.Weeks;
        var html = new StringBuilder("<section id=\"cells\"><h2>Cells and data completeness</h2>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"lead\">Each week of the window from {snapshot.From:yyyy-MM-dd}: the share of its time with a day record and a known machine state. A cell without a full record drops weeks out of the evaluation; a silent cell drops out entirely.{(snapshot.Unregistered > 0 ? $" {snapshot.Unregistered} cells with records are not in the register." : "")}</p>\n<p class=\"legend\">");
        for (var c = 0; c < s_coverageText.Length; c++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<span><i class=\"l-cov{c}\"></i>{s_coverageText[c]}</span>");
        }

        html.Append("</p>\n<table id=\"cell-table\"><tr><th>Site</th><th>Cell</th><th>Voucher</th><th>Coverage per week</th><th>Days with data</th><th>OEE, last week</th><th>In the evaluation</th></tr>\n");
        var width = Math.Clamp(weeks * 8, 240, 624);
        foreach (var cell in cells)
        {
            var strip = new SvgPlot(width, 16, 0, weeks, 0, 1, axes: false).Rects(Runs(cell.WeekCoverage, snapshot.From)).Render($"coverage per week of {cell.Site} / {cell.Cell}", "strip");
            var last = cell.Weeks?.Weeks.LastOrDefault(w => w.HasData);
            var days = snapshot.To.DayNumber - snapshot.From.DayNumber;
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(cell.Site)}</td><td><a href=\"/cells/{Url(cell.Site)}/{Url(cell.Cell)}\">{E(cell.Cell)}</a></td><td>{(cell.Entry.Treated ? $"go-live {cell.Entry.GoLive:yyyy-MM-dd}" : "none")}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{strip}</td><td class=\"num\">{cell.DaysWithData} of {days}</td><td class=\"num\">{Percent(last?.Oee)}</td>{Fate(fates, cell)}</tr>\n");
        }

        return html.Append("</table></section>\n").ToString();
    }

    private static string Fate(Dictionary<(string Site, string Cell), CellFate>? fates, ProgrammeCell cell)
    {
        if (fates is null)
        {
            return "<td class=\"none\">evaluation running</td>";
        }

        return fates.TryGetValue((cell.Site, cell.Cell), out var fate)
            ? fate.Used
                ? $"<td data-fate=\"{E(fate.Code)}\">used ({E(fate.Role)})</td>"
                : $"<td class=\"warn\" data-fate=\"{E(fate.Code)}\">left out: {E(fate.Text)}</td>"
            : "<td class=\"none\">–</td>";
    }

    private static IEnumerable<(double, double, double, double, string, string)> Runs(IReadOnlyList<double> coverage, DateOnly from)
    {
        var start = 0;
        for (var w = 1; w <= coverage.Count; w++)
        {
            if (w < coverage.Count && Class(coverage[w]) == Class(coverage[start]))
            {
                continue;
            }

            var c = Class(coverage[start]);
            yield return (start, w, 0, 1, $"cov{c}", $"{from.AddDays(7 * start):yyyy-MM-dd} to {from.AddDays((7 * w) - 1):yyyy-MM-dd}: {s_coverageText[c]}");
            start = w;
        }
    }

    private static int Class(double share) => share <= 0 ? 0 : share < 0.5 ? 1 : share < 0.9 ? 2 : share < 0.99 ? 3 : 4;
}
