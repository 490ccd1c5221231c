namespace EdgeGateway.TestSupport.SensorBus;

/// <summary>A physical quantity over time that a simulated chip converts (volts on an ADC pin, g on an axis…).</summary>
public interface IAnalogSignal
{
    /// <summary>The value at <paramref name="utcTicks"/>.</summary>
    double At(long utcTicks);
}

/// <summary>A constant.</summary>
public sealed class ConstantSignal(double value) : IAnalogSignal
{
    public double Value { get; set; } = value;

    public double At(long utcTicks) => Value;
}

/// <summary>
/// offset + amplitude·sin(2π·f·t + phase) + Gaussian noise of a given RMS. The noise comes from a table drawn once
/// (seeded), one value per call, so reading it allocates nothing.
/// </summary>
public sealed class SineSignal : IAnalogSignal
{
    private const int NoiseTableSize = 1 << 14;

    private readonly double _offset;
    private readonly double _frequencyHz;
    private readonly double _phase;
    private readonly long _originTicks;
    private readonly double[] _noise = new double[NoiseTableSize];
    private int _next;

    public SineSignal(double offset, double amplitude, double frequencyHz, double phaseRadians = 0, double noiseRms = 0, int seed = 1, long originTicks = 0)
    {
        _offset = offset;
        Amplitude = amplitude;
        _frequencyHz = frequencyHz;
        _phase = phaseRadians;
        _originTicks = originTicks;
        var random = new Random(seed);
        for (var i = 0; i < _noise.Length; i++)
        {
            // Box-Muller.
            var u1 = 1 - random.NextDouble();
            var u2 = random.NextDouble();
            _noise[i] = noiseRms * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
    }

    /// <summary>Peak amplitude; settable to change the load during a test.</summary>
    public double Amplitude { get; set; }

    public double At(long utcTicks)
    {
        var seconds = (utcTicks - _originTicks) / (double)TimeSpan.TicksPerSecond;
        var noise = _noise[_next++ & (NoiseTableSize - 1)];
        return _offset + (Amplitude * Math.Sin((2 * Math.PI * _frequencyHz * seconds) + _phase)) + noise;
    }
}
