using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Signals.FromPower;
using static EdgeGateway.Core.Tests.TraceBuilder;

namespace EdgeGateway.Core.Tests.Signals;

/// <summary>State and parts from power alone, on seeded noisy recordings (10 Hz).</summary>
public sealed class PowerDetectorTests
{
    private const long SampleMs = 100;
    private static readonly double[] s_levelMeans = [0.2, 1.5, 7.5];
    private static readonly PowerStateConfig s_state = new("power", OffBelowKw: 0.8, RunAboveKw: 4.5, HysteresisKw: 0.3, MinDwellSeconds: 2);

    [Theory]
    [InlineData(1, 0.3)]
    [InlineData(2, 0.5)]
    [InlineData(3, 0.8)]
    public void StateFromNoisyPower_ClassifiesAtLeast99PercentOfTimeCorrectly(int seed, double sigmaKw)
    {
        var (kw, truth) = new NoisyPower(seed).Levels(6 * 3600 * 10, s_levelMeans, sigmaKw);
        var detector = new PowerStateDetector(s_state);

        var correct = 0;
        for (var i = 0; i < kw.Length; i++)
        {
            detector.Update(i * SampleMs, kw[i]);
            var expected = truth[i] switch { 0 => PowerLevel.Off, 1 => PowerLevel.Idle, _ => PowerLevel.Run };
            correct += detector.Level == expected ? 1 : 0;
        }

        Assert.True(correct >= 0.99 * kw.Length, $"{100.0 * correct / kw.Length:0.00} % of time classified correctly");
    }

    [Fact]
    public void StateFromPower_HysteresisAndDwell_IgnoreShortExcursions()
    {
        var detector = new PowerStateDetector(s_state);
        Assert.True(detector.Update(0, 1.5));
        Assert.Equal(PowerLevel.Idle, detector.Level);
        Assert.False(detector.Update(100, 4.7)); // above RunAboveKw but not beyond the hysteresis
        Assert.False(detector.Update(200, 9.0)); // beyond: a candidate, dwell 2 s not yet over
        Assert.False(detector.Update(1_500, 1.5)); // back before the dwell ended
        Assert.False(detector.Update(2_300, 9.0));
        Assert.True(detector.Update(4_300, 9.0));
        Assert.Equal(PowerLevel.Run, detector.Level);
        Assert.True(detector.Update(4_400, double.NaN));
        Assert.Equal(PowerLevel.Unknown, detector.Level);
        Assert.True(detector.Update(4_500, 0.1)); // first sample after a fault counts at once
        Assert.Equal(PowerLevel.Off, detector.Level);
    }

    [Theory]
    [InlineData(10, 11)]
    [InlineData(20, 12)]
    [InlineData(50, 13)]
    public void CyclesFromPeaks_CountExactly_AtSnr10AndAbove(double snr, int seed)
    {
        var (kw, peaks) = new NoisyPower(seed).Cycles(400, baseKw: 3, amplitude: 4, snr);

        Assert.Equal(peaks, CountCycles(kw));
    }

    /// <summary>
    /// Below SNR 10 the count is documented, not promised (src/docs/kpi-model.md, "State and parts from power"): this pins the measured behaviour
    /// so that a change to the detector shows up here.
    /// </summary>
    [Theory]
    [InlineData(5, 21, 0)]
    [InlineData(3, 22, 2)]
    public void CyclesFromPeaks_AtLowerSnr_MissOrAddAtMostAFewPercent(double snr, int seed, int tolerance)
    {
        var (kw, peaks) = new NoisyPower(seed).Cycles(400, baseKw: 3, amplitude: 4, snr);

        Assert.InRange(CountCycles(kw), peaks - tolerance, peaks + tolerance);
    }

    [Fact]
    public void CyclesFromPeaks_DropEpisodesLongerThanThreeStandardCycles()
    {
        var detector = new PowerCycleDetector(new PowerCycleConfig("power", AboveKw: 5, BelowKw: null, HysteresisKw: 0.2, SmoothingSamples: 1, MinCycleSeconds: 2, MaxCycleSeconds: 90));
        var t = 0L;
        var parts = 0;
        foreach (var (kw, seconds) in new[] { (3.0, 10), (7.0, 10), (3.0, 10), (7.0, 120), (3.0, 10), (7.0, 1), (3.0, 5) })
        {
            for (var k = 0; k < seconds * 10; k++, t += 100)
            {
                parts += detector.Update(t, kw) ? 1 : 0;
            }
        }

        Assert.Equal(1, parts);
        Assert.Equal(2, detector.Dropped);
    }

    [Fact]
    public void CellWithoutStackLight_GetsStateAndPartsFromPower_ThroughReplay()
    {
        var config = TestConfig.Cell(
            TestConfig.Shift("Mon-Fri", "06:00", "14:00"),
            signals: """ "power": { "Role": "PowerKw" } """,
            extra: """
             "StateFromPower": { "Signal": "power", "OffBelowKw": 0.8, "RunAboveKw": 2.5, "HysteresisKw": 0.2, "MinDwellSeconds": 0 },
             "CyclesFromPower": { "Signal": "power", "AboveKw": 5, "HysteresisKw": 0.2, "MinCycleSeconds": 2 },
            """);
        var trace = new TraceBuilder();
        var start = Utc("2026-03-30T08:00:00Z");
        var at = start;
        foreach (var (kw, seconds) in new[] { (1.5, 600), (3.0, 10), (7.0, 10), (3.0, 10), (7.0, 10), (3.0, 10), (1.5, 600), (0.1, 600) })
        {
            for (var k = 0; k < seconds; k++, at = at.AddSeconds(1))
            {
                trace.At(at, "power", kw);
            }
        }

        var total = Replay.Total(config, trace.ToString());

        Assert.Equal(50, total.Seconds(Bucket.Run));
        Assert.Equal(1799, total.Seconds(Bucket.Idle));
        Assert.Equal(2, total.Produced);
        Assert.Equal(0, total.Seconds(Bucket.Unknown));
    }

    private static int CountCycles(double[] kw)
    {
        // Thresholds as `edgegw calibrate` would suggest them for base 3 kW and peaks of +4 kW.
        var detector = new PowerCycleDetector(new PowerCycleConfig("power", AboveKw: 5, BelowKw: null, HysteresisKw: 0.4, SmoothingSamples: 5, MinCycleSeconds: 4, MaxCycleSeconds: 90));
        var parts = 0;
        for (var i = 0; i < kw.Length; i++)
        {
            parts += detector.Update(i * SampleMs, kw[i]) ? 1 : 0;
        }

        return parts;
    }
}
