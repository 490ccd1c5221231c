using EdgeGateway.Sensors.I2c;
using Microsoft.Extensions.Logging;

namespace EdgeGateway.Sensors.Tests.Bus;

/// <summary>
/// Sensor faults are a NaN event at their onset (once), a warning with event id 2101, and nothing more until the next
/// valid value, which is written and logged as a recovery (2102): I2C NACK and timeout, a chip missing at start, a
/// stuck converter, implausible values.
/// </summary>
public sealed class SensorFaultTests
{
    private const string CtSignal = """
        "power": { "Role": "PowerKw", "Source": "i2c:1:0x48/ads1115:a0-a1", "CtRatio": 2000, "BurdenOhms": 33, "PowerFactor": 0.85, "StuckAfterSeconds": 2 }
        """;

    private const double ExpectedKw = 3.91;

    [Theory]
    [InlineData(I2cFailure.Nack, "Error 121")]
    [InlineData(I2cFailure.Timeout, "Error 110")]
    public void BusErrorMidRun_WritesOneNaN_ThenTheNextValidValueAfterTheChipAnswersAgain(I2cFailure failure, string expectedError)
    {
        using var rig = new BusRig(CtSignal);
        var adc = Ads1115BusTests.AddAdc(rig, 0x48, peakVolts: 0.33 * Math.Sqrt(2));
        rig.Start();
        rig.At(1000, () => adc.Failure = failure);
        rig.At(13_000, () => adc.Failure = I2cFailure.None);
        rig.Run(TimeSpan.FromSeconds(4));

        var power = rig.Of("power");
        var nan = Assert.Single(power, e => double.IsNaN(e.Value));
        Assert.Equal(rig.StartMs + 1005, nan.TimestampMs);
        Assert.All(power.Where(e => e.TimestampMs < nan.TimestampMs || e.TimestampMs > nan.TimestampMs), e => Assert.Equal(ExpectedKw, e.Value, ExpectedKw * 0.005));

        // Retries at 6 s and 11 s fail quietly; the one at 16 s opens the chip and samples at once; its first window ends 200 ms later.
        var recovered = power.First(e => e.TimestampMs > nan.TimestampMs);
        Assert.Equal(rig.StartMs + 16_005 + 200, recovered.TimestampMs);
        Assert.DoesNotContain(power, e => e.TimestampMs > nan.TimestampMs && e.TimestampMs < recovered.TimestampMs);

        var fault = Assert.Single(rig.Log.WithId(2101));
        Assert.Contains("Sensor fault on power (i2c:1:0x48/ads1115:a0-a1): I2C error reading the ADS1115 at i2c:1:0x48", fault, StringComparison.Ordinal);
        Assert.Contains(expectedError, fault, StringComparison.Ordinal);
        Assert.Equal(2, rig.Log.WithId(2103).Count);
        Assert.StartsWith("Sensor power (i2c:1:0x48/ads1115:a0-a1) recovered with 3.9", Assert.Single(rig.Log.WithId(2102)), StringComparison.Ordinal);
        Assert.Equal(LogLevel.Warning, rig.Log.Entries.Single(e => e.Id.Id == 2101).Level);
    }

    [Fact]
    public void ChipMissingAtStart_IsAFaultFromTheStart_UntilItIsPluggedIn()
    {
        using var rig = new BusRig(CtSignal);
        rig.Start();
        var nan = Assert.Single(rig.Of("power"));
        Assert.True(double.IsNaN(nan.Value));
        Assert.Equal(rig.StartMs, nan.TimestampMs);
        Assert.Contains("cannot open the ADS1115 at i2c:1:0x48: Error 121", Assert.Single(rig.Log.WithId(2101)), StringComparison.Ordinal);

        rig.At(7000, () => Ads1115BusTests.AddAdc(rig, 0x48, peakVolts: 0.33 * Math.Sqrt(2)));
        rig.Run(TimeSpan.FromSeconds(4));
        var values = rig.Of("power").Skip(1).ToList();
        Assert.Equal(rig.StartMs + 10_000 + 200, values[0].TimestampMs);
        Assert.All(values, e => Assert.Equal(ExpectedKw, e.Value, ExpectedKw * 0.005));
    }

    [Fact]
    public void FrozenConverter_IsStuckAfterStuckAfterSeconds_AndRecoversWhenItConvertsAgain()
    {
        using var rig = new BusRig(CtSignal);
        var adc = Ads1115BusTests.AddAdc(rig, 0x48, peakVolts: 0.33 * Math.Sqrt(2));
        rig.Start();
        rig.At(1000, () => adc.Frozen = true);
        rig.At(6000, () => adc.Frozen = false);
        rig.Run(TimeSpan.FromSeconds(1));

        var power = rig.Of("power");
        var nan = Assert.Single(power, e => double.IsNaN(e.Value));

        // The last fresh conversion was at 1000 ms; two seconds later the reading counts as stuck.
        Assert.Equal(rig.StartMs + 3000, nan.TimestampMs);
        Assert.Contains("stuck: the raw reading has not changed for 2 s", Assert.Single(rig.Log.WithId(2101)), StringComparison.Ordinal);
        Assert.DoesNotContain(power, e => e.TimestampMs > nan.TimestampMs && e.TimestampMs <= rig.StartMs + 6000);
        Assert.All(power.Where(e => e.TimestampMs > rig.StartMs + 6000), e => Assert.Equal(ExpectedKw, e.Value, ExpectedKw * 0.005));
        Assert.Single(rig.Log.WithId(2102));
    }

    [Fact]
    public void ValueAbovePlausibleMax_IsAFault_AndTheNextPlausibleWindowRecovers()
    {
        using var rig = new BusRig("""
            "power": { "Role": "PowerKw", "Source": "i2c:1:0x48/ads1115:a0-a1", "CtRatio": 2000, "BurdenOhms": 33, "PowerFactor": 0.85, "PlausibleMax": 5 }
            """);
        var adc = Ads1115BusTests.AddAdc(rig, 0x48, peakVolts: 0.33 * Math.Sqrt(2));
        rig.Start();
        rig.At(1000, () => ((SineSignal)adc.Pins[0]).Amplitude = 0.33 * Math.Sqrt(2) * 1.5);
        rig.At(2000, () => ((SineSignal)adc.Pins[0]).Amplitude = 0.33 * Math.Sqrt(2) * 0.5);
        rig.Run(TimeSpan.FromMilliseconds(1010));

        // 15 windows: 5 valid, the 6th implausible (NaN), 4 more implausible (silent), then 5 valid at half the load.
        var power = rig.Of("power").Select(e => e.Value).ToList();
        Assert.Equal(11, power.Count);
        Assert.All(power.Take(5), kw => Assert.Equal(ExpectedKw, kw, ExpectedKw * 0.005));
        Assert.True(double.IsNaN(power[5]));
        Assert.Equal(ExpectedKw / 2, power[6], ExpectedKw * 0.005);
        Assert.Matches(@"implausible: 5\.8\d+ is above PlausibleMax 5;", Assert.Single(rig.Log.WithId(2101)));
    }

    [Fact]
    public void BusError_FaultsEveryChannelOfTheChip()
    {
        using var rig = new BusRig("""
            "power": { "Role": "PowerKw", "Source": "i2c:1:0x48/ads1115:a0-a1", "CtRatio": 2000, "BurdenOhms": 33 },
            "supply": { "Role": "Aux", "Source": "i2c:1:0x48/ads1115:a2" },
            "temp": { "Role": "Aux", "Source": "i2c:1:0x76/bme280:temperature", "SampleRateHz": 2, "WindowMs": 1000 }
            """);
        var adc = Ads1115BusTests.AddAdc(rig, 0x48, peakVolts: 0.3);
        rig.I2c.Add(new SimulatedBme280(1, 0x76));
        rig.Start();
        rig.At(2000, () => rig.I2c.Remove(1, 0x48));
        rig.At(2001, () => adc.Failure = I2cFailure.Nack);
        rig.Run(TimeSpan.FromSeconds(2));

        Assert.True(double.IsNaN(rig.Of("power").Last().Value));
        Assert.True(double.IsNaN(rig.Of("supply").Last().Value));
        Assert.DoesNotContain(rig.Of("temp"), e => double.IsNaN(e.Value));
        Assert.Equal(2, rig.Log.WithId(2101).Count);
        Assert.False(rig.Source.I2c.Chips[0].IsOpen);
        Assert.True(rig.Source.I2c.Chips[1].IsOpen);
        Assert.IsType<Ads1115Chip>(rig.Source.I2c.Chips[0]);
    }
}
