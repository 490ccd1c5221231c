namespace EdgeGateway.Evaluation.Estimation;

/// <summary>
/// Who is compared with whom: per cell its site (the bootstrap cluster), its cohort (the period containing its
/// go-live) and the first event time after its ramp-up. Cells of <see cref="Excluded"/> take no part; a control,
/// or a cell going live after the window, has cohort <see cref="Never"/>.
/// </summary>
internal sealed class StaggeredDesign
{
    /// <summary>Cohort of a cell that is never treated within the window.</summary>
    public const int Never = int.MaxValue;

    /// <summary>Cohort of a cell that takes no part (it went live before the second period: no base period).</summary>
    public const int Excluded = -1;

    public StaggeredDesign(int periods, int[] cohort, int[] firstPostRampEvent, int[] site, int sites)
    {
        Periods = periods;
        Cohort = cohort;
        FirstPostRampEvent = firstPostRampEvent;
        Site = site;
        Sites = sites;
        ByCohortDescending = [.. Enumerable.Range(0, cohort.Length).OrderByDescending(c => cohort[c]).ThenBy(c => c)];
        Cohorts = [.. cohort.Where(g => g is >= 1 and < Never).Distinct().Order()];
    }

    public int Periods { get; }

    public int[] Cohort { get; }

    /// <summary>Event time from which a treated cell's ramp-up is over (its periods from then on count in the overall effect).</summary>
    public int[] FirstPostRampEvent { get; }

    /// <summary>Site index per cell, 0 ≤ site &lt; <see cref="Sites"/>.</summary>
    public int[] Site { get; }

    public int Sites { get; }

    /// <summary>Cells by cohort, latest (never) first: the not-yet-treated of a period are a prefix.</summary>
    public int[] ByCohortDescending { get; }

    /// <summary>The cohorts with treated cells that can be estimated (1 ≤ g &lt; periods).</summary>
    public int[] Cohorts { get; }

    public int Cells => Cohort.Length;
}
