using EdgeGateway.Core.Calendar;
using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Core.Kpi;

/// <summary>
/// Booking time: a state change (and whether a stop was minor, a failure, or has a reason) turns into spans of one
/// bucket and calendar segment, and each span is added to every open window.
/// </summary>
public sealed partial class CellEngine
{
    private void ChangeState(MachineState next)
    {
        var previous = _state;
        _state = next;
        _stateSink?.OnStateChange(_cell, _now, next);
        _stoppedThroughCalendar = false;
        if (StopInProgress && !IsStopped(next))
        {
            EndHeldStop(intoRun: next == MachineState.Run);
        }

        if (next != MachineState.Down)
        {
            _inFailure = false;
        }

        if (IsStopped(next) && !IsStopped(previous))
        {
            BeginStop(minorCandidate: previous == MachineState.Run);
        }
    }

    private static bool IsStopped(MachineState state) => state is MachineState.Down or MachineState.Idle;

    /// <summary>A stop whose end is not known yet is held.</summary>
    private bool StopInProgress => _held && _heldEnd == long.MaxValue;

    /// <summary>
    /// The machine stopped at <see cref="Now"/> in planned production time: its time is held back from the windows while
    /// it may still turn out a minor stop or get a reason (src/docs/kpi-model.md, "Stops and reasons"). Without reasons
    /// configured only a minor-stop candidate is held, and only until its threshold.
    /// </summary>
    private void BeginStop(bool minorCandidate)
    {
        if (_now >= _segment.End)
        {
            Relocate(_now);
        }

        if (_held)
        {
            FinalizeHeldStop(); // the last stop is final once the next begins: a reason now is for this one
        }

        minorCandidate &= _minorStopMs > 0;
        if (_segment.State != CalendarState.Working || !(minorCandidate || _cell.Reasons.Any))
        {
            return;
        }

        _held = true;
        (_heldStart, _heldEnd, _heldSegment, _heldMinorCandidate, _heldStopState, _pieceCount) = (_now, long.MaxValue, _segment, minorCandidate, _state, 0);

        // A stop that goes on after a break or shift change keeps its reason, and is the same failure.
        _heldReason = _stoppedThroughCalendar ? _lastReason : -1;
        _heldContinuesFailure = _stoppedThroughCalendar && _inFailure;
    }

    /// <summary>The held stop ended at <see cref="Now"/>: a minor stop is booked now, any other stop when its grace time is over.</summary>
    private void EndHeldStop(bool intoRun)
    {
        if (_heldMinorCandidate && intoRun && _now - _heldStart < _minorStopMs && _pieceCount <= 1 && _heldReason < 0)
        {
            BookHeldAsMinorStop();
            return;
        }

        _heldMinorCandidate = false;
        _heldEnd = _now;
        if (!_cell.Reasons.Any)
        {
            FinalizeHeldStop();
        }
    }

    /// <summary>
    /// Gives the held stop reason <paramref name="code"/> (the stop in progress at <paramref name="at"/>, or the last one
    /// if <paramref name="at"/> is within the grace time after it ended: a stop is held no longer than that, so a held
    /// stop is always the one); a later reason replaces an earlier one.
    /// </summary>
    private ContextOutcome GiveReason(int code, long at)
    {
        if (at > _now)
        {
            return ContextOutcome.InTheFuture;
        }

        if (!_held)
        {
            return ContextOutcome.NoStop;
        }

        if (at < _heldStart)
        {
            return ContextOutcome.BeforeTheStop;
        }

        var outcome = _heldReason < 0 ? ContextOutcome.Done : ContextOutcome.Replaced;
        _heldReason = code;
        return outcome;
    }

    /// <summary>Books [from, to), which lies in the current calendar segment, in the current state.</summary>
    private void BookSpan(long from, long to)
    {
        Bucket? bucket;
        var flags = _state == MachineState.Run ? SpanFlags.EnergyWhileRunning : SpanFlags.None;
        switch (_state)
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
                if (_segment.State != CalendarState.Working)
                {
                    bucket = _segment.State == CalendarState.Break ? Bucket.PlannedStop : Bucket.UnplannedTime;
                }
                else if (StopInProgress)
                {
                    bucket = null; // booked when the stop is final; energy is booked now
                    HoldPiece(from, to);
                }
                else
                {
                    bucket = _state == MachineState.Down ? Bucket.Down : Bucket.Idle;
                    flags |= MarkFailureIfNew(_state, from, _segment);
                }

                break;
        }

        // Consecutive spans that book the same way within one minute are joined and written to the windows
        // once: most events only move time on, and this keeps their cost independent of the number of window kinds.
        if (_spanOpen && _spanEnd == from && _spanBucket == bucket && _spanFlags == flags && _spanSegment == _segmentVersion)
        {
            if (_powerKw != _spanPowerKw)
            {
                // Energy of each constant-power stretch is one product, so where time is split cannot change it.
                _spanEnergyKwMs += _spanPowerKw * (from - _spanPowerFrom);
                (_spanPowerKw, _spanPowerFrom) = (_powerKw, from);
            }

            _spanEnd = to;
            return;
        }

        FlushSpan();
        _spanOpen = true;
        (_spanStart, _spanEnd, _spanBucket, _spanFlags, _spanSegment) = (from, to, bucket, flags, _segmentVersion);
        (_spanEnergyKwMs, _spanPowerKw, _spanPowerFrom) = (0, _powerKw, from);
    }

    /// <summary>Adds [from, to) in the current (down or idle) state to the held stop, joined to its last piece if that is in the same state.</summary>
    private void HoldPiece(long from, long to)
    {
        if (_pieceCount > 0 && _pieces[_pieceCount - 1].To == from && _pieces[_pieceCount - 1].State == _state)
        {
            _pieces[_pieceCount - 1].To = to;
            return;
        }

        if (_pieceCount == _pieces.Length)
        {
            Array.Resize(ref _pieces, _pieces.Length * 2); // once per engine at most a few times: a stop rarely flips between down and idle
        }

        _pieces[_pieceCount++] = new StopPiece { From = from, To = to, State = _state };
    }

    /// <summary>
    /// Writes the joined span (which lies in one minute and one calendar segment, so in one window of every kind)
    /// to the windows. Windows open in time order, so every other write to the windows flushes the span first.
    /// </summary>
    private void FlushSpan()
    {
        if (!_spanOpen)
        {
            return;
        }

        _spanOpen = false;
        var energyKwMs = _spanEnergyKwMs + (_spanPowerKw * (_spanEnd - _spanPowerFrom));
        foreach (var series in _series)
        {
            series.Book(_spanStart, _spanEnd, _segment, _spanBucket, _spanFlags, energyKwMs);
        }
    }

    private void Relocate(long at)
    {
        FlushSpan();
        _segment = _calendar.Locate(at);
        _segmentVersion++;
    }

    /// <summary>
    /// A calendar boundary at <see cref="Now"/>: a stop lies inside one stretch of planned work, so the boundary ends the
    /// held stop; where planned work begins while the machine is stopped, a stop begins (the same one, if it went on
    /// through a break: it keeps its reason).
    /// </summary>
    private void CrossCalendarBoundary()
    {
        var stopped = IsStopped(_state);
        if (StopInProgress)
        {
            EndHeldStop(intoRun: false);
            _stoppedThroughCalendar = stopped;
        }

        Relocate(_now);
        if (stopped && _segment.State == CalendarState.Working)
        {
            BeginStop(minorCandidate: false);
        }
    }

    /// <summary>Down time that is not a minor stop belongs to a failure; the first such span of a down interval counts it.</summary>
    private SpanFlags MarkFailureIfNew(MachineState stopState, long at, in CalendarSegment segment)
    {
        if (stopState != MachineState.Down)
        {
            return SpanFlags.None;
        }

        if (!_inFailure)
        {
            _inFailure = true;
            FlushSpan();
            foreach (var series in _series)
            {
                series.Mark(at, segment, SpanFlags.Failure);
            }
        }

        return SpanFlags.Failure;
    }

    /// <summary>
    /// The held stop is final: each piece is booked by the stop's reason, or without one by its state (down: a failure,
    /// idle); a stop of at least the unassigned length without a reason is counted. Without reasons configured a stop
    /// still in progress is final at its minor-stop threshold, and the rest of it is booked as it comes.
    /// </summary>
    private void FinalizeHeldStop()
    {
        FlushSpan();
        var end = StopInProgress ? _now : _heldEnd;
        _held = false;
        var inFailure = BookHeldStop(_series, end);
        _lastReason = _heldReason;
        _inFailure = inFailure && _state == MachineState.Down;
        _pieceCount = 0;
    }

    /// <summary>Books the held stop, ended at <paramref name="end"/>, into <paramref name="into"/>; returns whether it ends in a failure.</summary>
    private bool BookHeldStop(ReadOnlySpan<WindowSeries> into, long end)
    {
        var reason = _heldReason;
        var reasonBucket = reason >= 0 ? _cell.Reasons.Codes[reason].Bucket : Bucket.Down;
        var inFailure = _heldContinuesFailure;
        for (var i = 0; i < _pieceCount; i++)
        {
            ref readonly var piece = ref _pieces[i];
            var bucket = reason >= 0 ? reasonBucket : piece.State == MachineState.Down ? Bucket.Down : Bucket.Idle;
            var flags = SpanFlags.None;
            if (bucket == Bucket.Down)
            {
                flags = SpanFlags.Failure;
                if (!inFailure)
                {
                    inFailure = true;
                    foreach (var series in into)
                    {
                        series.Mark(piece.From, _heldSegment, SpanFlags.Failure);
                    }
                }
            }
            else
            {
                inFailure = false;
            }

            foreach (var series in into)
            {
                series.Book(piece.From, piece.To, _heldSegment, bucket, flags, 0, reason);
            }
        }

        if (reason < 0 && _cell.Reasons.Any && end - _heldStart >= _unassignedMs)
        {
            foreach (var series in into)
            {
                series.Mark(_heldStart, _heldSegment, SpanFlags.UnassignedStop);
            }
        }

        return inFailure;
    }

    private void BookHeldAsMinorStop()
    {
        FlushSpan();
        _held = false;
        _pieceCount = 0;
        var bucket = _cell.MinorStopPolicy == MinorStopPolicy.Nakajima ? Bucket.Run
            : _heldStopState == MachineState.Down ? Bucket.Down : Bucket.Idle;
        foreach (var series in _series)
        {
            series.Mark(_heldStart, _heldSegment, SpanFlags.MinorStop);
            series.Book(_heldStart, _now, _heldSegment, bucket, SpanFlags.MinorStop, 0);
        }
    }

    /// <summary>A stretch of a held stop in one state.</summary>
    private struct StopPiece
    {
        public long From;
        public long To;
        public MachineState State;
    }
}
