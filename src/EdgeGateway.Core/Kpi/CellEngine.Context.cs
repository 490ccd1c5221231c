using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Core.Kpi;

/// <summary>
/// Context events (src/docs/kpi-model.md, "Stops and reasons", "Articles", "Plant calendar"): each takes effect at its
/// instant, after the signal events of that instant that came before it, and says what it did.
/// </summary>
public sealed partial class CellEngine
{
    /// <summary>The current article's index in the cell's articles, or -1 while none is set.</summary>
    public int Article => _articleSlot - 1;

    /// <summary>
    /// Where the stop held back from the windows began (one that may still turn out minor or get a reason), or null.
    /// Its reason, or -1: <see cref="HeldStopReason"/>.
    /// </summary>
    public long? HeldStopSince => _held ? _heldStart : null;

    /// <summary>The held stop's reason (index in the site's codes), or -1.</summary>
    public int HeldStopReason => _held ? _heldReason : -1;

    /// <summary>Gives reason <paramref name="code"/> (index in the site's codes) to the stop at <paramref name="atMs"/>.</summary>
    public ContextOutcome GiveReason(long timestampMs, int code, long atMs)
    {
        Reach(timestampMs);
        return GiveReason(code, atMs);
    }

    /// <summary>Makes <paramref name="article"/> (index in the cell's articles) the current article from <paramref name="timestampMs"/> on.</summary>
    public ContextOutcome SetArticle(long timestampMs, int article)
    {
        Reach(timestampMs);
        SetArticle(article);
        return ContextOutcome.Done;
    }

    /// <summary>Closes the plant for this cell from the later of the closure's start and <paramref name="timestampMs"/> to its end.</summary>
    public ContextOutcome AddClosure(long timestampMs, TimeRange closure)
    {
        Reach(timestampMs);
        var effective = closure with { FromMs = Math.Max(closure.FromMs, _now) };
        if (effective.ToMs <= effective.FromMs)
        {
            return ContextOutcome.InThePast;
        }

        _calendar.AddClosure(effective);
        CalendarChanged();
        return ContextOutcome.Done;
    }

    /// <summary>The part of <paramref name="shift"/> from <paramref name="timestampMs"/> on (null if none), and whether it fits this cell's calendar.</summary>
    public (OneOffShift? Shift, bool Fits) PlaceExtraShift(long timestampMs, OneOffShift shift)
    {
        ArgumentNullException.ThrowIfNull(shift);
        var from = Math.Max(shift.Time.FromMs, Math.Max(timestampMs, _now));
        if (shift.Time.ToMs <= from)
        {
            return (null, true);
        }

        var placed = shift with
        {
            Time = shift.Time with { FromMs = from },
            Breaks = [.. shift.Breaks.Where(b => b.ToMs > from).Select(b => b with { FromMs = Math.Max(b.FromMs, from) })],
        };
        return (placed, !_calendar.OverlapsShift(placed.Time));
    }

    /// <summary>Adds an extra shift placed by <see cref="PlaceExtraShift"/> (the gateway checks every cell first).</summary>
    public void AddExtraShift(long timestampMs, OneOffShift placed)
    {
        Reach(timestampMs);
        _calendar.AddExtraShift(placed);
        CalendarChanged();
    }

    /// <summary>Moves to <paramref name="timestampMs"/> and applies the signal events of that instant so far.</summary>
    private void Reach(long timestampMs)
    {
        MoveTo(timestampMs);
        ApplyBatch(_now);
    }

    private void SetArticle(int article)
    {
        _articleSlot = article + 1;
        _partsPerCycle = _cell.Articles[article].PartsPerCycle;
    }

    /// <summary>
    /// The calendar changed at <see cref="Now"/>: if what holds now is the same (only where it ends moved), the segment
    /// goes on; otherwise this is a calendar boundary.
    /// </summary>
    private void CalendarChanged()
    {
        var located = _calendar.Locate(_now);
        if (located with { End = _segment.End } == _segment)
        {
            FlushSpan();
            _segment = located;
            _segmentVersion++;
            return;
        }

        CrossCalendarBoundary();
    }
}
