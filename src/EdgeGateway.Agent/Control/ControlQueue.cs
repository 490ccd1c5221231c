using System.Threading.Channels;
using EdgeGateway.Agent.Pipeline;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Signals;

namespace EdgeGateway.Agent.Control;

/// <summary>A command waiting for the engine thread, and its outcome once applied.</summary>
internal sealed class PendingCommand(ControlCommand command)
{
    public ControlCommand Command { get; } = command;

    /// <summary>Completed by the engine thread with what the engine did.</summary>
    public TaskCompletionSource<ContextOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// The commands on their way to the engine: any thread submits (the control socket, MQTT), the engine thread alone
/// takes and applies them (<see cref="EngineWorker"/>), so the engine never sees two threads. A submit also puts a
/// <see cref="EngineWorker.WakeSignal"/> into the event channel, so that an engine waiting for events takes it at once.
/// </summary>
internal sealed class ControlQueue(Channel<SignalEvent> events)
{
    private readonly Channel<PendingCommand> _pending = Channel.CreateUnbounded<PendingCommand>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues <paramref name="command"/>; the task ends with the engine's outcome.</summary>
    public Task<ContextOutcome> SubmitAsync(ControlCommand command)
    {
        var pending = new PendingCommand(command);
        _pending.Writer.TryWrite(pending);

        // A full event channel needs no wake: the engine is reading it, and looks at the commands between events.
        events.Writer.TryWrite(new SignalEvent(0, EngineWorker.WakeSignal, 0));
        return pending.Outcome.Task;
    }

    /// <summary>The next command waiting (engine thread).</summary>
    public bool TryTake(out PendingCommand pending) => _pending.Reader.TryRead(out pending!);
}
