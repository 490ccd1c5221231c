
namespace EdgeGateway.Sensors.Tests.Bus;

/// <summary>
/// A split-core current transformer on a burden resistor, read by the real Iot.Device.Ads1115 binding from a simulated
/// ADS1115 whose pins carry a 50 Hz sine of known amplitude plus noise. SCT-013-000 (100 A : 50 mA, ratio 2000) on
/// 33 Ω: 20 A primary is 10 mA secondary, 0.33 V RMS (0.4667 V peak) across the burden.
/// </summary>
public sealed class Ads1115BusTests
{
    private const double BurdenPeakVolts = 0.33 * 1.4142135623730951;
    private const double NoiseVolts = 0.002;

    // 230 V × 20 A × 0.85 / 1000.
    private const double ExpectedKw = 3.91;

    private const string CtSignal = """
        "power": { "Role": "PowerKw", "Source": "i2c:1:0x48/ads1115:a0-a1", "CtRatio": 2000, "BurdenOhms": 33, "VoltageV": 230, "PowerFactor": 0.85 }
        """;

    [Fact]
    public void CurrentTransformer_Differential_50HzSineWithNoise_GivesPowerWithin05Percent()
    {
        using var rig = new BusRig(CtSignal);
        var adc = AddAdc(rig, 0x48, peakVolts: BurdenPeakVolts);
        rig.Start();
        rig.Run(TimeSpan.FromMilliseconds(2010));

        // The first poll is one 5 ms tick after the start; each window holds 40 samples and is stamped with its end.
        var power = rig.Of("power");
        Assert.Equal(10, power.Count);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => rig.StartMs + 5 + (i * 200L)), power.Select(e => e.TimestampMs));
        Assert.All(power, e => Assert.Equal(ExpectedKw, e.Value, ExpectedKw * 0.005));

        // One channel: the chip converts continuously and a sample is a plain register read, no config write.
        Assert.True(adc.Continuous);
        Assert.Equal(0x0400, adc.Config & 0x0E00);   // PGA ±2.048 V
        Assert.Equal(0x00E0, adc.Config & 0x00E0);   // 860 SPS
    }

    [Fact]
    public void CurrentTransformer_SingleEndedOnMidRailBias_ThreePhase_At60Hz()
    {
        using var rig = new BusRig("""
            "power": { "Role": "PowerKw", "Source": "i2c:1:0x49/ads1115:a2", "CtRatio": 2000, "BurdenOhms": 33, "Phases": 3, "PowerFactor": 0.85 }
            """);
        var adc = rig.I2c.Add(new SimulatedAds1115(1, 0x49, rig.Clock));
        adc.Pins[2] = new SineSignal(1.65, BurdenPeakVolts, 60, phaseRadians: 0.7, noiseRms: NoiseVolts, seed: 3);
        rig.Start();
        rig.Run(TimeSpan.FromMilliseconds(1010));

        var power = rig.Of("power");
        Assert.Equal(5, power.Count);
        Assert.All(power, e => Assert.Equal(3 * ExpectedKw, e.Value, 3 * ExpectedKw * 0.005));
        Assert.Equal(0x0200, adc.Config & 0x0E00);   // PGA ±4.096 V for a 0-3.3 V single-ended input
    }

    [Fact]
    public void TwoChannelsOnOneChip_AreReadInTurn_EachWithItsOwnValue()
    {
        using var rig = new BusRig("""
            "power": { "Role": "PowerKw", "Source": "i2c:1:0x48/ads1115:a0-a1", "CtRatio": 2000, "BurdenOhms": 33, "PowerFactor": 0.85 },
            "supply": { "Role": "Aux", "Source": "i2c:1:0x48/ads1115:a2", "SampleRateHz": 20, "WindowMs": 500 }
            """);
        var adc = AddAdc(rig, 0x48, peakVolts: BurdenPeakVolts / 2);
        adc.Pins[2] = new SineSignal(2.5, 0.01, 3, noiseRms: 0.001, seed: 9);
        rig.Start();
        var configWritesAtStart = adc.ConfigWrites;
        rig.Run(TimeSpan.FromMilliseconds(1010));

        Assert.False(adc.Continuous);
        Assert.All(rig.Of("power"), e => Assert.Equal(ExpectedKw / 2, e.Value, ExpectedKw * 0.005));
        Assert.Equal(5, rig.Of("power").Count);
        var supply = rig.Of("supply");
        Assert.Equal(2, supply.Count);
        Assert.All(supply, e => Assert.Equal(2.5, e.Value, 0.005));

        // Single-shot: every sample starts a conversion with a config write: 202 power and 21 supply samples in 1010 ms.
        Assert.Equal(223, adc.ConfigWrites - configWritesAtStart);
    }

    [Fact]
    public void Clipping_AtFullScale_IsASensorFault_NotAValue()
    {
        using var rig = new BusRig(CtSignal);
        AddAdc(rig, 0x48, peakVolts: 2.5);
        rig.Start();
        rig.Run(TimeSpan.FromSeconds(1));

        var power = rig.Of("power");
        Assert.Single(power);
        Assert.True(double.IsNaN(power[0].Value));
        Assert.Contains("full scale (±2.048 V)", Assert.Single(rig.Log.WithId(2101)), StringComparison.Ordinal);
    }

    [Fact]
    public void SingleEndedCt_WithoutBias_IsASensorFault()
    {
        using var rig = new BusRig("""
            "power": { "Role": "PowerKw", "Source": "i2c:1:0x48/ads1115:a0", "CtRatio": 2000, "BurdenOhms": 33 }
            """);
        var adc = rig.I2c.Add(new SimulatedAds1115(1, 0x48, rig.Clock));
        adc.Pins[0] = new SineSignal(0, BurdenPeakVolts, 50, noiseRms: NoiseVolts);
        rig.Start();
        rig.Run(TimeSpan.FromSeconds(1));

        Assert.True(double.IsNaN(Assert.Single(rig.Of("power")).Value));
        Assert.Contains("mid-rail bias", Assert.Single(rig.Log.WithId(2101)), StringComparison.Ordinal);
    }

    [Fact]
    public void AuxVoltage_IsTheMeanOverTheWindow()
    {
        using var rig = new BusRig("""
            "level": { "Role": "Aux", "Source": "i2c:1:0x4a/ads1115:a3" }
            """);
        var adc = rig.I2c.Add(new SimulatedAds1115(1, 0x4A, rig.Clock));
        adc.Pins[3] = new SineSignal(1.234, 0.05, 0.5, noiseRms: 0.002, seed: 5);
        rig.Start();
        rig.Run(TimeSpan.FromMilliseconds(4010));

        var level = rig.Of("level");
        Assert.Equal(4, level.Count);

        // Two windows cover one period of the 0.5 Hz ripple: their mean is the DC value.
        Assert.Equal(1.234, (level[0].Value + level[1].Value) / 2, 0.002);
        Assert.Equal(1.234, (level[2].Value + level[3].Value) / 2, 0.002);
    }

    internal static SimulatedAds1115 AddAdc(BusRig rig, int address, double peakVolts)
    {
        var adc = rig.I2c.Add(new SimulatedAds1115(1, address, rig.Clock));
        adc.Pins[0] = new SineSignal(1.65, peakVolts, 50, phaseRadians: 0.3, noiseRms: NoiseVolts, seed: address);
        adc.Pins[1] = new ConstantSignal(1.65);
        return adc;
    }
}
