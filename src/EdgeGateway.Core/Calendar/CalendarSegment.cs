
namespace EdgeGateway.Core.Calendar;

/// <summary>Where an instant falls in a cell's shift calendar.</summary>
public enum CalendarState : byte
{
    /// <summary>Outside every shift: nobody planned production.</summary>
    Unplanned,

    /// <summary>Inside a shift and not in a break: planned production time.</summary>
    Working,

    /// <summary>Inside a break of a shift: planned stop.</summary>
    Break,
}

/// <summary>
/// A stretch of time with one calendar state, from the instant it was located until <see cref="End"/>.
/// <see cref="ShiftStart"/>/<see cref="ShiftEnd"/> bound the shift occurrence (breaks included) unless unplanned.
/// </summary>
public readonly record struct CalendarSegment(long End, CalendarState State, bool Staffed, long ShiftStart, long ShiftEnd)
{
    /// <summary>Staffed planned production time: breaks are not staffed.</summary>
    public bool IsStaffed => State == CalendarState.Working && Staffed;
}
