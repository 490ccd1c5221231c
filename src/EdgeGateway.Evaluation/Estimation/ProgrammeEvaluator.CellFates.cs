using System.Globalization;
using EdgeGateway.Evaluation.Panel;
using EdgeGateway.Evaluation.Register;
using EdgeGateway.Evaluation.Results;

namespace EdgeGateway.Evaluation.Estimation;

/// <summary>What becomes of each register cell, the base-period fallback, and the warnings about the comparison.</summary>
public static partial class ProgrammeEvaluator
{
    /// <summary>
    /// Decides each register cell's fate (src/docs/evaluation.md, "Every register cell accounted for") from which
    /// periods hold data (planned busy time, the denominator of every outcome), and moves the base of a treated cell
    /// without data in the period before go-live to the nearest earlier period with data: its cohort in
    /// <paramref name="cohort"/> becomes that period + 1, so the long differences start there, and its first
    /// post-ramp event is counted from it, so the headline keeps exactly the periods after ramp-up.
    /// </summary>
    private static CellFate[] AssignFates(
        IReadOnlyList<RegisterEntry> register, PeriodPanel panel, int[] rawCohort, int[] rampPeriod, int[] cohort, int[] firstPostRamp)
    {
        var inv = CultureInfo.InvariantCulture;
        var hasData = panel.Values(Outcome.Oee).Select(cell => cell.Select(v => !double.IsNaN(v)).ToArray()).ToArray();
        var fates = new CellFate[register.Count];
        for (var c = 0; c < register.Count; c++)
        {
            var periods = hasData[c];
            var periodsWithData = periods.Count(x => x);
            var entry = register[c];
            if (periodsWithData == 0)
            {
                fates[c] = new CellFate(false, entry.Treated ? "treated" : "control", "no_data", "no data in the window", null);
                cohort[c] = StaggeredDesign.Excluded;
                continue;
            }

            if (cohort[c] == StaggeredDesign.Excluded)
            {
                fates[c] = new CellFate(false, "treated", "go_live_before_window", "went live before the window's second period: no period before go-live to compare with", null);
                continue;
            }

            if (cohort[c] == StaggeredDesign.Never)
            {
                var role = entry.Treated ? "not yet treated" : "never treated";
                fates[c] = periodsWithData >= 2
                    ? new CellFate(true, "control", entry.Treated ? "control_not_yet_treated" : "control_never_treated",
                        entry.Treated ? "comparison cell: goes live on or after the window's last period" : "comparison cell without investment", null)
                    : new CellFate(false, "control", "too_few_periods", string.Create(inv, $"{role} comparison cell with data in only one period: no change to compare"), null);
                continue;
            }

            var goLivePeriod = rawCohort[c];
            var basePeriod = Array.LastIndexOf(periods, true, goLivePeriod - 1);
            if (basePeriod < 0)
            {
                fates[c] = new CellFate(false, "treated", "no_pre_period", "no data before go-live in the window", null);
                cohort[c] = StaggeredDesign.Excluded;
                continue;
            }

            cohort[c] = basePeriod + 1;
            firstPostRamp[c] = rampPeriod[c] - cohort[c];
            var fallback = basePeriod < goLivePeriod - 1
                ? string.Create(inv, $"; base period {basePeriod} (period {goLivePeriod - 1}, just before go-live, has no data)")
                : "";
            var afterRamp = Math.Max(rampPeriod[c], 0);
            fates[c] = afterRamp < periods.Length && Array.IndexOf(periods, true, afterRamp) >= 0
                ? new CellFate(true, "treated", fallback.Length == 0 ? "treated" : "treated_earlier_base", "treated cell" + fallback, basePeriod)
                : new CellFate(false, "treated", "no_post_period", "no data after ramp-up in the window: in the pre-trend tests and event times only, not in the headline" + fallback, basePeriod);
        }

        return fates;
    }

    /// <summary>The headline's counts: only the cells the estimate uses, their sites and go-live cohorts.</summary>
    private static ProgrammeSize UsedSize(IReadOnlyList<RegisterEntry> register, CellFate[] fates, int[] rawCohort, int periods)
    {
        var used = Enumerable.Range(0, register.Count).Where(c => fates[c].Used).ToList();
        return new ProgrammeSize(
            used.Select(c => register[c].Site).Distinct(StringComparer.Ordinal).Count(),
            used.Count,
            used.Count(c => fates[c].Role == "treated"),
            used.Count(c => fates[c].Role == "control"),
            used.Where(c => fates[c].Role == "treated").Select(c => rawCohort[c]).Distinct().Count(),
            periods);
    }

    /// <summary>
    /// Weaknesses of the comparison that belong next to the headline: no never-treated comparison cells at all, only
    /// later cohorts as comparison (not-yet-treated), or all never-treated comparison cells in one site.
    /// </summary>
    private static List<DesignWarning> DesignWarnings(IReadOnlyList<RegisterEntry> register, CellFate[] fates, int[] cohort)
    {
        var neverTreatedSites = Enumerable.Range(0, register.Count)
            .Where(c => fates[c] is { Used: true, Code: "control_never_treated" })
            .Select(c => register[c].Site).Distinct(StringComparer.Ordinal).Count();

        // Comparison cells from later cohorts exist when two cohorts take part, or a cell goes live after the window.
        var cohorts = Enumerable.Range(0, register.Count).Where(c => fates[c].Role == "treated" && fates[c].BasePeriod is not null)
            .Select(c => cohort[c]).Distinct().Count();
        var laterCohortControls = cohorts > 1 || fates.Any(f => f is { Used: true, Code: "control_not_yet_treated" });
        var warnings = new List<DesignWarning>();
        if (neverTreatedSites == 0 && laterCohortControls)
        {
            warnings.Add(new DesignWarning("only_later_cohort_controls",
                "No never-treated comparison cells: every comparison is with cells that go live later (not yet treated), so the latest cohort and the last periods have no comparison, and anything that moves with the roll-out is read as effect."));
        }
        else if (neverTreatedSites == 0)
        {
            warnings.Add(new DesignWarning("no_never_treated_controls",
                "No never-treated comparison cells with data: the effect has nothing to be compared with."));
        }
        else if (neverTreatedSites == 1)
        {
            warnings.Add(new DesignWarning("single_control_site",
                "All never-treated comparison cells lie in a single site: whatever happened at that site is read as the programme's effect, with the opposite sign."));
        }

        return warnings;
    }
}
