using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Core.Signals.FromPower;

/// <summary>
/// Machine state from power alone (retrofits without a stack light): thresholds with hysteresis — enter a level
/// only beyond its threshold plus <c>HysteresisKw</c>, leave it only beyond minus — and a minimum dwell. The dwell
/// integrates evidence, so noise cannot hold a real change back forever: time of samples pointing away from the
/// level in force adds up, time of samples confirming it counts down, and the level changes once the evidence
/// reaches <c>MinDwellSeconds</c>, from that instant on (transitions are late by about the dwell; durations are
/// not biased). The first sample, and the first after a fault, take effect at once. Allocation-free.
/// </summary>
public sealed class PowerStateDetector(PowerStateConfig config)
{
    // A gap in the samples counts as evidence for at most this long.
    private const long MaxStepMs = 10_000;

    private readonly long _dwellMs = (long)Math.Round(config.MinDwellSeconds * 1000);
    private PowerLevel _candidate;
    private long _evidenceMs;
    private long _previous;

    /// <summary>The level in force.</summary>
    public PowerLevel Level { get; private set; }

    /// <summary>Takes a sample (NaN = sensor fault); true when <see cref="Level"/> changed.</summary>
    public bool Update(long timestampMs, double kw)
    {
        var step = Math.Min(timestampMs - _previous, MaxStepMs);
        _previous = timestampMs;
        if (double.IsNaN(kw))
        {
            return Set(PowerLevel.Unknown);
        }

        var target = Classify(kw);
        if (Level == PowerLevel.Unknown)
        {
            return Set(target);
        }

        if (target == Level)
        {
            _evidenceMs = Math.Max(0, _evidenceMs - step);
            return false;
        }

        // Off and idle both argue against run (and so on): evidence is kept when the candidate changes.
        _candidate = target;
        _evidenceMs += step;
        return _evidenceMs >= _dwellMs && Set(_candidate);
    }

    /// <summary>The level a sample points to, given the level in force (hysteresis).</summary>
    private PowerLevel Classify(double kw)
    {
        var h = config.HysteresisKw;
        var runFrom = Level == PowerLevel.Run ? config.RunAboveKw - h : config.RunAboveKw + h;
        var offBelow = Level == PowerLevel.Off ? config.OffBelowKw + h : config.OffBelowKw - h;
        return kw >= runFrom ? PowerLevel.Run : kw < offBelow ? PowerLevel.Off : PowerLevel.Idle;
    }

    private bool Set(PowerLevel level)
    {
        _evidenceMs = 0;
        _candidate = PowerLevel.Unknown;
        if (level == Level)
        {
            return false;
        }

        Level = level;
        return true;
    }
}
