using EdgeGateway.Core.Calendar;
using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Core.Kpi;

/// <summary>The point events of one instant of one cell, applied together.</summary>
internal struct CellBatch
{
    public int Produced;
    public int Scrap;
    public int Faults;
    public int AuxUsed;
    public AuxChannels Aux;

    public readonly bool IsEmpty => (Produced | Scrap | Faults) == 0 && !HasAux;

    public readonly bool HasAux
    {
        get
        {
            for (var i = 0; i < AuxUsed; i++)
            {
                if (Aux[i].Count != 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    public void Clear()
    {
        (Produced, Scrap, Faults) = (0, 0, 0);
        for (var i = 0; i < AuxUsed; i++)
        {
            Aux[i] = default;
        }
    }
}

/// <summary>What a booked span of time is, besides its bucket.</summary>
[Flags]
internal enum SpanFlags : byte
{
    None = 0,
    MinorStop = 1,
    Failure = 2,
    EnergyWhileRunning = 4,

    /// <summary>Only as a mark: a stop that ended without a reason (src/docs/kpi-model.md, "Stops and reasons").</summary>
    UnassignedStop = 8,
}

/// <summary>
/// The open windows of one kind for one cell, oldest first, in a ring. Several windows are open at once
/// only while a stop is held (its booking waits until it is known whether it was minor and which reason it has), so
/// the ring stays small; it grows only when a held stop spans more windows than it holds.
/// </summary>
internal sealed class WindowSeries(WindowKind kind, TimeZoneInfo zone)
{
    private WindowTotals[] _ring = new WindowTotals[8];
    private int _head;
    private int _count;
    private long _traceStart;

    public WindowKind Kind => kind;

    /// <summary>End of the oldest open window, or <see cref="long.MaxValue"/> when none is open.</summary>
    public long OldestEnd => _count > 0 ? _ring[_head].End : long.MaxValue;

    public void Start(long traceStart)
    {
        _traceStart = traceStart;
        _head = 0;
        _count = 0;
    }

    /// <summary>
    /// Starts a live run at <paramref name="at"/>: the window containing it opens at its own start, and the time before
    /// <paramref name="at"/> is unknown, so the first record says how much of its window was measured. The total
    /// window begins at <paramref name="traceStart"/>.
    /// </summary>
    public void StartLive(long traceStart, long at, in CalendarSegment segment)
    {
        Start(traceStart);
        if (kind == WindowKind.Total || (kind == WindowKind.Shift && segment.State == CalendarState.Unplanned))
        {
            return;
        }

        var (start, end) = Bounds(at, segment);
        ref var window = ref Open(start, end);
        window.Buckets[(int)Bucket.Unknown] += at - start;
    }

    /// <summary>Goes on with the windows a checkpoint holds (oldest first) for a run that began at <paramref name="traceStart"/>.</summary>
    public void Resume(long traceStart, IReadOnlyList<WindowTotals> open)
    {
        Start(traceStart);
        foreach (var totals in open)
        {
            Open(totals.Start, totals.End) = totals;
        }
    }

    /// <summary>
    /// Whether <paramref name="totals"/>, from a checkpoint, is a window of this kind under the current calendar
    /// and time zone (<paramref name="segment"/>: the calendar at its start): a changed shift or zone does not fit.
    /// </summary>
    public bool Fits(in WindowTotals totals, long traceStart, in CalendarSegment segment)
    {
        if (kind == WindowKind.Total)
        {
            return totals.Start == traceStart && totals.End == long.MaxValue;
        }

        if (kind == WindowKind.Shift && segment.State == CalendarState.Unplanned)
        {
            return false;
        }

        var (start, end) = Bounds(totals.Start, segment);
        return end == totals.End && (start == totals.Start || (totals.Start == traceStart && start < traceStart));
    }

    /// <summary>
    /// Copies of the open windows, oldest first, with what <paramref name="book"/> books into them (the engine's time not
    /// yet written: its joined span, a held stop); the windows themselves do not change.
    /// </summary>
    public WindowTotals[] Snapshot(Action<WindowSeries> book)
    {
        var (ring, head, count) = (_ring, _head, _count);
        _ring = (WindowTotals[])ring.Clone();
        try
        {
            book(this);
            var copy = new WindowTotals[_count];
            for (var i = 0; i < copy.Length; i++)
            {
                copy[i] = _ring[(_head + i) % _ring.Length];
            }

            return copy;
        }
        finally
        {
            (_ring, _head, _count) = (ring, head, count);
        }
    }

    /// <summary>
    /// Books [from, to) — which lies in one calendar segment — with its bucket and energy (shared out by time across
    /// windows); <paramref name="reason"/>: the reason code the time is booked by, or -1.
    /// </summary>
    public void Book(long from, long to, in CalendarSegment segment, Bucket? bucket, SpanFlags flags, double energyKwMs, int reason = -1)
    {
        if (kind == WindowKind.Shift && segment.State == CalendarState.Unplanned)
        {
            return;
        }

        var length = to - from;
        while (from < to)
        {
            ref var window = ref At(from, segment);
            var end = Math.Min(to, window.End);
            var ms = end - from;
            if (bucket is { } b)
            {
                window.Buckets[(int)b] += ms;
                if ((flags & SpanFlags.MinorStop) != 0)
                {
                    window.MinorStopMs += ms;
                }

                if ((flags & SpanFlags.Failure) != 0)
                {
                    window.FailureMs += ms;
                }

                if (reason >= 0)
                {
                    window.ReasonMs[reason] += ms;
                }
            }

            if (energyKwMs != 0)
            {
                var energy = ms == length ? energyKwMs : energyKwMs * ms / length;
                window.EnergyKwMs += energy;
                if ((flags & SpanFlags.EnergyWhileRunning) == 0)
                {
                    window.NonRunEnergyKwMs += energy;
                }
            }

            from = end;
        }
    }

    /// <summary>
    /// Adds the point events of one instant <paramref name="at"/>: pulses (cycles of article slot <paramref name="article"/>,
    /// <paramref name="partsPerCycle"/> parts each), sensor faults, aux samples.
    /// </summary>
    public void Count(long at, in CalendarSegment segment, in CellBatch batch, bool unattended, int article, int partsPerCycle)
    {
        if (kind == WindowKind.Shift && segment.State == CalendarState.Unplanned)
        {
            return;
        }

        ref var window = ref At(at, segment);
        var parts = (long)batch.Produced * partsPerCycle;
        window.Produced += parts;
        window.Scrap += batch.Scrap;
        window.ArticleCycles[article] += batch.Produced;
        window.ArticleScrap[article] += batch.Scrap;
        window.SensorFaults += batch.Faults;
        if (unattended)
        {
            window.UnattendedProduced += parts;
            window.UnattendedScrap += batch.Scrap;
        }

        for (var i = 0; i < batch.AuxUsed; i++)
        {
            window.Aux[i].Add(batch.Aux[i]);
        }
    }

    /// <summary>Counts the start of a failure, a minor stop or an unassigned stop at instant <paramref name="at"/>.</summary>
    public void Mark(long at, in CalendarSegment segment, SpanFlags what)
    {
        if (kind == WindowKind.Shift && segment.State == CalendarState.Unplanned)
        {
            return;
        }

        ref var window = ref At(at, segment);
        if (what == SpanFlags.Failure)
        {
            window.Failures++;
        }
        else if (what == SpanFlags.UnassignedStop)
        {
            window.UnassignedStops++;
        }
        else
        {
            window.MinorStops++;
        }
    }

    /// <summary>A copy of the newest open window, if any.</summary>
    public bool TryPeekNewest(out WindowTotals totals)
    {
        if (_count == 0)
        {
            totals = default;
            return false;
        }

        totals = _ring[(_head + _count - 1) % _ring.Length];
        return true;
    }

    /// <summary>Opens the window containing <paramref name="at"/> if it is not open yet.</summary>
    public void Touch(long at, in CalendarSegment segment)
    {
        if (kind != WindowKind.Shift || segment.State != CalendarState.Unplanned)
        {
            At(at, segment);
        }
    }

    /// <summary>Emits the oldest open window.</summary>
    public void EmitOldest(string site, CellConfig cell, IWindowRecordSink sink)
    {
        sink.OnRecord(new WindowRecord(site, cell, kind, _ring[_head]));
        _head = (_head + 1) % _ring.Length;
        _count--;
    }

    /// <summary>Emits every open window, the last one clipped at <paramref name="traceEnd"/>.</summary>
    public void EmitAll(long traceEnd, string site, CellConfig cell, IWindowRecordSink sink)
    {
        while (_count > 0)
        {
            ref var window = ref _ring[_head];
            window.End = Math.Min(window.End, traceEnd);
            sink.OnRecord(new WindowRecord(site, cell, kind, window));
            _head = (_head + 1) % _ring.Length;
            _count--;
        }
    }

    /// <summary>The open window containing <paramref name="at"/>, opening windows up to it in order.</summary>
    private ref WindowTotals At(long at, in CalendarSegment segment)
    {
        for (var i = _count - 1; i >= 0; i--)
        {
            ref var window = ref _ring[(_head + i) % _ring.Length];
            if (window.Start <= at && at < window.End)
            {
                return ref window;
            }

            if (window.End <= at)
            {
                break;
            }
        }

        // Contiguous kinds open every window between the newest and `at`: time is booked in order,
        // so each of them receives its time later, and records leave in window order.
        var openFrom = _count > 0 ? _ring[(_head + _count - 1) % _ring.Length].End : at;
        if (at < openFrom)
        {
            ThrowClosedWindow(at);
        }

        while (true)
        {
            var (start, end) = Bounds(kind == WindowKind.Shift ? at : openFrom, segment);
            ref var window = ref Open(Math.Max(start, _traceStart), end);
            if (at < end)
            {
                return ref window;
            }

            openFrom = end;
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void ThrowClosedWindow(long at) =>
        throw new InvalidOperationException($"{kind} window for {at} ms is no longer open: the engine wrote to its windows out of order");

    private (long Start, long End) Bounds(long at, in CalendarSegment segment)
    {
        switch (kind)
        {
            case WindowKind.Minute:
                var start = at - (((at % 60_000) + 60_000) % 60_000);
                return (start, start + 60_000);
            case WindowKind.Day:
                var dayStart = SiteTime.StartOfLocalDay(at, zone);
                var dayEnd = SiteTime.FromWallClock(SiteTime.ToWallClock(at, zone).Date.AddDays(1), zone);
                return (dayStart, dayEnd);
            case WindowKind.Shift:
                return (segment.ShiftStart, segment.ShiftEnd);
            default:
                return (_traceStart, long.MaxValue);
        }
    }

    private ref WindowTotals Open(long start, long end)
    {
        if (_count == _ring.Length)
        {
            var bigger = new WindowTotals[_ring.Length * 2];
            for (var i = 0; i < _count; i++)
            {
                bigger[i] = _ring[(_head + i) % _ring.Length];
            }

            _ring = bigger;
            _head = 0;
        }

        ref var window = ref _ring[(_head + _count) % _ring.Length];
        window = default;
        window.Start = start;
        window.End = end;
        _count++;
        return ref window;
    }
}
