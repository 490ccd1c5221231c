using EdgeGateway.Evaluation.Estimation;
using EdgeGateway.Evaluation.Panel;
using EdgeGateway.Evaluation.Register;
using EdgeGateway.Evaluation.Results;
using MathNet.Numerics.Distributions;

namespace EdgeGateway.Evaluation.Tests.Estimation;

/// <summary>
/// The pre-trend tests, the trend sensitivity, the register cells' fates, the base-period fallback and the design
/// warnings on a panel small enough to compute by hand: weekly periods 0–5, one record per week whose OEE is the
/// number given (good parts of 1 s ideal time in 1000 s planned busy time).
/// </summary>
public sealed class PreTrendAndFateTests
{
    private static readonly DateOnly s_from = new(2026, 1, 5);

    // Treated cell A (site a) drifts +2 pp per week and goes live in period 4 (+14 pp, then +16 pp against period 3);
    // controls C1 (site b) and C2 (site c) move in opposite directions, so their mean change is 0 in every period.
    private static readonly double?[] s_treated = [0.40, 0.42, 0.44, 0.46, 0.60, 0.62];
    private static readonly double?[] s_control1 = [0.52, 0.51, 0.49, 0.50, 0.52, 0.50];
    private static readonly double?[] s_control2 = [0.28, 0.29, 0.31, 0.30, 0.28, 0.30];

    [Fact]
    public void JointAndLinearPreTrendTests_AndTheSensitivity_MatchTheHandComputedValues()
    {
        var result = Evaluate(
            [Treated("a", "A", 4), Control("b", "C1"), Control("c", "C2")],
            [Cell("a", "A", s_treated), Cell("b", "C1", s_control1), Cell("c", "C2", s_control2)]);
        var oee = result.Effects[0];

        // Pre effects against period 3: e = −4: −6 pp, e = −3: −4 pp, e = −2: −2 pp (control mean change 0).
        // Three sites allow one group ((3 − 1) / 3 → 1): its mean −4 pp; per-site influence (0, −0.02/6, +0.02/6),
        // CR1 variance 3/2 × 2 × (0.02/6)² = 1/30000, W = 0.04² × 30000 = 48, F = W (3 − 1) / (1 × 2) = 48 on (1, 2).
        var joint = oee.PreTrend!;
        Assert.Equal(3, joint.PrePeriods);
        Assert.Equal(1, joint.DegreesOfFreedom);
        Assert.Equal(2, joint.DenominatorDegreesOfFreedom);
        Assert.Equal(-0.04, joint.MeanPreEffect.Value, 12);
        Assert.Equal(48, joint.ChiSquare, 48 * 0.02); // bootstrap covariance: 100 000 draws
        Assert.Equal(joint.ChiSquare, joint.FStatistic, 12);
        Assert.Equal(1 - FisherSnedecor.CDF(1, 2, joint.FStatistic), joint.PValue, 12);
        Assert.Equal(1 - (Math.Sqrt(48) / Math.Sqrt(50)), joint.PValue, 0.002); // F(1, 2) = t²(2)

        // Slope through the base: Σ (e+1) δ / Σ (e+1)² = (0.18 + 0.08 + 0.02) / 14 = 0.02 per period; influence
        // per control site ±0.035 / 14 = ±0.0025, SE = √(3/2 × 2 × 0.0025²) = 0.00433, t = 4.62 on G₁ − 1 = 1 df
        // (one treated site; the intervals' rule): p = 1 − (2/π) atan(4.62) = 0.136.
        var linear = oee.LinearPreTrend!;
        Assert.Equal(0.02, linear.Slope.Value, 12);
        Assert.Equal(Math.Sqrt(3 * 0.0025 * 0.0025), linear.Slope.StandardError, 0.01 * 0.00433);
        Assert.Equal(1, linear.DegreesOfFreedom);
        Assert.Equal(0.02 / linear.Slope.StandardError, linear.TStatistic, 12);
        Assert.Equal(1 - (2 / Math.PI * Math.Atan(4.6188)), linear.PValue, 0.003);

        // Headline (14 + 16) / 2 = 15 pp at e + 1 = 1 and 2: a continuing drift would explain 1.5 × 2 = 3 pp of it;
        // the adjusted effect's influence per control site ±(0.005 + 1.5 × 0.0025), SE √(3 × 0.00875²).
        Assert.Equal(0.15, oee.Overall!.Value.Value, 12);
        var sensitivity = oee.TrendSensitivity!;
        Assert.Equal(1.5, sensitivity.MeanEventsSinceBase, 12);
        Assert.Equal(0.12, sensitivity.Adjusted.Value, 12);
        Assert.Equal(Math.Sqrt(3 * 0.00875 * 0.00875), sensitivity.Adjusted.StandardError, 0.01 * 0.01516);

        // The verdict (either p below 0.025): the joint test's p ≈ 0.020 rejects, the linear one's p ≈ 0.136 does not.
        Assert.True(PreTrendVerdict.Rejected(oee));
    }

    [Fact]
    public void TreatedCell_WithoutDataJustBeforeGoLive_UsesTheNearestEarlierPeriodAsBase()
    {
        double?[] shutdown = [.. s_treated];
        shutdown[3] = null; // no records in period 3 (installation during a shutdown)
        var result = Evaluate(
            [Treated("a", "A", 4), Control("b", "C1"), Control("c", "C2")],
            [Cell("a", "A", shutdown), Cell("b", "C1", s_control1), Cell("c", "C2", s_control2)]);

        // Against period 2 (44 %): +16 and +18 pp, controls' mean change 0 → 17 pp, from the same periods 4 and 5.
        Assert.Equal(0.17, result.Effects[0].Overall!.Value.Value, 12);
        var fate = result.Cells.Single(c => c.Cell == "A").Fate!;
        Assert.True(fate.Used);
        Assert.Equal("treated_earlier_base", fate.Code);
        Assert.Equal(2, fate.BasePeriod);
        Assert.Equal(new ProgrammeSize(3, 3, 1, 2, 1, 6), result.Programme);
    }

    [Fact]
    public void EveryRegisterCell_HasAFate_AndTheHeadlineCountsOnlyTheCellsUsed()
    {
        double?[] afterGoLiveOnly = [null, null, null, null, 0.6, 0.6];
        var result = Evaluate(
            [
                Treated("a", "A", 4), Control("b", "C1"), Control("c", "C2"),
                Control("d", "no-data"),
                Treated("e", "before-window", 0),
                Treated("f", "no-pre", 4),
                Treated("g", "after-window", 6),
                Treated("h", "no-post", 4),
            ],
            [
                Cell("a", "A", s_treated), Cell("b", "C1", s_control1), Cell("c", "C2", s_control2),
                Cell("e", "before-window", s_treated), Cell("f", "no-pre", afterGoLiveOnly),
                Cell("g", "after-window", s_control1), Cell("h", "no-post", [0.4, 0.4, 0.4, 0.4, null, null]),
            ]);

        var fates = result.Cells.ToDictionary(c => c.Cell, c => c.Fate!);
        Assert.Equal("treated", fates["A"].Code);
        Assert.Equal("control_never_treated", fates["C1"].Code);
        Assert.Equal("no_data", fates["no-data"].Code);
        Assert.Equal("go_live_before_window", fates["before-window"].Code);
        Assert.Equal("no_pre_period", fates["no-pre"].Code);
        Assert.Equal("control_not_yet_treated", fates["after-window"].Code);
        Assert.Equal("no_post_period", fates["no-post"].Code);
        Assert.Equal(["A", "C1", "C2", "after-window"], fates.Where(f => f.Value.Used).Select(f => f.Key).Order(StringComparer.Ordinal));

        // Used: A (site a), C1, C2 and the cell going live after the window (sites b, c, g); one cohort (period 4).
        Assert.Equal(new ProgrammeSize(4, 4, 1, 3, 1, 6), result.Programme);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void NeverTreatedControls_InOneSite_AreWarnedAbout()
    {
        var result = Evaluate(
            [Treated("a", "A", 4), Control("b", "C1"), Control("b", "C2")],
            [Cell("a", "A", s_treated), Cell("b", "C1", s_control1), Cell("b", "C2", s_control2)]);
        Assert.Equal(["single_control_site"], result.Warnings.Select(w => w.Code));
    }

    [Fact]
    public void OnlyLaterCohortsAsControls_AreWarnedAbout()
    {
        var result = Evaluate(
            [Treated("a", "A", 2), Treated("b", "B", 4), Treated("c", "C", 5)],
            [Cell("a", "A", s_treated), Cell("b", "B", s_control1), Cell("c", "C", s_control2)]);
        Assert.Equal(["only_later_cohort_controls"], result.Warnings.Select(w => w.Code));
        Assert.NotNull(result.Effects[0].Overall);
    }

    [Fact]
    public void NoComparisonCells_AreWarnedAbout()
    {
        var result = Evaluate(
            [Treated("a", "A", 4), Treated("b", "B", 4), Control("c", "no-data")],
            [Cell("a", "A", s_treated), Cell("b", "B", s_control1)]);
        Assert.Equal(["no_never_treated_controls"], result.Warnings.Select(w => w.Code));
        Assert.Null(result.Effects[0].Overall);
    }

    private static EvaluationResult Evaluate(RegisterEntry[] register, CellDays[] data) =>
        ProgrammeEvaluator.Evaluate(register, data, new EvaluationOptions(s_from, s_from.AddDays(42), BootstrapReplications: 100_000, Outcomes: [Outcome.Oee]));

    private static RegisterEntry Treated(string site, string cell, int goLivePeriod) =>
        new(site, cell, true, s_from.AddDays(7 * goLivePeriod), 0, null, null);

    private static RegisterEntry Control(string site, string cell) => new(site, cell, false, null, 0, null, null);

    /// <summary>One record per period (its first day) with OEE = the value: good parts of 1 s ideal time in 1000 s.</summary>
    private static CellDays Cell(string site, string cell, double?[] oee) =>
        new(site, cell, [.. oee.Select((v, p) => (v, p)).Where(x => x.v is not null).Select(x =>
            new DayRecord(s_from.AddDays(7 * x.p), 1000, 0, 0, 0, 86_400, x.v!.Value * 1000, x.v!.Value * 1000, 0, 0, 0, 1, 1))]);
}
