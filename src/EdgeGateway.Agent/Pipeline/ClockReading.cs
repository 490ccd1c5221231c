namespace EdgeGateway.Agent.Pipeline;

/// <summary>One adjtimex reading: whether the clock is synchronised, and its offset in seconds (null when unknown).</summary>
public readonly record struct ClockReading(bool Synced, double? OffsetS);
