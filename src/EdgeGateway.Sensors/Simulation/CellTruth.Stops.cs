using EdgeGateway.Core.Calendar;
using EdgeGateway.Core.Kpi;

namespace EdgeGateway.Sensors.Simulation;

/// <summary>
/// The truth of stops and reasons (src/docs/kpi-model.md, "Stops and reasons"), from the whole run's state intervals and
/// the reasons given, without the engine. A stop is the time the machine is down or idle inside one stretch of working
/// time: a calendar boundary ends it, and where working time begins while the machine is still stopped a new stop begins,
/// which keeps the reason of the stop the boundary ended if the machine has not changed state since. A reason names the
/// stop in progress at its instant, or the last stop while that is not final: until its grace time is over (a reason given
/// at the instant a stop ends still counts with a grace time of 0) and no other stop began (going down or idle anywhere
/// ends it), if the instant it names is not before the stop; a later one replaces it. A reasoned stop is booked to its reason's bucket
/// and is never a minor stop; an unreasoned stop is booked by its lamp, and counts as unassigned from the configured length.
/// </summary>
/// <remarks>
/// Instants are read as the engine's trace order has them: a context event follows the signal events of its instant, so a
/// state change at the reason's instant has happened; a calendar boundary at that instant has not been crossed yet.
/// </remarks>
internal sealed partial class CellTruth
{
    private readonly long _graceMs;
    private readonly long _unassignedMs;
    private readonly List<StateInterval> _intervals = [];
    private readonly List<GivenReason> _givenReasons = [];

    /// <summary>The length of the stops that ended with a reason, in ms (after <see cref="Finish"/>): what the windows' reason seconds add up to.</summary>
    public long ReasonedStopMs { get; private set; }

    /// <summary>What <see cref="Mark"/> counts.</summary>
    private enum Tally
    {
        MinorStop,
        Failure,
        UnassignedStop,
    }

    /// <summary>Books the recorded intervals: stopped time in working time by the stops it forms, the rest as it is.</summary>
    private void BookStops()
    {
        var stops = new List<Stop>();
        var goneStopped = new List<long>();
        for (var i = 0; i < _intervals.Count; i++)
        {
            var interval = _intervals[i];
            var previous = i > 0 ? _intervals[i - 1].State : MachineState.Unknown;
            var next = i + 1 < _intervals.Count ? _intervals[i + 1].State : MachineState.Unknown;
            if (IsStopped(interval.State) && !IsStopped(previous))
            {
                goneStopped.Add(interval.From);
            }

            for (var at = interval.From; at < interval.To;)
            {
                var segment = _intervalCalendar.Locate(at);
                var end = PieceEnd(at, interval.To, segment);
                if (!IsStopped(interval.State) || segment.State != CalendarState.Working)
                {
                    BookPiece(at, end, segment, BucketOutsideStops(interval.State, segment), minor: false, failure: false, reason: -1);
                    at = end;
                    continue;
                }

                var stop = stops.Count > 0 ? stops[^1] : null;
                if (stop is null || stop.End != at || at >= stop.Segment.End)
                {
                    var byCalendar = at > interval.From || IsStopped(previous);
                    var last = stop;
                    stop = new Stop
                    {
                        Start = at,
                        Segment = segment,
                        ByCalendar = byCalendar,
                        Inherits = byCalendar && last is { EndedByCalendar: true } && interval.From <= last.End,
                        MinorEligible = _minorStopMs > 0 && at == interval.From && previous == MachineState.Run
                            && next == MachineState.Run && interval.To <= segment.End && interval.To - interval.From < _minorStopMs,
                    };
                    stops.Add(stop);
                }
                else if (at == interval.From)
                {
                    stop.MinorEligible = false; // a minor stop is one interval (cut into pieces at minutes and days)
                }

                stop.Pieces.Add(new StateInterval(at, end, interval.State));
                stop.End = end;
                stop.EndedByCalendar = end == segment.End && (end < interval.To || IsStopped(next));
                at = end;
            }
        }

        GiveReasons(stops, goneStopped);
        Stop? before = null;
        foreach (var stop in stops)
        {
            BookStop(stop, continuesFailure: stop.Inherits && before!.EndsInFailure && stop.Pieces[0].State == MachineState.Down);
            before = stop;
        }
    }

    /// <summary>Gives each reason to the stop it names, if any, in the order they were given.</summary>
    private void GiveReasons(List<Stop> stops, List<long> goneStopped)
    {
        var current = -1;
        var stopped = 0;
        foreach (var reason in _givenReasons)
        {
            while (current + 1 < stops.Count && stops[current + 1].BegunBy(reason.TimestampMs))
            {
                current++;
                stops[current].Reason = stops[current].Inherits ? stops[current - 1].Reason : -1;
            }

            if (current < 0 || reason.AtMs > reason.TimestampMs)
            {
                continue;
            }

            var stop = stops[current];
            if (stop.EndedBy(reason.TimestampMs))
            {
                while (stopped < goneStopped.Count && goneStopped[stopped] <= stop.Start)
                {
                    stopped++;
                }

                var bookedAsMinor = stop.MinorEligible && stop.Reason < 0;
                var graceOver = reason.TimestampMs > stop.End && reason.TimestampMs >= stop.End + _graceMs;
                var anotherBegan = stopped < goneStopped.Count && goneStopped[stopped] <= reason.TimestampMs;
                if (bookedAsMinor || graceOver || anotherBegan)
                {
                    continue;
                }
            }

            if (reason.AtMs >= stop.Start)
            {
                stop.Reason = reason.Code;
            }
        }

        for (current++; current < stops.Count; current++)
        {
            stops[current].Reason = stops[current].Inherits ? stops[current - 1].Reason : -1;
        }
    }

    /// <summary>
    /// Books a final stop: a minor stop by the minor-stop policy; else each piece by the reason's bucket, or without one by
    /// its lamp; down time is a failure, counted where it begins unless it goes on from the stop before.
    /// </summary>
    private void BookStop(Stop stop, bool continuesFailure)
    {
        if (stop.MinorEligible && stop.Reason < 0)
        {
            Mark(stop.Start, stop.Segment, Tally.MinorStop);
            foreach (var piece in stop.Pieces)
            {
                BookPiece(piece.From, piece.To, stop.Segment, MinorStopBucket(piece.State), minor: true, failure: false, reason: -1);
            }

            return;
        }

        var inFailure = continuesFailure;
        foreach (var piece in stop.Pieces)
        {
            var bucket = stop.Reason >= 0 ? _cell.Reasons.Codes[stop.Reason].Bucket
                : piece.State == MachineState.Down ? Bucket.Down : Bucket.Idle;
            var failure = bucket == Bucket.Down;
            if (failure && !inFailure)
            {
                Mark(piece.From, stop.Segment, Tally.Failure);
            }

            inFailure = failure;
            BookPiece(piece.From, piece.To, stop.Segment, bucket, minor: false, failure, stop.Reason);
        }

        stop.EndsInFailure = inFailure;
        if (stop.Reason >= 0)
        {
            ReasonedStopMs += stop.End - stop.Start;
        }

        if (stop.Reason < 0 && stop.End - stop.Start >= _unassignedMs)
        {
            Mark(stop.Start, stop.Segment, Tally.UnassignedStop);
        }
    }

    /// <summary>A stretch [From, To) in one machine state.</summary>
    private readonly record struct StateInterval(long From, long To, MachineState State);

    /// <summary>A reason given at <see cref="TimestampMs"/> to the stop at <see cref="AtMs"/>.</summary>
    private readonly record struct GivenReason(long TimestampMs, int Code, long AtMs);

    /// <summary>One stop: its pieces (each in one window of every kind) lie in one working segment.</summary>
    private sealed class Stop
    {
        public long Start;
        public long End;
        public CalendarSegment Segment;
        public readonly List<StateInterval> Pieces = [];

        /// <summary>Began where working time began while the machine was stopped (not by a state change).</summary>
        public bool ByCalendar;

        /// <summary>Ended at its segment's end with the machine still stopped (not by a state change).</summary>
        public bool EndedByCalendar;

        /// <summary>Goes on from the stop before it through a break or shift change, without a state change: keeps its reason.</summary>
        public bool Inherits;

        /// <summary>A minor stop unless it gets a reason before it ends.</summary>
        public bool MinorEligible;

        public int Reason = -1;
        public bool EndsInFailure;

        /// <summary>Whether the stop has begun for a context event at <paramref name="ms"/>.</summary>
        public bool BegunBy(long ms) => Start < ms || (Start == ms && !ByCalendar);

        /// <summary>Whether the stop has ended for a context event at <paramref name="ms"/>.</summary>
        public bool EndedBy(long ms) => End < ms || (End == ms && !EndedByCalendar);
    }
}
