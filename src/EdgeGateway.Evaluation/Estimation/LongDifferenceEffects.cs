namespace EdgeGateway.Evaluation.Estimation;

/// <summary>
/// Group-time effects with one fixed base per cohort, the period before go-live g − 1, for every other period of the
/// window — before go-live as well as after (Callaway &amp; Sant'Anna's "universal base"). The pre-trend tests need
/// them: a pre effect against the base measures how far treated and control cells had drifted apart by go-live,
/// where <see cref="GroupTimeEffects"/>' week-to-week pre effects dilute a slow drift into many small steps.
/// After go-live the blocks are those of <see cref="GroupTimeEffects"/> (same base, same controls), which is what
/// lets <see cref="MeanEventsSinceBase"/> describe the headline's cells and periods.
/// </summary>
internal sealed class LongDifferenceEffects
{
    private readonly StaggeredDesign _design;
    private readonly List<Comparison> _comparisons = [];

    public LongDifferenceEffects(StaggeredDesign design, double[][] values)
    {
        _design = design;
        foreach (var g in design.Cohorts)
        {
            var treated = Enumerable.Range(0, design.Cells).Where(c => design.Cohort[c] == g).ToList();
            var basePeriod = g - 1;
            for (var t = 0; t < design.Periods; t++)
            {
                if (t != basePeriod)
                {
                    AddComparison(values, g, t, basePeriod, treated);
                }
            }
        }
    }

    /// <summary>Event times before the base (e ≤ −2) that have at least one treated cell with a control.</summary>
    public IReadOnlyList<int> PreEventTimes() =>
        [.. _comparisons.Select(x => x.Event).Where(e => e <= -2).Distinct().OrderDescending()];

    /// <summary>
    /// The cell-weighted mean over the comparisons with event time in [<paramref name="minEvent"/>,
    /// <paramref name="maxEvent"/>] of (treated cell's change − its comparison's control mean), with its influence
    /// summed per site: a treated cell moves it by (change − control mean − value) / n, each control cell of a
    /// comparison by −(its share of the n treated cells) × (change − control mean) / controls. Null without cells.
    /// </summary>
    public Aggregate? Aggregate(int minEvent, int maxEvent)
    {
        var selected = _comparisons.FindAll(x => x.Event >= minEvent && x.Event <= maxEvent);
        var total = selected.Sum(x => x.Treated.Count);
        if (total == 0)
        {
            return null;
        }

        var value = selected.Sum(x => x.Treated.Sum(cell => cell.Change - x.ControlMean)) / total;
        var influence = new double[_design.Sites];
        var treatedCells = new HashSet<int>();
        var treatedSites = new HashSet<int>();
        foreach (var comparison in selected)
        {
            foreach (var (cell, change) in comparison.Treated)
            {
                influence[_design.Site[cell]] += (change - comparison.ControlMean - value) / total;
                treatedCells.Add(cell);
                treatedSites.Add(_design.Site[cell]);
            }

            var controlWeight = (double)comparison.Treated.Count / total / comparison.Controls.Count;
            foreach (var (cell, change) in comparison.Controls)
            {
                influence[_design.Site[cell]] -= controlWeight * (change - comparison.ControlMean);
            }
        }

        return new Aggregate(value, influence, treatedCells.Count, treatedSites.Count);
    }

    /// <summary>
    /// The mean of (e + 1) over the headline's treated cell-periods (event time e at or after the cell's ramp-up):
    /// how many periods past the base the headline lies on average, i.e. how far a linear pre-trend of slope β
    /// would have carried it (bias β × this). NaN without such cell-periods.
    /// </summary>
    public double MeanEventsSinceBase()
    {
        var sum = 0.0;
        var count = 0;
        foreach (var comparison in _comparisons)
        {
            foreach (var (cell, _) in comparison.Treated)
            {
                if (comparison.Event >= 0 && comparison.Event >= _design.FirstPostRampEvent[cell])
                {
                    sum += comparison.Event + 1;
                    count++;
                }
            }
        }

        return count == 0 ? double.NaN : sum / count;
    }

    private void AddComparison(double[][] values, int g, int t, int basePeriod, List<int> treated)
    {
        var treatedChanges = new List<(int, double)>();
        foreach (var c in treated)
        {
            var change = values[c][t] - values[c][basePeriod];
            if (!double.IsNaN(change))
            {
                treatedChanges.Add((c, change));
            }
        }

        // Controls: not yet treated in either period (never treated, or a later cohort), as in GroupTimeEffects.
        var latest = Math.Max(t, basePeriod);
        var controlChanges = new List<(int, double)>();
        for (var c = 0; c < _design.Cells; c++)
        {
            var cohort = _design.Cohort[c];
            var change = values[c][t] - values[c][basePeriod];
            if (cohort > latest && cohort != g && !double.IsNaN(change))
            {
                controlChanges.Add((c, change));
            }
        }

        if (treatedChanges.Count > 0 && controlChanges.Count > 0)
        {
            _comparisons.Add(new Comparison(t - g, treatedChanges, controlChanges, controlChanges.Average(x => x.Item2)));
        }
    }

    /// <summary>One cohort and period against the cohort's base: the treated and control cells' changes.</summary>
    private sealed record Comparison(int Event, List<(int Cell, double Change)> Treated, List<(int Cell, double Change)> Controls, double ControlMean);
}
