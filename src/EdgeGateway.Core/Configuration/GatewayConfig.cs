using EdgeGateway.Core.Signals;

namespace EdgeGateway.Core.Configuration;

/// <summary>The validated configuration of one gateway (section <c>EdgeGateway</c>).</summary>
public sealed record GatewayConfig(string Site, TimeZoneInfo TimeZone, IReadOnlyList<CellConfig> Cells);

/// <summary>How minor stops are booked (DESIGN.md, "Minor stops").</summary>
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
    IReadOnlyList<ShiftConfig> Shifts);

/// <summary>A named signal of a cell and its role; <see cref="Source"/> is the hardware address (ignored by replay).</summary>
public sealed record SignalConfig(string Name, SignalRole Role, string? Source);

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
