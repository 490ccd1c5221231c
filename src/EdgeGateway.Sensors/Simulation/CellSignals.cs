using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;

namespace EdgeGateway.Sensors.Simulation;

/// <summary>
/// Maps a simulated cell's events to the signals the cell has: at every activity change all its level signals
/// (the stack light shows one lamp: run green, idle yellow, down red, setup the setup switch, off none), parts and
/// scrap on its first cycle and scrap pulse signals, power on its power signal. What the cell lacks is not emitted.
/// Reasons and articles go to the cell's context signals.
/// </summary>
internal sealed class CellSignals
{
    /// <summary>Most signal events one simulated event becomes.</summary>
    public const int MaxPerEvent = 4;

    private readonly int[] _levels = [-1, -1, -1, -1];
    private readonly int _cycle = -1;
    private readonly int _scrap = -1;
    private readonly int _power = -1;
    private readonly SignalMap _map;
    private readonly int _cell;

    public CellSignals(CellConfig cell, int cellIndex, SignalMap map)
    {
        _map = map;
        _cell = cellIndex;
        foreach (var signal in cell.Signals)
        {
            if (!map.TryFind(signal.Name, out var index))
            {
                continue;
            }

            switch (signal.Role)
            {
                case SignalRole.StateRun or SignalRole.StateIdle or SignalRole.StateDown or SignalRole.Setup:
                    _levels[(int)signal.Role] = index;
                    break;
                case SignalRole.CyclePulse when _cycle < 0:
                    _cycle = index;
                    break;
                case SignalRole.ScrapPulse when _scrap < 0:
                    _scrap = index;
                    break;
                case SignalRole.PowerKw:
                    _power = index;
                    break;
            }
        }
    }

    /// <summary>Writes the signal events of <paramref name="e"/> to <paramref name="output"/> (at least <see cref="MaxPerEvent"/> long); returns how many.</summary>
    public int Expand(in SimulatedEvent e, Span<SignalEvent> output)
    {
        switch (e.Kind)
        {
            case SimulatedEventKind.Activity:
                var lit = e.Activity switch
                {
                    CellActivity.Run => SignalRole.StateRun,
                    CellActivity.Idle => SignalRole.StateIdle,
                    CellActivity.Down => SignalRole.StateDown,
                    CellActivity.Setup => SignalRole.Setup,
                    _ => (SignalRole)(-1),
                };

                var count = 0;
                for (var role = 0; role < _levels.Length; role++)
                {
                    if (_levels[role] >= 0)
                    {
                        output[count++] = new SignalEvent(e.TimestampMs, _levels[role], role == (int)lit ? 1 : 0);
                    }
                }

                return count;
            case SimulatedEventKind.Cycle:
                return One(_cycle, e.TimestampMs, 1, output);
            case SimulatedEventKind.Scrap:
                return One(_scrap, e.TimestampMs, 1, output);
            case SimulatedEventKind.Reason:
                return One(_map.ReasonSignal(_cell, e.Code), e.TimestampMs, e.AtMs, output);
            case SimulatedEventKind.Article:
                return One(_map.ArticleSignal(_cell, e.Code), e.TimestampMs, 0, output);
            default:
                return One(_power, e.TimestampMs, e.PowerKw, output);
        }
    }

    private static int One(int signal, long timestampMs, double value, Span<SignalEvent> output)
    {
        if (signal < 0)
        {
            return 0;
        }

        output[0] = new SignalEvent(timestampMs, signal, value);
        return 1;
    }
}
