namespace EdgeGateway.Core.Configuration;

/// <summary>Machine state from power: off below <see cref="OffBelowKw"/>, run above <see cref="RunAboveKw"/>, idle between.</summary>
public sealed record PowerStateConfig(string Signal, double OffBelowKw, double RunAboveKw, double HysteresisKw, double MinDwellSeconds);

/// <summary>
/// Parts from power peaks: a cycle is an episode of smoothed power at or above <see cref="AboveKw"/> (and not above
/// <see cref="BelowKw"/>, if set) lasting between the minimum and maximum cycle length; one part when it ends.
/// </summary>
public sealed record PowerCycleConfig(string Signal, double AboveKw, double? BelowKw, double HysteresisKw, int SmoothingSamples, double MinCycleSeconds, double MaxCycleSeconds);
