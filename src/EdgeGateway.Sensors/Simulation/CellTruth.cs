using System.Runtime.InteropServices;
using EdgeGateway.Core.Calendar;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;

namespace EdgeGateway.Sensors.Simulation;

/// <summary>
/// The ground truth of one simulated cell: its window totals computed from the simulated intervals by the
/// definitions of the KPI model (src/docs/kpi-model.md), without the engine. Each state interval is classified once it has
/// ended, when the intervals before and after it are known; then it is cut at calendar segments and windows.
/// </summary>
/// <remarks>
/// The truth is what happened, whatever the cell's sensors: the machine state is the simulated activity (off is
/// idle), parts and scrap are the simulated ones, energy integrates the simulated power readings. For a cell with
/// all level, pulse and power signals this is exactly what its trace shows.
/// A failure is a down interval that is not a minor stop and that has down (loss) time; it is counted in the window
/// where its down time begins, as the engine does (a down interval wholly in breaks or outside the shifts is no loss).
/// </remarks>
internal sealed class CellTruth
{
    private const long MinuteMs = 60_000;

    private readonly string _site;
    private readonly CellConfig _cell;
    private readonly TimeZoneInfo _zone;
    private readonly long _from;
    private readonly long _to;
    private readonly long _minorStopMs;
    private readonly bool _minutes;
    private readonly bool _live;
    private readonly WindowKind[] _kinds;
    private readonly Windows[] _windows;

    // Energy and parts arrive in time order; intervals are booked when they end, so each has its own cursor.
    private readonly CalendarCursor _nowCalendar;
    private readonly CalendarCursor _intervalCalendar;

    private MachineState _state = MachineState.Unknown;
    private MachineState _previous = MachineState.Unknown;
    private long _stateFrom;
    private double _powerKw;
    private long _powerFrom;
    private long _dayStart = long.MaxValue;
    private long _dayEnd = long.MinValue;

    /// <summary>
    /// The truth of [<paramref name="fromMs"/>, <paramref name="toMs"/>). <paramref name="live"/>: as an agent measures it
    /// (the first window of each kind from its own start, the time before <paramref name="fromMs"/> unknown), not as a
    /// replay of the trace does (the first window clipped to the trace).
    /// </summary>
    public CellTruth(string site, CellConfig cell, TimeZoneInfo zone, IReadOnlyList<WindowKind> kinds, long fromMs, long toMs, bool live = false)
    {
        _live = live;
        _site = site;
        _cell = cell;
        _zone = zone;
        _from = fromMs;
        _to = toMs;
        _stateFrom = fromMs;
        _powerFrom = fromMs;
        _minorStopMs = (long)Math.Round(cell.MinorStopSeconds * 1000);
        _kinds = [.. kinds];
        _minutes = _kinds.Contains(WindowKind.Minute);
        _windows = new Windows[_kinds.Length];
        for (var i = 0; i < _windows.Length; i++)
        {
            _windows[i] = new Windows();
        }

        var calendar = new ShiftCalendar(cell.Shifts, zone);
        _nowCalendar = new CalendarCursor(calendar);
        _intervalCalendar = new CalendarCursor(calendar);
    }

    /// <summary>Takes one simulated event (events before the end, then those at the end instant).</summary>
    public void On(in SimulatedEvent e)
    {
        switch (e.Kind)
        {
            case SimulatedEventKind.Activity:
                ChangeState(e.TimestampMs, e.Activity.ToMachineState());
                break;
            case SimulatedEventKind.Power:
                BookEnergy(_powerFrom, e.TimestampMs);
                (_powerKw, _powerFrom) = (e.PowerKw, e.TimestampMs);
                break;
            case SimulatedEventKind.Cycle:
                Count(e.TimestampMs, scrap: false);
                break;
            case SimulatedEventKind.Scrap:
                Count(e.TimestampMs, scrap: true);
                break;
        }
    }

    /// <summary>Books up to the end and returns the records: kinds in the order given, windows in time order.</summary>
    public List<WindowRecord> Finish()
    {
        BookEnergy(_powerFrom, _to);
        _powerFrom = _to;
        if (_to > _stateFrom)
        {
            BookInterval(_stateFrom, _to, _state, _previous, next: MachineState.Unknown);
            _stateFrom = _to;
        }

        var records = new List<WindowRecord>();
        for (var k = 0; k < _kinds.Length; k++)
        {
            foreach (var totals in _windows[k].InOrder())
            {
                records.Add(new WindowRecord(_site, _cell, _kinds[k], totals));
            }
        }

        return records;
    }

    private void ChangeState(long at, MachineState next)
    {
        if (next == _state)
        {
            return;
        }

        BookEnergy(_powerFrom, at);
        _powerFrom = at;
        if (at > _stateFrom)
        {
            BookInterval(_stateFrom, at, _state, _previous, next);
            _previous = _state;
        }

        (_state, _stateFrom) = (next, at);
    }

    /// <summary>Books the state interval [from, to) between the states <paramref name="previous"/> and <paramref name="next"/>.</summary>
    private void BookInterval(long from, long to, MachineState state, MachineState previous, MachineState next)
    {
        // Minor stop: a down or idle interval after run and before run, shorter than the threshold, inside one stretch of planned work.
        var first = _intervalCalendar.Locate(from);
        var minor = _minorStopMs > 0 && state is MachineState.Down or MachineState.Idle
            && previous == MachineState.Run && next == MachineState.Run && to - from < _minorStopMs
            && first.State == CalendarState.Working && to <= first.End;
        if (minor)
        {
            Mark(from, first, minorStop: true);
        }

        var failureCounted = false;
        for (var at = from; at < to;)
        {
            var segment = _intervalCalendar.Locate(at);
            var end = PieceEnd(at, to, segment);
            var failure = false;
            Bucket bucket;
            switch (state)
            {
                case MachineState.Unknown:
                    bucket = Bucket.Unknown;
                    break;
                case MachineState.Run:
                    bucket = Bucket.Run;
                    break;
                case MachineState.Setup:
                    bucket = Bucket.Setup;
                    break;
                default:
                    if (minor)
                    {
                        bucket = _cell.MinorStopPolicy == MinorStopPolicy.Nakajima ? Bucket.Run : state == MachineState.Down ? Bucket.Down : Bucket.Idle;
                    }
                    else if (segment.State == CalendarState.Working)
                    {
                        bucket = state == MachineState.Down ? Bucket.Down : Bucket.Idle;
                        failure = state == MachineState.Down;
                    }
                    else
                    {
                        bucket = segment.State == CalendarState.Break ? Bucket.PlannedStop : Bucket.UnplannedTime;
                    }

                    break;
            }

            if (failure && !failureCounted)
            {
                Mark(at, segment, minorStop: false);
                failureCounted = true;
            }

            var ms = end - at;
            for (var k = 0; k < _kinds.Length; k++)
            {
                if (_kinds[k] == WindowKind.Shift && segment.State == CalendarState.Unplanned)
                {
                    continue;
                }

                ref var window = ref Window(k, at, segment);
                window.Buckets[(int)bucket] += ms;
                if (minor)
                {
                    window.MinorStopMs += ms;
                }

                if (failure)
                {
                    window.FailureMs += ms;
                }
            }

            at = end;
        }
    }

    /// <summary>Energy of the power reading held over [from, to), in the state then in force.</summary>
    private void BookEnergy(long from, long to)
    {
        if (_powerKw == 0)
        {
            return;
        }

        var running = _state == MachineState.Run;
        for (var at = from; at < to;)
        {
            var segment = _nowCalendar.Locate(at);
            var end = PieceEnd(at, to, segment);
            var energy = _powerKw * (end - at);
            for (var k = 0; k < _kinds.Length; k++)
            {
                if (_kinds[k] == WindowKind.Shift && segment.State == CalendarState.Unplanned)
                {
                    continue;
                }

                ref var window = ref Window(k, at, segment);
                window.EnergyKwMs += energy;
                if (!running)
                {
                    window.NonRunEnergyKwMs += energy;
                }
            }

            at = end;
        }
    }

    private void Count(long at, bool scrap)
    {
        var segment = _nowCalendar.Locate(at);
        var unattended = !segment.IsStaffed;
        for (var k = 0; k < _kinds.Length; k++)
        {
            if (_kinds[k] == WindowKind.Shift && segment.State == CalendarState.Unplanned)
            {
                continue;
            }

            ref var window = ref Window(k, at, segment);
            // Without articles every cycle is one part of article slot 0 ("none set"), as the engine counts it.
            if (scrap)
            {
                window.Scrap++;
                window.ArticleScrap[0]++;
                window.UnattendedScrap += unattended ? 1 : 0;
            }
            else
            {
                window.Produced++;
                window.ArticleCycles[0]++;
                window.UnattendedProduced += unattended ? 1 : 0;
            }
        }
    }

    private void Mark(long at, CalendarSegment segment, bool minorStop)
    {
        for (var k = 0; k < _kinds.Length; k++)
        {
            if (_kinds[k] == WindowKind.Shift && segment.State == CalendarState.Unplanned)
            {
                continue;
            }

            ref var window = ref Window(k, at, segment);
            if (minorStop)
            {
                window.MinorStops++;
            }
            else
            {
                window.Failures++;
            }
        }
    }

    /// <summary>Where a piece from <paramref name="at"/> ends: it lies in one calendar segment and one window of every kind.</summary>
    private long PieceEnd(long at, long to, in CalendarSegment segment)
    {
        var end = Math.Min(to, segment.End);
        end = Math.Min(end, DayBounds(at).End);
        return _minutes ? Math.Min(end, at - (at % MinuteMs) + MinuteMs) : end;
    }

    private (long Start, long End) DayBounds(long at)
    {
        if (at < _dayStart || at >= _dayEnd)
        {
            _dayStart = SiteTime.StartOfLocalDay(at, _zone);
            _dayEnd = SiteTime.FromWallClock(SiteTime.ToWallClock(at, _zone).Date.AddDays(1), _zone);
        }

        return (_dayStart, _dayEnd);
    }

    /// <summary>The window of kind number <paramref name="k"/> containing <paramref name="at"/> (in <paramref name="segment"/>), clipped to the run (its start only when not live).</summary>
    private ref WindowTotals Window(int k, long at, in CalendarSegment segment)
    {
        var (start, end) = _kinds[k] switch
        {
            WindowKind.Total => (_from, _to),
            WindowKind.Day => DayBounds(at),
            WindowKind.Shift => (segment.ShiftStart, segment.ShiftEnd),
            _ => (at - (at % MinuteMs), at - (at % MinuteMs) + MinuteMs),
        };

        if (_live && _kinds[k] != WindowKind.Total)
        {
            return ref _windows[k].Get(start, start, Math.Min(end, _to), unknownBefore: Math.Max(0, _from - start));
        }

        return ref _windows[k].Get(start, Math.Max(start, _from), Math.Min(end, _to), unknownBefore: 0);
    }

    /// <summary>The windows of one kind, by their unclipped start.</summary>
    private sealed class Windows
    {
        private readonly Dictionary<long, int> _index = [];
        private readonly List<WindowTotals> _totals = [];
        private long _lastKey = long.MinValue;
        private int _last = -1;

        public ref WindowTotals Get(long key, long start, long end, long unknownBefore)
        {
            if (key != _lastKey || _last < 0)
            {
                if (!_index.TryGetValue(key, out _last))
                {
                    _last = _totals.Count;
                    _index.Add(key, _last);
                    var totals = new WindowTotals { Start = start, End = end };
                    totals.Buckets[(int)Bucket.Unknown] = unknownBefore;
                    _totals.Add(totals);
                }

                _lastKey = key;
            }

            return ref CollectionsMarshal.AsSpan(_totals)[_last];
        }

        public List<WindowTotals> InOrder()
        {
            var ordered = new List<WindowTotals>(_totals);
            ordered.Sort((a, b) => a.Start.CompareTo(b.Start));
            return ordered;
        }
    }
}
