namespace EdgeGateway.Core.Configuration;

/// <summary>
/// One article a cell makes (<c>Cells[].Articles</c>): its ideal cycle time and, for a multi-cavity tool, how many parts one
/// cycle makes. While it is the cell's current article, each cycle pulse is <see cref="PartsPerCycle"/> parts and
/// <see cref="IdealCycleSeconds"/> of ideal time.
/// </summary>
public sealed record ArticleConfig(string Id, string? Name, double IdealCycleSeconds, int PartsPerCycle)
{
    /// <summary>At most this many articles per cell: each has its counts in every window (<see cref="Kpi.ArticleCounts"/>).</summary>
    public const int MaxPerCell = Kpi.ArticleCounts.Capacity - 1;
}
