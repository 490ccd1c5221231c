using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;

namespace EdgeGateway.Core.Kpi;

/// <summary>
/// The KPI engines of all cells of a gateway behind one event stream. All cells share the stream's time:
/// every cell starts at the first event, and once a minute of stream time every cell is moved forward,
/// so quiet cells still close their windows.
/// </summary>
public sealed class GatewayEngine
{
    private const long TickMs = 60_000;

    private readonly string _site;
    private readonly CellEngine[] _cells;
    private readonly SignalMap _signals;
    private readonly int[] _cellOfSignal;
    private readonly int[] _slotOfSignal;
    private bool _started;
    private long _now;
    private long _nextTick;

    /// <summary>Creates one engine per cell of <paramref name="config"/>.</summary>
    public GatewayEngine(GatewayConfig config, IReadOnlyList<WindowKind> kinds, IWindowRecordSink sink)
    {
        _site = config.Site;
        _signals = new SignalMap(config);
        _cells = new CellEngine[config.Cells.Count];
        for (var i = 0; i < _cells.Length; i++)
        {
            _cells[i] = new CellEngine(config.Site, config.Cells[i], config.TimeZone, kinds, sink);
        }

        _cellOfSignal = new int[_signals.Count];
        _slotOfSignal = new int[_signals.Count];
        for (var s = 0; s < _signals.Count; s++)
        {
            _cellOfSignal[s] = _signals.Cell(s);
            _slotOfSignal[s] = _signals.IndexInCell(s);
        }
    }

    /// <summary>The signals, numbered as <see cref="SignalEvent.Signal"/> expects.</summary>
    public SignalMap Signals => _signals;

    /// <summary>The per-cell engines, in config order.</summary>
    public IReadOnlyList<CellEngine> Cells => _cells;

    /// <summary>
    /// Feeds one event, a sensor's or a context event (<see cref="SignalMap.Context"/>); events must come in time order.
    /// Says what a context event did (<see cref="ContextOutcome.None"/> for a sensor event).
    /// </summary>
    public ContextOutcome Process(in SignalEvent e)
    {
        if (!_started)
        {
            Start(e.TimestampMs);
        }

        if (e.TimestampMs >= _nextTick)
        {
            AdvanceTo(e.TimestampMs);
        }

        _now = e.TimestampMs;
        if (e.Signal < _cellOfSignal.Length)
        {
            _cells[_cellOfSignal[e.Signal]].Apply(e.TimestampMs, _slotOfSignal[e.Signal], e.Value);
            return ContextOutcome.None;
        }

        return ApplyContext(e);
    }

    private ContextOutcome ApplyContext(in SignalEvent e)
    {
        var kind = _signals.Context(e.Signal);
        switch (kind)
        {
            case ContextKind.Reason:
                return _cells[_signals.Cell(e.Signal)].GiveReason(e.TimestampMs, _signals.ContextCode(e.Signal), (long)e.Value);
            case ContextKind.Article:
                return _cells[_signals.Cell(e.Signal)].SetArticle(e.TimestampMs, _signals.ContextCode(e.Signal));
            case ContextKind.Closure:
                var closure = new TimeRange((long)e.Value, e.ToMs);
                var outcome = ContextOutcome.InThePast;
                foreach (var cell in _cells)
                {
                    outcome = cell.AddClosure(e.TimestampMs, closure);
                }

                return outcome;
            default:
                // All cells or none: an extra shift that overlaps a shift of one cell is refused for every cell.
                var shift = new OneOffShift(new TimeRange((long)e.Value, e.ToMs), Staffed: true, []);
                var placed = new OneOffShift?[_cells.Length];
                for (var i = 0; i < _cells.Length; i++)
                {
                    (placed[i], var fits) = _cells[i].PlaceExtraShift(e.TimestampMs, shift);
                    if (!fits)
                    {
                        return ContextOutcome.Overlaps;
                    }
                }

                if (Array.TrueForAll(placed, p => p is null))
                {
                    return ContextOutcome.InThePast;
                }

                for (var i = 0; i < _cells.Length; i++)
                {
                    _cells[i].AddExtraShift(e.TimestampMs, placed[i]!);
                }

                return ContextOutcome.Done;
        }
    }

    /// <summary>Moves every cell to <paramref name="timestampMs"/> (a live source's clock tick).</summary>
    public void AdvanceTo(long timestampMs)
    {
        if (!_started)
        {
            Start(timestampMs);
        }

        foreach (var cell in _cells)
        {
            cell.AdvanceTo(timestampMs);
        }

        _now = Math.Max(_now, timestampMs);
        _nextTick = timestampMs - (timestampMs % TickMs) + TickMs;
    }

    /// <summary>
    /// Starts a live run at <paramref name="at"/> (the agent's first event or clock tick), going on with the windows of
    /// <paramref name="checkpoint"/> where they fit the config (src/docs/kpi-model.md, "Live starts and restarts"); cells without a
    /// usable checkpoint start live. Returns one line per cell that could not go on, and per checkpointed cell the
    /// config no longer has, for the log.
    /// </summary>
    public IReadOnlyList<string> StartLive(EngineCheckpoint? checkpoint, long at)
    {
        if (_started)
        {
            throw new InvalidOperationException("the engine has started already");
        }

        var notes = new List<string>();
        if (checkpoint is not null && checkpoint.Site != _site)
        {
            notes.Add($"the windows in progress are of site '{checkpoint.Site}', not '{_site}': every cell starts afresh");
            checkpoint = null;
        }

        foreach (var cell in _cells)
        {
            var saved = checkpoint?.Cells.FirstOrDefault(c => c.Cell == cell.Cell.Id);
            if (saved is null)
            {
                cell.StartLive(at);
                if (checkpoint is not null)
                {
                    notes.Add($"cell '{cell.Cell.Id}' has no windows in progress to go on with: it starts afresh");
                }
            }
            else if (cell.Resume(saved, at) is { } refusal)
            {
                notes.Add($"cell '{cell.Cell.Id}' cannot go on with its windows in progress ({refusal}): it starts afresh");
            }
        }

        foreach (var gone in checkpoint?.Cells.Where(c => !_cells.Any(cell => cell.Cell.Id == c.Cell)) ?? [])
        {
            notes.Add($"cell '{gone.Cell}' is no longer configured: its windows in progress are dropped");
        }

        _started = true;
        _now = at;
        _nextTick = at - (at % TickMs) + TickMs;
        return notes;
    }

    /// <summary>The windows in progress of every cell, for a restart to go on with (<see cref="StartLive"/>).</summary>
    public EngineCheckpoint Checkpoint() => new(_site, _now, [.. _cells.Select(cell => cell.Checkpoint())]);

    /// <summary>Ends the stream at its last event: every cell books up to it and emits its open windows.</summary>
    public void Finish()
    {
        if (!_started)
        {
            return;
        }

        foreach (var cell in _cells)
        {
            cell.AdvanceTo(_now);
            cell.Finish();
        }
    }

    private void Start(long timestampMs)
    {
        _started = true;
        _now = timestampMs;
        foreach (var cell in _cells)
        {
            cell.Start(timestampMs);
        }
    }
}
