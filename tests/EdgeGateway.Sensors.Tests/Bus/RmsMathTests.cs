using EdgeGateway.Sensors.I2c;

namespace EdgeGateway.Sensors.Tests.Bus;

/// <summary>The pure RMS, power and stuck-sensor math, fed with known waveforms.</summary>
public sealed class RmsMathTests
{
    [Theory]
    [InlineData(200, 50, 0.3)]    // the CT default: 4 samples per 50 Hz period
    [InlineData(200, 60, 1.1)]    // 60 Hz mains: 10 phases
    [InlineData(860, 50, 2.0)]    // the ADS1115's fastest rate: 172 samples in 200 ms
    public void AcRms_OfQuantizedSineWithDcBias_IsAmplitudeOverRoot2(double sampleRateHz, double mainsHz, double phase)
    {
        const double Amplitude = 7467;   // counts: 0.4667 V at 62.5 µV per count
        const double Bias = 26400;       // counts: a 1.65 V mid-rail bias at 62.5 µV per count
        var accumulator = default(AcRmsAccumulator);

        // 200 ms: whole mains cycles at 50 Hz (10) and at 60 Hz (12).
        var samples = (int)Math.Round(sampleRateHz * 0.2);
        for (var k = 0; k < samples; k++)
        {
            accumulator.Add((int)Math.Round(Bias + (Amplitude * Math.Sin((2 * Math.PI * mainsHz * k / sampleRateHz) + phase))));
        }

        Assert.Equal(Amplitude / Math.Sqrt(2), accumulator.AcRms, Amplitude * 1e-4);
        Assert.Equal(Bias, accumulator.Mean, 1.0);
    }

    [Fact]
    public void AcRms_AtTwiceTheMainsFrequency_DependsOnPhase_WhichIsWhyTheDefaultIs200Hz()
    {
        // 100 Hz sees the same two points of every 50 Hz cycle: the RMS is A·|sin φ| instead of A/√2.
        static double Rms(double phase)
        {
            var accumulator = default(AcRmsAccumulator);
            for (var k = 0; k < 20; k++)
            {
                accumulator.Add((int)Math.Round(10_000 * Math.Sin((2 * Math.PI * 50 * k / 100.0) + phase)));
            }

            return accumulator.AcRms;
        }

        Assert.Equal(0, Rms(0), 1.0);
        Assert.Equal(10_000, Rms(Math.PI / 2), 1.0);
    }

    [Fact]
    public void AcRms_OfConstant_IsZero_AndMinMaxTrackTheSamples()
    {
        var accumulator = default(AcRmsAccumulator);
        foreach (var sample in (int[])[5, 5, 5, 5])
        {
            accumulator.Add(sample);
        }

        Assert.Equal(0, accumulator.AcRms);
        accumulator.Add(-32768);
        accumulator.Add(32767);
        Assert.Equal(-32768, accumulator.Min);
        Assert.Equal(32767, accumulator.Max);
        Assert.Equal(6, accumulator.Count);
        accumulator.Reset();
        Assert.Equal(0, accumulator.Count);
        Assert.True(double.IsNaN(accumulator.AcRms));
    }

    [Fact]
    public void AcRms_OfFullScaleSquareWaveOverLongWindow_IsExact()
    {
        // 860 SPS for an hour at full scale: the integer sums must not overflow.
        var accumulator = default(AcRmsAccumulator);
        for (var k = 0; k < 860 * 3600; k++)
        {
            accumulator.Add(k % 2 == 0 ? 32767 : -32767);
        }

        Assert.Equal(32767, accumulator.AcRms, 1e-6);
    }

    [Fact]
    public void CtPower_SingleAndThreePhase()
    {
        // SCT-013-000 (100 A : 50 mA) on 33 Ω: 20 A primary gives 10 mA secondary and 0.33 V across the burden.
        var amps = CtPower.PrimaryAmps(0.33, 33, 2000);
        Assert.Equal(20, amps, 12);
        Assert.Equal(3.91, CtPower.Kilowatts(amps, 230, 1, 0.85), 12);
        Assert.Equal(11.73, CtPower.Kilowatts(amps, 230, 3, 0.85), 12);
    }

    [Fact]
    public void StuckDetector_ReportsOnceWhenUnchangedForTheLimit_AndClearsOnChange()
    {
        var second = TimeSpan.TicksPerSecond;
        var detector = new StuckDetector(10 * second);
        Assert.False(detector.Observe(7, 0));
        Assert.False(detector.Observe(7, 9 * second));
        Assert.True(detector.Observe(7, 10 * second));
        Assert.False(detector.Observe(7, 11 * second));
        Assert.True(detector.IsStuck);
        Assert.False(detector.Observe(8, 12 * second));
        Assert.False(detector.IsStuck);

        var off = new StuckDetector(0);
        Assert.False(off.Observe(1, 0));
        Assert.False(off.Observe(1, 1000 * second));
    }
}
