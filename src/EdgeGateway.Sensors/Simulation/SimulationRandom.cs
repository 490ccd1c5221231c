using System.Numerics;

namespace EdgeGateway.Sensors.Simulation;

/// <summary>
/// xoshiro256** seeded through SplitMix64: the simulator's own generator, so that a seed gives the same history on
/// every .NET version (System.Random's seeded sequence is not a contract). One stream per cell and purpose.
/// </summary>
internal sealed class SimulationRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>A stream for <paramref name="seed"/> and a name (e.g. the cell id and what it draws).</summary>
    public SimulationRandom(long seed, string stream)
    {
        // FNV-1a of the name, mixed with the seed: streams of different cells are unrelated.
        var hash = 14_695_981_039_346_656_037UL;
        foreach (var c in stream)
        {
            hash = (hash ^ c) * 1_099_511_628_211UL;
        }

        var state = (ulong)seed ^ hash;
        _s0 = SplitMix(ref state);
        _s1 = SplitMix(ref state);
        _s2 = SplitMix(ref state);
        _s3 = SplitMix(ref state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Exponential with the given mean.</summary>
    public double Exponential(double mean) => -mean * Math.Log(1 - NextDouble());

    /// <summary>Standard normal (Box–Muller).</summary>
    public double Normal()
    {
        var u = 1 - NextDouble();
        var v = NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    /// <summary>Log-normal with the given mean and coefficient of variation (a constant when <paramref name="cv"/> is 0).</summary>
    public double LogNormal(double mean, double cv)
    {
        var sigma2 = Math.Log(1 + (cv * cv));
        return Math.Exp(Math.Log(mean) - (sigma2 / 2) + (Math.Sqrt(sigma2) * Normal()));
    }

    private ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
