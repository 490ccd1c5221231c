
namespace EdgeGateway.Core.Signals.FromPower;

/// <summary>What the power level says about the machine.</summary>
public enum PowerLevel : byte
{
    /// <summary>No sample yet, or the power sensor is faulted.</summary>
    Unknown,

    /// <summary>Switched off (below the off threshold).</summary>
    Off,

    /// <summary>Powered but not producing.</summary>
    Idle,

    /// <summary>Producing (above the run threshold).</summary>
    Run,
}
