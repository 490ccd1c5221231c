using EdgeGateway.Evaluation.Panel;

namespace EdgeGateway.Evaluation.Results;

/// <summary>An estimate with its bootstrap standard error and 95 % confidence interval (outcome units).</summary>
public readonly record struct Estimate(double Value, double StandardError, double Lower, double Upper);

/// <summary>
/// Everything <c>edgegw evaluate</c> reports, in the order the report shows it. Ratios (OEE, its factors, TEEP,
/// scrap ratio) are fractions 0–1 here; the report shows percentage points.
/// </summary>
public sealed record EvaluationResult(
    EvaluationSettings Settings,
    ProgrammeSize Programme,
    IReadOnlyList<OutcomeEffect> Effects,
    IReadOnlyList<CellSummary> Cells,
    IReadOnlyList<string> Notes)
{
    /// <summary>Weaknesses of the comparison (no never-treated controls, a single control site, …), shown next to the headline.</summary>
    public IReadOnlyList<DesignWarning> Warnings { get; init; } = [];
}

/// <summary>How the numbers were made (for the report's method section and reproducibility).</summary>
public sealed record EvaluationSettings(
    DateOnly From,
    DateOnly To,
    int PeriodDays,
    int BootstrapReplications,
    long Seed,
    double ConfidenceLevel,
    int MinimumSitesPerBreakdown,
    string ControlGroup);

/// <summary>Counts of what entered the estimate.</summary>
public sealed record ProgrammeSize(int Sites, int Cells, int TreatedCells, int ControlCells, int Cohorts, int Periods);

/// <summary>
/// The programme-wide effect on one outcome: the average effect on the treated after ramp-up (Callaway–Sant'Anna
/// group-time effects aggregated), its event-time profile (periods relative to go-live, negative = before), the
/// pre-trend check, the minimum detectable effect, and breakdowns (sector, size class) — a breakdown over fewer
/// than the minimum sites is left out and named in <see cref="Suppressed"/>.
/// <see cref="Overall"/> is null when the data cannot identify it (the reason is in <see cref="Suppressed"/>).
/// </summary>
public sealed record OutcomeEffect(
    Outcome Outcome,
    Estimate? Overall,
    IReadOnlyList<EventTimeEffect> EventTime,
    PreTrendTest? PreTrend,
    double? MinimumDetectableEffect,
    IReadOnlyList<BreakdownEffect> Breakdowns,
    IReadOnlyList<string> Suppressed)
{
    /// <summary>
    /// The naive before/after estimate for comparison: mean over treated cells of (after ramp-up − before go-live),
    /// no control group, so anything shared (season, trend) is booked as effect. Null without such cells.
    /// </summary>
    public Estimate? NaiveBeforeAfter { get; init; }

    /// <summary>The linear pre-trend test (slope of the pre-period effects on event time); null when not possible.</summary>
    public LinearPreTrendTest? LinearPreTrend { get; init; }

    /// <summary>The headline if the linear pre-trend had continued after go-live; null without slope or headline.</summary>
    public TrendSensitivity? TrendSensitivity { get; init; }

    /// <summary>
    /// Set when the headline rests on fewer than 5 treated sites and its treated noise was estimated from placebo
    /// sites (Conley &amp; Taber): the fewest placebo sites a treated site had. Null: the clustered bootstrap's t(G₁ − 1).
    /// </summary>
    public int? OverallPlaceboSites { get; init; }
}

/// <summary>The effect <see cref="Period"/> periods after go-live (0 = the period containing go-live).</summary>
public sealed record EventTimeEffect(int Period, Estimate Effect, int TreatedCells);

/// <summary>
/// Joint test that the pre-go-live effects against the base period are zero, over all pre periods (pooled into
/// <see cref="DegreesOfFreedom"/> consecutive groups of event times when there are more than the sites can carry):
/// Wald statistic <see cref="ChiSquare"/> with the bootstrap covariance, p-value from Hotelling's F reference with
/// S − k denominator degrees of freedom; and the mean pre-period effect. A small <see cref="PValue"/> warns that
/// treated and control cells were already drifting apart before go-live.
/// </summary>
public sealed record PreTrendTest(double ChiSquare, int DegreesOfFreedom, double PValue, Estimate MeanPreEffect)
{
    /// <summary>How many pre event times (before the base period) the test covers.</summary>
    public int PrePeriods { get; init; }

    /// <summary>The F statistic W (S − k) / (k (S − 1)) and its denominator degrees of freedom S − k.</summary>
    public double FStatistic { get; init; }

    public int DenominatorDegreesOfFreedom { get; init; }
}

/// <summary>The overall effect within one sector or size class.</summary>
public sealed record BreakdownEffect(string Dimension, string Group, int Sites, int TreatedCells, Estimate Effect);

/// <summary>
/// One cell: register facts, data coverage, before/after summaries per outcome (ramp-up excluded; null for a
/// control or when one side has no data) and its OEE per period (for the small multiples).
/// </summary>
public sealed record CellSummary(
    string Site,
    string Cell,
    bool Treated,
    DateOnly? GoLive,
    int RampUpDays,
    DataCoverage Coverage,
    IReadOnlyDictionary<Outcome, BeforeAfter> BeforeAfter,
    IReadOnlyList<PeriodValue> OeeByPeriod)
{
    /// <summary>Whether and how the estimate uses the cell (null only for summaries made outside the evaluator).</summary>
    public CellFate? Fate { get; init; }
}

/// <summary>Mean of the periods before go-live and of the periods after ramp-up, and their difference.</summary>
public sealed record BeforeAfter(double? Before, double? After, int PeriodsBefore, int PeriodsAfter)
{
    public double? Change => Before is { } b && After is { } a ? a - b : null;
}

/// <summary>Days of [from, to) with a day record, and the mean of their <c>coverage</c> field (known time share).</summary>
public sealed record DataCoverage(int DaysExpected, int DaysWithData, double MeanKnownShare);

/// <summary>The value of one outcome in period <see cref="Period"/> (index from <c>From</c>), null without data.</summary>
public readonly record struct PeriodValue(int Period, DateOnly Start, double? Value);
