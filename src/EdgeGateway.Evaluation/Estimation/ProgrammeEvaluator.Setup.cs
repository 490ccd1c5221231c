using System.Globalization;
using EdgeGateway.Evaluation.Panel;
using EdgeGateway.Evaluation.Register;
using EdgeGateway.Evaluation.Results;

namespace EdgeGateway.Evaluation.Estimation;

/// <summary>What every outcome shares: the register matched to the data, the period panel and the staggered design.</summary>
public static partial class ProgrammeEvaluator
{
    /// <summary>
    /// Register matched to data, the period panel and the design shared by all outcomes. <paramref name="ClusterCount"/>:
    /// sites with data (the bootstrap's clusters); <paramref name="TreatedSites"/>: sites with a treated cell that takes
    /// part; <paramref name="RawCohort"/>: the period containing go-live (may lie outside the window);
    /// <paramref name="RampPeriod"/>: the first period that starts after go-live plus ramp-up; <paramref name="Fates"/>:
    /// what became of each register cell, <paramref name="Size"/> the counts of the cells used, <paramref name="Warnings"/>
    /// the weaknesses of the comparison.
    /// </summary>
    private sealed record Setup(
        IReadOnlyList<RegisterEntry> Register,
        PeriodPanel Panel,
        StaggeredDesign Design,
        List<string> SiteNames,
        int ClusterCount,
        int TreatedSites,
        int[] RawCohort,
        int[] RampPeriod,
        CellFate[] Fates,
        ProgrammeSize Size,
        List<DesignWarning> Warnings)
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
            var fates = AssignFates(register, panel, rawCohort, rampPeriod, cohort, firstPostRamp);
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
            return new Setup(
                register, panel, design, siteNames, sitesWithData.Count, treatedSites.Count, rawCohort, rampPeriod,
                fates, UsedSize(register, fates, rawCohort, periods), DesignWarnings(register, fates, cohort));
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
                cells.Add(new CellSummary(entry.Site, entry.Cell, entry.Treated, entry.GoLive, entry.RampUpDays, coverage, beforeAfter, byPeriod) { Fate = Fates[c] });
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
}
