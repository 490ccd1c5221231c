namespace EdgeGateway.Core.Kpi;

#pragma warning disable CA1051 // A plain accumulator: fields, so the engine adds to them in place by ref.

/// <summary>
/// What one window accumulated, in exact integers (milliseconds, parts) and kW·ms energy.
/// KPIs are derived from it only when a record is read, so nothing is rounded in between.
/// </summary>
public struct WindowTotals
{
    /// <summary>Window start, Unix ms UTC.</summary>
    public long Start;

    /// <summary>Window end (exclusive), Unix ms UTC.</summary>
    public long End;

    /// <summary>Milliseconds per bucket.</summary>
    public BucketDurations Buckets;

    /// <summary>Cycle pulses.</summary>
    public long Produced;

    /// <summary>Scrap pulses.</summary>
    public long Scrap;

    /// <summary>Cycle pulses outside staffed shift time.</summary>
    public long UnattendedProduced;

    /// <summary>Scrap pulses outside staffed shift time.</summary>
    public long UnattendedScrap;

    /// <summary>Minor stops that start in this window.</summary>
    public long MinorStops;

    /// <summary>Milliseconds of minor stops in this window.</summary>
    public long MinorStopMs;

    /// <summary>Failures (down intervals that are not minor stops) that start in this window.</summary>
    public long Failures;

    /// <summary>Milliseconds of failures in this window (down bucket only).</summary>
    public long FailureMs;

    /// <summary>Energy in kW·ms (zero-order hold of power samples).</summary>
    public double EnergyKwMs;

    /// <summary>Energy in kW·ms while the machine was not running.</summary>
    public double NonRunEnergyKwMs;

    /// <summary>Sensor faults (a signal turning invalid) that started in this window.</summary>
    public long SensorFaults;

    /// <summary>Samples of the cell's Aux signals, in config order.</summary>
    public AuxChannels Aux;

    /// <summary>Milliseconds of stop time booked by each reason code (config order).</summary>
    public ReasonDurations ReasonMs;

    /// <summary>Stops at least the configured length that ended without a reason and started in this window.</summary>
    public long UnassignedStops;

    /// <summary>Cycle pulses per article slot (<see cref="ArticleCounts"/>): parts are cycles × the article's parts per cycle.</summary>
    public ArticleCounts ArticleCycles;

    /// <summary>Scrap pulses per article slot.</summary>
    public ArticleCounts ArticleScrap;
}
