namespace EdgeGateway.Core.Configuration;

/// <summary>A recurring shift in site-local wall-clock time; <see cref="End"/> at or before <see cref="Start"/> means it ends the next day.</summary>
public sealed record ShiftConfig(DaysOfWeek Days, TimeOnly Start, TimeOnly End, bool Staffed, IReadOnlyList<BreakConfig> Breaks)
{
    /// <summary>Length in wall-clock minutes (1..1440); real length differs on DST days.</summary>
    public int LengthMinutes => WallClock.MinutesBetween(Start, End);

    /// <summary>True when the two shifts overlap on some day, compared in wall-clock minutes of the week (a shift may run into the next week).</summary>
    public bool OverlapsOnSomeDay(ShiftConfig other)
    {
        ArgumentNullException.ThrowIfNull(other);
        const int Week = 7 * 1440;
        for (var dayA = 0; dayA < 7; dayA++)
        {
            if (!Days.Contains((DayOfWeek)dayA))
            {
                continue;
            }

            var aFrom = (dayA * 1440) + (Start.Hour * 60) + Start.Minute;
            for (var dayB = 0; dayB < 7; dayB++)
            {
                if (!other.Days.Contains((DayOfWeek)dayB))
                {
                    continue;
                }

                var bFrom = (dayB * 1440) + (other.Start.Hour * 60) + other.Start.Minute;
                for (var wrap = -Week; wrap <= Week; wrap += Week)
                {
                    if (aFrom < bFrom + wrap + other.LengthMinutes && bFrom + wrap < aFrom + LengthMinutes)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
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
