using System.Text;
using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;
using EdgeGateway.Sensors.Sources;

namespace EdgeGateway.Sensors.Tests.Bus;

/// <summary>The <c>Source</c> syntax and options: parsing, canonical text, defaults, and one-line errors at the signal's config line.</summary>
public sealed class SourceAddressTests
{
    [Theory]
    [InlineData("gpio:17", SourceKind.Gpio, -1, -1, 17, SourceChannel.None, "gpio:17")]
    [InlineData(" GPIO:0 ", SourceKind.Gpio, -1, -1, 0, SourceChannel.None, "gpio:0")]
    [InlineData("i2c:1:0x48/ads1115:a0", SourceKind.Ads1115, 1, 0x48, -1, SourceChannel.Ain0, "i2c:1:0x48/ads1115:a0")]
    [InlineData("i2c:1:0x4B/ADS1115:A2-A3", SourceKind.Ads1115, 1, 0x4B, -1, SourceChannel.Ain2Ain3, "i2c:1:0x4b/ads1115:a2-a3")]
    [InlineData("i2c:1:0x40/ina219", SourceKind.Ina219, 1, 0x40, -1, SourceChannel.None, "i2c:1:0x40/ina219")]
    [InlineData("i2c:3:0x45/ina219:shunt=0.01", SourceKind.Ina219, 3, 0x45, -1, SourceChannel.None, "i2c:3:0x45/ina219:shunt=0.01")]
    [InlineData("i2c:1:0x76/bme280:humidity", SourceKind.Bme280, 1, 0x76, -1, SourceChannel.Humidity, "i2c:1:0x76/bme280:humidity")]
    [InlineData("i2c:1:0x53/adxl345", SourceKind.Adxl345, 1, 0x53, -1, SourceChannel.Vibration, "i2c:1:0x53/adxl345:vibration")]
    public void TryParse_Valid_GivesAddressAndCanonicalText(string text, SourceKind kind, int bus, int address, int line, SourceChannel channel, string canonical)
    {
        Assert.True(SourceAddress.TryParse(text, out var parsed, out var problem), problem);
        Assert.Equal((kind, bus, address, line, channel), (parsed.Kind, parsed.Bus, parsed.Address, parsed.Line, parsed.Channel));
        Assert.Equal(canonical, parsed.ToString());
    }

    [Theory]
    [InlineData("gpio:28", "BCM line 0-27")]
    [InlineData("gpio:x", "BCM line 0-27")]
    [InlineData("spi:0", "expected gpio:LINE or i2c:BUS:0xADDR/DEVICE[:CHANNEL]")]
    [InlineData("i2c:1:0x48", "expected i2c:BUS:0xADDR/DEVICE[:CHANNEL]")]
    [InlineData("i2c:one:0x48/ads1115:a0", "is not a bus number")]
    [InlineData("i2c:1:72/ads1115:a0", "not a 7-bit I2C address in hex")]
    [InlineData("i2c:1:0x78/ads1115:a0", "not a 7-bit I2C address in hex")]
    [InlineData("i2c:1:0x40/ads1115:a0", "an ADS1115 answers at 0x48-0x4B")]
    [InlineData("i2c:1:0x48/ads1115", "ads1115 needs an input")]
    [InlineData("i2c:1:0x48/ads1115:a4", "found 'a4'")]
    [InlineData("i2c:1:0x48/ads1115:a1-a2", "found 'a1-a2'")]
    [InlineData("i2c:1:0x40/ina219:shunt=0", "optional shunt=OHMS")]
    [InlineData("i2c:1:0x76/bme280", "bme280 needs a quantity")]
    [InlineData("i2c:1:0x48/bme280:temperature", "0x76")]
    [InlineData("i2c:1:0x53/adxl345:x", "adxl345 has one quantity")]
    [InlineData("i2c:1:0x48/mcp3008:a0", "unknown device 'mcp3008'")]
    public void TryParse_Invalid_SaysWhy(string text, string expected)
    {
        Assert.False(SourceAddress.TryParse(text, out _, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ReportsFileLineAndSignalPath_ForABadSource()
    {
        var e = Assert.Throws<InputException>(() => Read("""
            "green": { "Role": "StateRun", "Source": "gpio:17" },
            "red": { "Role": "StateDown", "Source": "gpio:99" }
            """));
        Assert.Equal("cell.json:10: EdgeGateway.Cells[0].Signals.red: Source 'gpio:99': expected gpio:LINE with a BCM line 0-27 of the 40-pin header, e.g. gpio:17", e.Message);
    }

    [Theory]
    [InlineData("""{ "Role": "PowerKw", "Source": "gpio:5" }""", "a gpio source cannot carry role PowerKw")]
    [InlineData("""{ "Role": "CyclePulse", "Source": "i2c:1:0x48/ads1115:a0" }""", "cannot carry role CyclePulse")]
    [InlineData("""{ "Role": "Aux", "Source": "i2c:1:0x40/ina219" }""", "ina219 carries PowerKw")]
    [InlineData("""{ "Role": "PowerKw", "Source": "i2c:1:0x76/bme280:temperature" }""", "bme280 carries Aux")]
    [InlineData("""{ "Role": "CyclePulse", "Source": "gpio:5", "SampleRateHz": 10 }""", "option SampleRateHz does not apply to a gpio source")]
    [InlineData("""{ "Role": "Aux", "Source": "i2c:1:0x76/bme280:temperature", "ActiveLow": true }""", "option ActiveLow does not apply to a bme280 source")]
    [InlineData("""{ "Role": "Aux", "Source": "i2c:1:0x48/ads1115:a0", "CtRatio": 2000 }""", "option CtRatio does not apply to an ads1115 voltage source")]
    [InlineData("""{ "Role": "PowerKw", "Source": "i2c:1:0x40/ina219", "PowerFactor": 0.9 }""", "option PowerFactor does not apply to a ina219 source")]
    [InlineData("""{ "Role": "PowerKw", "Source": "i2c:1:0x48/ads1115:a0-a1", "BurdenOhms": 33 }""", "needs CtRatio and BurdenOhms")]
    [InlineData("""{ "Role": "PowerKw", "Source": "i2c:1:0x48/ads1115:a0-a1", "CtRatio": 2000, "BurdenOhms": 33, "SampleRateHz": 1000 }""", "SampleRateHz 1000 is above the 860 Hz")]
    [InlineData("""{ "Role": "PowerKw", "Source": "i2c:1:0x48/ads1115:a0-a1", "CtRatio": 2000, "BurdenOhms": 33, "SampleRateHz": 5, "WindowMs": 200 }""", "fewer than 2 samples")]
    [InlineData("""{ "Role": "PowerKw", "Source": "i2c:1:0x48/ads1115:a0-a1", "CtRatio": 2000, "BurdenOhms": 33, "PlausibleMin": 5, "PlausibleMax": 5 }""", "PlausibleMin 5 is not below PlausibleMax 5")]
    [InlineData("""{ "Role": "Setup", "Source": "gpio:5", "DebounceMs": 2000 }""", "DebounceMs 2000 is above 1000")]
    public void Read_RejectsRolesAndOptionsThatDoNotApply(string signal, string expected)
    {
        var e = Assert.Throws<InputException>(() => Read($"\"s\": {signal}"));
        Assert.StartsWith("cell.json:", e.Message, StringComparison.Ordinal);
        Assert.Contains("EdgeGateway.Cells[0].Signals.s: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""
        "a": { "Role": "CyclePulse", "Source": "gpio:5" }, "b": { "Role": "ScrapPulse", "Source": "gpio:5" }
        """, "gpio line 5 is already read for signal 'a'")]
    [InlineData("""
        "a": { "Role": "Aux", "Source": "i2c:1:0x48/ads1115:a0" }, "b": { "Role": "Aux", "Source": "i2c:1:0x48/ads1115:a0" }
        """, "the same input is already read for signal 'a'")]
    [InlineData("""
        "a": { "Role": "Aux", "Source": "i2c:1:0x49/ads1115:a0" }, "b": { "Role": "PowerKw", "Source": "i2c:1:0x49/ina219" }
        """, "i2c:1:0x49 is already an ads1115 for signal 'a'")]
    [InlineData("""
        "a": { "Role": "Aux", "Source": "i2c:1:0x76/bme280:temperature" }, "b": { "Role": "CyclePulse", "Source": "gpio:2" }
        """, "BCM 2 is SDA of I2C bus 1, which signal 'a' uses")]
    [InlineData("""
        "a": { "Role": "PowerKw", "Source": "i2c:1:0x48/ads1115:a0-a1", "CtRatio": 2000, "BurdenOhms": 33, "SampleRateHz": 500 },
        "b": { "Role": "Aux", "Source": "i2c:1:0x48/ads1115:a2", "SampleRateHz": 400 }
        """, "need 900 samples/s together, more than the 860 one ADS1115 converts")]
    public void Read_RejectsSignalsThatClaimTheSameInput(string signals, string expected)
    {
        var e = Assert.Throws<InputException>(() => Read(signals));
        Assert.Contains("EdgeGateway.Cells[0].Signals.b: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FillsDefaults_AndSkipsSignalsWithoutSource()
    {
        var inputs = Read("""
            "green": { "Role": "StateRun", "Source": "gpio:17", "ActiveLow": true, "Pull": "Up" },
            "cycle": { "Role": "CyclePulse", "Source": "gpio:27" },
            "replayed": { "Role": "ScrapPulse" },
            "power": { "Role": "PowerKw", "Source": "i2c:1:0x48/ads1115:a0-a1", "CtRatio": 2000, "BurdenOhms": 33 },
            "dc": { "Role": "Aux", "Source": "i2c:1:0x49/ads1115:a3" },
            "temp": { "Role": "Aux", "Source": "i2c:1:0x76/bme280:temperature" },
            "vibration": { "Role": "Aux", "Source": "i2c:1:0x53/adxl345:vibration", "StuckAfterSeconds": 30 }
            """);
        Assert.Equal(["green", "cycle", "power", "dc", "temp", "vibration"], inputs.Select(i => i.Name));
        Assert.Equal(new SourceSettings { ActiveLow = true, Pull = InputPull.Up, DebounceMs = 20 }, inputs[0].Settings);
        Assert.Equal(new SourceSettings { DebounceMs = 5 }, inputs[1].Settings);
        Assert.Equal(new SourceSettings { SampleRateHz = 200, WindowMs = 200, CtRatio = 2000, BurdenOhms = 33, VoltageV = 230, Phases = 1, PowerFactor = 1, StuckAfterSeconds = 60 }, inputs[2].Settings);
        Assert.Equal(new SourceSettings { SampleRateHz = 10, WindowMs = 1000, StuckAfterSeconds = 60 }, inputs[3].Settings);
        Assert.Equal(new SourceSettings { SampleRateHz = 1, WindowMs = 10_000 }, inputs[4].Settings);
        Assert.Equal(new SourceSettings { SampleRateHz = 200, WindowMs = 1000, StuckAfterSeconds = 30 }, inputs[5].Settings);
        Assert.Equal([0, 1, 3, 4, 5, 6], inputs.Select(i => i.Signal));
    }

    private static IReadOnlyList<HardwareInput> Read(string signals)
    {
        var json = $$"""
            {
              "EdgeGateway": {
                "Site": "site-1",
                "TimeZone": "Europe/Amsterdam",
                "Cells": [
                  {
                    "Id": "cell-1", "IdealCycleSeconds": 30,
                    "Signals": {
            {{signals}}
                    },
                    "Shifts": []
                  }
                ]
              }
            }
            """.ReplaceLineEndings("\n");
        var config = ConfigReader.Read(Encoding.UTF8.GetBytes(json), "cell.json");
        return HardwareInput.Read(config, new SignalMap(config));
    }
}
