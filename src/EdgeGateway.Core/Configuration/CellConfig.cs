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
}

/// <summary>How minor stops are booked (src/docs/kpi-model.md, "Minor stops").</summary>
public enum MinorStopPolicy
{
    /// <summary>ISO 22400: a minor stop stays in its down/idle bucket (availability loss) and is counted.</summary>
    Iso22400,

    /// <summary>Nakajima: a minor stop is booked as run, so it lowers effectiveness instead of availability.</summary>
    Nakajima,
}
