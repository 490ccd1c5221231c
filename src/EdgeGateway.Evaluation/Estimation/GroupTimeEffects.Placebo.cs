namespace EdgeGateway.Evaluation.Estimation;

/// <summary>The variance of an aggregate whose treated cells lie in a few sites, from placebo sites (Conley &amp; Taber 2011).</summary>
internal sealed partial class GroupTimeEffects
{
    /// <summary>
    /// The variance of <see cref="Aggregate"/>'s value over the same blocks, with the treated sites' part estimated
    /// from placebo sites instead of from the treated sites' own spread; null when a treated site has fewer than
    /// <paramref name="minimumPlaceboSites"/> placebo sites with data in all of its blocks. <paramref name="clusters"/>:
    /// the sites with data (S), as the bootstrap scales its variance.
    /// </summary>
    /// <remarks>
    /// An aggregate's error is its treated cells' noise plus its controls' noise. With G₁ treated sites the clustered
    /// variance of the first rests on G₁ − 1 degrees of freedom: with 2 sites one contrast, whose t(1) intervals are
    /// ±12.7 standard errors wide. Conley &amp; Taber's assumption — a treated site's noise is distributed like a
    /// never-treated site's — lets the many never-treated sites estimate it: a placebo site (all its cells never
    /// treated) takes each treated site's place, its j-th cell the j-th treated cell's blocks (cells reused in turn
    /// when it has fewer), and its cells' deviations from each block's control mean, × √(N/(N−1)) (N = the block's
    /// controls, which include the placebo cell), summed with the aggregate's weights, are a draw of that site's
    /// treated noise. The treated part's variance is the mean square of those draws over the placebo sites (their
    /// expectation is 0: no placebo site is treated); the controls' part is the clustered Σ_s C_s² × S/(S−1) of the
    /// control influence, as in the bootstrap. The cross term of a site that is treated in some blocks and a control
    /// in others is left out.
    /// </remarks>
    public PlaceboVariance? Placebo(int minEvent, int maxEvent, Func<int, int, bool> include, int minimumPlaceboSites, int clusters)
    {
        var placeboCells = PlaceboSiteCells();

        // The included treated entries per block, and the total the aggregate's weights divide by.
        var included = new List<(int Block, List<int> Cells)>();
        var total = 0;
        for (var i = 0; i < _blocks.Count; i++)
        {
            var block = _blocks[i];
            if (block.Event < minEvent || block.Event > maxEvent)
            {
                continue;
            }

            var cells = new List<int>();
            for (var k = block.TreatedStart; k < block.TreatedStart + block.TreatedCount; k++)
            {
                if (include(_cells[k], block.Event))
                {
                    cells.Add(_cells[k]);
                }
            }

            if (cells.Count > 0)
            {
                included.Add((i, cells));
                total += cells.Count;
            }
        }

        if (total == 0)
        {
            return null;
        }

        // The controls' part of the influence per site, and each placebo cell's scaled deviation per block.
        var controlPart = new double[_design.Sites];
        var deviations = new Dictionary<(int Block, int Cell), double>();
        foreach (var (i, cells) in included)
        {
            var block = _blocks[i];
            var controlScale = (double)cells.Count / total / block.ControlCount;
            var leaveOneOut = block.ControlCount > 1 ? Math.Sqrt(block.ControlCount / (block.ControlCount - 1.0)) : double.NaN;
            for (var k = block.ControlStart; k < block.ControlStart + block.ControlCount; k++)
            {
                var cell = _cells[k];
                var deviation = _changes[k] - block.ControlMean;
                controlPart[_design.Site[cell]] -= controlScale * deviation;
                if (placeboCells.ContainsKey(_design.Site[cell]) && !double.IsNaN(leaveOneOut))
                {
                    deviations[(i, cell)] = leaveOneOut * deviation;
                }
            }
        }

        // Each treated site's cells, in order: the j-th takes a placebo site's j-th cell.
        var treatedBySite = new SortedDictionary<int, List<int>>();
        foreach (var cell in included.SelectMany(x => x.Cells).Distinct().Order())
        {
            var site = _design.Site[cell];
            if (!treatedBySite.TryGetValue(site, out var cells))
            {
                treatedBySite[site] = cells = [];
            }

            cells.Add(cell);
        }

        var treatedVariance = 0.0;
        var fewestPlaceboSites = int.MaxValue;
        foreach (var cells in treatedBySite.Values)
        {
            var sumSquares = 0.0;
            var usable = 0;
            foreach (var placebo in placeboCells.Values)
            {
                if (PlaceboDraw(included, cells, placebo, deviations, total) is { } draw)
                {
                    sumSquares += draw * draw;
                    usable++;
                }
            }

            if (usable < minimumPlaceboSites)
            {
                return null;
            }

            treatedVariance += sumSquares / usable;
            fewestPlaceboSites = Math.Min(fewestPlaceboSites, usable);
        }

        var controlVariance = controlPart.Sum(c => c * c) * clusters / (clusters - 1.0);
        return new PlaceboVariance(treatedVariance + controlVariance, fewestPlaceboSites);
    }

    /// <summary>The placebo site's draw of a treated site's noise; null when one of its cells lacks a block.</summary>
    private static double? PlaceboDraw(
        List<(int Block, List<int> Cells)> included, List<int> treatedCells, int[] placebo, Dictionary<(int Block, int Cell), double> deviations, int total)
    {
        var sum = 0.0;
        foreach (var (i, cells) in included)
        {
            foreach (var cell in cells)
            {
                var j = treatedCells.IndexOf(cell);
                if (j < 0)
                {
                    continue;
                }

                if (!deviations.TryGetValue((i, placebo[j % placebo.Length]), out var deviation))
                {
                    return null;
                }

                sum += deviation / total;
            }
        }

        return sum;
    }

    /// <summary>The sites none of whose cells is treated within the window, with their never-treated cells in order.</summary>
    private Dictionary<int, int[]> PlaceboSiteCells()
    {
        var cells = new Dictionary<int, List<int>>();
        var treated = new HashSet<int>();
        for (var c = 0; c < _design.Cells; c++)
        {
            var site = _design.Site[c];
            if (_design.Cohort[c] == StaggeredDesign.Never)
            {
                if (!cells.TryGetValue(site, out var list))
                {
                    cells[site] = list = [];
                }

                list.Add(c);
            }
            else if (_design.Cohort[c] != StaggeredDesign.Excluded)
            {
                treated.Add(site);
            }
        }

        return cells.Where(x => !treated.Contains(x.Key)).ToDictionary(x => x.Key, x => x.Value.ToArray());
    }
}

/// <summary>An aggregate's variance with its treated part from placebo sites, and the fewest placebo sites a treated site had.</summary>
internal sealed record PlaceboVariance(double Variance, int PlaceboSites);
