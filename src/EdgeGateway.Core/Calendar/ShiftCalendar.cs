using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Core.Calendar;

/// <summary>
/// A cell's shifts in the site's time zone. Shift occurrences are computed on demand from wall-clock
/// rules, so a shift spanning a DST jump has its real length (7 h or 9 h for a 22:00-06:00 shift). A start, end or
/// break time that the clock skips or shows twice is placed by <see cref="SiteTime.FromWallClock"/>: the first
/// instant the clock shows it or later. Locating allocates nothing.
/// </summary>
public sealed class ShiftCalendar
{
    private readonly Rule[] _rules;
    private readonly TimeZoneInfo _zone;

    /// <summary>Compiles validated shifts (no overlaps, breaks inside their shift).</summary>
    public ShiftCalendar(IReadOnlyList<ShiftConfig> shifts, TimeZoneInfo zone)
    {
        _zone = zone;
        _rules = new Rule[shifts.Count];
        for (var i = 0; i < shifts.Count; i++)
        {
            var shift = shifts[i];
            var breaks = new (int From, int To)[shift.Breaks.Count];
            for (var b = 0; b < breaks.Length; b++)
            {
                breaks[b] = (
                    WallClock.MinutesBetween(shift.Start, shift.Breaks[b].Start) % 1440,
                    WallClock.MinutesBetween(shift.Start, shift.Breaks[b].End));
            }

            _rules[i] = new Rule(shift.Days, (shift.Start.Hour * 60) + shift.Start.Minute, shift.LengthMinutes, shift.Staffed, breaks);
        }
    }

    /// <summary>The segment that contains instant <paramref name="ms"/> (Unix milliseconds, UTC).</summary>
    public CalendarSegment Locate(long ms)
    {
        var today = SiteTime.ToWallClock(ms, _zone).Date;

        // Nothing planned later today: the segment ends at the next local midnight at the latest.
        var end = SiteTime.FromWallClock(today.AddDays(1), _zone);

        // A shift lasts at most a day, so only occurrences starting yesterday, today or tomorrow matter.
        for (var dayOffset = -1; dayOffset <= 1; dayOffset++)
        {
            var day = today.AddDays(dayOffset);
            foreach (var rule in _rules)
            {
                if (!rule.Days.Contains(day.DayOfWeek))
                {
                    continue;
                }

                var wallStart = day.AddMinutes(rule.StartMinute);
                var start = SiteTime.FromWallClock(wallStart, _zone);
                var shiftEnd = SiteTime.FromWallClock(wallStart.AddMinutes(rule.LengthMinutes), _zone);
                if (start > ms)
                {
                    end = Math.Min(end, start);
                }
                else if (ms < shiftEnd)
                {
                    return Within(rule, wallStart, start, shiftEnd, ms);
                }
            }
        }

        return new CalendarSegment(end, CalendarState.Unplanned, Staffed: false, 0, 0);
    }

    private CalendarSegment Within(Rule rule, DateTime wallStart, long shiftStart, long shiftEnd, long ms)
    {
        var end = shiftEnd;
        foreach (var (from, to) in rule.Breaks)
        {
            var breakStart = SiteTime.FromWallClock(wallStart.AddMinutes(from), _zone);
            var breakEnd = SiteTime.FromWallClock(wallStart.AddMinutes(to), _zone);
            if (breakStart <= ms && ms < breakEnd)
            {
                return new CalendarSegment(breakEnd, CalendarState.Break, rule.Staffed, shiftStart, shiftEnd);
            }

            if (breakStart > ms)
            {
                end = Math.Min(end, breakStart);
            }
        }

        return new CalendarSegment(end, CalendarState.Working, rule.Staffed, shiftStart, shiftEnd);
    }

    private readonly record struct Rule(DaysOfWeek Days, int StartMinute, int LengthMinutes, bool Staffed, (int From, int To)[] Breaks);
}
