using EdgeGateway.Core.Kpi;

namespace EdgeGateway.Agent.Status;

/// <summary>One cell as the status shows it.</summary>
public sealed record CellStatus(string Id, MachineState State, double? ShiftOee, long? ShiftStartMs);

/// <summary>
/// What the running agent knows about itself, shared between its workers: each worker replaces its part as a
/// whole (immutable values, atomic reference writes), the status writer reads them.
/// </summary>
public sealed class AgentState
{
    private volatile BrokerState _broker = new(Connected: false, SinceMs: null, LastError: null);
    private volatile IReadOnlyList<CellStatus> _cells = [];

    /// <summary>The broker connection.</summary>
    public BrokerState Broker
    {
        get => _broker;
        set => _broker = value;
    }

    /// <summary>The cells, from the engine.</summary>
    public IReadOnlyList<CellStatus> Cells
    {
        get => _cells;
        set => _cells = value;
    }

    /// <summary>Sensor faults seen since the agent started.</summary>
    public long SensorFaults { get; set; }

    /// <summary>Whether the system clock is NTP-synchronised.</summary>
    public bool ClockSynced { get; set; }

    /// <summary>Window records computed since the agent started.</summary>
    public long Records { get; set; }
}

/// <summary>The broker connection as the status shows it.</summary>
public sealed record BrokerState(bool Connected, long? SinceMs, string? LastError);
