using EdgeGateway.Evaluation.Estimation;
using EdgeGateway.Evaluation.Panel;

namespace EdgeGateway.Evaluation.Tests.Simulation;

/// <summary>
/// The evaluation on programmes run through the repo's real cell simulator and its investment switch
/// (<see cref="CellSimulatorProgramme"/>): the estimate has the right sign and its CI holds the sample effect.
/// </summary>
public sealed class CellSimulatorProgrammeTests
{
    /// <summary>12 cells in 5 sites, 16 weeks, one shift; 7 go live over weeks 6–10 with one week of ramp-up.</summary>
    private static readonly Lazy<CellSimulatorProgramme> s_small = new(() => CellSimulatorProgramme.Simulate(
        [
            new("s1", "c1", new DateOnly(2026, 4, 8), 40, 8, 7), new("s1", "c2", null, 40, 8, 7), new("s1", "c3", new DateOnly(2026, 5, 6), 40, 8, 7),
            new("s2", "c4", new DateOnly(2026, 4, 15), 40, 8, 7), new("s2", "c5", null, 40, 8, 7),
            new("s3", "c6", new DateOnly(2026, 4, 22), 40, 8, 7), new("s3", "c7", null, 40, 8, 7),
            new("s4", "c8", new DateOnly(2026, 4, 29), 40, 8, 7), new("s4", "c9", null, 40, 8, 7),
            new("s5", "c10", new DateOnly(2026, 5, 6), 40, 8, 7), new("s5", "c11", null, 40, 8, 7), new("s5", "c12", new DateOnly(2026, 4, 13), 40, 8, 7),
        ],
        new DateOnly(2026, 3, 2),
        new DateOnly(2026, 6, 22),
        seed: 17));

    [Fact]
    public void DiD_OnSimulatedCells_HasTheRightSign_AndItsCiHoldsTheSampleEffect()
    {
        var programme = s_small.Value;
        var truth = programme.TrueOeeEffect();
        var result = ProgrammeEvaluator.Evaluate(
            programme.Register, programme.Actual,
            new EvaluationOptions(programme.From, programme.To, BootstrapReplications: 499, Seed: 3, MinimumSitesPerBreakdown: 1, Outcomes: [Outcome.Oee]));

        var overall = result.Effects[0].Overall!.Value;
        Assert.InRange(truth, 0.02, 0.30); // the investment must be visible at all
        Assert.True(overall.Value > 0 && overall.Lower > 0, $"estimate {overall}");
        Assert.True(
            overall.Lower <= truth && truth <= overall.Upper,
            $"true sample effect {truth:0.0000}, estimate {overall.Value:0.0000} [{overall.Lower:0.0000}, {overall.Upper:0.0000}]");
    }
}
