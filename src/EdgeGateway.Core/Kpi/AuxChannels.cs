namespace EdgeGateway.Core.Kpi;

#pragma warning disable CA1051 // Plain accumulators: fields, so the engine adds to them in place by ref.

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
