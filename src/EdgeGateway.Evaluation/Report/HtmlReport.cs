using System.Globalization;
using System.Net;
using EdgeGateway.Evaluation.Panel;
using EdgeGateway.Evaluation.Results;

namespace EdgeGateway.Evaluation.Report;

/// <summary>
/// The evaluation as one self-contained HTML page: styles inline, charts as inline SVG, no script and nothing fetched,
/// so it opens offline and prints. Sections: effects after ramp-up, effect by period since go-live (CI band),
/// breakdowns, each cell's OEE before and after, data coverage, method and notes (src/docs/evaluation.md).
/// </summary>
public static class HtmlReport
{
    /// <summary>The page's style sheet (the dashboard serves it as a file for its evaluation page).</summary>
    public const string Styles = """
        body { font: 15px/1.45 system-ui, "DejaVu Sans", sans-serif; color: #1d2329; margin: 0 auto; max-width: 1180px; padding: 24px; }
        h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 36px 0 8px; border-bottom: 1px solid #d5dbe1; padding-bottom: 4px; }
        h3 { font-size: 15px; margin: 0 0 4px; } p.lead { color: #4a5560; margin: 0 0 12px; }
        table { border-collapse: collapse; margin: 8px 0; } th, td { padding: 5px 10px; border-bottom: 1px solid #e3e7eb; text-align: left; vertical-align: top; }
        th { background: #f3f5f7; font-weight: 600; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .better { color: #137333; font-weight: 600; } .worse { color: #b3261e; font-weight: 600; } .none { color: #4a5560; } .warn { color: #9a5b00; font-weight: 600; }
        .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 14px; }
        .grid-wide { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 14px; }
        figure { margin: 0; border: 1px solid #e3e7eb; border-radius: 6px; padding: 8px; background: #fff; } figcaption { font-size: 13px; color: #4a5560; }
        svg.chart { display: block; max-width: 100%; height: auto; }
        svg .grid { stroke: #e6e9ed; } svg .axis, svg .tickmark { stroke: #7b858f; } svg .tick { font-size: 12px; fill: #4a5560; }
        svg .title { font-size: 12px; fill: #1d2329; } svg .marker-label { font-size: 11px; fill: #5f3dc4; }
        svg .band { fill: #1c64b4; fill-opacity: 0.18; stroke: none; } svg .effect { fill: #1c64b4; stroke: #1c64b4; stroke-width: 2; fill-opacity: 1; }
        svg polyline.effect { fill: none; } svg .zero { stroke: #1d2329; stroke-dasharray: 4 3; } svg .golive { stroke: #5f3dc4; stroke-width: 1.5; }
        svg .ramp { fill: #5f3dc4; fill-opacity: 0.08; } svg .series { fill: none; stroke: #37474f; stroke-width: 1.6; }
        svg .before { stroke: #b3261e; stroke-width: 2; } svg .after { stroke: #137333; stroke-width: 2; }
        .bar { background: #e3e7eb; width: 160px; height: 10px; border-radius: 5px; display: inline-block; vertical-align: middle; }
        .bar > span { display: block; height: 10px; border-radius: 5px; background: #1c64b4; }
        .warnings { border: 1px solid #e0b252; background: #fff8e6; border-radius: 6px; padding: 8px 14px; margin: 8px 0; } .warnings li { margin: 4px 0; color: #7a4700; }
        td.reading { min-width: 12em; }
        ul.notes li { margin: 4px 0; } code { background: #f3f5f7; padding: 1px 4px; border-radius: 3px; }
        """;

    /// <summary>Writes the page for <paramref name="result"/>; <paramref name="title"/> heads it.</summary>
    public static void Write(TextWriter output, EvaluationResult result, string title)
    {
        output.Write($"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{E(title)}</title>\n<style>\n{Styles}\n</style>\n</head>\n<body>\n");
        WriteBody(output, result, title);
        output.Write("</body>\n</html>\n");
    }

    /// <summary>The page's content without the document around it: the heading and every section.</summary>
    public static void WriteBody(TextWriter output, EvaluationResult result, string title)
    {
        var s = result.Settings;
        output.Write($"<header><h1>{E(title)}</h1><p class=\"lead\">{Invariant($"{s.From:yyyy-MM-dd} to {s.To.AddDays(-1):yyyy-MM-dd}")}: {Counted(result.Programme.Sites, "site")}, {Counted(result.Programme.TreatedCells, "cell")} with a voucher (in {Counted(result.Programme.Cohorts, "go-live cohort")}), {Counted(result.Programme.ControlCells, "cell")} without{E(Unused(result))}; {result.Programme.Periods} periods of {s.PeriodDays} days. Effects are differences against the comparison cells (difference in differences), with {Percent(s.ConfidenceLevel)} confidence intervals.</p></header>\n");
        Summary(output, result);
        PreTrendSensitivity(output, result);
        EventTime(output, result);
        Breakdowns(output, result);
        Cells(output, result);
        Coverage(output, result);
        RegisterCells(output, result);
        Method(output, result);
    }

    private static void Summary(TextWriter output, EvaluationResult result)
    {
        var level = Percent(result.Settings.ConfidenceLevel);
        output.Write("<section id=\"summary\"><h2>Effect of the programme after ramp-up</h2>\n");
        Warnings(output, result);
        output.Write($"<table>\n<tr><th>Outcome</th><th>Effect</th><th>{level} confidence interval</th><th>Smallest detectable effect</th><th>Pre-trend test</th><th>Reading</th><th>Naive before/after</th></tr>\n");
        foreach (var effect in result.Effects)
        {
            var o = effect.Outcome;
            if (effect.Overall is not { } overall)
            {
                output.Write($"<tr><td>{E(OutcomeText.Name(o))}</td><td colspan=\"6\" class=\"none\">not estimated: {E(string.Join("; ", effect.Suppressed))}</td></tr>\n");
                continue;
            }

            var pre = PreTrendHtml(effect);
            var preClass = PreTrendVerdict.Rejected(effect) ? " warn" : "";
            var mde = effect.MinimumDetectableEffect is { } m ? "±" + OutcomeText.Number(o, OutcomeText.Display(o, m)) + " " + OutcomeText.EffectUnit(o) : "–";
            var (reading, css) = PreTrendVerdict.Rejected(effect) ? (PreTrendVerdict.NotCredible, "warn") : Reading(o, overall);
            output.Write($"<tr><td>{E(OutcomeText.Name(o))}</td><td class=\"num {css}\">{E(OutcomeText.Effect(o, overall.Value))}</td><td class=\"num\">{E(Interval(o, overall))}</td><td class=\"num\">{E(mde)}</td><td class=\"num{preClass}\">{pre}</td><td class=\"reading {css}\">{E(reading)}</td><td class=\"num none\">{E(effect.NaiveBeforeAfter is { } naive ? OutcomeText.Effect(o, naive.Value) : "–")}</td></tr>\n");
        }

        output.Write("</table>\n<p class=\"lead\">Effect: the average change of the cells with a voucher after their ramp-up, beyond the change of comparable cells over the same weeks. Pre-trend tests: whether the two groups already drifted apart before go-live — joint (all pre periods against the period before go-live) and linear (a steady drift); when either p-value is below 0.025 the reading says the effect is not credible, and the next section shows what a continuing drift would mean. Smallest detectable effect: the effect this programme could detect with 80 % power. Naive before/after: the treated cells' own change without comparison cells, shown to see how much of it was season, trend or other shared change.</p></section>\n");
    }

    /// <summary>How many register cells the estimate leaves out (the counts before it are of the cells used).</summary>
    private static string Unused(EvaluationResult result)
    {
        var unused = result.Cells.Count(c => c.Fate is { Used: false });
        return unused == 0 ? "" : Invariant($" ({unused} more register {(unused == 1 ? "cell" : "cells")} not used: see \"Every register cell\")");
    }

    /// <summary>The warnings about the comparison, next to the headline (nothing when there are none).</summary>
    private static void Warnings(TextWriter output, EvaluationResult result)
    {
        if (result.Warnings.Count == 0)
        {
            return;
        }

        output.Write("<div class=\"warnings\" id=\"warnings\"><strong>Warning about the comparison</strong><ul>");
        foreach (var warning in result.Warnings)
        {
            output.Write($"<li data-code=\"{E(warning.Code)}\">{E(warning.Text)}</li>");
        }

        output.Write("</ul></div>\n");
    }

    /// <summary>The pre-trend tests' p-values for the summary table, as HTML.</summary>
    private static string PreTrendHtml(OutcomeEffect effect)
    {
        // One test a line (already HTML-encoded): the column stays narrow enough for the page.
        var parts = new List<string>();
        if (effect.PreTrend is { } joint && double.IsFinite(joint.PValue))
        {
            parts.Add(E(Invariant($"joint p = {joint.PValue:0.00}")));
        }

        if (effect.LinearPreTrend is { } linear && double.IsFinite(linear.PValue))
        {
            parts.Add(E(Invariant($"linear p = {linear.PValue:0.00}")));
        }

        return parts.Count == 0 ? "–" : string.Join("<br>", parts);
    }

    /// <summary>
    /// The pre-trend tests in full and what the headline would be had the linear pre-trend gone on after go-live
    /// (src/docs/evaluation.md, "Pre-trend tests").
    /// </summary>
    private static void PreTrendSensitivity(TextWriter output, EvaluationResult result)
    {
        var rows = result.Effects.Where(e => e.Overall is not null && (e.PreTrend is not null || e.LinearPreTrend is not null)).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        var level = Percent(result.Settings.ConfidenceLevel);
        output.Write($"<section id=\"pre-trends\"><h2>Pre-trends and sensitivity</h2>\n<p class=\"lead\">Before go-live the treated cells should move like the comparison cells. Joint test: all pre-go-live effects against the period before go-live are zero (F test, clustered by site). Linear test: the slope of those effects on the period since go-live is zero (t test). If the estimated slope had gone on after go-live, the effect would be the headline minus slope × the mean number of periods since the base period; its interval adds the slope's uncertainty.</p>\n<table>\n<tr><th>Outcome</th><th>Joint test</th><th>Linear test: slope per period</th><th>Effect ({level} CI)</th><th>Effect if the pre-trend continued ({level} CI)</th><th>Reading</th></tr>\n");
        foreach (var effect in rows)
        {
            var o = effect.Outcome;
            var overall = effect.Overall!.Value;
            var joint = effect.PreTrend is { } j
                ? E(Invariant($"F({j.DegreesOfFreedom}, {j.DenominatorDegreesOfFreedom}) = {j.FStatistic:0.00}")) + "<br>" + E(Invariant($"p = {j.PValue:0.000}")) + "<br>" + E(Invariant($"{j.PrePeriods} pre periods"))
                : "–";
            var linear = effect.LinearPreTrend is { } l && double.IsFinite(l.PValue)
                ? E(OutcomeText.Effect(o, l.Slope.Value)) + "<br>" + E($"({Interval(o, l.Slope)})") + "<br>" + E(Invariant($"t = {l.TStatistic:0.00}, p = {l.PValue:0.000}"))
                : "–";
            var adjusted = effect.TrendSensitivity is { } a
                ? E(OutcomeText.Effect(o, a.Adjusted.Value)) + "<br>" + E($"({Interval(o, a.Adjusted)})") + "<br>" + E(Invariant($"{a.MeanEventsSinceBase:0.#} periods after the base"))
                : "–";
            var rejected = PreTrendVerdict.Rejected(effect);
            var reading = rejected ? PreTrendVerdict.NotCredible : "no pre-trend detected";
            output.Write($"<tr><td>{E(OutcomeText.Name(o))}</td><td class=\"num\">{joint}</td><td class=\"num\">{linear}</td><td class=\"num\">{E(OutcomeText.Effect(o, overall.Value))}<br>{E($"({Interval(o, overall)})")}</td><td class=\"num\">{adjusted}</td><td class=\"reading {(rejected ? "warn" : "none")}\">{E(reading)}</td></tr>\n");
        }

        output.Write("</table></section>\n");
    }

    /// <summary>Every register cell and what became of it: used, or excluded and why.</summary>
    private static void RegisterCells(TextWriter output, EvaluationResult result)
    {
        output.Write("<section id=\"register-cells\"><h2>Every register cell</h2>\n<p class=\"lead\">Whether the estimate uses each cell of the register, and if not, why. The counts at the top count only the cells used.</p>\n<table>\n<tr><th>Site</th><th>Cell</th><th>Register</th><th>Used</th><th>Why</th></tr>\n");
        foreach (var cell in result.Cells.OrderBy(c => c.Fate?.Used ?? true).ThenBy(c => c.Site, StringComparer.Ordinal).ThenBy(c => c.Cell, StringComparer.Ordinal))
        {
            var fate = cell.Fate;
            var used = fate is null ? "–" : fate.Used ? "used" : "excluded";
            var css = fate is { Used: false } ? " class=\"warn\"" : "";
            var register = cell.Treated ? Invariant($"voucher, go-live {cell.GoLive:yyyy-MM-dd}") : "no voucher";
            output.Write($"<tr><td>{E(cell.Site)}</td><td>{E(cell.Cell)}</td><td>{E(register)}</td><td{css}>{used}</td><td>{E(fate?.Text ?? "")}</td></tr>\n");
        }

        output.Write("</table></section>\n");
    }

    private static (string Text, string Css) Reading(Outcome outcome, Estimate estimate)
    {
        if (estimate.Lower <= 0 && estimate.Upper >= 0)
        {
            return ("no effect detectable", "none");
        }

        var better = (estimate.Value > 0) == OutcomeText.HigherIsBetter(outcome);
        return better ? ("improved", "better") : ("worsened", "worse");
    }

    private static void EventTime(TextWriter output, EvaluationResult result)
    {
        output.Write("<section id=\"event-time\"><h2>Effect by period since go-live</h2>\n<p class=\"lead\">Each point is the average effect that many periods after go-live (0 = the period of go-live; before it, the test for pre-trends), with its confidence band; the shaded stretch is the ramp-up.</p>\n");
        var ramp = RampPeriods(result);
        var first = true;
        foreach (var effect in result.Effects.Where(e => e.EventTime.Count > 0))
        {
            if (first)
            {
                output.Write($"<figure>{EventTimeChart(effect, ramp, 1100, 340, result.Settings.PeriodDays)}<figcaption>{E(OutcomeText.Name(effect.Outcome))}: effect in {E(OutcomeText.EffectUnit(effect.Outcome))} by period since go-live.</figcaption></figure>\n<div class=\"grid-wide\" style=\"margin-top:14px\">\n");
                first = false;
                continue;
            }

            output.Write($"<figure><h3>{E(OutcomeText.Name(effect.Outcome))}</h3>{EventTimeChart(effect, ramp, 540, 250, result.Settings.PeriodDays)}</figure>\n");
        }

        output.Write(first ? "<p>No event-time effects could be estimated.</p></section>\n" : "</div></section>\n");
    }

    private static string EventTimeChart(OutcomeEffect effect, double ramp, double width, double height, int periodDays)
    {
        var o = effect.Outcome;
        var points = effect.EventTime.OrderBy(e => e.Period).ToList();
        var (yMin, yMax) = SvgPlot.Range(points.SelectMany(p => new[] { OutcomeText.Display(o, p.Effect.Lower), OutcomeText.Display(o, p.Effect.Upper) }), withZero: true);
        double xMin = points[0].Period - 0.5, xMax = points[^1].Period + 0.5;
        var plot = new SvgPlot(width, height, xMin, xMax, yMin, yMax)
            .Span(0, ramp, "ramp")
            .Axes(periodDays == 7 ? "weeks since go-live" : $"periods of {periodDays} days since go-live", $"effect, {OutcomeText.EffectUnit(o)}", xStep: Math.Max(1, Math.Ceiling((xMax - xMin) / 12)))
            .Band(points.Select(p => ((double)p.Period, OutcomeText.Display(o, p.Effect.Lower), OutcomeText.Display(o, p.Effect.Upper))).ToList(), "band")
            .Level(0, xMin, xMax, "zero")
            .Marker(0, "go-live", "golive")
            .Line(points.Select(p => ((double)p.Period, (double?)OutcomeText.Display(o, p.Effect.Value))), "effect", markers: true);
        if (effect.Overall is { } overall)
        {
            plot.Level(OutcomeText.Display(o, overall.Value), ramp, xMax, "after");
        }

        return plot.Render($"{OutcomeText.Name(o)}: effect by period since go-live with confidence band");
    }

    private static void Breakdowns(TextWriter output, EvaluationResult result)
    {
        // The page shows the headline outcome's breakdowns; every outcome's are in effects.csv and evaluation.json.
        var withBreakdowns = result.Effects.Take(1).Where(e => e.Breakdowns.Count > 0).ToList();
        var suppressed = result.Effects.SelectMany(e => e.Suppressed.Select(reason => (e.Outcome, reason))).ToList();
        if (withBreakdowns.Count == 0 && suppressed.Count == 0)
        {
            return;
        }

        output.Write($"<section id=\"breakdowns\"><h2>By sector and size class</h2>\n<p class=\"lead\">A group is shown only when it spans at least {result.Settings.MinimumSitesPerBreakdown} sites, so that no single firm can be recognised.</p>\n");
        if (withBreakdowns.Count > 0)
        {
            output.Write("<table>\n<tr><th>Outcome</th><th>By</th><th>Group</th><th>Sites</th><th>Cells with voucher</th><th>Effect</th><th>Confidence interval</th></tr>\n");
            foreach (var effect in withBreakdowns)
            {
                foreach (var b in effect.Breakdowns)
                {
                    var o = effect.Outcome;
                    output.Write($"<tr><td>{E(OutcomeText.Name(o))}</td><td>{E(b.Dimension)}</td><td>{E(b.Group)}</td><td class=\"num\">{b.Sites}</td><td class=\"num\">{b.TreatedCells}</td><td class=\"num\">{E(OutcomeText.Effect(o, b.Effect.Value))}</td><td class=\"num\">{E(Interval(o, b.Effect))}</td></tr>\n");
                }
            }

            output.Write("</table>\n<p class=\"lead\">The other outcomes' breakdowns are in effects.csv and evaluation.json.</p>\n");
        }

        var distinct = suppressed.Select(s => s.reason).Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count > 0)
        {
            output.Write("<p>Not shown:</p><ul class=\"notes\">");
            foreach (var reason in distinct)
            {
                output.Write($"<li>{E(reason)}</li>");
            }

            output.Write("</ul>\n");
        }

        output.Write("</section>\n");
    }

    private static void Cells(TextWriter output, EvaluationResult result)
    {
        output.Write("<section id=\"cells\"><h2>Each cell: OEE per period</h2>\n<p class=\"lead\">Purple line: go-live, shaded: ramp-up; red: mean before go-live, green: mean after ramp-up (the cell's own before/after, not corrected for what happened to all cells).</p>\n");
        CellCharts(output, result, result.Cells);
        output.Write("</section>\n");
    }

    /// <summary>
    /// The OEE per period of <paramref name="cells"/> (small multiples on one scale, theirs alone) with go-live, ramp-up and
    /// each cell's own before/after means.
    /// </summary>
    public static void CellCharts(TextWriter output, EvaluationResult result, IReadOnlyList<CellSummary> cells)
    {
        var s = result.Settings;
        output.Write("<div class=\"grid\">\n");
        var (yMin, yMax) = SvgPlot.Range(cells.SelectMany(c => c.OeeByPeriod).Where(v => v.Value is not null).Select(v => v.Value!.Value * 100), withZero: false);
        yMin = Math.Max(0, yMin);
        yMax = Math.Min(100, yMax);
        var periods = result.Programme.Periods;
        foreach (var cell in cells.OrderBy(c => c.Treated ? 0 : 1).ThenBy(c => c.GoLive).ThenBy(c => c.Site, StringComparer.Ordinal).ThenBy(c => c.Cell, StringComparer.Ordinal))
        {
            if (!cell.OeeByPeriod.Any(v => v.Value is not null))
            {
                // No chart without a point to draw: a cell without data in the window says so.
                output.Write($"<figure><h3>{E(cell.Site)} / {E(cell.Cell)}</h3><p class=\"lead\">No OEE in the window ({E(cell.Fate?.Text ?? "no data")}).</p></figure>\n");
                continue;
            }

            var plot = new SvgPlot(300, 170, -0.5, periods - 0.5, yMin, yMax);
            double? goLive = cell.GoLive is { } g ? (g.DayNumber - s.From.DayNumber) / (double)s.PeriodDays - 0.5 : null;
            double rampEnd = goLive is { } gl ? gl + (cell.RampUpDays / (double)s.PeriodDays) : 0;
            if (goLive is { } start)
            {
                plot.Span(start, rampEnd, "ramp");
            }

            plot.Axes(s.PeriodDays == 7 ? "week" : "period", "OEE, %");
            var caption = cell.Treated ? Invariant($"voucher, go-live {cell.GoLive:yyyy-MM-dd}") : "comparison cell";
            if (goLive is { } at)
            {
                plot.Marker(at, "go-live", "golive");
                if (cell.BeforeAfter.TryGetValue(Outcome.Oee, out var oee))
                {
                    if (oee.Before is { } before)
                    {
                        plot.Level(before * 100, -0.5, at, "before");
                    }

                    if (oee.After is { } after)
                    {
                        plot.Level(after * 100, rampEnd, periods - 0.5, "after");
                    }

                    if (oee.Change is { } change)
                    {
                        caption += $"; OEE {OutcomeText.Level(Outcome.Oee, oee.Before)} → {OutcomeText.Level(Outcome.Oee, oee.After)} ({OutcomeText.Effect(Outcome.Oee, change)})";
                    }
                }
            }

            plot.Line(cell.OeeByPeriod.Select(v => ((double)v.Period, v.Value * 100)), "series");
            output.Write($"<figure><h3>{E(cell.Site)} / {E(cell.Cell)}</h3>{plot.Render($"OEE per period of cell {cell.Cell} at site {cell.Site}")}<figcaption>{E(caption)}</figcaption></figure>\n");
        }

        output.Write("</div>\n");
    }

    private static void Coverage(TextWriter output, EvaluationResult result)
    {
        output.Write("<section id=\"coverage\"><h2>Data coverage</h2>\n<p class=\"lead\">Days of the evaluation window with a day record from the cell's gateway, and the share of those days' time whose machine state was known (sensor faults and gaps count as unknown).</p>\n<table>\n<tr><th>Site</th><th>Cell</th><th>Group</th><th>Days with data</th><th></th><th>Known time</th></tr>\n");
        foreach (var cell in result.Cells.OrderBy(c => c.Site, StringComparer.Ordinal).ThenBy(c => c.Cell, StringComparer.Ordinal))
        {
            var c = cell.Coverage;
            var share = c.DaysExpected > 0 ? (double)c.DaysWithData / c.DaysExpected : 0;
            var css = share < 0.8 ? " warn" : "";
            output.Write($"<tr><td>{E(cell.Site)}</td><td>{E(cell.Cell)}</td><td>{(cell.Treated ? "voucher" : "comparison")}</td><td class=\"num{css}\">{c.DaysWithData} of {c.DaysExpected}</td><td><span class=\"bar\"><span style=\"width:{(share * 100).ToString("0.#", CultureInfo.InvariantCulture)}%\"></span></span></td><td class=\"num\">{(c.DaysWithData > 0 ? Percent(c.MeanKnownShare) : "–")}</td></tr>\n");
        }

        output.Write("</table></section>\n");
    }

    /// <summary>"1 site", "2 sites".</summary>
    private static string Counted(int count, string noun) => string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? "" : "s")}");

    private static void Method(TextWriter output, EvaluationResult result)
    {
        var s = result.Settings;
        output.Write("<section id=\"method\"><h2>Method</h2>\n<ul class=\"notes\">\n");
        output.Write($"<li>Outcomes per cell and period of {s.PeriodDays} days, recomputed from the day records' time buckets and counts (ISO 22400; ratios of sums, never averages of ratios).</li>\n");
        output.Write($"<li>Staggered difference in differences after Callaway &amp; Sant'Anna (2021): an effect for every go-live cohort and period against the change of the comparison cells ({E(s.ControlGroup)}) since the period before go-live, averaged by period since go-live and, for the headline, over the periods after each cell's ramp-up.</li>\n");
        output.Write($"<li>Confidence intervals ({Percent(s.ConfidenceLevel)}): multiplier bootstrap clustered by site on Callaway &amp; Sant'Anna's influence functions, each treated cell centred on its own cohort-and-period effect so that effects differing between cohorts do not widen the intervals ({s.BootstrapReplications} replications, Webb six-point weights, seed {s.Seed}), standard error scaled by √(S/(S−1)) ({result.Programme.Sites} sites); Student-t critical value with G₁−1 degrees of freedom, G₁ the treated sites an estimate rests on, valid with few treated sites (Conley &amp; Taber 2011; Imbens &amp; Kolesár 2016); pre-trends: joint Wald test that all effects before go-live against the period before go-live are zero (pooled into at most (S−1)/5 and 4 groups of periods; Hotelling F reference), and a t test (G₁−1 degrees of freedom) of their slope on the period since go-live; smallest detectable effect: (z<sub>0.975</sub> + z<sub>0.80</sub>) × standard error.</li>\n");
        if (result.Effects.Select(e => e.OverallPlaceboSites).Where(p => p is not null).Min() is { } placeboSites)
        {
            output.Write($"<li>Fewer than 5 treated sites: the headline's treated noise is estimated from placebo sites instead (Conley &amp; Taber 2011): each never-treated site in turn takes a treated site's place, and the spread of these placebo effects is that site's noise, assuming the treated sites vary like the never-treated ones (at least {placeboSites} placebo sites per treated site; Student-t critical value with their number − 1 degrees of freedom).</li>\n");
        }

        output.Write($"<li>Privacy: ids are pseudonymous; no breakdown over fewer than {s.MinimumSitesPerBreakdown} sites is shown.</li>\n");
        foreach (var note in result.Notes)
        {
            output.Write($"<li>{E(note)}</li>\n");
        }

        output.Write("</ul></section>\n");
    }

    /// <summary>The median ramp-up of the treated cells, in periods (the shaded stretch of the event-time charts).</summary>
    private static double RampPeriods(EvaluationResult result)
    {
        var ramps = result.Cells.Where(c => c.Treated).Select(c => c.RampUpDays).Order().ToList();
        return ramps.Count == 0 ? 0 : ramps[ramps.Count / 2] / (double)result.Settings.PeriodDays;
    }

    private static string Interval(Outcome outcome, Estimate estimate) =>
        $"{OutcomeText.Number(outcome, OutcomeText.Display(outcome, estimate.Lower))} to {OutcomeText.Number(outcome, OutcomeText.Display(outcome, estimate.Upper))} {OutcomeText.EffectUnit(outcome)}";

    private static string Percent(double fraction) => (fraction * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
