using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Core.Signals.FromPower;

/// <summary>One level found in recorded power: its share of the samples and its mean.</summary>
public readonly record struct PowerCluster(double Share, double MeanKw);

/// <summary>Thresholds suggested from recorded power, with the levels they were based on.</summary>
public sealed record PowerCalibration(
    int Samples,
    PowerStateConfig State,
    PowerCluster Off,
    PowerCluster Idle,
    PowerCluster Run,
    PowerCycleConfig? Cycles);
