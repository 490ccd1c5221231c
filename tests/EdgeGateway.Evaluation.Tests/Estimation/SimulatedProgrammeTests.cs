using EdgeGateway.Evaluation.Estimation;
using EdgeGateway.Evaluation.Panel;
using EdgeGateway.Evaluation.Results;

namespace EdgeGateway.Evaluation.Tests.Estimation;

/// <summary>
/// One simulated programme of the issue (src/docs/evaluation.md, "Simulated programmes"): 60 cells in 30 sites, 40 treated
/// with go-lives staggered from April to September, 20 controls, +6 pp OEE reached linearly over a 4-week ramp-up,
/// shared season, trend and holiday dip, site-by-week shocks.
/// </summary>
public sealed class SimulatedProgrammeTests
{
    private static readonly ProgrammeSettings s_settings = new();
    private static readonly Lazy<SimulatedProgramme> s_programme = new(() => ProgrammeSimulation.Generate(s_settings, seed: 7));
    private static readonly Lazy<EvaluationResult> s_result = new(() => Evaluate(s_programme.Value, seed: 1));

    private static OutcomeEffect Oee => s_result.Value.Effects.Single(e => e.Outcome == Outcome.Oee);

    [Fact]
    public void Simulation_TrueEffectAfterRampUp_IsTheConfiguredSixPoints()
    {
        // Availability is never clipped at these levels, so the records carry the effect exactly.
        Assert.Equal(0.06, s_programme.Value.TrueOeeEffect, 0.0005);
    }

    [Fact]
    public void OverallEffect_CiContainsTheTrueEffect()
    {
        var overall = Oee.Overall!.Value;
        var truth = s_programme.Value.TrueOeeEffect;
        Assert.True(overall.Lower <= truth && truth <= overall.Upper, $"truth {truth:0.0000}, estimate {overall}");
        Assert.InRange(overall.StandardError, 0.002, 0.01);
        Assert.Equal((1.959964 + 0.841621) * overall.StandardError, Oee.MinimumDetectableEffect!.Value, 1e-6);
    }

    [Fact]
    public void EventTimeProfile_RisesThroughTheRampUp_AndPreEffectsAreNearZero()
    {
        var byEvent = Oee.EventTime.ToDictionary(e => e.Period, e => e.Effect.Value);

        // Go-live lies anywhere in period 0, so its mean effect is small; after 4 weeks the ramp is over.
        Assert.True(byEvent[0] < 0.02, $"e=0: {byEvent[0]:0.0000}");
        Assert.True(byEvent[2] > byEvent[0] + 0.01 && byEvent[4] > byEvent[2] + 0.01, $"e=0,2,4: {byEvent[0]:0.0000} {byEvent[2]:0.0000} {byEvent[4]:0.0000}");
        var plateau = Enumerable.Range(5, 10).Average(e => byEvent[e]);
        Assert.InRange(plateau, 0.045, 0.075);
        var pre = Enumerable.Range(1, 12).Select(k => byEvent[-k]).ToList();
        Assert.InRange(pre.Average(), -0.005, 0.005);
        Assert.All(pre, v => Assert.InRange(v, -0.02, 0.02));
        Assert.NotNull(Oee.PreTrend);
        Assert.True(Oee.PreTrend!.PValue > 0.01, $"pre-trend test rejects: {Oee.PreTrend}");
    }

    [Fact]
    public void NaiveBeforeAfter_IsBiasedBySharedSeasonality_WhereDiDIsNot()
    {
        var truth = s_programme.Value.TrueOeeEffect;
        var naive = Oee.NaiveBeforeAfter!.Value.Value;
        var did = Oee.Overall!.Value;

        Assert.True(Math.Abs(naive - truth) > 0.02, $"naive {naive:0.0000}, truth {truth:0.0000}");
        Assert.True(Math.Abs(did.Value - truth) < 0.01, $"DiD {did.Value:0.0000}, truth {truth:0.0000}");
        Assert.InRange(truth, did.Lower, did.Upper);
        Assert.Equal(naive, ProgrammeEvaluator.NaiveBeforeAfter(s_programme.Value.Register, s_programme.Value.Data, Options(1), Outcome.Oee)!.Value, 12);
    }

    [Fact]
    public void Breakdown_OverFewerThanFiveSites_IsSuppressedAndNamed()
    {
        // Sector "glass" holds 3 sites; metal and plastics hold 13 and 14.
        Assert.DoesNotContain(Oee.Breakdowns, b => b.Group == "glass");
        Assert.Contains(Oee.Suppressed, s => s.StartsWith("sector 'glass'", StringComparison.Ordinal));
        Assert.Contains(Oee.Breakdowns, b => b is { Dimension: "sector", Group: "metal" });
        Assert.All(Oee.Breakdowns, b => Assert.True(b.Sites >= 5, $"{b.Dimension} {b.Group}: {b.Sites} sites"));
        Assert.All(Oee.EventTime, e => Assert.True(e.TreatedCells >= 5));
    }

    [Fact]
    public void Evaluate_IsDeterministicForASeed_AndTheSeedMovesOnlyTheIntervals()
    {
        var again = Evaluate(ProgrammeSimulation.Generate(s_settings, seed: 7), seed: 1).Effects[0];
        var otherSeed = Evaluate(s_programme.Value, seed: 2).Effects[0];

        Assert.Equal(Oee.Overall, again.Overall);
        Assert.Equal(Oee.EventTime, again.EventTime);
        Assert.Equal(Oee.PreTrend, again.PreTrend);
        Assert.Equal(Oee.Overall!.Value.Value, otherSeed.Overall!.Value.Value);
        Assert.NotEqual(Oee.Overall.Value.StandardError, otherSeed.Overall.Value.StandardError);
    }

    [Fact]
    public void CellSummaries_ShowCoverage_AndBeforeAfterOnlyForTreatedCells()
    {
        var result = s_result.Value;
        Assert.Equal(60, result.Cells.Count);
        Assert.Equal(new ProgrammeSize(30, 60, 40, 20, result.Programme.Cohorts, 52), result.Programme);
        foreach (var cell in result.Cells)
        {
            Assert.Equal(364, cell.Coverage.DaysExpected);
            Assert.InRange(cell.Coverage.DaysWithData, 340, 364); // 1 % of days missing
            Assert.Equal(1.0, cell.Coverage.MeanKnownShare);
            Assert.Equal(52, cell.OeeByPeriod.Count);
            Assert.Equal(cell.Treated, cell.BeforeAfter.ContainsKey(Outcome.Oee));
        }

        var treated = result.Cells.Where(c => c.Treated).Select(c => c.BeforeAfter[Outcome.Oee].Change!.Value).Average();
        Assert.Equal(Oee.NaiveBeforeAfter!.Value.Value, treated, 12);
    }

    [Fact]
    public void AllOutcomes_AreEstimated_AndFactorsOutsideTheEffectStayNearZero()
    {
        var effects = s_result.Value.Effects.ToDictionary(e => e.Outcome);
        Assert.Equal(Enum.GetValues<Outcome>().Length, effects.Count);

        // The simulated effect runs through availability only.
        Assert.InRange(effects[Outcome.Availability].Overall!.Value.Value, 0.05, 0.09);
        Assert.InRange(effects[Outcome.Effectiveness].Overall!.Value.Value, -0.002, 0.002);
        Assert.InRange(effects[Outcome.Quality].Overall!.Value.Value, -0.002, 0.002);
        Assert.True(effects[Outcome.KwhPerGoodPart].Overall!.Value.Upper < 0, "more parts for the same idle energy");
    }

    private static EvaluationOptions Options(long seed) => new(s_settings.From, s_settings.To, Seed: seed);

    private static EvaluationResult Evaluate(SimulatedProgramme programme, long seed) =>
        ProgrammeEvaluator.Evaluate(programme.Register, programme.Data, Options(seed));
}
