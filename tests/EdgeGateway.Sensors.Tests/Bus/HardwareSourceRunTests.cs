using System.Threading.Channels;
using EdgeGateway.Core.Signals;
using EdgeGateway.Sensors.I2c;
using EdgeGateway.Sensors.Sources;

namespace EdgeGateway.Sensors.Tests.Bus;

/// <summary>The whole source on its <see cref="PeriodicTimer"/> of the injected clock, and the I2C scan.</summary>
public sealed class HardwareSourceRunTests
{
    [Fact]
    public async Task RunAsync_OnItsTimer_WritesLevelsPulsesAndPower_AndReleasesEverythingWhenCancelled()
    {
        using var rig = new BusRig("""
            "green": { "Role": "StateRun", "Source": "gpio:17", "ActiveLow": true },
            "cycle": { "Role": "CyclePulse", "Source": "gpio:24" },
            "power": { "Role": "PowerKw", "Source": "i2c:1:0x48/ads1115:a0-a1", "CtRatio": 2000, "BurdenOhms": 33, "PowerFactor": 0.85 }
            """);
        var adc = Ads1115BusTests.AddAdc(rig, 0x48, peakVolts: 0.33 * Math.Sqrt(2));
        rig.Gpio.Preset(17, true);
        using var source = HardwareSignalSource.Create(rig.Config, rig.Signals, new HardwareAccess(rig.Controller, rig.I2c.Open), rig.Clock, rig.Log);
        var channel = Channel.CreateUnbounded<SignalEvent>();
        using var cancellation = new CancellationTokenSource();
        var startMs = rig.Clock.UnixMs;

        // Runs synchronously up to its first wait on the timer: lines are open and the initial level is written.
        var run = source.RunAsync(channel.Writer, cancellation.Token);
        Assert.True(rig.Gpio.IsOpen(17));
        Assert.Equal(TimeSpan.FromMilliseconds(5), source.TickPeriod);

        for (var tick = 1; tick <= 210; tick++)
        {
            rig.Clock.Advance(source.TickPeriod);
            await WaitForPolls(source, tick);
            if (tick == 40)
            {
                rig.Gpio.Set(17, false);
            }

            if (tick is 60 or 120)
            {
                rig.Gpio.Set(24, true);
                rig.Gpio.Set(24, false);
            }
        }

        await cancellation.CancelAsync();
        await run;
        Assert.False(rig.Gpio.IsOpen(17));
        Assert.Equal(0, rig.Gpio.CallbacksOn(24));

        // The ADS1115 binding disposes the device it was given, and the chip that created it disposes it too.
        Assert.Equal(2, adc.Disposals);

        var events = new List<SignalEvent>();
        while (channel.Reader.TryRead(out var e))
        {
            events.Add(e);
        }

        var green = rig.Signal("green");
        var cycle = rig.Signal("cycle");
        var power = rig.Signal("power");
        Assert.Equal([new SignalEvent(startMs, green, 0), new SignalEvent(startMs + 200, green, 1)], events.Where(e => e.Signal == green));
        Assert.Equal([new SignalEvent(startMs + 300, cycle, 1), new SignalEvent(startMs + 600, cycle, 1)], events.Where(e => e.Signal == cycle));
        Assert.Equal(5, events.Count(e => e.Signal == power));
        Assert.All(events.Where(e => e.Signal == power), e => Assert.Equal(3.91, e.Value, 3.91 * 0.005));
        Assert.Equal(events.OrderBy(e => e.TimestampMs).Select(e => e.TimestampMs), events.Select(e => e.TimestampMs));
        Assert.Single(rig.Log.WithId(2100));
        Assert.Single(rig.Log.WithId(2107));
    }

    [Fact]
    public async Task RunAsync_LineHeldByAnotherProcess_FailsNamingTheSource_AndReleasesTheLinesItOpened()
    {
        using var rig = new BusRig("""
            "green": { "Role": "StateRun", "Source": "gpio:17" },
            "cycle": { "Role": "CyclePulse", "Source": "gpio:27" }
            """);
        rig.Gpio.Busy.Add(27);
        using var source = HardwareSignalSource.Create(rig.Config, rig.Signals, new HardwareAccess(rig.Controller, rig.I2c.Open), rig.Clock, rig.Log);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => source.RunAsync(Channel.CreateUnbounded<SignalEvent>().Writer, CancellationToken.None));
        Assert.StartsWith("gpio:27: cannot open the line as an input: ", e.Message, StringComparison.Ordinal);
        Assert.False(rig.Gpio.IsOpen(17));
    }

    [Fact]
    public void Create_WithoutGpioController_ForGpioSources_SaysSo()
    {
        using var rig = new BusRig("""
            "cycle": { "Role": "CyclePulse", "Source": "gpio:24" }
            """);
        var e = Assert.Throws<ArgumentException>(() => HardwareSignalSource.Create(rig.Config, rig.Signals, new HardwareAccess(null, rig.I2c.Open), rig.Clock, rig.Log));
        Assert.StartsWith("the config reads GPIO lines but no GPIO controller was given", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void I2cScanner_FindsAndNamesTheChipsOnTheBus()
    {
        var clock = new ManualTimeProvider();
        var bus = new SimulatedI2cBus();
        bus.Add(new SimulatedIna219(1, 0x40, 0.1));
        bus.Add(new SimulatedAds1115(1, 0x48, clock));
        bus.Add(new SimulatedAdxl345(1, 0x53, clock));
        bus.Add(new SimulatedBme280(1, 0x76));
        bus.Add(new SimulatedBme280(1, 0x77, chipId: 0x58));

        var found = I2cScanner.Scan(address => bus.Open(1, address));
        Assert.Equal(
            [
                new I2cFinding(0x40, "INA219"),
                new I2cFinding(0x48, "ADS1115 or INA219 (both answer at 0x48-0x4b)"),
                new I2cFinding(0x53, "ADXL345 (device id 0xe5)"),
                new I2cFinding(0x76, "BME280 (chip id 0x60)"),
                new I2cFinding(0x77, "BMP280 (chip id 0x58: no humidity)"),
            ],
            found);
        Assert.Equal(0x77 - 0x03 + 1, bus.Opens);
    }

    private static async Task WaitForPolls(HardwareSignalSource source, long polls)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (source.Polls < polls)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the loop did not poll {polls} times");
            await Task.Delay(1);
        }
    }
}
