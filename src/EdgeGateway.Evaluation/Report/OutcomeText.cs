using System.Globalization;
using EdgeGateway.Evaluation.Panel;

namespace EdgeGateway.Evaluation.Report;

/// <summary>How an outcome is named and shown: ratios in percent (effects in percentage points), others in their unit.</summary>
public static class OutcomeText
{
    /// <summary>The snake_case key used in JSON and CSV (<c>oee</c>, <c>kwh_per_good_part</c>, …).</summary>
    public static string Key(Outcome outcome) => outcome switch
    {
        Outcome.Oee => "oee",
        Outcome.Availability => "availability",
        Outcome.Effectiveness => "effectiveness",
        Outcome.Quality => "quality",
        Outcome.GoodPartsPerPlannedHour => "good_parts_per_planned_hour",
        Outcome.KwhPerGoodPart => "kwh_per_good_part",
        Outcome.UnattendedGoodPerWeek => "unattended_good_per_week",
        Outcome.Teep => "teep",
        Outcome.ScrapRatio => "scrap_ratio",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary>The name a reader sees.</summary>
    public static string Name(Outcome outcome) => outcome switch
    {
        Outcome.Oee => "OEE",
        Outcome.Availability => "Availability",
        Outcome.Effectiveness => "Effectiveness (performance)",
        Outcome.Quality => "Quality rate",
        Outcome.GoodPartsPerPlannedHour => "Good parts per planned hour",
        Outcome.KwhPerGoodPart => "kWh per good part",
        Outcome.UnattendedGoodPerWeek => "Unattended good parts per week",
        Outcome.Teep => "TEEP",
        Outcome.ScrapRatio => "Scrap ratio",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary>Whether the outcome is a fraction 0–1 (shown as %, its effects as percentage points).</summary>
    public static bool IsRatio(Outcome outcome) =>
        outcome is Outcome.Oee or Outcome.Availability or Outcome.Effectiveness or Outcome.Quality or Outcome.Teep or Outcome.ScrapRatio;

    /// <summary>Whether a larger value is an improvement (false for energy per part and scrap).</summary>
    public static bool HigherIsBetter(Outcome outcome) => outcome is not (Outcome.KwhPerGoodPart or Outcome.ScrapRatio);

    /// <summary>The unit of a level (<c>%</c>, <c>parts/h</c>, …).</summary>
    public static string LevelUnit(Outcome outcome) => outcome switch
    {
        _ when IsRatio(outcome) => "%",
        Outcome.GoodPartsPerPlannedHour => "parts/h",
        Outcome.KwhPerGoodPart => "kWh/part",
        Outcome.UnattendedGoodPerWeek => "parts/week",
        _ => "",
    };

    /// <summary>The unit of an effect (a difference of levels): <c>pp</c> for ratios.</summary>
    public static string EffectUnit(Outcome outcome) => IsRatio(outcome) ? "pp" : LevelUnit(outcome);

    /// <summary>A value in display units: ratios × 100.</summary>
    public static double Display(Outcome outcome, double value) => IsRatio(outcome) ? value * 100 : value;

    /// <summary>A level as text, e.g. <c>57.3 %</c> or <c>0.412 kWh/part</c>; <c>–</c> when missing.</summary>
    public static string Level(Outcome outcome, double? value) =>
        value is { } v && double.IsFinite(v) ? $"{Number(outcome, Display(outcome, v))} {LevelUnit(outcome)}" : "–";

    /// <summary>An effect as text with its sign, e.g. <c>+6.1 pp</c>.</summary>
    public static string Effect(Outcome outcome, double value)
    {
        var magnitude = Number(outcome, Math.Abs(Display(outcome, value)));
        var sign = magnitude.Trim('0', '.').Length == 0 ? "" : value > 0 ? "+" : "−";
        return $"{sign}{magnitude} {EffectUnit(outcome)}";
    }

    /// <summary>A number in display units with the precision the outcome needs.</summary>
    public static string Number(Outcome outcome, double displayValue)
    {
        var text = displayValue.ToString(outcome switch
        {
            Outcome.KwhPerGoodPart => "0.000",
            Outcome.UnattendedGoodPerWeek => "0",
            _ => "0.0",
        }, CultureInfo.InvariantCulture);

        // A value that rounds to zero is shown without a sign ("-0.0" reads like an effect).
        return text.StartsWith('-') && text.AsSpan(1).Trim("0.").IsEmpty ? text[1..] : text.Replace('-', '−');
    }
}
