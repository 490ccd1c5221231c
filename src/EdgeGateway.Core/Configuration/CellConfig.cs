namespace EdgeGateway.Core.Configuration;

/// <summary>One work cell: its signals, its shift calendar and its KPI parameters.</summary>
public sealed record CellConfig(
    string Id,
    double IdealCycleSeconds,
    double MinorStopSeconds,
    MinorStopPolicy MinorStopPolicy,
    IReadOnlyList<SignalConfig> Signals,
    IReadOnlyList<ShiftConfig> Shifts)
{
    /// <summary>Machine state from the power signal alone (cells without a stack light), or null.</summary>
    public PowerStateConfig? StateFromPower { get; init; }

    /// <summary>Parts counted from power peaks (cells without a cycle sensor), or null.</summary>
    public PowerCycleConfig? CyclesFromPower { get; init; }

    /// <summary>The cell's <c>Simulation</c> section as JSON (read by the simulator), or null.</summary>
    public ConfigSection? Simulation { get; init; }

    /// <summary>
    /// The articles the cell makes; empty: every cycle is one part of <see cref="IdealCycleSeconds"/>. Cycles while no
    /// article is set count at <see cref="IdealCycleSeconds"/>, one part each.
    /// </summary>
    public IReadOnlyList<ArticleConfig> Articles { get; init; } = [];

    /// <summary>The site's downtime reasons (the same for every cell of a gateway).</summary>
    public StopReasons Reasons { get; init; } = StopReasons.None;

    /// <summary>Closures and one-off shifts of the plant that apply to this cell.</summary>
    public PlantCalendar Calendar { get; init; } = PlantCalendar.Empty;

    /// <summary>The index of article <paramref name="id"/> in <see cref="Articles"/>, or -1.</summary>
    public int ArticleIndex(string id)
    {
        for (var i = 0; i < Articles.Count; i++)
        {
            if (Articles[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>How minor stops are booked (src/docs/kpi-model.md, "Minor stops").</summary>
public enum MinorStopPolicy
{
    /// <summary>ISO 22400: a minor stop stays in its down/idle bucket (availability loss) and is counted.</summary>
    Iso22400,

    /// <summary>Nakajima: a minor stop is booked as run, so it lowers effectiveness instead of availability.</summary>
    Nakajima,
}
