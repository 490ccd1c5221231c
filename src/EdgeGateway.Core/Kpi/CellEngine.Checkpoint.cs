namespace EdgeGateway.Core.Kpi;

/// <summary>
/// Live starts and restarts: the first window opens at its own start with the time before unknown, and a restart
/// goes on with the windows of a checkpoint, the time the agent was not running booked as unknown.
/// </summary>
public sealed partial class CellEngine
{
    /// <summary>
    /// Starts a live run at <paramref name="at"/> (an agent, not a trace): each kind's window containing it opens at
    /// its own start and the time before <paramref name="at"/> is unknown, so its record's coverage is the truth.
    /// </summary>
    public void StartLive(long at)
    {
        Start(at);
        foreach (var series in _series)
        {
            series.StartLive(at, at, _segment);
        }
    }

    /// <summary>
    /// The windows in progress, with everything booked up to <see cref="Now"/>; a held stop as if it were final now (a
    /// minor-stop candidate as a stop, with the reason it has so far). Point events of the current instant, not applied
    /// yet, are not in it. Changes nothing.
    /// </summary>
    public CellCheckpoint Checkpoint()
    {
        if (!_started)
        {
            throw new InvalidOperationException($"cell {_cell.Id}: the engine has not started");
        }

        var kinds = new KindCheckpoint[_series.Length];
        var energyKwMs = _spanOpen ? _spanEnergyKwMs + (_spanPowerKw * (_spanEnd - _spanPowerFrom)) : 0;
        for (var i = 0; i < kinds.Length; i++)
        {
            var open = _series[i].Snapshot(series =>
            {
                if (_spanOpen)
                {
                    series.Book(_spanStart, _spanEnd, _segment, _spanBucket, _spanFlags, energyKwMs);
                }

                if (_held)
                {
                    // A restart cannot know how the stop went on: it is final as it stands, with the reason it has.
                    BookHeldStop([series], StopInProgress ? _now : _heldEnd);
                }
            });
            kinds[i] = new KindCheckpoint(_series[i].Kind, open);
        }

        var article = _articleSlot > 0 ? _cell.Articles[_articleSlot - 1].Id : null;
        return new CellCheckpoint(_cell.Id, _traceStart, _now, _batch.AuxUsed, kinds) { Article = article };
    }

    /// <summary>
    /// Goes on at <paramref name="at"/> with the windows of <paramref name="checkpoint"/>: the time from where it was
    /// booked through to <paramref name="at"/> is unknown, and the windows that ended meanwhile are emitted. A kind
    /// whose windows do not fit the current config (another calendar or time zone, or not in the checkpoint) starts
    /// live. Returns null, or why the checkpoint cannot be used at all (then the cell starts live at <paramref name="at"/>).
    /// </summary>
    public string? Resume(CellCheckpoint checkpoint, long at)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var refusal = checkpoint.Cell != _cell.Id ? $"it is of cell '{checkpoint.Cell}'"
            : checkpoint.BookedThroughMs > at ? $"it was taken at {checkpoint.BookedThroughMs} ms, after the restart at {at} ms (the clock went back)"
            : checkpoint.TraceStartMs > checkpoint.BookedThroughMs ? "its run begins after the time it was taken"
            : checkpoint.AuxSignals != _batch.AuxUsed ? $"the cell had {checkpoint.AuxSignals} Aux signals and has {_batch.AuxUsed} now"
            : null;
        if (refusal is not null)
        {
            StartLive(at);
            return refusal;
        }

        Start(checkpoint.TraceStartMs);
        _now = checkpoint.BookedThroughMs;
        Relocate(_now);
        foreach (var series in _series)
        {
            var open = checkpoint.Kinds.FirstOrDefault(k => k.Kind == series.Kind)?.Open;
            if (open is not null && open.All(w => w.Start < w.End && series.Fits(w, checkpoint.TraceStartMs, _calendar.Locate(w.Start))))
            {
                series.Resume(checkpoint.TraceStartMs, open);
            }
            else
            {
                series.StartLive(checkpoint.TraceStartMs, _now, _segment);
            }
        }

        if (checkpoint.Article is { } id && _cell.ArticleIndex(id) is var article and >= 0)
        {
            SetArticle(article);
        }

        // The machine state is unknown until the first level event, as at any start: the gap is booked unknown.
        AdvanceTo(at);
        return null;
    }
}
