using System.Text.Json;
using EdgeGateway.Evaluation.Results;

namespace EdgeGateway.Evaluation.Report;

/// <summary>
/// The evaluation as JSON (<c>evaluation.json</c>, src/docs/evaluation.md): the numbers of the HTML report in the
/// outcomes' own units — ratios as fractions 0–1 (an OEE effect of 0.061 is +6.1 percentage points).
/// </summary>
public static class JsonReport
{
    /// <summary>Writes <paramref name="result"/> to <paramref name="output"/>.</summary>
    public static void Write(Stream output, EvaluationResult result)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        var s = result.Settings;
        json.WriteStartObject();
        json.WriteString("schema", "edgegw-evaluation/1");
        json.WriteStartObject("settings");
        json.WriteString("from", s.From.ToString("yyyy-MM-dd", null));
        json.WriteString("to", s.To.ToString("yyyy-MM-dd", null));
        json.WriteNumber("period_days", s.PeriodDays);
        json.WriteNumber("bootstrap_replications", s.BootstrapReplications);
        json.WriteNumber("seed", s.Seed);
        json.WriteNumber("confidence_level", s.ConfidenceLevel);
        json.WriteNumber("minimum_sites_per_breakdown", s.MinimumSitesPerBreakdown);
        json.WriteString("control_group", s.ControlGroup);
        json.WriteEndObject();

        var p = result.Programme;
        json.WriteStartObject("programme");
        json.WriteNumber("sites", p.Sites);
        json.WriteNumber("cells", p.Cells);
        json.WriteNumber("treated_cells", p.TreatedCells);
        json.WriteNumber("control_cells", p.ControlCells);
        json.WriteNumber("cohorts", p.Cohorts);
        json.WriteNumber("periods", p.Periods);
        json.WriteEndObject();

        // Weaknesses of the comparison, to be shown next to the headline.
        json.WriteStartArray("warnings");
        foreach (var warning in result.Warnings)
        {
            json.WriteStartObject();
            json.WriteString("code", warning.Code);
            json.WriteString("text", warning.Text);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("effects");
        foreach (var effect in result.Effects)
        {
            json.WriteStartObject();
            json.WriteString("outcome", OutcomeText.Key(effect.Outcome));
            json.WritePropertyName("overall");
            Estimate(json, effect.Overall);
            Number(json, "overall_placebo_sites", effect.OverallPlaceboSites);
            Number(json, "minimum_detectable_effect", effect.MinimumDetectableEffect);
            json.WritePropertyName("naive_before_after");
            Estimate(json, effect.NaiveBeforeAfter);
            if (effect.PreTrend is { } pre)
            {
                json.WriteStartObject("pre_trend");
                Number(json, "chi_square", pre.ChiSquare);
                json.WriteNumber("degrees_of_freedom", pre.DegreesOfFreedom);
                Number(json, "p_value", pre.PValue);
                json.WritePropertyName("mean_pre_effect");
                Estimate(json, pre.MeanPreEffect);
                json.WriteNumber("pre_periods", pre.PrePeriods);
                Number(json, "f_statistic", pre.FStatistic);
                json.WriteNumber("denominator_degrees_of_freedom", pre.DenominatorDegreesOfFreedom);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("pre_trend");
            }

            PreTrendExtras(json, effect);

            json.WriteStartArray("event_time");
            foreach (var e in effect.EventTime)
            {
                json.WriteStartObject();
                json.WriteNumber("period", e.Period);
                json.WriteNumber("treated_cells", e.TreatedCells);
                json.WritePropertyName("effect");
                Estimate(json, e.Effect);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("breakdowns");
            foreach (var b in effect.Breakdowns)
            {
                json.WriteStartObject();
                json.WriteString("dimension", b.Dimension);
                json.WriteString("group", b.Group);
                json.WriteNumber("sites", b.Sites);
                json.WriteNumber("treated_cells", b.TreatedCells);
                json.WritePropertyName("effect");
                Estimate(json, b.Effect);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("suppressed");
            foreach (var reason in effect.Suppressed)
            {
                json.WriteStringValue(reason);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("cells");
        foreach (var cell in result.Cells)
        {
            json.WriteStartObject();
            json.WriteString("site", cell.Site);
            json.WriteString("cell", cell.Cell);
            json.WriteBoolean("treated", cell.Treated);
            if (cell.GoLive is { } goLive)
            {
                json.WriteString("go_live", goLive.ToString("yyyy-MM-dd", null));
            }
            else
            {
                json.WriteNull("go_live");
            }

            json.WriteNumber("ramp_up_days", cell.RampUpDays);
            Fate(json, cell.Fate);
            json.WriteStartObject("coverage");
            json.WriteNumber("days_expected", cell.Coverage.DaysExpected);
            json.WriteNumber("days_with_data", cell.Coverage.DaysWithData);
            Number(json, "mean_known_share", cell.Coverage.MeanKnownShare);
            json.WriteEndObject();
            json.WriteStartObject("before_after");
            foreach (var (outcome, ba) in cell.BeforeAfter.OrderBy(pair => pair.Key))
            {
                json.WriteStartObject(OutcomeText.Key(outcome));
                Number(json, "before", ba.Before);
                Number(json, "after", ba.After);
                Number(json, "change", ba.Change);
                json.WriteNumber("periods_before", ba.PeriodsBefore);
                json.WriteNumber("periods_after", ba.PeriodsAfter);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteStartArray("oee_by_period");
            foreach (var v in cell.OeeByPeriod)
            {
                json.WriteStartObject();
                json.WriteNumber("period", v.Period);
                json.WriteString("start", v.Start.ToString("yyyy-MM-dd", null));
                Number(json, "oee", v.Value);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("notes");
        foreach (var note in result.Notes)
        {
            json.WriteStringValue(note);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The linear pre-trend test, the trend sensitivity and whether the headline is credible.</summary>
    private static void PreTrendExtras(Utf8JsonWriter json, OutcomeEffect effect)
    {
        if (effect.LinearPreTrend is { } linear)
        {
            json.WriteStartObject("pre_trend_linear");
            json.WritePropertyName("slope_per_period");
            Estimate(json, linear.Slope);
            Number(json, "t_statistic", linear.TStatistic);
            json.WriteNumber("degrees_of_freedom", linear.DegreesOfFreedom);
            Number(json, "p_value", linear.PValue);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("pre_trend_linear");
        }

        if (effect.TrendSensitivity is { } sensitivity)
        {
            json.WriteStartObject("trend_sensitivity");
            Number(json, "mean_periods_since_base", sensitivity.MeanEventsSinceBase);
            json.WritePropertyName("effect_if_trend_continued");
            Estimate(json, sensitivity.Adjusted);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("trend_sensitivity");
        }

        var rejected = PreTrendVerdict.Rejected(effect);
        json.WriteBoolean("pre_trend_rejected", rejected);
        if (rejected)
        {
            json.WriteString("pre_trend_verdict", PreTrendVerdict.NotCredible);
        }
        else
        {
            json.WriteNull("pre_trend_verdict");
        }
    }

    /// <summary>What became of the register cell: used or excluded, and why.</summary>
    private static void Fate(Utf8JsonWriter json, CellFate? fate)
    {
        if (fate is null)
        {
            json.WriteNull("fate");
            return;
        }

        json.WriteStartObject("fate");
        json.WriteBoolean("used", fate.Used);
        json.WriteString("role", fate.Role);
        json.WriteString("code", fate.Code);
        json.WriteString("text", fate.Text);
        if (fate.BasePeriod is { } basePeriod)
        {
            json.WriteNumber("base_period", basePeriod);
        }
        else
        {
            json.WriteNull("base_period");
        }

        json.WriteEndObject();
    }

    private static void Estimate(Utf8JsonWriter json, Estimate? estimate)
    {
        if (estimate is not { } e)
        {
            json.WriteNullValue();
            return;
        }

        json.WriteStartObject();
        Number(json, "estimate", e.Value);
        Number(json, "standard_error", e.StandardError);
        Number(json, "lower", e.Lower);
        Number(json, "upper", e.Upper);
        json.WriteEndObject();
    }

    /// <summary>A number, or null when missing or not finite (JSON has no NaN).</summary>
    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
