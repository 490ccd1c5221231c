using EdgeGateway.Core.Signals;

namespace EdgeGateway.Agent.Control;

/// <summary>
/// A remote command, read and checked against the config (<see cref="ControlCommandReader"/>): the context signal it
/// becomes and its times. The engine thread turns it into a <see cref="SignalEvent"/> at the instant it applies it.
/// </summary>
/// <param name="Kind">A reason, an article, a closure or an extra shift.</param>
/// <param name="Signal">The context signal number (<see cref="SignalMap"/>).</param>
/// <param name="AtMs">A reason's <c>at</c>, or null: the instant the engine applies it.</param>
/// <param name="FromMs">A calendar entry's start.</param>
/// <param name="ToMs">A calendar entry's end.</param>
/// <param name="Text">The command in words, for the log: <c>reason waiting_material for cell press1</c>.</param>
internal sealed record ControlCommand(ContextKind Kind, int Signal, long? AtMs, long FromMs, long ToMs, string Text)
{
    /// <summary>The event the engine processes when it applies the command at <paramref name="nowMs"/>.</summary>
    public SignalEvent ToEvent(long nowMs) => Kind switch
    {
        ContextKind.Reason => new SignalEvent(nowMs, Signal, AtMs ?? nowMs),
        ContextKind.Article => new SignalEvent(nowMs, Signal, 0),
        _ => new SignalEvent(nowMs, Signal, FromMs, ToMs),
    };
}
