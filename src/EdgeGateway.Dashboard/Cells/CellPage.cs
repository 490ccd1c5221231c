using System.Globalization;
using System.Text;
using EdgeGateway.Core.Storage;
using EdgeGateway.Core.Traces;
using EdgeGateway.Dashboard.Access;
using EdgeGateway.Dashboard.Programme;
using EdgeGateway.Evaluation.Report;
using EdgeGateway.Queries;
using static EdgeGateway.Dashboard.Pages.Layout;

namespace EdgeGateway.Dashboard.Cells;

/// <summary>
/// One cell (<c>/cells/{site}/{cell}</c>, optionally <c>?day=YYYY-MM-DD</c>): OEE and its factors per week and per
/// shift, energy per good part, a day's state timeline, the downtime Pareto and the articles. Another site's cell, or
/// one the register does not list, is "not found" with nothing of it.
/// </summary>
internal static class CellPage
{
    private const int ShiftDays = 14;
    private static readonly string[] s_states = ["run", "down", "setup", "idle", "planned_stop", "unknown"];

    public static async Task<IResult> Get(HttpContext context, string site, string cell, SnapshotCache cache, InfluxQueryClient influx)
    {
        var scope = SiteScope.Of(context.User);
        if (!scope.Sees(site))
        {
            return NotFound(context, scope);
        }

        var snapshot = await cache.CurrentAsync(context.RequestAborted);
        if (snapshot.Find(site, cell) is not { } found)
        {
            return NotFound(context, scope);
        }

        var lastDay = found.Days is { Days.Count: > 0 } records ? records.Days[^1].Day : snapshot.To.AddDays(-1);
        var day = lastDay;
        if (context.Request.Query["day"] is { Count: > 0 } asked)
        {
            if (!TraceTimestamp.TryParseDate(asked[0] ?? "", out day) || day < snapshot.From || day >= snapshot.To)
            {
                return Problem(context, scope, StatusCodes.Status400BadRequest, "Bad request", $"day: '{Core.InputText.Quote(asked[0] ?? "")}' is not a date YYYY-MM-DD from {snapshot.From:yyyy-MM-dd} to {snapshot.To.AddDays(-1):yyyy-MM-dd}");
            }
        }

        var dayStart = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var windowStart = new DateTimeOffset(snapshot.From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var windowEnd = new DateTimeOffset(snapshot.To.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var shiftsEnd = new DateTimeOffset(lastDay.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        // Four small queries, each filtered by the cell's tags, off the request thread.
        var (states, shifts, reasons, articles) = await Task.Run(
            () => (
                StateTimelineQuery.Read(influx.Query(StateTimelineQuery.Query(site, cell, dayStart, dayStart.AddDays(1))), dayStart, dayStart.AddDays(1)),
                CellRecordsQuery.ReadShifts(influx.Query(CellRecordsQuery.ShiftsQuery(site, cell, shiftsEnd.AddDays(-ShiftDays), shiftsEnd))),
                CellRecordsQuery.ReadTotals(influx.Query(CellRecordsQuery.ReasonsQuery(site, cell, windowStart, windowEnd)), InfluxSchema.ReasonTag),
                CellRecordsQuery.ReadTotals(influx.Query(CellRecordsQuery.ArticlesQuery(site, cell, windowStart, windowEnd)), InfluxSchema.ArticleTag)),
            context.RequestAborted);

        var html = new StringBuilder();
        var e = found.Entry;
        html.Append(CultureInfo.InvariantCulture, $"<h1>{E(site)} / {E(cell)}</h1>\n<p class=\"lead\">{(e.Treated ? $"Voucher: go-live {e.GoLive:yyyy-MM-dd}, {e.RampUpDays} days of ramp-up" : "Comparison cell (no voucher)")}{(e.Sector is null ? "" : $"; {E(e.Sector)}")}. {found.DaysWithData} days with a day record from {snapshot.From:yyyy-MM-dd} to {snapshot.To.AddDays(-1):yyyy-MM-dd}.</p>\n");
        html.Append(snapshot.Rendered.GetOrAdd($"weeks|{site}|{cell}", _ => Weeks(found, snapshot)));
        html.Append(Shifts(shifts));
        html.Append(Timeline(states, day, snapshot, site, cell));
        html.Append(Pareto(reasons));
        html.Append(Articles(articles));
        return Page(context, $"{site} / {cell}", html.ToString(), scope);
    }

    /// <summary>404 with no word of what was asked for: the same for another site's cell and for no cell at all.</summary>
    public static IResult NotFound(HttpContext context, SiteScope scope) =>
        Problem(context, scope, StatusCodes.Status404NotFound, "Not found", "There is no such page for you.");

    private static string Weeks(ProgrammeCell cell, ProgrammeSnapshot snapshot)
    {
        var weeks = cell.Weeks?.Weeks ?? [];
        var html = new StringBuilder("<section id=\"weeks\"><h2>Per week</h2>\n");
        if (!weeks.Any(w => w.HasData))
        {
            return html.Append("<p class=\"lead\">No day records in the window.</p></section>\n").ToString();
        }

        var origin = weeks[0].WeekStart;
        double X(WeekRow w) => (w.WeekStart - origin).TotalDays / 7;
        var xMax = Math.Max(1, X(weeks[^1]));
        var plot = new SvgPlot(560, 260, -0.5, xMax + 0.5, 0, 100).Axes($"weeks from {origin.UtcDateTime:yyyy-MM-dd}", "%");
        if (cell.Entry.GoLive is { } goLive)
        {
            plot.Marker((goLive.ToDateTime(TimeOnly.MinValue) - origin.UtcDateTime).TotalDays / 7, "go-live", "golive");
        }

        plot.Line(weeks.Select(w => (X(w), w.Availability * 100)), "availability")
            .Line(weeks.Select(w => (X(w), w.Effectiveness * 100)), "effectiveness")
            .Line(weeks.Select(w => (X(w), w.Quality * 100)), "quality")
            .Line(weeks.Select(w => (X(w), w.Oee * 100)), "oee", markers: true);
        var energy = weeks.Where(w => w.KwhPerGoodPart is not null).Select(w => w.KwhPerGoodPart!.Value).ToList();
        var (eMin, eMax) = SvgPlot.Range(energy, withZero: true);
        eMin = Math.Max(0, eMin);
        var energyPlot = new SvgPlot(560, 260, -0.5, xMax + 0.5, eMin, eMax).Axes($"weeks from {origin.UtcDateTime:yyyy-MM-dd}", "kWh per good part")
            .Line(weeks.Select(w => (X(w), w.KwhPerGoodPart)), "series", markers: true);
        html.Append("<p class=\"legend\"><span><i class=\"l-oee\"></i>OEE</span><span><i class=\"l-availability\"></i>availability</span><span><i class=\"l-effectiveness\"></i>performance</span><span><i class=\"l-quality\"></i>quality</span></p>\n<div class=\"grid-wide\">");
        html.Append(CultureInfo.InvariantCulture, $"<figure>{plot.Render($"OEE and its factors per week of {cell.Site} / {cell.Cell}")}<figcaption>OEE and its factors per week (from the week's sums).</figcaption></figure>");
        html.Append(CultureInfo.InvariantCulture, $"<figure>{energyPlot.Render($"energy per good part per week of {cell.Site} / {cell.Cell}")}<figcaption>Energy per good part per week.</figcaption></figure></div>\n");
        html.Append("<table id=\"week-table\"><tr><th>Week of</th><th>Run h</th><th>Avail</th><th>Perf</th><th>Quality</th><th>OEE</th><th>Produced</th><th>Good</th><th>kWh/good</th></tr>\n");
        foreach (var w in weeks.Where(w => w.HasData))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr data-week=\"{Date(w.WeekStart)}\"><td>{Date(w.WeekStart)}</td><td class=\"num\">{w.RunSeconds / 3600:0.0}</td><td class=\"num\">{Percent(w.Availability)}</td><td class=\"num\">{Percent(w.Effectiveness)}</td><td class=\"num\">{Percent(w.Quality)}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"num oee\">{Percent(w.Oee)}</td><td class=\"num\">{w.Produced}</td><td class=\"num\">{w.Good}</td><td class=\"num\">{(w.KwhPerGoodPart is { } k ? k.ToString("0.000", CultureInfo.InvariantCulture) : "-")}</td></tr>\n");
        }

        return html.Append("</table></section>\n").ToString();
    }

    private static string Shifts(List<ShiftRow> shifts)
    {
        var html = new StringBuilder($"<section id=\"shifts\"><h2>Per shift, last {ShiftDays} days with data</h2>\n");
        if (shifts.Count == 0)
        {
            return html.Append("<p class=\"lead\">No shift records (the gateway computes day windows only).</p></section>\n").ToString();
        }

        var plot = new SvgPlot(1100, 260, -0.5, shifts.Count - 0.5, 0, 100).Axes("shift (oldest first)", "%", Math.Max(1, Math.Ceiling(shifts.Count / 12.0)))
            .Line(shifts.Select((s, i) => ((double)i, s.Availability * 100)), "availability")
            .Line(shifts.Select((s, i) => ((double)i, s.Effectiveness * 100)), "effectiveness")
            .Line(shifts.Select((s, i) => ((double)i, s.Quality * 100)), "quality")
            .Line(shifts.Select((s, i) => ((double)i, s.Oee * 100)), "oee", markers: true);
        html.Append(CultureInfo.InvariantCulture, $"<figure>{plot.Render("OEE and its factors per shift")}<figcaption>OEE and its factors per shift, {shifts[0].Start.UtcDateTime:yyyy-MM-dd HH:mm} to {shifts[^1].Start.UtcDateTime:yyyy-MM-dd HH:mm} UTC.</figcaption></figure>\n");
        html.Append("<table id=\"shift-table\"><tr><th>Shift start (UTC)</th><th>Avail</th><th>Perf</th><th>Quality</th><th>OEE</th><th>Good</th></tr>\n");
        foreach (var s in shifts.AsEnumerable().Reverse().Take(9))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{s.Start.UtcDateTime:yyyy-MM-dd HH:mm}</td><td class=\"num\">{Percent(s.Availability)}</td><td class=\"num\">{Percent(s.Effectiveness)}</td><td class=\"num\">{Percent(s.Quality)}</td><td class=\"num\">{Percent(s.Oee)}</td><td class=\"num\">{s.Good}</td></tr>\n");
        }

        return html.Append("</table></section>\n").ToString();
    }

    private static string Timeline(List<StateSpan> spans, DateOnly day, ProgrammeSnapshot snapshot, string site, string cell)
    {
        var html = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<section id=\"timeline\"><h2>States on {day:yyyy-MM-dd} (UTC)</h2>\n");
        var link = $"/cells/{Url(site)}/{Url(cell)}?day=";
        html.Append("<p class=\"lead\">");
        if (day > snapshot.From)
        {
            html.Append(CultureInfo.InvariantCulture, $"<a href=\"{link}{day.AddDays(-1):yyyy-MM-dd}\">previous day</a> ");
        }

        if (day.AddDays(1) < snapshot.To)
        {
            html.Append(CultureInfo.InvariantCulture, $"<a href=\"{link}{day.AddDays(1):yyyy-MM-dd}\">next day</a>");
        }

        html.Append("</p>\n");
        if (spans.Count == 0)
        {
            return html.Append("<p class=\"lead\">No state changes recorded for this day.</p></section>\n").ToString();
        }

        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var plot = new SvgPlot(1100, 100, 0, 24, 0, 1).Axes("hour of the day (UTC)", "", 2, yTicks: false)
            .Rects(spans.Select(s => ((s.From - start).TotalHours, (s.To - start).TotalHours, 0.0, 1.0, "st-" + StateClass(s.State), $"{s.State} {s.From.UtcDateTime:HH:mm}–{s.To.UtcDateTime:HH:mm}")));
        html.Append("<p class=\"legend\">");
        foreach (var state in s_states)
        {
            html.Append(CultureInfo.InvariantCulture, $"<span><i class=\"l-{state}\"></i>{state.Replace('_', ' ')}</span>");
        }

        html.Append(CultureInfo.InvariantCulture, $"</p>\n<figure>{plot.Render($"machine states on {day:yyyy-MM-dd}")}</figure></section>\n");
        return html.ToString();
    }

    private static string StateClass(string state)
    {
        var lower = state.ToLowerInvariant();
        return Array.IndexOf(s_states, lower) >= 0 ? lower : "other";
    }

    private static string Pareto(List<NamedTotal> reasons)
    {
        var html = new StringBuilder("<section id=\"pareto\"><h2>Downtime by reason</h2>\n");
        if (reasons.Count == 0)
        {
            return html.Append("<p class=\"lead\">No stop reasons recorded for this cell.</p></section>\n").ToString();
        }

        var hours = reasons.Select(r => r.Value / 3600).ToList();
        var (_, yMax) = SvgPlot.Range(hours, withZero: true);
        var plot = new SvgPlot(560, 260, -0.5, reasons.Count - 0.5, 0, yMax).Axes("reason (rank, see table)", "stop hours", 1)
            .Rects(reasons.Select((r, i) => (i - 0.35, i + 0.35, 0.0, r.Value / 3600, "pareto", $"{r.Name}: {r.Value / 3600:0.0} h")))
            .Line(Cumulative(reasons).Select((c, i) => ((double)i, (double?)(c * yMax))), "effect", markers: true);
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"grid-wide\"><figure>{plot.Render("stop hours per reason, most first, with the cumulative share")}<figcaption>Stop hours per reason, most first; the line is the cumulative share (top = 100 %).</figcaption></figure>");
        html.Append("<table id=\"reason-table\"><tr><th>#</th><th>Reason</th><th>Hours</th><th>Share</th><th>Cumulative</th></tr>\n");
        var cumulative = Cumulative(reasons);
        for (var i = 0; i < reasons.Count; i++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"num\">{i}</td><td>{E(reasons[i].Name)}</td><td class=\"num\">{reasons[i].Value / 3600:0.0}</td><td class=\"num\">{Percent(reasons[i].Share)}</td><td class=\"num\">{Percent(cumulative[i])}</td></tr>\n");
        }

        return html.Append("</table></div></section>\n").ToString();
    }

    private static List<double> Cumulative(List<NamedTotal> totals)
    {
        var sum = 0.0;
        return [.. totals.Select(t => sum += t.Share)];
    }

    private static string Articles(List<NamedTotal> articles)
    {
        var html = new StringBuilder("<section id=\"articles\"><h2>Articles</h2>\n");
        if (articles.Count == 0)
        {
            return html.Append("<p class=\"lead\">No articles recorded for this cell.</p></section>\n").ToString();
        }

        html.Append("<table id=\"article-table\"><tr><th>Article</th><th>Good parts</th><th>Share</th></tr>\n");
        foreach (var a in articles)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(a.Name)}</td><td class=\"num\">{a.Value:0}</td><td class=\"num\">{Percent(a.Share)}</td></tr>\n");
        }

        return html.Append("</table></section>\n").ToString();
    }
}
