using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Sensors.Simulation;

/// <summary>
/// Every cell of a gateway simulated from one seed, merged into one time-ordered stream (cells in config order
/// within an instant). With an end, the stream stops before it and then repeats each cell's activity and power
/// reading at the end instant, so that a trace spans exactly [from, to] and no part falls on its last instant. A closure
/// the cells' sections announce is a gateway event (cell -1), after every cell's events of its instant.
/// </summary>
internal sealed class GatewaySimulation
{
    private readonly CellSimulator[] _cells;
    private readonly SimulatedEvent[] _next;
    private readonly CellActivity[] _activity;
    private readonly double[] _powerKw;
    private readonly long _to;
    private readonly List<AnnouncedClosure> _closures;
    private int _nextClosure;
    private bool _ending;
    private int _final;

    public GatewaySimulation(GatewayConfig config, IReadOnlyList<SimulationOptions> options, long seed, long fromMs, long? toMs)
    {
        if (options.Count != config.Cells.Count)
        {
            throw new ArgumentException($"{options.Count} simulation options for {config.Cells.Count} cells", nameof(options));
        }

        _to = toMs ?? long.MaxValue;
        _cells = new CellSimulator[config.Cells.Count];
        _next = new SimulatedEvent[_cells.Length];
        _activity = new CellActivity[_cells.Length];
        _powerKw = new double[_cells.Length];
        _closures = SimulationContext.AllClosures(options, fromMs);
        for (var i = 0; i < _cells.Length; i++)
        {
            _cells[i] = new CellSimulator(config.Cells[i], options[i], config.TimeZone, seed, fromMs, _closures);
            _next[i] = _cells[i].Next();
        }
    }

    /// <summary>The next event and the index of its cell; false after the end events.</summary>
    public bool TryNext(out int cell, out SimulatedEvent simulatedEvent)
    {
        if (!_ending)
        {
            cell = 0;
            for (var i = 1; i < _cells.Length; i++)
            {
                if (_next[i].TimestampMs < _next[cell].TimestampMs)
                {
                    cell = i;
                }
            }

            if (_nextClosure < _closures.Count && _closures[_nextClosure].AnnouncedMs < Math.Min(_next[cell].TimestampMs, _to))
            {
                var closure = _closures[_nextClosure++];
                simulatedEvent = new SimulatedEvent(closure.AnnouncedMs, SimulatedEventKind.Closure, CellActivity.Off, 0, 0, closure.Time.FromMs, closure.Time.ToMs);
                cell = -1;
                return true;
            }

            if (_next[cell].TimestampMs < _to)
            {
                simulatedEvent = _next[cell];
                _next[cell] = _cells[cell].Next();
                if (simulatedEvent.Kind == SimulatedEventKind.Activity)
                {
                    _activity[cell] = simulatedEvent.Activity;
                }
                else if (simulatedEvent.Kind == SimulatedEventKind.Power)
                {
                    _powerKw[cell] = simulatedEvent.PowerKw;
                }

                return true;
            }

            _ending = true;
        }

        if (_final < 2 * _cells.Length)
        {
            cell = _final / 2;
            simulatedEvent = _final % 2 == 0
                ? new SimulatedEvent(_to, SimulatedEventKind.Activity, _activity[cell], 0)
                : new SimulatedEvent(_to, SimulatedEventKind.Power, _activity[cell], _powerKw[cell]);
            _final++;
            return true;
        }

        cell = -1;
        simulatedEvent = default;
        return false;
    }
}
