namespace EdgeGateway.Core.Signals;

/// <summary>
/// What a context signal says (src/docs/traces.md, "Context lines"). Context signals are numbered after the sensor signals of
/// a <see cref="SignalMap"/>; their events come from the CLI, the MQTT command topic or the simulator, not from a sensor.
/// </summary>
public enum ContextKind : byte
{
    /// <summary>A sensor signal, not a context signal.</summary>
    None,

    /// <summary>
    /// A cell's stop has a reason: one signal number per cell and code; the event's value is the instant (Unix ms) whose
    /// stop it names (<c>--at</c>; the event's own time without it).
    /// </summary>
    Reason,

    /// <summary>A cell's current article: one signal number per cell and article; the value is 0.</summary>
    Article,

    /// <summary>The plant closes from the value (Unix ms) to <see cref="SignalEvent.ToMs"/>: every cell.</summary>
    Closure,

    /// <summary>An extra shift from the value (Unix ms) to <see cref="SignalEvent.ToMs"/>, staffed: every cell.</summary>
    ExtraShift,
}
