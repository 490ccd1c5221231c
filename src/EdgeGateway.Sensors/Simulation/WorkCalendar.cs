using EdgeGateway.Core.Calendar;
using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Sensors.Simulation;

/// <summary>A <see cref="ShiftCalendar"/> that remembers the segment located last, for callers moving forward in time.</summary>
internal sealed class CalendarCursor(ShiftCalendar calendar)
{
    private long _from = long.MaxValue;
    private CalendarSegment _segment;

    /// <summary>The segment containing <paramref name="ms"/>, from <paramref name="ms"/> (or earlier) to its end.</summary>
    public CalendarSegment Locate(long ms)
    {
        if (ms < _from || ms >= _segment.End)
        {
            _segment = calendar.Locate(ms);
            _from = ms;
        }

        return _segment;
    }
}

/// <summary>
/// When the simulated machine is worked: the cell's shifts plus the extra shifts of the simulation, which the
/// investment replaces at go-live, with the plant calendar (its one-off shifts are worked, nothing runs while the plant
/// is closed, announced closures included). This is the operators' schedule; the KPIs keep using the cell's own calendar.
/// </summary>
internal sealed class WorkCalendar
{
    private readonly CalendarCursor _before;
    private readonly CalendarCursor _after;
    private readonly long _goLive;

    public WorkCalendar(CellConfig cell, SimulationOptions options, TimeZoneInfo zone, IReadOnlyList<AnnouncedClosure> closures)
    {
        CalendarCursor Worked(IReadOnlyList<ShiftConfig> extraShifts)
        {
            var calendar = new ShiftCalendar([.. cell.Shifts, .. extraShifts], zone, cell.Calendar);
            foreach (var closure in closures)
            {
                calendar.AddClosure(closure.Time);
            }

            return new CalendarCursor(calendar);
        }

        _before = Worked(options.ExtraShifts);
        _goLive = options.Investment?.GoLiveMs ?? long.MaxValue;
        _after = options.Investment is { } investment ? Worked(investment.ExtraShifts) : _before;
    }

    /// <summary>The work segment containing <paramref name="ms"/>; a segment before go-live ends there at the latest.</summary>
    public CalendarSegment Locate(long ms)
    {
        if (ms >= _goLive)
        {
            return _after.Locate(ms);
        }

        var segment = _before.Locate(ms);
        return segment.End > _goLive ? segment with { End = _goLive } : segment;
    }

    /// <summary>The first instant from <paramref name="ms"/> on, before <paramref name="limit"/>, in staffed working time; null if none.</summary>
    public long? NextStaffedWork(long ms, long limit)
    {
        while (ms < limit)
        {
            var segment = Locate(ms);
            if (segment.IsStaffed)
            {
                return ms;
            }

            ms = segment.End;
        }

        return null;
    }
}
