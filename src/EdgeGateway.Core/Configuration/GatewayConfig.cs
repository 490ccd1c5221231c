using EdgeGateway.Core.Signals;

namespace EdgeGateway.Core.Configuration;

/// <summary>The validated configuration of one gateway (section <c>EdgeGateway</c>).</summary>
public sealed record GatewayConfig(string Site, TimeZoneInfo TimeZone, IReadOnlyList<CellConfig> Cells);

/// <summary>How minor stops are booked (src/docs/kpi-model.md, "Minor stops").</summary>
public enum MinorStopPolicy
{
    /// <summary>ISO 22400: a minor stop stays in its down/idle bucket (availability loss) and is counted.</summary>
    Iso22400,

    /// <summary>Nakajima: a minor stop is booked as run, so it lowers effectiveness instead of availability.</summary>
    Nakajima,
}

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

/// <summary>Where a config item was written: for error messages of components that read it later.</summary>
public sealed record ConfigLocation(string File, int Line, string Path)
{
    /// <summary>Formats a problem the way every config error reads: <c>file:line: path: problem</c>.</summary>
    public string Describe(string problem) => $"{File}:{Line}: {Path}: {problem}";

    /// <summary>An <see cref="InputException"/> for a problem at this location.</summary>
    public InputException Problem(string problem) => new(File, Line, $"{Path}: {problem}");
}

/// <summary>A config section that another component reads itself (its JSON text and where it was written).</summary>
public sealed record ConfigSection(string Json, ConfigLocation Location);

/// <summary>A named signal of a cell and its role; <see cref="Source"/> is the hardware address (ignored by replay).</summary>
public sealed record SignalConfig(string Name, SignalRole Role, string? Source)
{
    /// <summary>How the hardware input is read; only what the config set.</summary>
    public SourceOptions Options { get; init; } = new();

    /// <summary>Where the signal was declared.</summary>
    public ConfigLocation Location { get; init; } = new("", 0, Name);
}

/// <summary>Pull resistor of a digital input.</summary>
public enum InputPull
{
    /// <summary>No internal pull resistor (the opto board drives the line).</summary>
    None,

    /// <summary>Internal pull-up.</summary>
    Up,

    /// <summary>Internal pull-down.</summary>
    Down,
}

/// <summary>
/// Hardware options of a signal's source (src/docs/sources.md); null means the source's default.
/// Which options apply depends on the source kind; the sensors layer rejects the others.
/// </summary>
public sealed record SourceOptions
{
    /// <summary>Digital: the input reads 0 when the lamp/contact is on.</summary>
    public bool? ActiveLow { get; init; }

    /// <summary>Digital: internal pull resistor.</summary>
    public InputPull? Pull { get; init; }

    /// <summary>Digital: edges closer than this to the last accepted edge are contact bounce.</summary>
    public double? DebounceMs { get; init; }

    /// <summary>Analog: samples per second read from the converter.</summary>
    public double? SampleRateHz { get; init; }

    /// <summary>Analog: RMS / averaging window; one value is emitted per window.</summary>
    public double? WindowMs { get; init; }

    /// <summary>Current transformer: turns ratio (primary amps per secondary amp), e.g. 2000 for 100 A : 50 mA.</summary>
    public double? CtRatio { get; init; }

    /// <summary>Current transformer: burden resistor in ohms.</summary>
    public double? BurdenOhms { get; init; }

    /// <summary>Power: line voltage (phase to neutral) in volts.</summary>
    public double? VoltageV { get; init; }

    /// <summary>Power: 1 or 3 phases (balanced load assumed).</summary>
    public int? Phases { get; init; }

    /// <summary>Power: power factor, 0 &lt; pf ≤ 1.</summary>
    public double? PowerFactor { get; init; }

    /// <summary>Readings below this are implausible (a sensor fault).</summary>
    public double? PlausibleMin { get; init; }

    /// <summary>Readings above this are implausible (a sensor fault).</summary>
    public double? PlausibleMax { get; init; }

    /// <summary>An analog reading unchanged for this long means a stuck sensor (a fault).</summary>
    public double? StuckAfterSeconds { get; init; }
}

/// <summary>Machine state from power: off below <see cref="OffBelowKw"/>, run above <see cref="RunAboveKw"/>, idle between.</summary>
public sealed record PowerStateConfig(string Signal, double OffBelowKw, double RunAboveKw, double HysteresisKw, double MinDwellSeconds);

/// <summary>
/// Parts from power peaks: a cycle is an episode of smoothed power at or above <see cref="AboveKw"/> (and not above
/// <see cref="BelowKw"/>, if set) lasting between the minimum and maximum cycle length; one part when it ends.
/// </summary>
public sealed record PowerCycleConfig(string Signal, double AboveKw, double? BelowKw, double HysteresisKw, int SmoothingSamples, double MinCycleSeconds, double MaxCycleSeconds);

/// <summary>A recurring shift in site-local wall-clock time; <see cref="End"/> at or before <see cref="Start"/> means it ends the next day.</summary>
public sealed record ShiftConfig(DaysOfWeek Days, TimeOnly Start, TimeOnly End, bool Staffed, IReadOnlyList<BreakConfig> Breaks)
{
    /// <summary>Length in wall-clock minutes (1..1440); real length differs on DST days.</summary>
    public int LengthMinutes => WallClock.MinutesBetween(Start, End);
}

/// <summary>A planned break inside a shift, in site-local wall-clock time.</summary>
public sealed record BreakConfig(TimeOnly Start, TimeOnly End);

/// <summary>A set of days of the week.</summary>
[Flags]
public enum DaysOfWeek
{
    None = 0,
    Sunday = 1 << DayOfWeek.Sunday,
    Monday = 1 << DayOfWeek.Monday,
    Tuesday = 1 << DayOfWeek.Tuesday,
    Wednesday = 1 << DayOfWeek.Wednesday,
    Thursday = 1 << DayOfWeek.Thursday,
    Friday = 1 << DayOfWeek.Friday,
    Saturday = 1 << DayOfWeek.Saturday,
}

/// <summary>Wall-clock arithmetic shared by config validation and the calendar.</summary>
public static class WallClock
{
    /// <summary>Minutes from <paramref name="from"/> forward to <paramref name="to"/>, in 1..1440 (equal times mean a full day).</summary>
    public static int MinutesBetween(TimeOnly from, TimeOnly to)
    {
        var minutes = (int)Math.Round((to - from).TotalMinutes);
        return minutes == 0 ? 1440 : minutes;
    }

    /// <summary>True when <paramref name="days"/> contains <paramref name="day"/>.</summary>
    public static bool Contains(this DaysOfWeek days, DayOfWeek day) => ((int)days & (1 << (int)day)) != 0;
}
