using System.Globalization;
using EdgeGateway.Evaluation.Panel;
using EdgeGateway.Evaluation.Register;
using EdgeGateway.Evaluation.Results;
using MathNet.Numerics.Distributions;

namespace EdgeGateway.Evaluation.Estimation;

/// <summary>One outcome's aggregates and their inference from the bootstrap draws.</summary>
public static partial class ProgrammeEvaluator
{
    /// <summary>
    /// Degrees of freedom of an interval's t critical value: G₁ − 1, G₁ = treated sites the estimate rests on, at most
    /// S − 1 (S = sites with data), at least 1. With few treated clusters the clustered variance rests on the treated
    /// sites' few influence sums, and the t(S − 1) reference of all sites covers far too rarely; t(G₁ − 1) is the
    /// reference of Conley &amp; Taber (2011) and Imbens &amp; Kolesár (2016). Measured alternatives (the coverage study,
    /// deploy/README.md): a Welch–Satterthwaite df from the estimated treated and control variance parts covered 83 % with
    /// 2 treated sites (its df is largest exactly when the treated variance is underestimated).
    /// </summary>
    internal static int DegreesOfFreedom(int treatedSites, int clusters) => Math.Max(1, Math.Min(treatedSites, clusters) - 1);

    /// <summary>
    /// Below this many treated sites the headline's treated noise is estimated from placebo sites (Conley &amp; Taber
    /// 2011, <see cref="GroupTimeEffects.Placebo"/>) rather than from the treated sites' own spread: with 2 treated
    /// sites the t(1) intervals covered 99.7 % at ±20 pp, with the placebo variance 94.3 % at ±4.1 pp (the coverage study). From 5
    /// on the treated sites' spread is the reference (it covers 95–97 % and assumes nothing about their likeness to
    /// the controls); 5 is also where breakdowns and event times begin to be shown.
    /// </summary>
    internal const int FewTreatedSites = 5;

    /// <summary>The placebo sites each treated site needs for <see cref="FewTreatedSites"/> inference; with fewer the t(G₁ − 1) rule holds.</summary>
    internal const int MinimumPlaceboSites = 10;

    /// <summary>Turns bootstrap draws into standard errors, intervals and the pre-trend covariance.</summary>
    private sealed class Inference(double[][] draws, int clusters, double level)
    {
        // CR1-style small-cluster scaling: the bootstrap variance is Σ_s ψ_s², which misses S/(S−1).
        private readonly double _scale = clusters > 1 ? (double)clusters / (clusters - 1) : double.NaN;

        public bool Possible => clusters > 1;

        public int Clusters => clusters;

        /// <summary>The estimate with its standard error and a Student-t interval (<see cref="DegreesOfFreedom"/> from the treated sites it rests on).</summary>
        public Estimate Estimate(int index, double value, int treatedSites)
        {
            var d = draws[index];
            var sumSquares = 0.0;
            foreach (var x in d)
            {
                sumSquares += x * x;
            }

            var se = Math.Sqrt(sumSquares / d.Length * _scale);
            var critical = StudentT.InvCDF(0, 1, DegreesOfFreedom(treatedSites, clusters), (1 + level) / 2);
            return new Estimate(value, se, value - (critical * se), value + (critical * se));
        }

        /// <summary>
        /// The estimate with the placebo variance of few treated sites and a Student-t interval with the placebo sites
        /// less one as degrees of freedom (at most S − 1): the variance rests on them.
        /// </summary>
        public Estimate Estimate(double value, PlaceboVariance placebo)
        {
            var se = Math.Sqrt(placebo.Variance);
            var critical = StudentT.InvCDF(0, 1, Math.Max(1, Math.Min(placebo.PlaceboSites, clusters) - 1), (1 + level) / 2);
            return new Estimate(value, se, value - (critical * se), value + (critical * se));
        }

        public double Covariance(int a, int b)
        {
            var (x, y) = (draws[a], draws[b]);
            var sum = 0.0;
            for (var r = 0; r < x.Length; r++)
            {
                sum += x[r] * y[r];
            }

            return sum / x.Length * _scale;
        }
    }

    /// <summary>One outcome's aggregates, registered with the bootstrap, waiting for the draws.</summary>
    private sealed class OutcomePlan
    {
        private readonly Outcome _outcome;
        private readonly List<string> _suppressed = [];
        private (Aggregate Aggregate, int Index)? _overall;
        private PlaceboVariance? _overallPlacebo;
        private PreTrendPlan? _preTrend;
        private (double Value, int Index, int TreatedSites)? _naive;
        private readonly List<(int Event, Aggregate Aggregate, int Index)> _events = [];
        private readonly List<(string Dimension, string Group, Aggregate Aggregate, int Index)> _breakdowns = [];

        private OutcomePlan(Outcome outcome) => _outcome = outcome;

        public static OutcomePlan Create(Outcome outcome, Setup setup, EvaluationOptions options, List<double[]> influences)
        {
            var plan = new OutcomePlan(outcome);
            var design = setup.Design;
            var values = setup.Panel.Values(outcome);
            var effects = new GroupTimeEffects(design, values);
            int Register(Aggregate aggregate)
            {
                influences.Add(aggregate.Influence);
                return influences.Count - 1;
            }

            bool PostRamp(int cell, int e) => e >= design.FirstPostRampEvent[cell];

            if (setup.ClusterCount < 2)
            {
                plan._suppressed.Add("overall: fewer than 2 sites have data, so no bootstrap is possible");
            }
            else if (effects.Aggregate(0, int.MaxValue, PostRamp) is { } overall)
            {
                plan._overall = (overall, Register(overall));
                if (overall.TreatedSites < FewTreatedSites)
                {
                    plan._overallPlacebo = effects.Placebo(0, int.MaxValue, PostRamp, MinimumPlaceboSites, setup.ClusterCount);
                }
            }
            else
            {
                plan._suppressed.Add("overall: no treated cell has data after its ramp-up together with a control cell");
            }

            if (setup.ClusterCount >= 2)
            {
                var few = new List<int>();
                foreach (var e in effects.EventTimes())
                {
                    var aggregate = effects.Aggregate(e, e)!;
                    if (aggregate.TreatedSites < options.MinimumSitesPerBreakdown)
                    {
                        few.Add(e);
                        continue;
                    }

                    plan._events.Add((e, aggregate, Register(aggregate)));
                }

                if (few.Count > 0)
                {
                    plan._suppressed.Add(string.Create(CultureInfo.InvariantCulture,
                        $"event times {Ranges(few)}: fewer than {options.MinimumSitesPerBreakdown} sites"));
                }

                plan._preTrend = PreTrendPlan.Create(design, values, effects, setup.ClusterCount, plan._overall?.Aggregate, PostRamp, influences);

                plan.AddBreakdowns(setup, options, effects, PostRamp, Register);

                var changes = setup.NaiveChanges(values);
                if (changes.Count > 0)
                {
                    var mean = changes.Average(c => c.Change);
                    var influence = new double[design.Sites];
                    foreach (var (cell, change) in changes)
                    {
                        influence[design.Site[cell]] += (change - mean) / changes.Count;
                    }

                    influences.Add(influence);
                    plan._naive = (mean, influences.Count - 1, changes.Select(c => design.Site[c.Cell]).Distinct().Count());
                }
            }

            return plan;
        }

        public OutcomeEffect Finish(Inference inference, EvaluationOptions options)
        {
            Estimate? overall = _overall is var (o, oi)
                ? _overallPlacebo is { } placebo ? inference.Estimate(o.Value, placebo) : inference.Estimate(oi, o.Value, o.TreatedSites)
                : null;
            var events = _events.ConvertAll(x => new EventTimeEffect(x.Event, inference.Estimate(x.Index, x.Aggregate.Value, x.Aggregate.TreatedSites), x.Aggregate.TreatedCells));
            var breakdowns = _breakdowns.ConvertAll(x =>
                new BreakdownEffect(x.Dimension, x.Group, x.Aggregate.TreatedSites, x.Aggregate.TreatedCells, inference.Estimate(x.Index, x.Aggregate.Value, x.Aggregate.TreatedSites)));
            double? mde = overall is { } estimate
                ? (Normal.InvCDF(0, 1, (1 + options.ConfidenceLevel) / 2) + Normal.InvCDF(0, 1, 0.80)) * estimate.StandardError
                : null;
            Estimate? naive = _naive is var (n, ni, ns) ? inference.Estimate(ni, n, ns) : null;
            var (preTrend, linear, sensitivity) = _preTrend?.Finish(inference) ?? (null, null, null);
            return new OutcomeEffect(_outcome, overall, events, preTrend, mde, breakdowns, _suppressed)
            {
                NaiveBeforeAfter = naive,
                LinearPreTrend = linear,
                TrendSensitivity = sensitivity,
                OverallPlaceboSites = _overallPlacebo?.PlaceboSites,
            };
        }

        private void AddBreakdowns(Setup setup, EvaluationOptions options, GroupTimeEffects effects, Func<int, int, bool> postRamp, Func<Aggregate, int> register)
        {
            var design = setup.Design;
            foreach (var (dimension, key) in new (string, Func<RegisterEntry, string?>)[] { ("sector", e => e.Sector), ("size class", e => e.SizeClass) })
            {
                var groups = new SortedDictionary<string, HashSet<int>>(StringComparer.Ordinal);
                for (var c = 0; c < design.Cells; c++)
                {
                    if (design.Cohort[c] is >= 1 and < StaggeredDesign.Never && setup.Panel.DaysWithData[c] > 0 && key(setup.Register[c]) is { } group)
                    {
                        if (!groups.TryGetValue(group, out var sites))
                        {
                            groups[group] = sites = [];
                        }

                        sites.Add(design.Site[c]);
                    }
                }

                foreach (var (group, sites) in groups)
                {
                    if (sites.Count < options.MinimumSitesPerBreakdown)
                    {
                        _suppressed.Add(string.Create(CultureInfo.InvariantCulture,
                            $"{dimension} '{group}': {sites.Count} {(sites.Count == 1 ? "site" : "sites")}, fewer than {options.MinimumSitesPerBreakdown}"));
                        continue;
                    }

                    var name = group;
                    var aggregate = effects.Aggregate(0, int.MaxValue, (c, e) => postRamp(c, e) && key(setup.Register[c]) == name);
                    if (aggregate is null || aggregate.TreatedSites < options.MinimumSitesPerBreakdown)
                    {
                        _suppressed.Add(string.Create(CultureInfo.InvariantCulture,
                            $"{dimension} '{group}': fewer than {options.MinimumSitesPerBreakdown} sites with data after ramp-up"));
                        continue;
                    }

                    _breakdowns.Add((dimension, group, aggregate, register(aggregate)));
                }
            }
        }

        private static string Ranges(List<int> values)
        {
            var parts = new List<string>();
            for (var i = 0; i < values.Count;)
            {
                var j = i;
                while (j + 1 < values.Count && values[j + 1] == values[j] + 1)
                {
                    j++;
                }

                parts.Add(j == i
                    ? values[i].ToString(CultureInfo.InvariantCulture)
                    : string.Create(CultureInfo.InvariantCulture, $"{values[i]}…{values[j]}"));
                i = j + 1;
            }

            return string.Join(", ", parts);
        }
    }
}
