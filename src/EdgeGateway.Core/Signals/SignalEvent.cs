namespace EdgeGateway.Core.Signals;

/// <summary>
/// One raw signal event: what a trace line holds and what every source produces.
/// <paramref name="Signal"/> indexes the gateway's <see cref="SignalMap"/>: a sensor signal, or a context signal
/// (a reason, an article, a calendar entry; <see cref="SignalMap.Context"/>) whose <paramref name="Value"/> and
/// <paramref name="ToMs"/> are described there.
/// </summary>
public readonly record struct SignalEvent(long TimestampMs, int Signal, double Value, long ToMs = 0);
