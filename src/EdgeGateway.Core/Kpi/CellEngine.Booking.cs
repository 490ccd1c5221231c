using EdgeGateway.Core.Calendar;
using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Core.Kpi;

/// <summary>
/// Booking time: a state change (and whether a stop was minor or a failure) turns into spans of one bucket and
/// calendar segment, and each span is added to every open window.
/// </summary>
public sealed partial class CellEngine
{
    private void ChangeState(MachineState next)
    {
        var previous = _state;
        _state = next;
        _stateSink?.OnStateChange(_cell, _now, next);
        if (_pending)
        {
            if (next == MachineState.Run && _now - _pendingStart < _minorStopMs)
            {
                BookPendingAsMinorStop();
            }
            else
            {
                BookPendingAsStop();
            }
        }

        if (next != MachineState.Down)
        {
            _inFailure = false;
        }

        if (previous == MachineState.Run && next is MachineState.Down or MachineState.Idle && _minorStopMs > 0)
        {
            if (_now >= _segment.End)
            {
                Relocate(_now);
            }

            if (_segment.State == CalendarState.Working)
            {
                _pending = true;
                _pendingStart = _now;
                _pendingState = next;
                _pendingSegment = _segment;
            }
        }
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
                else if (_pending)
                {
                    bucket = null; // booked when the stop ends; energy is booked now
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

    private void BookPendingAsStop()
    {
        FlushSpan();
        _pending = false;
        var bucket = _pendingState == MachineState.Down ? Bucket.Down : Bucket.Idle;
        var flags = MarkFailureIfNew(_pendingState, _pendingStart, _pendingSegment);
        foreach (var series in _series)
        {
            series.Book(_pendingStart, _now, _pendingSegment, bucket, flags, 0);
        }
    }

    private void BookPendingAsMinorStop()
    {
        FlushSpan();
        _pending = false;
        var bucket = _cell.MinorStopPolicy == MinorStopPolicy.Nakajima ? Bucket.Run
            : _pendingState == MachineState.Down ? Bucket.Down : Bucket.Idle;
        foreach (var series in _series)
        {
            series.Mark(_pendingStart, _pendingSegment, SpanFlags.MinorStop);
            series.Book(_pendingStart, _now, _pendingSegment, bucket, SpanFlags.MinorStop, 0);
        }
    }
}
