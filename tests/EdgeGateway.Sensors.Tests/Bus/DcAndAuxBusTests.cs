
namespace EdgeGateway.Sensors.Tests.Bus;

/// <summary>
/// The real Iot.Device bindings for INA219 and BME280, and the ADXL345 register reader, against simulated chips:
/// DC power, environment and vibration channels.
/// </summary>
public sealed class DcAndAuxBusTests
{
    [Theory]
    [InlineData(0.1, 24.0, 2.5)]      // above 16.384 V, where the binding's bus voltage wraps
    [InlineData(0.1, 5.0, 0.8)]
    [InlineData(0.01, 12.0, 18.0)]
    public void Ina219_DcLoad_GivesBusVoltageTimesCurrent(double shuntOhms, double volts, double amps)
    {
        var source = shuntOhms == 0.1 ? "i2c:1:0x40/ina219" : "i2c:1:0x41/ina219:shunt=0.01";
        using var rig = new BusRig($$"""
            "dc": { "Role": "PowerKw", "Source": "{{source}}" }
            """);
        var ina = rig.I2c.Add(new SimulatedIna219(1, shuntOhms == 0.1 ? 0x40 : 0x41, shuntOhms) { BusVolts = volts, LoadAmps = amps });
        rig.Start();
        rig.Run(TimeSpan.FromSeconds(3));

        var dc = rig.Of("dc");
        Assert.Equal(2, dc.Count);
        Assert.All(dc, e => Assert.Equal(volts * amps / 1000, e.Value, volts * amps / 1000 * 0.002));

        // Datasheet calibration for ±320 mV full scale: trunc(0.04096 / (0.32 / R / 32768 × R)) = 4194.
        Assert.Equal(4194, ina.Calibration);
        Assert.Equal(0x399F, ina.Config);
    }

    [Fact]
    public void Ina219_ReverseCurrent_IsAFault()
    {
        using var rig = new BusRig("""
            "dc": { "Role": "PowerKw", "Source": "i2c:1:0x40/ina219" }
            """);
        rig.I2c.Add(new SimulatedIna219(1, 0x40, 0.1) { BusVolts = 12, LoadAmps = -1.5 });
        rig.Start();
        rig.Run(TimeSpan.FromSeconds(3));

        Assert.True(double.IsNaN(Assert.Single(rig.Of("dc")).Value));
        Assert.Contains("backwards through the shunt", Assert.Single(rig.Log.WithId(2101)), StringComparison.Ordinal);
    }

    [Fact]
    public void Bme280_TemperatureHumidityPressure_ThroughTheBinding()
    {
        using var rig = new BusRig("""
            "temp": { "Role": "Aux", "Source": "i2c:1:0x76/bme280:temperature", "SampleRateHz": 2, "WindowMs": 2000 },
            "rh": { "Role": "Aux", "Source": "i2c:1:0x76/bme280:humidity", "SampleRateHz": 2, "WindowMs": 2000 },
            "baro": { "Role": "Aux", "Source": "i2c:1:0x76/bme280:pressure", "SampleRateHz": 2, "WindowMs": 2000 }
            """);
        var bme = rig.I2c.Add(new SimulatedBme280(1, 0x76));
        bme.SetConditions(23.5, 45, 1002.3);
        rig.Start();
        rig.Run(TimeSpan.FromSeconds(5));

        Assert.True(bme.Normal);
        var temp = rig.Of("temp");
        Assert.Equal(2, temp.Count);
        Assert.All(temp, e => Assert.Equal(bme.Celsius, e.Value, 1e-9));

        // The binding keeps t_fine unrounded for humidity; the datasheet rounds it: 1e-5 %RH apart.
        Assert.All(rig.Of("rh"), e => Assert.Equal(bme.HumidityPercent, e.Value, 1e-4));
        Assert.All(rig.Of("baro"), e => Assert.Equal(bme.Hectopascals, e.Value, 1e-3));

        // The raw values the simulator chose compensate to the conditions within the chip's resolution.
        Assert.Equal(23.5, temp[0].Value, 0.01);
        Assert.Equal(45, rig.Of("rh")[0].Value, 0.01);
        Assert.Equal(1002.3, rig.Of("baro")[0].Value, 0.01);
    }

    [Fact]
    public void Bme280_WrongChipId_IsAFault_NotAValue()
    {
        using var rig = new BusRig("""
            "temp": { "Role": "Aux", "Source": "i2c:1:0x77/bme280:temperature" }
            """);
        rig.I2c.Add(new SimulatedBme280(1, 0x77, chipId: 0x58));
        rig.Start();
        rig.Run(TimeSpan.FromSeconds(1));

        Assert.True(double.IsNaN(Assert.Single(rig.Of("temp")).Value));
        Assert.Contains("cannot open the BME280 at i2c:1:0x77", Assert.Single(rig.Log.WithId(2101)), StringComparison.Ordinal);
    }

    [Fact]
    public void Adxl345_VibrationRms_RemovesGravity()
    {
        using var rig = new BusRig("""
            "vibration": { "Role": "Aux", "Source": "i2c:1:0x53/adxl345:vibration" }
            """);
        var adxl = rig.I2c.Add(new SimulatedAdxl345(1, 0x53, rig.Clock));

        // 0.5 g peak at 30 Hz on X, 0.2 g peak at 47 Hz on Y, gravity on Z, 10 mg noise on each axis.
        adxl.Axes[0] = new SineSignal(0, 0.5, 30, noiseRms: 0.01, seed: 1);
        adxl.Axes[1] = new SineSignal(0, 0.2, 47, phaseRadians: 1, noiseRms: 0.01, seed: 2);
        adxl.Axes[2] = new SineSignal(1, 0, 0, noiseRms: 0.01, seed: 3);
        rig.Start();
        rig.Run(TimeSpan.FromMilliseconds(3010));

        Assert.True(adxl.Measuring);
        Assert.Equal(0x0B, adxl.Peek(0x31));
        var expected = Math.Sqrt((0.5 * 0.5 / 2) + (0.2 * 0.2 / 2) + (3 * 0.01 * 0.01));
        var vibration = rig.Of("vibration");
        Assert.Equal(3, vibration.Count);
        Assert.All(vibration, e => Assert.Equal(expected, e.Value, expected * 0.01));
    }

    [Fact]
    public void Adxl345_WrongDeviceId_IsAFault()
    {
        using var rig = new BusRig("""
            "vibration": { "Role": "Aux", "Source": "i2c:1:0x1d/adxl345" }
            """);
        rig.I2c.Add(new SimulatedAdxl345(1, 0x1D, rig.Clock, deviceId: 0x00));
        rig.Start();
        Assert.Contains("is not an ADXL345 (device id 0x00, expected 0xe5)", Assert.Single(rig.Log.WithId(2101)), StringComparison.Ordinal);
    }
}
