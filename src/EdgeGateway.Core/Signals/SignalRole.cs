namespace EdgeGateway.Core.Signals;

/// <summary>What a signal means to the KPI model (src/docs/kpi-model.md).</summary>
public enum SignalRole
{
    /// <summary>Level 0/1: the machine is producing (e.g. green stack light).</summary>
    StateRun,

    /// <summary>Level 0/1: available but not producing (e.g. yellow stack light).</summary>
    StateIdle,

    /// <summary>Level 0/1: unplanned stop, fault (e.g. red stack light).</summary>
    StateDown,

    /// <summary>Level 0/1: changeover / setup (key switch).</summary>
    Setup,

    /// <summary>Pulse: one part produced.</summary>
    CyclePulse,

    /// <summary>Pulse: one part rejected.</summary>
    ScrapPulse,

    /// <summary>Analog: electrical power in kW.</summary>
    PowerKw,

    /// <summary>Analog auxiliary channel (temperature, humidity, vibration RMS…), carried in records as min/mean/max.</summary>
    Aux,

    /// <summary>Level 0/1, a button of the reason box: pressing it (1) gives the cell's stop its configured <c>Reason</c>.</summary>
    ReasonButton,

    /// <summary>Level 0/1, a button of the reason box: pressing it (1) makes its configured <c>Article</c> the cell's current one.</summary>
    ArticleButton,
}

/// <summary>Helpers on <see cref="SignalRole"/>.</summary>
public static class SignalRoles
{
    /// <summary>True for the four 0/1 level roles that decide the machine state.</summary>
    public static bool IsLevel(this SignalRole role) => role <= SignalRole.Setup;

    /// <summary>True for the buttons of a reason box: 0/1 levels that give a reason or set an article when pressed.</summary>
    public static bool IsButton(this SignalRole role) => role is SignalRole.ReasonButton or SignalRole.ArticleButton;

    /// <summary>True for the pulse roles (one event per part).</summary>
    public static bool IsPulse(this SignalRole role) => role is SignalRole.CyclePulse or SignalRole.ScrapPulse;
}
