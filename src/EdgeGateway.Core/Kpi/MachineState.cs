
namespace EdgeGateway.Core.Kpi;

/// <summary>What the cell is doing, derived from its level signals (priority setup &gt; down &gt; run &gt; idle).</summary>
public enum MachineState : byte
{
    /// <summary>No level signal seen yet, or a sensor fault.</summary>
    Unknown,

    /// <summary>All levels off, or only the idle level on.</summary>
    Idle,

    /// <summary>Run level on.</summary>
    Run,

    /// <summary>Down level on.</summary>
    Down,

    /// <summary>Setup level on.</summary>
    Setup,
}
