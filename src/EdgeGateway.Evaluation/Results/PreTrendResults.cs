namespace EdgeGateway.Evaluation.Results;

/// <summary>
/// Test that the pre-period effects were flat: the slope β of the pre-go-live effects against the base period on
/// event time, fitted through the base (where the effect is 0 by construction), its t statistic and the p-value from
/// Student's t with S − 1 degrees of freedom (S sites). A small p-value: treated cells were already drifting.
/// </summary>
public sealed record LinearPreTrendTest(Estimate Slope, double TStatistic, int DegreesOfFreedom, double PValue);

/// <summary>
/// What the headline would be if the linear pre-trend had gone on after go-live (in the spirit of Rambachan &amp; Roth
/// 2023): <see cref="Adjusted"/> = effect − β × <see cref="MeanEventsSinceBase"/>, its interval from the joint
/// bootstrap covariance of effect and slope, so it widens with the slope's uncertainty times the event time.
/// </summary>
public sealed record TrendSensitivity(double MeanEventsSinceBase, Estimate Adjusted);

/// <summary>The pre-trend verdict shared by the report, evaluation.json and the CLI.</summary>
public static class PreTrendVerdict
{
    /// <summary>
    /// Level of the verdict: the headline is "not credible" when either test's p-value is below half of it
    /// (Bonferroni over the two tests), so that the verdict, not just each test, raises about 5 % false alarms.
    /// </summary>
    public const double Level = 0.05;

    /// <summary>The words the reading uses when a pre-trend test rejects.</summary>
    public const string NotCredible = "not credible: treated cells were already drifting before go-live";

    /// <summary>Whether the joint or the linear pre-trend test rejects at <see cref="Level"/> / 2.</summary>
    public static bool Rejected(OutcomeEffect effect) =>
        effect.PreTrend is { PValue: < Level / 2 } || effect.LinearPreTrend is { PValue: < Level / 2 };
}

/// <summary>
/// What became of one register cell: <see cref="Used"/> when the headline estimate uses it (as a treated cell or a
/// comparison cell), otherwise excluded for the reason <see cref="Code"/> (<c>no_data</c>, <c>no_pre_period</c>,
/// <c>go_live_before_window</c>, <c>no_post_period</c>, <c>too_few_periods</c>); <see cref="Text"/> says it in words.
/// <see cref="BasePeriod"/>: the base period of a treated cell (the period before go-live, or the nearest earlier
/// period with data when that one has none).
/// </summary>
public sealed record CellFate(bool Used, string Role, string Code, string Text, int? BasePeriod);

/// <summary>A weakness of the comparison that the headline must carry (shown next to it): code and sentence.</summary>
public sealed record DesignWarning(string Code, string Text);
