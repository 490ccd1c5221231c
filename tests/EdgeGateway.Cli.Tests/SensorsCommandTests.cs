using System.Diagnostics;
using EdgeGateway.Cli.Sensors;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;
using EdgeGateway.Sensors.Sources;

namespace EdgeGateway.Cli.Tests;

/// <summary>
/// <c>edgegw sensors scan|watch</c> where the hardware is missing: one line on stderr naming the bus or chip, exit code
/// 1, nothing on stdout, no stack trace; bad config: one line, exit code 2. The device folder is a temp dir (empty, or
/// with stand-in device files), and once the real <c>/dev</c> through the built <c>edgegw</c>.
/// </summary>
public sealed class SensorsCommandTests : IDisposable
{
    private const string Fix = "enable I2C with raspi-config (Interface Options > I2C) and reboot";

    private readonly string _dir = Directory.CreateTempSubdirectory("edgegw-sensors-").FullName;
    private readonly string _dev;
    private readonly MemoryStream _stdout = new();
    private readonly StringWriter _stderr = new();

    public SensorsCommandTests()
    {
        _dev = Path.Combine(_dir, "dev");
        Directory.CreateDirectory(_dev);
    }

    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Scan_WithoutI2cAndGpio_SaysWhichBusAndChipAreMissing_InOneLine_Exit1()
    {
        var exit = SensorsScan.Run(null, 1, _dev, _stdout, _stderr);

        Assert.Equal(SensorsCommand.HardwareMissing, exit);
        Assert.Equal(
            $"edgegw sensors scan: no I2C bus 1 ({_dev}/i2c-1 missing: {Fix}); no GPIO chip 0 ({_dev}/gpiochip0 missing: not a Raspberry Pi, or its GPIO driver is not loaded)\n",
            _stderr.ToString().ReplaceLineEndings("\n"));
        Assert.Equal(0, _stdout.Length);
    }

    [Fact]
    public void Scan_WithAConfig_ChecksTheBusesAndChipItNames()
    {
        File.WriteAllText(Path.Combine(_dev, "i2c-1"), "");
        File.WriteAllText(Path.Combine(_dev, "gpiochip0"), "");
        var config = WriteConfig("""
            "dc": { "Role": "PowerKw", "Source": "i2c:3:0x40/ina219" }
            """);

        var exit = SensorsScan.Run(config, 1, _dev, _stdout, _stderr);

        Assert.Equal(SensorsCommand.HardwareMissing, exit);
        Assert.Equal($"edgegw sensors scan: no I2C bus 3 ({_dev}/i2c-3 missing: {Fix})\n", _stderr.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Watch_WithoutTheHardwareTheConfigNeeds_SaysSoInOneLine_Exit1()
    {
        var config = WriteConfig("""
            "green": { "Role": "StateRun", "Source": "gpio:17" },
            "power": { "Role": "PowerKw", "Source": "i2c:1:0x48/ads1115:a0-a1", "CtRatio": 2000, "BurdenOhms": 33 }
            """);

        var exit = await SensorsWatch.RunAsync(config, 500, 1, _dev, _stdout, _stderr, CancellationToken.None);

        Assert.Equal(SensorsCommand.HardwareMissing, exit);
        Assert.Equal(
            $"edgegw sensors watch: no I2C bus 1 ({_dev}/i2c-1 missing: {Fix}); no GPIO chip 0 ({_dev}/gpiochip0 missing: not a Raspberry Pi, or its GPIO driver is not loaded)\n",
            _stderr.ToString().ReplaceLineEndings("\n"));
        Assert.Equal(0, _stdout.Length);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100)]
    [InlineData(int.MinValue)]
    public void Scan_BusOutsideItsRange_IsABadArgument_Exit2(int bus)
    {
        // Was exit code 1 with a raspi-config hint, as if the hardware were missing.
        var exit = SensorsScan.Run(null, bus, _dev, _stdout, _stderr);

        Assert.Equal(Program.InputError, exit);
        Assert.Equal($"edgegw sensors scan: --bus: {bus} is not an I2C bus number 0-99 (/dev/i2c-N; 1 on a Raspberry Pi header)\n", _stderr.ToString().ReplaceLineEndings("\n"));
        Assert.Equal(0, _stdout.Length);
    }

    [Fact]
    public async Task ScanBusMinusOne_ThroughTheBuiltEdgegw_IsExit2WithOneLine()
    {
        var (exit, stdout, stderr) = await ServiceProcess.RunToExitAsync("edgegw", ["sensors", "scan", "--bus", "-1"], TimeSpan.FromMinutes(1));

        Assert.Equal(Program.InputError, exit);
        Assert.Equal("", stdout);
        Assert.Equal("edgegw sensors scan: --bus: -1 is not an I2C bus number 0-99 (/dev/i2c-N; 1 on a Raspberry Pi header)\n", stderr.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(double.NaN)]
    [InlineData(1e300)]
    public async Task Watch_SecondsOutsideItsRange_IsABadArgument_Exit2(double seconds)
    {
        // 1e300 was an unhandled OverflowException from TimeSpan.FromSeconds.
        var config = WriteConfig("\"green\": { \"Role\": \"StateRun\", \"Source\": \"gpio:17\" }");

        var exit = await SensorsWatch.RunAsync(config, 500, seconds, _dev, _stdout, _stderr, CancellationToken.None);

        Assert.Equal(Program.InputError, exit);
        Assert.StartsWith("edgegw sensors watch: --seconds must be greater than 0 and at most 2592000 (30 days), found ", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Single(_stderr.ToString().TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Watch_BadSource_IsAnInputError_WithFileAndLine_Exit2()
    {
        var config = WriteConfig("""
            "power": { "Role": "PowerKw", "Source": "i2c:1:0x48/ads1115:a0-a1", "BurdenOhms": 33 }
            """);

        var exit = await SensorsWatch.RunAsync(config, 500, 1, _dev, _stdout, _stderr, CancellationToken.None);

        Assert.Equal(Program.InputError, exit);
        Assert.Equal(
            $"edgegw sensors watch: {config}:9: EdgeGateway.Cells[0].Signals.power: a current transformer (ads1115 with role PowerKw) needs CtRatio and BurdenOhms (see hardware/README.md for the burden calculation)\n",
            _stderr.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Watch_ConfigWithoutSources_IsAnInputError()
    {
        var config = WriteConfig("""
            "power": { "Role": "PowerKw" }
            """);

        var exit = await SensorsWatch.RunAsync(config, 500, 1, _dev, _stdout, _stderr, CancellationToken.None);

        Assert.Equal(Program.InputError, exit);
        Assert.Equal($"edgegw sensors watch: {config}: no signal has a Source (see src/docs/sources.md)\n", _stderr.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task SensorsScan_ThroughTheBuiltEdgegw_OnThisMachine_IsOneLineWithoutStackTrace()
    {
        // The real /dev: on a machine without I2C and GPIO (CI, this container) that is one line and exit code 1.
        var expected = HardwareAccess.FindMissing([new SourceAddress(SourceKind.Ads1115, 1, 0x48, -1, SourceChannel.Ain0), new SourceAddress(SourceKind.Gpio, -1, -1, 4, SourceChannel.None)]);
        var dll = Path.Combine(AppContext.BaseDirectory, "edgegw.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[dll, "sensors", "scan"])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.DoesNotContain("   at ", await stderr, StringComparison.Ordinal);
        if (expected is not null)
        {
            Assert.Equal(SensorsCommand.HardwareMissing, process.ExitCode);
            Assert.Equal($"edgegw sensors scan: {expected}\n", (await stderr).ReplaceLineEndings("\n"));
            Assert.Equal("", await stdout);
        }
        else
        {
            Assert.Equal(0, process.ExitCode);
            Assert.StartsWith("I2C bus 1 (/dev/i2c-1): ", await stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void WatchTable_ShowsLevelsPulsesValuesAndFaults()
    {
        var path = WriteConfig("""
            "green": { "Role": "StateRun", "Source": "gpio:17" },
            "cycle": { "Role": "CyclePulse", "Source": "gpio:27" },
            "power": { "Role": "PowerKw", "Source": "i2c:1:0x48/ads1115:a0-a1", "CtRatio": 2000, "BurdenOhms": 33 },
            "temp": { "Role": "Aux", "Source": "i2c:1:0x76/bme280:temperature" },
            "rh": { "Role": "Aux", "Source": "i2c:1:0x76/bme280:humidity" }
            """);
        var config = ConfigReader.Read(File.ReadAllBytes(path), path);
        var signals = new SignalMap(config);
        var inputs = HardwareInput.Read(config, signals);
        var table = new WatchTable(inputs, new GatewayConfigCells(config, signals));
        table.Update(new SignalEvent(1000, 0, 1));
        table.Update(new SignalEvent(1500, 1, 1));
        table.Update(new SignalEvent(2500, 1, 1));
        table.Update(new SignalEvent(2000, 2, 3.9123));
        table.Update(new SignalEvent(2000, 3, double.NaN));
        table.Fault("temp", "cannot open the BME280 at i2c:1:0x76: Error 121 performing I2C data transfer.");

        Assert.Equal(
            """
            signal  cell      role        source                         value               age
            green   cell-1    StateRun    gpio:17                        on                  2.0 s
            cycle   cell-1    CyclePulse  gpio:27                        2 pulses            0.5 s
            power   cell-1    PowerKw     i2c:1:0x48/ads1115:a0-a1       3.912 kW            1.0 s
            temp    cell-1    Aux         i2c:1:0x76/bme280:temperature  FAULT (see below)   1.0 s
            rh      cell-1    Aux         i2c:1:0x76/bme280:humidity     waiting             -
            temp: cannot open the BME280 at i2c:1:0x76: Error 121 performing I2C data transfer.

            """.ReplaceLineEndings("\n"),
            table.ToText(3000));
    }

    [Fact]
    public void WatchTable_ShowsReasonBoxButtonsAsLevels_InARoleColumnWideEnoughForThem()
    {
        var path = WriteConfig(
            """
            "green": { "Role": "StateRun", "Source": "gpio:17" },
            "btn-jam": { "Role": "ReasonButton", "Reason": "JAM", "Source": "gpio:5", "ActiveLow": true, "Pull": "Up" },
            "btn-a1": { "Role": "ArticleButton", "Article": "A-1", "Source": "gpio:6", "DebounceMs": 30 }
            """,
            gatewaySections: """ "StopReasons": { "Codes": { "JAM": { "Class": "Down" } } }, """,
            cellKeys: """ "Articles": { "A-1": { "IdealCycleSeconds": 30 } }, """);
        var config = ConfigReader.Read(File.ReadAllBytes(path), path);
        var signals = new SignalMap(config);
        var inputs = HardwareInput.Read(config, signals);
        Assert.Equal([SignalRole.StateRun, SignalRole.ReasonButton, SignalRole.ArticleButton], inputs.Select(i => i.Config.Role));
        var table = new WatchTable(inputs, new GatewayConfigCells(config, signals));
        table.Update(new SignalEvent(1000, 0, 1));
        table.Update(new SignalEvent(2000, 1, 1));
        table.Update(new SignalEvent(2500, 2, 0));

        Assert.Equal(
            """
            signal   cell      role           source   value               age
            green    cell-1    StateRun       gpio:17  on                  2.0 s
            btn-jam  cell-1    ReasonButton   gpio:5   on                  1.0 s
            btn-a1   cell-1    ArticleButton  gpio:6   off                 0.5 s

            """.ReplaceLineEndings("\n"),
            table.ToText(3000));
    }

    private string WriteConfig(string signals, string gatewaySections = "", string cellKeys = "")
    {
        var path = Path.Combine(_dir, "cell.json");
        File.WriteAllText(path, $$"""
            {
              "EdgeGateway": {
                "Site": "site-1",
                "TimeZone": "Europe/Amsterdam",{{gatewaySections}}
                "Cells": [
                  {
                    "Id": "cell-1", "IdealCycleSeconds": 30,{{cellKeys}}
                    "Signals": {
            {{signals}}
                    },
                    "Shifts": []
                  }
                ]
              }
            }
            """.ReplaceLineEndings("\n"));
        return path;
    }
}
