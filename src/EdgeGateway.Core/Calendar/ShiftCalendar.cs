using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Core.Calendar;

/// <summary>
/// A cell's shifts in the site's time zone, with the plant calendar (src/docs/kpi-model.md, "Plant calendar"). Weekly
/// shift occurrences are computed on demand from wall-clock rules, so a shift spanning a DST jump has its real length
/// (7 h or 9 h for a 22:00-06:00 shift). A start, end or break time that the clock skips or shows twice is placed by
/// <see cref="SiteTime.FromWallClock"/>: the first instant the clock shows it or later. One-off shifts add occurrences;
/// closures take time out of every occurrence: one they cover whole is not planned at all, the closed part of one they
/// cover in part is a planned stop like a break (the shift keeps its bounds, so its record still fills its window).
/// Locating allocates nothing; adding a closure or a one-off shift at run time does.
/// </summary>
public sealed class ShiftCalendar
{
    private readonly Rule[] _rules;
    private readonly TimeZoneInfo _zone;
    private readonly List<OneOffShift> _extraShifts = [];

    // Disjoint and sorted: overlapping and touching closures are merged when added.
    private readonly List<TimeRange> _closures = [];

    /// <summary>Compiles validated shifts (no overlaps, breaks inside their shift) and the cell's plant calendar.</summary>
    public ShiftCalendar(IReadOnlyList<ShiftConfig> shifts, TimeZoneInfo zone, PlantCalendar? plant = null)
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

        foreach (var closure in plant?.Closures ?? [])
        {
            AddClosure(closure);
        }

        _extraShifts.AddRange(plant?.ExtraShifts ?? []);
    }

    /// <summary>Closes [from, to): the time of every shift in it is no longer planned.</summary>
    public void AddClosure(TimeRange closure)
    {
        if (closure.ToMs <= closure.FromMs)
        {
            return;
        }

        var merged = closure;
        for (var i = _closures.Count - 1; i >= 0; i--)
        {
            var other = _closures[i];
            if (other.FromMs <= merged.ToMs && merged.FromMs <= other.ToMs)
            {
                merged = new TimeRange(Math.Min(other.FromMs, merged.FromMs), Math.Max(other.ToMs, merged.ToMs));
                _closures.RemoveAt(i);
            }
        }

        var at = _closures.FindIndex(c => c.FromMs > merged.FromMs);
        _closures.Insert(at < 0 ? _closures.Count : at, merged);
    }

    /// <summary>Whether [from, to) meets a shift occurrence, weekly or one-off, that a closure does not cover whole.</summary>
    public bool OverlapsShift(TimeRange time)
    {
        for (var at = time.FromMs; at < time.ToMs;)
        {
            var segment = Locate(at);
            if (segment.State != CalendarState.Unplanned)
            {
                return true;
            }

            at = segment.End;
        }

        return false;
    }

    /// <summary>Adds a one-off shift that does not overlap another (<see cref="OverlapsShift"/>).</summary>
    public void AddExtraShift(OneOffShift shift) => _extraShifts.Add(shift);

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
                if (ClosedWhole(start, shiftEnd))
                {
                    continue;
                }

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

        foreach (var extra in _extraShifts)
        {
            if (ClosedWhole(extra.Time.FromMs, extra.Time.ToMs))
            {
                continue;
            }

            if (extra.Time.FromMs > ms)
            {
                end = Math.Min(end, extra.Time.FromMs);
            }
            else if (ms < extra.Time.ToMs)
            {
                return WithinExtra(extra, ms);
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
                return Closed(new CalendarSegment(breakEnd, CalendarState.Break, rule.Staffed, shiftStart, shiftEnd), ms);
            }

            if (breakStart > ms)
            {
                end = Math.Min(end, breakStart);
            }
        }

        return Closed(new CalendarSegment(end, CalendarState.Working, rule.Staffed, shiftStart, shiftEnd), ms);
    }

    private CalendarSegment WithinExtra(OneOffShift extra, long ms)
    {
        var (shiftStart, shiftEnd) = (extra.Time.FromMs, extra.Time.ToMs);
        var end = shiftEnd;
        for (var i = 0; i < extra.Breaks.Count; i++)
        {
            var pause = extra.Breaks[i];
            if (pause.Contains(ms))
            {
                return Closed(new CalendarSegment(pause.ToMs, CalendarState.Break, extra.Staffed, shiftStart, shiftEnd), ms);
            }

            if (pause.FromMs > ms)
            {
                end = Math.Min(end, pause.FromMs);
            }
        }

        return Closed(new CalendarSegment(end, CalendarState.Working, extra.Staffed, shiftStart, shiftEnd), ms);
    }

    /// <summary>Inside a shift: a closure makes its part a planned stop (an unstaffed break) and ends the segment where it starts.</summary>
    private CalendarSegment Closed(CalendarSegment segment, long ms)
    {
        foreach (var closure in _closures)
        {
            if (closure.Contains(ms))
            {
                return segment with { End = Math.Min(closure.ToMs, segment.ShiftEnd), State = CalendarState.Break, Staffed = false };
            }

            if (closure.FromMs > ms)
            {
                return closure.FromMs < segment.End ? segment with { End = closure.FromMs } : segment;
            }
        }

        return segment;
    }

    private bool ClosedWhole(long from, long to)
    {
        foreach (var closure in _closures)
        {
            if (closure.FromMs <= from && to <= closure.ToMs)
            {
                return true;
            }
        }

        return false;
    }

    private readonly record struct Rule(DaysOfWeek Days, int StartMinute, int LengthMinutes, bool Staffed, (int From, int To)[] Breaks);
}
