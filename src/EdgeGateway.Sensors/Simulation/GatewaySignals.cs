using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;

namespace EdgeGateway.Sensors.Simulation;

/// <summary>Maps the events of a <see cref="GatewaySimulation"/> to the gateway's signals: each cell's by its <see cref="CellSignals"/>, a closure to the closure signal.</summary>
internal sealed class GatewaySignals
{
    /// <summary>Most signal events one simulated event becomes.</summary>
    public const int MaxPerEvent = CellSignals.MaxPerEvent;

    private readonly SignalMap _map;
    private readonly CellSignals[] _cells;

    public GatewaySignals(GatewayConfig config, SignalMap map)
    {
        _map = map;
        _cells = new CellSignals[config.Cells.Count];
        for (var i = 0; i < _cells.Length; i++)
        {
            _cells[i] = new CellSignals(config.Cells[i], i, map);
        }
    }

    /// <summary>Writes the signal events of <paramref name="e"/> of <paramref name="cell"/> (-1: the gateway's) to <paramref name="output"/>; returns how many.</summary>
    public int Expand(int cell, in SimulatedEvent e, Span<SignalEvent> output)
    {
        if (cell >= 0)
        {
            return _cells[cell].Expand(e, output);
        }

        output[0] = new SignalEvent(e.TimestampMs, _map.ClosureSignal, e.AtMs, e.ToMs);
        return 1;
    }
}
