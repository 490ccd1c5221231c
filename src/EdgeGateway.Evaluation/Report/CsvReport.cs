using System.Globalization;
using EdgeGateway.Evaluation.Results;

namespace EdgeGateway.Evaluation.Report;

/// <summary>
/// The evaluation as three CSV tables (src/docs/evaluation.md): <c>effects.csv</c> (one row per outcome and per
/// shown breakdown), <c>event_time.csv</c> (outcome × period since go-live) and <c>cells.csv</c> (one row per cell with
/// coverage, before/after per outcome and its fate). Numbers in the outcomes' own units (ratios as fractions), invariant
/// culture, empty when missing.
/// </summary>
public static class CsvReport
{
    /// <summary>The file names, in the order <see cref="Write"/> knows them.</summary>
    public static readonly IReadOnlyList<string> Files = ["effects.csv", "event_time.csv", "cells.csv"];

    /// <summary>Writes table <paramref name="file"/> (one of <see cref="Files"/>).</summary>
    public static void Write(TextWriter output, EvaluationResult result, string file)
    {
        switch (file)
        {
            case "effects.csv":
                Effects(output, result);
                break;
            case "event_time.csv":
                EventTime(output, result);
                break;
            case "cells.csv":
                Cells(output, result);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(file), file, "not a table of the report");
        }
    }

    private static void Effects(TextWriter output, EvaluationResult result)
    {
        output.WriteLine("outcome,dimension,group,sites,treated_cells,estimate,standard_error,lower,upper,minimum_detectable_effect,pre_trend_chi_square,pre_trend_df,pre_trend_p_value,naive_before_after,note,placebo_sites");
        foreach (var e in result.Effects)
        {
            var key = OutcomeText.Key(e.Outcome);
            var pre = e.PreTrend;
            output.WriteLine(Row(key, "all", "all", N(result.Programme.Sites), N(result.Programme.TreatedCells),
                N(e.Overall?.Value), N(e.Overall?.StandardError), N(e.Overall?.Lower), N(e.Overall?.Upper), N(e.MinimumDetectableEffect),
                N(pre?.ChiSquare), pre is null ? "" : N(pre.DegreesOfFreedom), N(pre?.PValue), N(e.NaiveBeforeAfter?.Value), string.Join("; ", e.Suppressed),
                e.OverallPlaceboSites is { } placebo ? N(placebo) : ""));
            foreach (var b in e.Breakdowns)
            {
                output.WriteLine(Row(key, b.Dimension, b.Group, N(b.Sites), N(b.TreatedCells), N(b.Effect.Value), N(b.Effect.StandardError), N(b.Effect.Lower), N(b.Effect.Upper), "", "", "", "", "", "", ""));
            }
        }
    }

    private static void EventTime(TextWriter output, EvaluationResult result)
    {
        output.WriteLine("outcome,period,treated_cells,estimate,standard_error,lower,upper");
        foreach (var e in result.Effects)
        {
            foreach (var t in e.EventTime.OrderBy(t => t.Period))
            {
                output.WriteLine(Row(OutcomeText.Key(e.Outcome), N(t.Period), N(t.TreatedCells), N(t.Effect.Value), N(t.Effect.StandardError), N(t.Effect.Lower), N(t.Effect.Upper)));
            }
        }
    }

    private static void Cells(TextWriter output, EvaluationResult result)
    {
        var outcomes = result.Effects.Select(e => e.Outcome).ToList();
        var header = new List<string> { "site", "cell", "treated", "go_live", "ramp_up_days", "days_expected", "days_with_data", "mean_known_share" };
        header.AddRange(outcomes.SelectMany(o => new[] { $"{OutcomeText.Key(o)}_before", $"{OutcomeText.Key(o)}_after", $"{OutcomeText.Key(o)}_change" }));
        header.AddRange(["fate_used", "fate_role", "fate_code", "fate_base_period"]);
        output.WriteLine(string.Join(',', header));
        foreach (var c in result.Cells)
        {
            var fields = new List<string>
            {
                c.Site, c.Cell, c.Treated ? "true" : "false", c.GoLive?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "", N(c.RampUpDays),
                N(c.Coverage.DaysExpected), N(c.Coverage.DaysWithData), N(c.Coverage.MeanKnownShare),
            };
            foreach (var o in outcomes)
            {
                var ba = c.BeforeAfter.GetValueOrDefault(o);
                fields.AddRange([N(ba?.Before), N(ba?.After), N(ba?.Change)]);
            }

            fields.AddRange(c.Fate is { } fate
                ? [fate.Used ? "true" : "false", fate.Role, fate.Code, fate.BasePeriod is { } b ? N(b) : ""]
                : ["", "", "", ""]);

            output.WriteLine(Row([.. fields]));
        }
    }

    private static string Row(params string[] fields) => string.Join(',', fields.Select(Quote));

    /// <summary>RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.</summary>
    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;

    private static string N(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
