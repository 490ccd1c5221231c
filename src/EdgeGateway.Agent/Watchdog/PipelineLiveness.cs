namespace EdgeGateway.Agent.Watchdog;

/// <summary>
/// Whether the pipeline really moves, for the systemd watchdog: the engine worker marks every batch of events or clock
/// ticks it takes (a live source ticks every second), or that its source ended (idle and healthy, not stuck); the
/// publisher marks when its loop is gone.
/// </summary>
public sealed class PipelineLiveness(TimeProvider time)
{
    private long _engineMoved = time.GetTimestamp();
    private volatile bool _engineIdle;
    private volatile bool _publisherStopped;

    /// <summary>The engine took events or ticks now.</summary>
    public void EngineMoved() => Volatile.Write(ref _engineMoved, time.GetTimestamp());

    /// <summary>The engine's source ended: nothing more will come, which is no stall.</summary>
    public void EngineIdle() => _engineIdle = true;

    /// <summary>The publisher's loop has ended.</summary>
    public void PublisherStopped() => _publisherStopped = true;

    /// <summary>True when the publisher runs and the engine moved within <paramref name="within"/> (or is idle).</summary>
    public bool IsMoving(TimeSpan within) =>
        !_publisherStopped && (_engineIdle || time.GetElapsedTime(Volatile.Read(ref _engineMoved)) <= within);
}
