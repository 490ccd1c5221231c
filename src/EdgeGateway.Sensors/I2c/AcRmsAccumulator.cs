namespace EdgeGateway.Sensors.I2c;

/// <summary>
/// Mean and AC RMS of raw converter counts over a window. The sums are exact integers, so removing the DC part (the
/// mid-rail bias of a current transformer circuit, or gravity on an accelerometer axis) loses no precision:
/// mean square of the AC part = (n·Σx² − (Σx)²) / n². A mutable struct: keep it in a field and call it in place.
/// </summary>
internal struct AcRmsAccumulator
{
    private long _sum;
    private Int128 _sumOfSquares;

    /// <summary>Samples added since the last reset.</summary>
    public int Count { get; private set; }

    /// <summary>Smallest sample since the last reset.</summary>
    public int Min { get; private set; }

    /// <summary>Largest sample since the last reset.</summary>
    public int Max { get; private set; }

    /// <summary>Mean of the samples (the DC part), in counts.</summary>
    public readonly double Mean => Count == 0 ? double.NaN : (double)_sum / Count;

    /// <summary>Mean square of the AC part, in counts²; NaN when empty.</summary>
    public readonly double AcMeanSquare
    {
        get
        {
            if (Count == 0)
            {
                return double.NaN;
            }

            Int128 n = Count;
            var numerator = (n * _sumOfSquares) - ((Int128)_sum * _sum);
            return (double)numerator / ((double)Count * Count);
        }
    }

    /// <summary>RMS of the AC part (the samples minus their mean), in counts; NaN when empty.</summary>
    public readonly double AcRms => Math.Sqrt(AcMeanSquare);

    /// <summary>Adds one sample.</summary>
    public void Add(int sample)
    {
        if (Count == 0)
        {
            Min = Max = sample;
        }
        else if (sample < Min)
        {
            Min = sample;
        }
        else if (sample > Max)
        {
            Max = sample;
        }

        Count++;
        _sum += sample;
        _sumOfSquares += (long)sample * sample;
    }

    /// <summary>Starts a new window.</summary>
    public void Reset()
    {
        Count = 0;
        _sum = 0;
        _sumOfSquares = 0;
        Min = Max = 0;
    }
}
