namespace EdgeGateway.Evaluation.Estimation;

/// <summary>
/// The multiplier bootstrap clustered by site (Callaway &amp; Sant'Anna 2021, section 4): each replication draws one
/// Webb weight per site and moves every estimate by the weighted sum of its per-site influence; all estimates
/// of an evaluation share the draws, so their joint distribution (the pre-trend covariance) is kept. Webb's six-point
/// weights (Webb 2023) rather than Rademacher's two: with G sites Rademacher has only 2^G distinct draws, too few
/// when a programme's treated cells lie in a handful of sites.
/// </summary>
internal static class MultiplierBootstrap
{
    /// <summary>Deviations from the estimate, per estimate and replication: <c>draws[estimate][replication]</c>.</summary>
    public static double[][] Draws(IReadOnlyList<double[]> influences, int sites, int replications, long seed, IProgress<string>? progress)
    {
        var draws = new double[influences.Count][];
        for (var a = 0; a < draws.Length; a++)
        {
            draws[a] = new double[replications];
        }

        var random = new SplitMix64(seed);
        var weights = new double[sites];
        var step = Math.Max(1, replications / 10);
        for (var r = 0; r < replications; r++)
        {
            for (var s = 0; s < sites; s++)
            {
                weights[s] = random.Webb();
            }

            for (var a = 0; a < draws.Length; a++)
            {
                var influence = influences[a];
                var sum = 0.0;
                for (var s = 0; s < sites; s++)
                {
                    sum += weights[s] * influence[s];
                }

                draws[a][r] = sum;
            }

            if ((r + 1) % step == 0 || r + 1 == replications)
            {
                progress?.Report($"bootstrap {r + 1}/{replications}");
            }
        }

        return draws;
    }

    /// <summary>Webb's six values ±√(1/2), ±1, ±√(3/2), each drawn with probability 1/6: mean 0, variance 1, symmetric.</summary>
    internal static IReadOnlyList<double> WebbValues { get; } =
        [-Math.Sqrt(1.5), -1, -Math.Sqrt(0.5), Math.Sqrt(0.5), 1, Math.Sqrt(1.5)];

    /// <summary>SplitMix64 (Steele, Lea &amp; Flood 2014): small, fast, and the same on every platform.</summary>
    internal struct SplitMix64(long seed)
    {
        private ulong _state = unchecked((ulong)seed);

        /// <summary>One of <see cref="WebbValues"/>, uniformly (the top 32 bits scaled to 0…5: bias below 2⁻²⁹).</summary>
        public double Webb() => WebbValues[(int)(((Next() >> 32) * 6) >> 32)];

        private ulong Next()
        {
            var z = _state += 0x9E3779B97F4A7C15;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }
    }
}
