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
}

/// <summary>Count, sum, minimum and maximum of an auxiliary channel's samples.</summary>
public struct AuxStat
{
    /// <summary>Number of samples.</summary>
    public long Count;

    /// <summary>Sum of the samples.</summary>
    public double Sum;

    /// <summary>Smallest sample.</summary>
    public double Min;

    /// <summary>Largest sample.</summary>
    public double Max;

    /// <summary>Adds one sample.</summary>
    public void Add(double value)
    {
        (Min, Max) = Count == 0 ? (value, value) : (Math.Min(Min, value), Math.Max(Max, value));
        Sum += value;
        Count++;
    }

    /// <summary>Adds all samples of <paramref name="other"/>.</summary>
    public void Add(in AuxStat other)
    {
        if (other.Count == 0)
        {
            return;
        }

        (Min, Max) = Count == 0 ? (other.Min, other.Max) : (Math.Min(Min, other.Min), Math.Max(Max, other.Max));
        Sum += other.Sum;
        Count += other.Count;
    }
}

/// <summary>Per-window statistics of up to <see cref="Capacity"/> Aux signals, stored inline.</summary>
[System.Runtime.CompilerServices.InlineArray(Capacity)]
public struct AuxChannels
{
    /// <summary>Most Aux signals a cell may have.</summary>
    public const int Capacity = 8;

    private AuxStat _element;
}
