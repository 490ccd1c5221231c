namespace EdgeGateway.Core.Configuration;

/// <summary>A stretch of time [<see cref="FromMs"/>, <see cref="ToMs"/>), Unix milliseconds UTC.</summary>
public readonly record struct TimeRange(long FromMs, long ToMs)
{
    public long LengthMs => ToMs - FromMs;

    public bool Contains(long ms) => FromMs <= ms && ms < ToMs;

    public bool Overlaps(TimeRange other) => FromMs < other.ToMs && other.FromMs < ToMs;
}

/// <summary>
/// A shift on one date only (an extra Saturday shift): its instants are fixed, so its breaks are too.
/// Config: <c>EdgeGateway.PlantCalendar.ExtraShifts</c>; at run time: <c>edgegw calendar extra-shift</c>.
/// </summary>
public sealed record OneOffShift(TimeRange Time, bool Staffed, IReadOnlyList<TimeRange> Breaks);

/// <summary>
/// The plant calendar of a cell beside its weekly shifts (src/docs/kpi-model.md, "Plant calendar"): closures (public holidays,
/// the summer shutdown, a partial closure) take their time out of every shift, and one-off shifts add planned time.
/// </summary>
public sealed record PlantCalendar(IReadOnlyList<TimeRange> Closures, IReadOnlyList<OneOffShift> ExtraShifts)
{
    public static readonly PlantCalendar Empty = new([], []);
}
