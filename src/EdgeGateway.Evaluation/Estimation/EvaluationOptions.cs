using EdgeGateway.Evaluation.Panel;

namespace EdgeGateway.Evaluation.Estimation;

/// <summary>
/// What <see cref="ProgrammeEvaluator"/> estimates: the window [<paramref name="From"/>, <paramref name="To"/>) cut into
/// periods of <paramref name="PeriodDays"/> days, the bootstrap size and seed, the privacy threshold for breakdowns,
/// the outcomes (all nine when null) and the confidence level of the intervals.
/// </summary>
public sealed record EvaluationOptions(
    DateOnly From,
    DateOnly To,
    int PeriodDays = 7,
    int BootstrapReplications = 999,
    long Seed = 1,
    int MinimumSitesPerBreakdown = 5,
    IReadOnlyList<Outcome>? Outcomes = null,
    double ConfidenceLevel = 0.95)
{
    /// <summary>Number of periods: the last one may be shorter than <see cref="PeriodDays"/>.</summary>
    public int Periods => (To.DayNumber - From.DayNumber + PeriodDays - 1) / PeriodDays;

    /// <summary>First day of period <paramref name="period"/>.</summary>
    public DateOnly PeriodStart(int period) => From.AddDays(period * PeriodDays);

    /// <summary>The period containing <paramref name="day"/> (negative before <see cref="From"/>).</summary>
    public int PeriodOf(DateOnly day) => (int)Math.Floor((day.DayNumber - From.DayNumber) / (double)PeriodDays);

    /// <summary>Throws <see cref="ArgumentException"/> for options no evaluation can use.</summary>
    public void Validate()
    {
        if (To <= From)
        {
            throw new ArgumentException($"the window is empty: To {To:yyyy-MM-dd} must be after From {From:yyyy-MM-dd}");
        }

        if (PeriodDays is < 1 or > 366)
        {
            throw new ArgumentException($"PeriodDays {PeriodDays} must be from 1 to 366");
        }

        if (BootstrapReplications is < 19 or > 100_000)
        {
            throw new ArgumentException($"BootstrapReplications {BootstrapReplications} must be from 19 to 100000");
        }

        if (MinimumSitesPerBreakdown < 1)
        {
            throw new ArgumentException($"MinimumSitesPerBreakdown {MinimumSitesPerBreakdown} must be at least 1");
        }

        if (ConfidenceLevel is <= 0.5 or >= 1)
        {
            throw new ArgumentException($"ConfidenceLevel {ConfidenceLevel} must lie between 0.5 and 1");
        }
    }
}
