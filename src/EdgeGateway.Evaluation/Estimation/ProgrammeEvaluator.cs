using System.Globalization;
using EdgeGateway.Evaluation.Panel;
using EdgeGateway.Evaluation.Register;
using EdgeGateway.Evaluation.Results;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace EdgeGateway.Evaluation.Estimation;

/// <summary>
/// The programme evaluation (src/docs/evaluation.md): per-cell before/after summaries and the programme-wide
/// effects by staggered difference-in-differences (Callaway &amp; Sant'Anna 2021) with a multiplier bootstrap clustered
/// by site.
/// </summary>
public static class ProgrammeEvaluator
{
    /// <summary>The control group, as the report names it.</summary>
    public const string ControlGroup = "never treated and not yet treated";

    /// <summary>Evaluates the programme of <paramref name="register"/> on <paramref name="data"/> (cells not in the register are ignored).</summary>
    public static EvaluationResult Evaluate(
        IReadOnlyList<RegisterEntry> register, IReadOnlyList<CellDays> data, EvaluationOptions options, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(register);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var notes = new List<string>();
        var setup = Setup.Create(register, data, options, notes);
        progress?.Report($"panel: {register.Count} cells, {options.Periods} periods of {options.PeriodDays} days");

        var outcomes = options.Outcomes ?? Enum.GetValues<Outcome>();
        var influences = new List<double[]>();
        var plans = new List<OutcomePlan>();
        foreach (var outcome in outcomes)
        {
            plans.Add(OutcomePlan.Create(outcome, setup, options, influences));
            progress?.Report($"{Report.OutcomeText.Name(outcome)}: group-time effects estimated");
        }

        var draws = MultiplierBootstrap.Draws(influences, setup.Design.Sites, options.BootstrapReplications, options.Seed, progress);
        var inference = new Inference(draws, setup.ClusterCount, options.ConfidenceLevel);
        var effects = plans.ConvertAll(plan => plan.Finish(inference, options));

        AddMethodNotes(notes, setup, options);
        var settings = new EvaluationSettings(
            options.From, options.To, options.PeriodDays, options.BootstrapReplications, options.Seed, options.ConfidenceLevel,
            options.MinimumSitesPerBreakdown, ControlGroup);
        var size = new ProgrammeSize(
            setup.SiteNames.Count, register.Count, register.Count(e => e.Treated), register.Count(e => !e.Treated),
            setup.Design.Cohorts.Length, options.Periods);
        return new EvaluationResult(settings, size, effects, setup.CellSummaries(outcomes, options), notes);
    }

    /// <summary>
    /// The naive estimate: the mean over treated cells of (mean of periods after ramp-up − mean of periods before
    /// go-live), with no control group. Biased whenever something shared (season, trend) moves between the two.
    /// </summary>
    internal static double? NaiveBeforeAfter(IReadOnlyList<RegisterEntry> register, IReadOnlyList<CellDays> data, EvaluationOptions options, Outcome outcome)
    {
        var setup = Setup.Create(register, data, options, []);
        var values = setup.Panel.Values(outcome);
        var changes = setup.NaiveChanges(values);
        return changes.Count == 0 ? null : changes.Average(c => c.Change);
    }

    private static void AddMethodNotes(List<string> notes, Setup setup, EvaluationOptions options)
    {
        var inv = CultureInfo.InvariantCulture;
        if (setup.ClusterCount < 2)
        {
            notes.Add("Fewer than 2 sites have data: no confidence intervals and no programme-wide effect can be given.");
        }
        else if (setup.TreatedSites < options.MinimumSitesPerBreakdown)
        {
            notes.Add(string.Create(inv,
                $"The treated cells lie in only {setup.TreatedSites} sites (fewer than {options.MinimumSitesPerBreakdown}): the programme-wide effect is shown, but it describes very few companies; breakdowns and event times are suppressed."));
        }
    }

    /// <summary>
    /// Register matched to data, the period panel and the design shared by all outcomes. <paramref name="ClusterCount"/>:
    /// sites with data (the bootstrap's clusters); <paramref name="TreatedSites"/>: sites with a treated cell that takes
    /// part; <paramref name="RawCohort"/>: the period containing go-live (may lie outside the window);
    /// <paramref name="RampPeriod"/>: the first period that starts after go-live plus ramp-up.
    /// </summary>
    private sealed record Setup(
        IReadOnlyList<RegisterEntry> Register,
        PeriodPanel Panel,
        StaggeredDesign Design,
        List<string> SiteNames,
        int ClusterCount,
        int TreatedSites,
        int[] RawCohort,
        int[] RampPeriod)
    {
        public static Setup Create(IReadOnlyList<RegisterEntry> register, IReadOnlyList<CellDays> data, EvaluationOptions options, List<string> notes)
        {
            var byId = new Dictionary<(string, string), CellDays>();
            foreach (var cell in data)
            {
                if (!byId.TryAdd((cell.Site, cell.Cell), cell))
                {
                    throw new ArgumentException($"the data hold site '{cell.Site}', cell '{cell.Cell}' twice", nameof(data));
                }
            }

            var periods = options.Periods;
            var days = new IReadOnlyList<DayRecord>?[register.Count];
            var siteIndex = new Dictionary<string, int>(StringComparer.Ordinal);
            var siteNames = new List<string>();
            var site = new int[register.Count];
            var cohort = new int[register.Count];
            var rawCohort = new int[register.Count];
            var rampPeriod = new int[register.Count];
            var firstPostRamp = new int[register.Count];
            int withoutData = 0, beforeWindow = 0, afterWindow = 0;
            var matched = 0;
            for (var c = 0; c < register.Count; c++)
            {
                var entry = register[c];
                if (!siteIndex.TryGetValue(entry.Site, out site[c]))
                {
                    site[c] = siteIndex[entry.Site] = siteNames.Count;
                    siteNames.Add(entry.Site);
                }

                if (byId.TryGetValue((entry.Site, entry.Cell), out var cellDays))
                {
                    days[c] = cellDays.Days;
                    matched++;
                }

                cohort[c] = StaggeredDesign.Never;
                if (entry is { Treated: true, GoLive: { } goLive })
                {
                    rawCohort[c] = options.PeriodOf(goLive);
                    var rampEnd = goLive.AddDays(entry.RampUpDays);
                    rampPeriod[c] = (int)Math.Ceiling((rampEnd.DayNumber - options.From.DayNumber) / (double)options.PeriodDays);
                    firstPostRamp[c] = rampPeriod[c] - rawCohort[c];
                    if (rawCohort[c] < 1)
                    {
                        cohort[c] = StaggeredDesign.Excluded;
                        beforeWindow++;
                    }
                    else if (rawCohort[c] >= periods)
                    {
                        afterWindow++;
                    }
                    else
                    {
                        cohort[c] = rawCohort[c];
                    }
                }
            }

            var panel = PeriodPanel.Build(days, options.From, options.To, options.PeriodDays);
            var sitesWithData = new HashSet<int>();
            var treatedSites = new HashSet<int>();
            for (var c = 0; c < register.Count; c++)
            {
                if (panel.DaysWithData[c] == 0)
                {
                    withoutData++;
                    continue;
                }

                sitesWithData.Add(site[c]);
                if (cohort[c] is >= 1 and < StaggeredDesign.Never)
                {
                    treatedSites.Add(site[c]);
                }
            }

            var inv = CultureInfo.InvariantCulture;
            if (data.Count > matched)
            {
                notes.Add(string.Create(inv, $"{data.Count - matched} cells in the data are not in the register and were ignored."));
            }

            if (withoutData > 0)
            {
                notes.Add(string.Create(inv, $"{withoutData} register cells have no data in the window."));
            }

            if (beforeWindow > 0)
            {
                notes.Add(string.Create(inv, $"{beforeWindow} treated cells went live before the window's second period (no baseline): left out of the effects."));
            }

            if (afterWindow > 0)
            {
                notes.Add(string.Create(inv, $"{afterWindow} treated cells go live on or after the window's last period: used as not-yet-treated controls."));
            }

            var design = new StaggeredDesign(periods, cohort, firstPostRamp, site, siteNames.Count);
            return new Setup(register, panel, design, siteNames, sitesWithData.Count, treatedSites.Count, rawCohort, rampPeriod);
        }

        /// <summary>The before/after summary of treated cell <paramref name="c"/> (null for a control).</summary>
        public BeforeAfter? BeforeAfter(int c, double[] values)
        {
            var entry = Register[c];
            if (!entry.Treated || entry.GoLive is null)
            {
                return null;
            }

            var (before, periodsBefore) = Mean(values, 0, Math.Min(RawCohort[c], values.Length));
            var (after, periodsAfter) = Mean(values, Math.Max(RampPeriod[c], 0), values.Length);
            return new BeforeAfter(before, after, periodsBefore, periodsAfter);
        }

        /// <summary>The before/after change of every treated cell that has both.</summary>
        public List<(int Cell, double Change)> NaiveChanges(double[][] values)
        {
            var changes = new List<(int, double)>();
            for (var c = 0; c < Register.Count; c++)
            {
                if (BeforeAfter(c, values[c])?.Change is { } change)
                {
                    changes.Add((c, change));
                }
            }

            return changes;
        }

        public List<CellSummary> CellSummaries(IReadOnlyList<Outcome> outcomes, EvaluationOptions options)
        {
            var values = outcomes.ToDictionary(o => o, Panel.Values);
            var oee = values.TryGetValue(Outcome.Oee, out var v) ? v : Panel.Values(Outcome.Oee);
            var daysExpected = options.To.DayNumber - options.From.DayNumber;
            var cells = new List<CellSummary>(Register.Count);
            for (var c = 0; c < Register.Count; c++)
            {
                var entry = Register[c];
                var beforeAfter = new Dictionary<Outcome, BeforeAfter>();
                foreach (var outcome in outcomes)
                {
                    if (BeforeAfter(c, values[outcome][c]) is { } summary)
                    {
                        beforeAfter[outcome] = summary;
                    }
                }

                var byPeriod = new PeriodValue[options.Periods];
                for (var p = 0; p < byPeriod.Length; p++)
                {
                    var value = oee[c][p];
                    byPeriod[p] = new PeriodValue(p, options.PeriodStart(p), double.IsNaN(value) ? null : value);
                }

                var coverage = new DataCoverage(daysExpected, Panel.DaysWithData[c], Panel.MeanCoverage[c]);
                cells.Add(new CellSummary(entry.Site, entry.Cell, entry.Treated, entry.GoLive, entry.RampUpDays, coverage, beforeAfter, byPeriod));
            }

            return cells;
        }

        private static (double? Mean, int Count) Mean(double[] values, int from, int to)
        {
            var sum = 0.0;
            var count = 0;
            for (var p = from; p < to; p++)
            {
                if (!double.IsNaN(values[p]))
                {
                    sum += values[p];
                    count++;
                }
            }

            return count == 0 ? (null, 0) : (sum / count, count);
        }
    }

    /// <summary>Turns bootstrap draws into standard errors, intervals and the pre-trend covariance.</summary>
    private sealed class Inference(double[][] draws, int clusters, double level)
    {
        // CR1-style small-cluster scaling: the Rademacher bootstrap variance is Σ_s ψ_s², which misses S/(S−1).
        private readonly double _scale = clusters > 1 ? (double)clusters / (clusters - 1) : double.NaN;
        private readonly double _critical = clusters > 1 ? StudentT.InvCDF(0, 1, clusters - 1, (1 + level) / 2) : double.NaN;

        public bool Possible => clusters > 1;

        public int Clusters => clusters;

        public Estimate Estimate(int index, double value)
        {
            var d = draws[index];
            var sumSquares = 0.0;
            foreach (var x in d)
            {
                sumSquares += x * x;
            }

            var se = Math.Sqrt(sumSquares / d.Length * _scale);
            return new Estimate(value, se, value - (_critical * se), value + (_critical * se));
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
        private const int MaxPreTrendPeriods = 8;

        private readonly Outcome _outcome;
        private readonly List<string> _suppressed = [];
        private (Aggregate Aggregate, int Index)? _overall;
        private (Aggregate Aggregate, int Index)? _preMean;
        private (double Value, int Index)? _naive;
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

                if (effects.Aggregate(int.MinValue, -1) is { } preMean)
                {
                    plan._preMean = (preMean, Register(preMean));
                }

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
                    plan._naive = (mean, influences.Count - 1);
                }
            }

            return plan;
        }

        public OutcomeEffect Finish(Inference inference, EvaluationOptions options)
        {
            Estimate? overall = _overall is var (o, oi) ? inference.Estimate(oi, o.Value) : null;
            var events = _events.ConvertAll(x => new EventTimeEffect(x.Event, inference.Estimate(x.Index, x.Aggregate.Value), x.Aggregate.TreatedCells));
            var breakdowns = _breakdowns.ConvertAll(x =>
                new BreakdownEffect(x.Dimension, x.Group, x.Aggregate.TreatedSites, x.Aggregate.TreatedCells, inference.Estimate(x.Index, x.Aggregate.Value)));
            double? mde = overall is { } estimate
                ? (Normal.InvCDF(0, 1, (1 + options.ConfidenceLevel) / 2) + Normal.InvCDF(0, 1, 0.80)) * estimate.StandardError
                : null;
            Estimate? naive = _naive is var (n, ni) ? inference.Estimate(ni, n) : null;
            return new OutcomeEffect(_outcome, overall, events, PreTrend(inference), mde, breakdowns, _suppressed) { NaiveBeforeAfter = naive };
        }

        private PreTrendTest? PreTrend(Inference inference)
        {
            // The last pre periods only: a clustered covariance of many effects from few sites is near singular and
            // the test would reject almost always (src/docs/evaluation.md, "Pre-trend check").
            var pre = _events.FindAll(x => x.Event < 0 && x.Event >= -PreTrendPeriods(inference.Clusters));
            if (pre.Count == 0 || _preMean is not var (mean, meanIndex) || !inference.Possible)
            {
                return null;
            }

            var covariance = Matrix<double>.Build.Dense(pre.Count, pre.Count, (i, j) => inference.Covariance(pre[i].Index, pre[j].Index));
            var effects = Vector<double>.Build.Dense(pre.Count, i => pre[i].Aggregate.Value);

            // Pseudo-inverse through the eigen-decomposition: directions the bootstrap cannot vary are dropped.
            var evd = covariance.Evd(Symmetricity.Symmetric);
            var eigenvalues = evd.EigenValues.Map(z => z.Real);
            var tolerance = eigenvalues.Maximum() * pre.Count * 1e-10;
            var projected = evd.EigenVectors.TransposeThisAndMultiply(effects);
            var chiSquare = 0.0;
            var rank = 0;
            for (var i = 0; i < pre.Count; i++)
            {
                if (eigenvalues[i] > tolerance)
                {
                    chiSquare += projected[i] * projected[i] / eigenvalues[i];
                    rank++;
                }
            }

            if (rank == 0)
            {
                return null;
            }

            // Small-cluster reference (Hotelling): W (S − k) / (k (S − 1)) ~ F(k, S − k) rather than W ~ χ²(k), which
            // rejects far too often with a covariance estimated from a few dozen sites.
            var clusters = inference.Clusters;
            var p = clusters > rank
                ? 1 - FisherSnedecor.CDF(rank, clusters - rank, chiSquare * (clusters - rank) / (rank * (clusters - 1.0)))
                : double.NaN;
            return new PreTrendTest(chiSquare, rank, p, inference.Estimate(meanIndex, mean.Value));
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

        /// <summary>How many pre periods the joint pre-trend test covers: at most 8, and at most (S − 1) / 3.</summary>
        internal static int PreTrendPeriods(int clusters) => Math.Clamp((clusters - 1) / 3, 1, MaxPreTrendPeriods);

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
