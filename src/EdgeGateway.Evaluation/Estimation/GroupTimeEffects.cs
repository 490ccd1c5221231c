namespace EdgeGateway.Evaluation.Estimation;

/// <summary>
/// Callaway–Sant'Anna group-time effects ATT(g, t) of one outcome, kept cell by cell so that any aggregation can be
/// formed together with its influence function summed per site (for the clustered multiplier bootstrap).
/// Post periods (t ≥ g) compare with the base g − 1 (long difference), pre periods with t − 1 (varying base).
/// Controls: cells whose cohort is later than both periods (never treated and not yet treated), observed in both.
/// </summary>
internal sealed partial class GroupTimeEffects
{
    private readonly StaggeredDesign _design;
    private readonly List<Block> _blocks = [];
    private readonly List<int> _cells = [];
    private readonly List<double> _changes = [];

    /// <summary>
    /// The blocks of every cohort and period. <paramref name="universalBasePrePeriods"/>: only the pre periods, each
    /// compared with the base g − 1 (long differences, Callaway &amp; Sant'Anna's "universal base"; the base period itself
    /// is left out) — what the pre-trend tests need, where a slow drift adds up against the base instead of spreading
    /// over many small week-to-week steps; the post periods would be those of the ordinary effects, so they are not
    /// built twice.
    /// </summary>
    public GroupTimeEffects(StaggeredDesign design, double[][] values, bool universalBasePrePeriods = false)
    {
        _design = design;

        // The outcome by period in the order controls are scanned (latest cohort first): the blocks read two periods of
        // every control cell, thousands of blocks at a national programme's size, and a row per period keeps those
        // reads in sequence instead of jumping between the cells' arrays.
        var order = design.ByCohortDescending;
        var controlCohorts = new int[order.Length];
        var byPeriod = new double[design.Periods][];
        for (var p = 0; p < design.Periods; p++)
        {
            byPeriod[p] = new double[order.Length];
        }

        for (var i = 0; i < order.Length; i++)
        {
            controlCohorts[i] = design.Cohort[order[i]];
            for (var p = 0; p < design.Periods; p++)
            {
                byPeriod[p][i] = values[order[i]][p];
            }
        }

        var controls = new Controls(order, controlCohorts, byPeriod);
        var treated = new List<int>();
        foreach (var g in design.Cohorts)
        {
            treated.Clear();
            for (var c = 0; c < design.Cells; c++)
            {
                if (design.Cohort[c] == g)
                {
                    treated.Add(c);
                }
            }

            var end = universalBasePrePeriods ? Math.Min(g - 1, design.Periods) : design.Periods;
            for (var t = universalBasePrePeriods ? 0 : 1; t < end; t++)
            {
                var b = t < g && !universalBasePrePeriods ? t - 1 : g - 1;
                if (t != b)
                {
                    AddBlock(values, controls, g, t, b, treated);
                }
            }
        }
    }

    /// <summary>
    /// The average over the blocks with event time in [<paramref name="minEvent"/>, <paramref name="maxEvent"/>] of the
    /// included treated cells' change minus their block's control mean, weighted by cells; null without any cell.
    /// </summary>
    /// <remarks>
    /// Its influence function (Callaway &amp; Sant'Anna 2021), summed per site: a treated cell's change around its
    /// block's own group-time effect, so that effects differing between cohorts do not pass for noise; a control's
    /// change around its block's control mean, scaled by the block's share. The weights are the realised treated
    /// cell-periods, which the estimand (the effect on the programme's treated cells) shares: they add no estimation
    /// error. Centring on an estimated mean removes a degree of freedom of the block's G treated sites (the clusters):
    /// √(G/(G−1)) restores it (the unbiased clustered variance). A block whose treated cells lie in one site has no
    /// spread between sites; those blocks are pooled and centred on the pool's mean, √(G/(G−1)) with G the pool's
    /// sites; a pool in one site is centred on the aggregate (its noise is kept at the price of its share of
    /// heterogeneity).
    /// </remarks>
    public Aggregate? Aggregate(int minEvent, int maxEvent, Func<int, int, bool>? include = null)
    {
        bool Included(int k, Block block) => include is null || include(_cells[k], block.Event);

        // Sites and cells are counted with flags in arrays, not with a set per block: an aggregate visits every block,
        // and a national programme has thousands. siteMark[s] = b + 1 once site s has been counted for block b.
        var siteMark = new int[_design.Sites];

        // Pass 1: per block its included treated cells, their sites and mean effect; the pool of one-site blocks.
        var blocks = new List<(Block Block, int Included, int Sites, double Effect)>();
        var total = 0;
        var sum = 0.0;
        var poolSum = 0.0;
        var poolCount = 0;
        var inPool = new bool[_design.Sites];
        var poolSites = 0;
        for (var b = 0; b < _blocks.Count; b++)
        {
            var block = _blocks[b];
            if (block.Event < minEvent || block.Event > maxEvent)
            {
                continue;
            }

            var included = 0;
            var blockSum = 0.0;
            var blockSites = 0;
            var someSite = -1;
            for (var k = block.TreatedStart; k < block.TreatedStart + block.TreatedCount; k++)
            {
                if (Included(k, block))
                {
                    included++;
                    blockSum += _changes[k] - block.ControlMean;
                    someSite = _design.Site[_cells[k]];
                    if (siteMark[someSite] != b + 1)
                    {
                        siteMark[someSite] = b + 1;
                        blockSites++;
                    }
                }
            }

            if (included == 0)
            {
                continue;
            }

            blocks.Add((block, included, blockSites, blockSum / included));
            total += included;
            sum += blockSum;
            if (blockSites == 1)
            {
                poolSum += blockSum;
                poolCount += included;
                if (!inPool[someSite])
                {
                    inPool[someSite] = true;
                    poolSites++;
                }
            }
        }

        if (total == 0)
        {
            return null;
        }

        var value = sum / total;
        var (poolCenter, poolScale) = poolSites >= 2
            ? (poolSum / poolCount, Math.Sqrt(poolSites / (poolSites - 1.0)))
            : (value, 1.0);

        // Pass 2: the influence.
        var influence = new double[_design.Sites];
        var isTreatedCell = new bool[_design.Cells];
        var isTreatedSite = new bool[_design.Sites];
        int treatedCells = 0, treatedSites = 0;
        foreach (var (block, included, sites, effect) in blocks)
        {
            var (center, scale) = sites >= 2 ? (effect, Math.Sqrt(sites / (sites - 1.0))) : (poolCenter, poolScale);
            for (var k = block.TreatedStart; k < block.TreatedStart + block.TreatedCount; k++)
            {
                if (Included(k, block))
                {
                    var cell = _cells[k];
                    var site = _design.Site[cell];
                    influence[site] += scale * (_changes[k] - block.ControlMean - center) / total;
                    treatedCells += isTreatedCell[cell] ? 0 : 1;
                    isTreatedCell[cell] = true;
                    treatedSites += isTreatedSite[site] ? 0 : 1;
                    isTreatedSite[site] = true;
                }
            }

            var controlScale = (double)included / total / block.ControlCount;
            for (var k = block.ControlStart; k < block.ControlStart + block.ControlCount; k++)
            {
                influence[_design.Site[_cells[k]]] -= controlScale * (_changes[k] - block.ControlMean);
            }
        }

        return new Aggregate(value, influence, treatedCells, treatedSites);
    }

    /// <summary>
    /// The mean of (e + 1) over the treated cell-periods an aggregate with <paramref name="include"/> over event times
    /// ≥ 0 uses: how many periods past the base it lies on average, i.e. how far a linear pre-trend of slope β would
    /// have carried it (bias β × this). NaN without such cell-periods.
    /// </summary>
    public double MeanPeriodsSinceBase(Func<int, int, bool> include)
    {
        var sum = 0.0;
        var count = 0;
        foreach (var block in _blocks.Where(b => b.Event >= 0))
        {
            for (var k = block.TreatedStart; k < block.TreatedStart + block.TreatedCount; k++)
            {
                if (include(_cells[k], block.Event))
                {
                    sum += block.Event + 1;
                    count++;
                }
            }
        }

        return count == 0 ? double.NaN : sum / count;
    }

    /// <summary>Event times that have at least one block.</summary>
    public SortedSet<int> EventTimes() => [.. _blocks.Select(b => b.Event)];

    private void AddBlock(double[][] values, Controls controls, int g, int t, int b, List<int> treated)
    {
        var treatedStart = _cells.Count;
        foreach (var c in treated)
        {
            var change = values[c][t] - values[c][b];
            if (!double.IsNaN(change))
            {
                _cells.Add(c);
                _changes.Add(change);
            }
        }

        var treatedCount = _cells.Count - treatedStart;
        var controlStart = _cells.Count;
        var controlSum = 0.0;
        var latest = Math.Max(t, b);
        var (now, before) = (controls.ByPeriod[t], controls.ByPeriod[b]);
        for (var i = 0; i < controls.Cells.Length; i++)
        {
            var cohort = controls.Cohorts[i];
            if (cohort <= latest)
            {
                break;
            }

            var change = now[i] - before[i];
            if (cohort != g && !double.IsNaN(change))
            {
                _cells.Add(controls.Cells[i]);
                _changes.Add(change);
                controlSum += change;
            }
        }

        var controlCount = _cells.Count - controlStart;
        if (treatedCount == 0 || controlCount == 0)
        {
            _cells.RemoveRange(treatedStart, _cells.Count - treatedStart);
            _changes.RemoveRange(treatedStart, _changes.Count - treatedStart);
            return;
        }

        _blocks.Add(new Block(t - g, treatedStart, treatedCount, controlStart, controlCount, controlSum / controlCount));
    }

    /// <summary>The cells latest cohort first (<see cref="StaggeredDesign.ByCohortDescending"/>), their cohorts and the outcome by period in that order.</summary>
    private sealed record Controls(int[] Cells, int[] Cohorts, double[][] ByPeriod);

    private readonly record struct Block(int Event, int TreatedStart, int TreatedCount, int ControlStart, int ControlCount, double ControlMean);
}

/// <summary>An aggregated effect, its influence function summed per site, and how many treated cells and sites it rests on.</summary>
internal sealed record Aggregate(double Value, double[] Influence, int TreatedCells, int TreatedSites);
