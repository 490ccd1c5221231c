using EdgeGateway.Core.Kpi;

namespace EdgeGateway.Sensors.Simulation;

/// <summary>What the simulated machine physically does.</summary>
public enum CellActivity : byte
{
    /// <summary>Switched off outside working time (no lamp lit).</summary>
    Off,

    /// <summary>Switched on, not producing (yellow lamp): before the start, in a break.</summary>
    Idle,

    /// <summary>Producing (green lamp).</summary>
    Run,

    /// <summary>Stopped by a failure or a minor stop (red lamp).</summary>
    Down,

    /// <summary>Changeover (setup switch).</summary>
    Setup,
}

/// <summary>Kinds of <see cref="SimulatedEvent"/>.</summary>
public enum SimulatedEventKind : byte
{
    /// <summary>The machine changes to <see cref="SimulatedEvent.Activity"/>.</summary>
    Activity,

    /// <summary>A part is finished.</summary>
    Cycle,

    /// <summary>The part finished at this instant is scrap.</summary>
    Scrap,

    /// <summary>A power reading of <see cref="SimulatedEvent.PowerKw"/>.</summary>
    Power,

    /// <summary>An operator gives reason <see cref="SimulatedEvent.Code"/> to the stop at <see cref="SimulatedEvent.AtMs"/>.</summary>
    Reason,

    /// <summary>The cell makes article <see cref="SimulatedEvent.Code"/> (index in its articles) from now on.</summary>
    Article,

    /// <summary>The plant is closed from <see cref="SimulatedEvent.AtMs"/> to <see cref="SimulatedEvent.ToMs"/> (every cell).</summary>
    Closure,
}

/// <summary>
/// One event of a simulated cell, before it is mapped to the cell's signals; a context event (reason, article, closure)
/// carries its code and instants instead of an activity and a reading.
/// </summary>
public readonly record struct SimulatedEvent(long TimestampMs, SimulatedEventKind Kind, CellActivity Activity, double PowerKw, int Code = 0, long AtMs = 0, long ToMs = 0)
{
    /// <summary>A context event: it takes effect after the signal events of its instant.</summary>
    public bool IsContext => Kind >= SimulatedEventKind.Reason;
}

/// <summary>Helpers on <see cref="CellActivity"/>.</summary>
public static class CellActivities
{
    /// <summary>The machine state of the KPI model that the activity is (off and idle are both idle).</summary>
    public static MachineState ToMachineState(this CellActivity activity) => activity switch
    {
        CellActivity.Run => MachineState.Run,
        CellActivity.Down => MachineState.Down,
        CellActivity.Setup => MachineState.Setup,
        _ => MachineState.Idle,
    };
}
