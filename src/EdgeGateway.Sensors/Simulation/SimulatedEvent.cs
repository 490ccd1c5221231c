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
}

/// <summary>One event of a simulated cell, before it is mapped to the cell's signals.</summary>
public readonly record struct SimulatedEvent(long TimestampMs, SimulatedEventKind Kind, CellActivity Activity, double PowerKw);

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
