namespace EdgeGateway.Core.Signals;

/// <summary>
/// One raw signal event: what a trace line holds and what every source produces.
/// <paramref name="Signal"/> indexes the gateway's <see cref="SignalMap"/>.
/// </summary>
public readonly record struct SignalEvent(long TimestampMs, int Signal, double Value);
