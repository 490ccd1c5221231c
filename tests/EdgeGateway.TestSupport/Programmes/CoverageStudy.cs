using System.Diagnostics;
using EdgeGateway.Evaluation.Estimation;
using EdgeGateway.Evaluation.Panel;
using EdgeGateway.Evaluation.Results;

namespace EdgeGateway.TestSupport.Programmes;

/// <summary>What a coverage study found for the overall OEE effect over many simulated programmes.</summary>
internal sealed record CoverageResult(
    int Programmes,
    int Covered,
    double MeanBias,
    double Rmse,
    double MeanStandardError,
    double MeanCiWidth,
    double NaiveMeanBias,
    int PreTrendRejections,
    TimeSpan Elapsed)
{
    /// <summary>Programmes whose linear pre-trend test rejects at 5 %, and whose headline the verdict calls not credible (<see cref="PreTrendVerdict"/>).</summary>
    public int LinearPreTrendRejections { get; init; }

    public int VerdictRejections { get; init; }

    /// <summary>Mean bias of the trend-adjusted effect (effect − slope × mean events since base) and its interval's coverage.</summary>
    public double AdjustedMeanBias { get; init; }

    public int AdjustedCovered { get; init; }

    /// <summary>Share of programmes whose confidence interval holds the true effect.</summary>
    public double Coverage => (double)Covered / Programmes;
}

/// <summary>
/// Simulates programmes with seeds <c>firstSeed</c>, <c>firstSeed + 1</c>, … and evaluates each (OEE only): how
/// often the CI covers the true effect, bias, RMSE, CI width, the naive estimate's bias and how often the pre-trend
/// test rejects at 5 % (it should about 5 % of the time: the simulated programmes have no pre-trends).
/// </summary>
internal static class CoverageStudy
{
    public static CoverageResult Run(ProgrammeSettings settings, int programmes, int replications, long firstSeed, IProgress<string>? progress = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var outcomes = new (double Error, double Se, double Width, bool Covered, double NaiveError, bool Rejected)[programmes];
        var preTrends = new (bool Linear, bool Verdict, double AdjustedError, bool AdjustedCovered)[programmes];
        var done = 0;
        // One programme per core: the thread pool would otherwise keep adding threads to CPU-bound work.
        Parallel.For(0, programmes, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var programme = ProgrammeSimulation.Generate(settings, firstSeed + i);
            var options = new EvaluationOptions(settings.From, settings.To, settings.PeriodDays, replications, Seed: firstSeed + i, Outcomes: [Outcome.Oee]);
            var effect = ProgrammeEvaluator.Evaluate(programme.Register, programme.Data, options).Effects[0];
            var overall = effect.Overall ?? throw new InvalidOperationException($"programme {firstSeed + i}: no overall effect");
            var truth = programme.TrueOeeEffect;
            outcomes[i] = (
                overall.Value - truth,
                overall.StandardError,
                overall.Upper - overall.Lower,
                overall.Lower <= truth && truth <= overall.Upper,
                (effect.NaiveBeforeAfter?.Value ?? double.NaN) - truth,
                effect.PreTrend is { PValue: < 0.05 });
            var adjusted = effect.TrendSensitivity?.Adjusted;
            preTrends[i] = (
                effect.LinearPreTrend is { PValue: < 0.05 },
                PreTrendVerdict.Rejected(effect),
                (adjusted?.Value ?? double.NaN) - truth,
                adjusted is { } a && a.Lower <= truth && truth <= a.Upper);
            var count = Interlocked.Increment(ref done);
            if (count % 20 == 0)
            {
                progress?.Report($"{count}/{programmes} programmes");
            }
        });

        return new CoverageResult(
            programmes,
            outcomes.Count(o => o.Covered),
            outcomes.Average(o => o.Error),
            Math.Sqrt(outcomes.Average(o => o.Error * o.Error)),
            outcomes.Average(o => o.Se),
            outcomes.Average(o => o.Width),
            outcomes.Average(o => o.NaiveError),
            outcomes.Count(o => o.Rejected),
            stopwatch.Elapsed)
        {
            LinearPreTrendRejections = preTrends.Count(p => p.Linear),
            VerdictRejections = preTrends.Count(p => p.Verdict),
            AdjustedMeanBias = preTrends.Average(p => p.AdjustedError),
            AdjustedCovered = preTrends.Count(p => p.AdjustedCovered),
        };
    }
}
