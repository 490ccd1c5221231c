namespace EdgeGateway.Core.Tests.Signals;

/// <summary>Seeded synthetic power recordings: a true level timeline plus Gaussian noise, sampled regularly.</summary>
internal sealed class NoisyPower(int seed)
{
    private readonly Random _random = new(seed);

    public double Gaussian()
    {
        // Box–Muller.
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public int Between(int min, int max) => _random.Next(min, max + 1);

    /// <summary>
    /// Alternating off/idle/run stretches of 2–30 min at 10 Hz; kW = level mean + σ·noise.
    /// Returns the samples and the true level of each.
    /// </summary>
    public (double[] Kw, int[] Level) Levels(int samples, double[] means, double sigma)
    {
        var kw = new double[samples];
        var level = new int[samples];
        var i = 0;
        var current = 1;
        while (i < samples)
        {
            var length = Between(2 * 600, 30 * 600);
            for (var k = 0; k < length && i < samples; k++, i++)
            {
                level[i] = current;
                kw[i] = Math.Max(0, means[current] + (sigma * Gaussian()));
            }

            current = (current + Between(1, 2)) % 3;
        }

        return (kw, level);
    }

    /// <summary>
    /// A running machine at 10 Hz: base load, and one machining peak of +<paramref name="amplitude"/> lasting
    /// 8–12 s in every cycle of 25–35 s; noise σ = amplitude / snr. Returns the samples and the number of peaks.
    /// </summary>
    public (double[] Kw, int Peaks) Cycles(int cycles, double baseKw, double amplitude, double snr)
    {
        var kw = new List<double>();
        var sigma = amplitude / snr;
        for (var c = 0; c < cycles; c++)
        {
            var cycle = Between(250, 350);
            var peak = Between(80, 120);
            var peakStart = Between(20, cycle - peak - 20);
            for (var k = 0; k < cycle; k++)
            {
                var inPeak = k >= peakStart && k < peakStart + peak;
                kw.Add(baseKw + (inPeak ? amplitude : 0) + (sigma * Gaussian()));
            }
        }

        return ([.. kw], cycles);
    }
}
