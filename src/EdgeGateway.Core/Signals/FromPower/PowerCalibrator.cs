using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Core.Signals.FromPower;

/// <summary>
/// Suggests <see cref="PowerStateConfig"/> — and <see cref="PowerCycleConfig"/> where the running level splits into
/// a base load and machining peaks — from regularly sampled power, by Otsu's split of the histogram into two or
/// three clusters (three where all three are distinct: adjacent means apart by at least twice the sum of their
/// standard deviations, each holding at least 0.5 % of the samples). Three clusters are read as
/// off / idle / run, unless the top one comes in short episodes (median at most 3 ideal cycles): then it is the
/// peaks of running, the middle one the running base load, and the lowest one idle.
/// </summary>
public static class PowerCalibrator
{
    private const int Bins = 512;
    private const double Bimodal = 0.7;
    private const double MinShare = 0.005;

    /// <summary>Suggests thresholds for <paramref name="signal"/>; null when the samples hold fewer than two levels.</summary>
    public static PowerCalibration? Suggest(string signal, IReadOnlyList<double> kw, double idealCycleSeconds, double sampleIntervalSeconds)
    {
        if (kw.Count < 10)
        {
            return null;
        }

        var histogram = Histogram.Of(kw);
        if (histogram is null)
        {
            return null;
        }

        var (two, twoSeparation) = histogram.BestSplit();
        if (twoSeparation < Bimodal || !histogram.Distinct(double.NegativeInfinity, two, double.PositiveInfinity))
        {
            return null;
        }

        var (low, high) = histogram.BestTwoSplits();
        var dwell = Math.Max(2, 5 * sampleIntervalSeconds);
        if (!histogram.Distinct(double.NegativeInfinity, low, high) || !histogram.Distinct(low, high, double.PositiveInfinity))
        {
            // Two levels: idle and run; "off" begins below half the idle level.
            var idle = Cluster(kw, double.NegativeInfinity, two);
            var run = Cluster(kw, two, double.PositiveInfinity);
            return Result(signal, kw.Count, Math.Max(0, idle.MeanKw / 2), Midpoint(idle, run), new PowerCluster(0, 0), idle, run, null, dwell);
        }

        // Thresholds sit midway between the cluster means: Otsu's edges lean towards the bigger cluster.
        var bottom = Cluster(kw, double.NegativeInfinity, low);
        var middle = Cluster(kw, low, high);
        var top = Cluster(kw, high, double.PositiveInfinity);
        if (MedianEpisodeSeconds(kw, high, sampleIntervalSeconds) <= 3 * idealCycleSeconds)
        {
            // The top level is machining peaks within running: cycles from power.
            var hysteresis = Round(0.1 * (top.MeanKw - middle.MeanKw));
            var cycles = new PowerCycleConfig(signal, Round(Midpoint(middle, top)), null, hysteresis, 3, 0, 3 * idealCycleSeconds);
            var run = new PowerCluster(middle.Share + top.Share, ((middle.Share * middle.MeanKw) + (top.Share * top.MeanKw)) / (middle.Share + top.Share));
            return Result(signal, kw.Count, Math.Max(0, bottom.MeanKw / 2), Midpoint(bottom, middle), new PowerCluster(0, 0), bottom, run, cycles, dwell);
        }

        return Result(signal, kw.Count, Midpoint(bottom, middle), Midpoint(middle, top), bottom, middle, top, null, dwell);
    }

    private static PowerCalibration Result(string signal, int samples, double offBelow, double runFrom, PowerCluster off, PowerCluster idle, PowerCluster run, PowerCycleConfig? cycles, double dwell)
    {
        // Hysteresis: a tenth of the gap between idle and run, but never closing the idle band.
        var hysteresis = Math.Min(0.1 * (run.MeanKw - idle.MeanKw), 0.25 * (runFrom - offBelow));
        return new PowerCalibration(samples, new PowerStateConfig(signal, Round(offBelow), Round(runFrom), Round(hysteresis), dwell), off, idle, run, cycles);
    }

    private static PowerCluster Cluster(IReadOnlyList<double> kw, double from, double to)
    {
        double sum = 0;
        var count = 0;
        foreach (var x in kw)
        {
            if (x >= from && x < to)
            {
                sum += x;
                count++;
            }
        }

        return new PowerCluster((double)count / kw.Count, count == 0 ? 0 : sum / count);
    }

    private static double MedianEpisodeSeconds(IReadOnlyList<double> kw, double above, double sampleIntervalSeconds)
    {
        var episodes = new List<int>();
        var length = 0;
        foreach (var x in kw)
        {
            if (x >= above)
            {
                length++;
            }
            else if (length > 0)
            {
                episodes.Add(length);
                length = 0;
            }
        }

        if (length > 0)
        {
            episodes.Add(length);
        }

        episodes.Sort();
        return episodes.Count == 0 ? double.PositiveInfinity : episodes[episodes.Count / 2] * sampleIntervalSeconds;
    }

    private static double Midpoint(PowerCluster lower, PowerCluster upper) => (lower.MeanKw + upper.MeanKw) / 2;

    private static double Round(double kw) => Math.Round(kw, kw < 10 ? 3 : 2);

    /// <summary>A fixed-bin histogram with prefix sums, for Otsu's method with one or two thresholds.</summary>
    private sealed class Histogram
    {
        private readonly double _min;
        private readonly double _width;
        private readonly double[] _count = new double[Bins + 1];
        private readonly double[] _sum = new double[Bins + 1];
        private readonly double[] _sumSquares = new double[Bins + 1];
        private double _totalVariance;

        private Histogram(double min, double width) => (_min, _width) = (min, width);

        public static Histogram? Of(IReadOnlyList<double> kw)
        {
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            foreach (var x in kw)
            {
                (min, max) = (Math.Min(min, x), Math.Max(max, x));
            }

            if (!(max > min))
            {
                return null;
            }

            var histogram = new Histogram(min, (max - min) / Bins);
            double sumSquares = 0;
            var counts = new double[Bins];
            var sums = new double[Bins];
            var squares = new double[Bins];
            foreach (var x in kw)
            {
                var bin = Math.Min(Bins - 1, (int)((x - min) / histogram._width));
                counts[bin]++;
                sums[bin] += x;
                squares[bin] += x * x;
                sumSquares += x * x;
            }

            for (var bin = 0; bin < Bins; bin++)
            {
                histogram._count[bin + 1] = histogram._count[bin] + counts[bin];
                histogram._sum[bin + 1] = histogram._sum[bin] + sums[bin];
                histogram._sumSquares[bin + 1] = histogram._sumSquares[bin] + squares[bin];
            }

            var n = histogram._count[Bins];
            var mean = histogram._sum[Bins] / n;
            histogram._totalVariance = (sumSquares / n) - (mean * mean);
            return histogram._totalVariance > 0 ? histogram : null;
        }

        /// <summary>The threshold maximising between-class variance, and the share of variance it explains.</summary>
        public (double Threshold, double Separation) BestSplit()
        {
            double best = 0;
            var edge = 1;
            for (var i = 1; i < Bins; i++)
            {
                var between = Between(0, i) + Between(i, Bins);
                if (between > best)
                {
                    (best, edge) = (between, i);
                }
            }

            return (Edge(edge), best / _totalVariance);
        }

        /// <summary>The two thresholds maximising between-class variance of three classes.</summary>
        public (double Low, double High) BestTwoSplits()
        {
            double best = 0;
            (int Low, int High) edges = (1, 2);
            for (var i = 1; i < Bins - 1; i++)
            {
                var first = Between(0, i);
                for (var j = i + 1; j < Bins; j++)
                {
                    var between = first + Between(i, j) + Between(j, Bins);
                    if (between > best)
                    {
                        (best, edges) = (between, (i, j));
                    }
                }
            }

            return (Edge(edges.Low), Edge(edges.High));
        }

        /// <summary>Whether the classes [from, middle) and [middle, to) are two distinct levels.</summary>
        public bool Distinct(double from, double middle, double to)
        {
            var (a, b, c) = (Bin(from), Bin(middle), Bin(to));
            var n = _count[Bins];
            if ((_count[b] - _count[a]) / n < MinShare || (_count[c] - _count[b]) / n < MinShare)
            {
                return false;
            }

            var (meanA, sdA) = Moments(a, b);
            var (meanB, sdB) = Moments(b, c);
            return meanB - meanA >= 2 * (sdA + sdB);
        }

        private int Bin(double kw) =>
            double.IsNegativeInfinity(kw) ? 0 : double.IsPositiveInfinity(kw) ? Bins : Math.Clamp((int)Math.Round((kw - _min) / _width), 0, Bins);

        private (double Mean, double StandardDeviation) Moments(int from, int to)
        {
            var count = _count[to] - _count[from];
            var mean = (_sum[to] - _sum[from]) / count;
            var variance = ((_sumSquares[to] - _sumSquares[from]) / count) - (mean * mean);
            return (mean, Math.Sqrt(Math.Max(0, variance)));
        }

        private double Edge(int bin) => _min + (bin * _width);

        /// <summary>w·(μ_class − μ)² of the bins [from, to), with w the class's share.</summary>
        private double Between(int from, int to)
        {
            var n = _count[Bins];
            var count = _count[to] - _count[from];
            if (count == 0)
            {
                return 0;
            }

            var classMean = (_sum[to] - _sum[from]) / count;
            var mean = _sum[Bins] / n;
            return count / n * (classMean - mean) * (classMean - mean);
        }
    }
}
