using System.Device.Gpio;
using EdgeGateway.Core.Signals;

namespace EdgeGateway.Sensors.Tests.Bus;

/// <summary>
/// Digital inputs through a <see cref="GpioController"/> over a simulated driver: lines opened with their pull,
/// initial levels, stack-light levels with bounce, cycle and scrap counts, active-low opto inputs.
/// </summary>
public sealed class GpioBusTests
{
    private const string StackLight = """
        "green": { "Role": "StateRun", "Source": "gpio:17", "ActiveLow": true, "Pull": "Up" },
        "yellow": { "Role": "StateIdle", "Source": "gpio:27", "ActiveLow": true, "Pull": "Up" },
        "red": { "Role": "StateDown", "Source": "gpio:22", "ActiveLow": true, "Pull": "Up" },
        "setup": { "Role": "Setup", "Source": "gpio:23", "Pull": "Down" },
        "cycle": { "Role": "CyclePulse", "Source": "gpio:24" },
        "scrap": { "Role": "ScrapPulse", "Source": "gpio:25", "ActiveLow": true, "DebounceMs": 10 }
        """;

    [Fact]
    public void Start_OpensLinesWithTheirPull_AndReportsInitialLevels()
    {
        using var rig = new BusRig(StackLight);
        rig.Gpio.Preset(17, false);   // green lamp on (opto pulls the line low)
        rig.Gpio.Preset(27, true);
        rig.Gpio.Preset(22, true);
        rig.Gpio.Preset(23, false);
        rig.Gpio.Preset(25, true);
        rig.Start();

        // Events leave after the longest level debounce (20 ms) plus a tick: the outbox keeps them in time order.
        Assert.Empty(rig.Events);
        rig.Run(TimeSpan.FromMilliseconds(30));
        Assert.Equal(PinMode.InputPullUp, rig.Gpio.ModeOf(17));
        Assert.Equal(PinMode.InputPullDown, rig.Gpio.ModeOf(23));
        Assert.Equal(PinMode.Input, rig.Gpio.ModeOf(24));
        Assert.Equal(2, rig.Gpio.CallbacksOn(24));
        var t0 = rig.StartMs;
        Assert.Equal(
            [new SignalEvent(t0, rig.Signal("green"), 1), new SignalEvent(t0, rig.Signal("yellow"), 0), new SignalEvent(t0, rig.Signal("red"), 0), new SignalEvent(t0, rig.Signal("setup"), 0)],
            rig.Events);
    }

    [Fact]
    public void StackLight_LevelsWithBounce_AreReportedOnceStable_AtTheirLastEdge()
    {
        using var rig = new BusRig(StackLight);
        foreach (var line in (int[])[17, 27, 22, 25])
        {
            rig.Gpio.Preset(line, true);
        }

        rig.Start();
        rig.Run(TimeSpan.FromMilliseconds(100));
        rig.Events.Clear();

        // Green lamp lights at 1 s with 3 ms of contact bounce; red flickers for 8 ms at 5 s (under the 20 ms debounce).
        rig.At(1000, () => rig.Gpio.Set(17, false));
        rig.At(1001, () => rig.Gpio.Set(17, true));
        rig.At(1003, () => rig.Gpio.Set(17, false));
        rig.At(5000, () => rig.Gpio.Set(22, false));
        rig.At(5008, () => rig.Gpio.Set(22, true));

        // Green goes out and yellow lights at 9 s.
        rig.At(9000, () =>
        {
            rig.Gpio.Set(27, false);
            rig.Gpio.Set(17, true);
        });
        rig.Run(TimeSpan.FromSeconds(1));

        var t0 = rig.StartMs;
        Assert.Equal(
            [new SignalEvent(t0 + 1003, rig.Signal("green"), 1), new SignalEvent(t0 + 9000, rig.Signal("green"), 0), new SignalEvent(t0 + 9000, rig.Signal("yellow"), 1)],
            rig.Events.OrderBy(e => e.TimestampMs).ThenBy(e => e.Signal));
    }

    [Fact]
    public void CycleAndScrapPulses_WithContactBounce_CountExactlyTheParts()
    {
        using var rig = new BusRig(StackLight);
        rig.Gpio.Preset(25, true);
        rig.Start();
        rig.Run(TimeSpan.FromMilliseconds(100));
        rig.Events.Clear();

        // 25 parts, one every 1.2 s; the proximity switch closes with 2 ms bounce and opens 300 ms later with 1 ms bounce.
        // Every fifth part is scrap: the active-low reject button is pressed for 150 ms with 4 ms bounce.
        var expectedCycles = new List<long>();
        var expectedScrap = new List<long>();
        for (var part = 0; part < 25; part++)
        {
            var t = 500 + (part * 1200L);
            rig.At(t, () => rig.Gpio.Set(24, true));
            rig.At(t + 1, () => rig.Gpio.Set(24, false));
            rig.At(t + 2, () => rig.Gpio.Set(24, true));
            rig.At(t + 300, () => rig.Gpio.Set(24, false));
            rig.At(t + 301, () => rig.Gpio.Set(24, true));
            rig.At(t + 302, () => rig.Gpio.Set(24, false));
            expectedCycles.Add(rig.StartMs + t);
            if (part % 5 == 4)
            {
                rig.At(t + 600, () => rig.Gpio.Set(25, false));
                rig.At(t + 602, () => rig.Gpio.Set(25, true));
                rig.At(t + 604, () => rig.Gpio.Set(25, false));
                rig.At(t + 750, () => rig.Gpio.Set(25, true));
                expectedScrap.Add(rig.StartMs + t + 600);
            }
        }

        rig.Run(TimeSpan.FromSeconds(1));
        Assert.Equal(expectedCycles, rig.Of("cycle").Select(e => e.TimestampMs));
        Assert.Equal(expectedScrap, rig.Of("scrap").Select(e => e.TimestampMs));
        Assert.All(rig.Events, e => Assert.Equal(1, e.Value));
        Assert.Equal(25, rig.Source.Gpio!.Inputs[4].Pulses);
        Assert.Equal(50, rig.Source.Gpio.Inputs[4].BounceEdges);
    }

    [Fact]
    public void Dispose_ClosesLinesAndRemovesCallbacks()
    {
        var rig = new BusRig(StackLight);
        rig.Start();
        Assert.True(rig.Gpio.IsOpen(17));
        rig.Source.Dispose();
        Assert.False(rig.Gpio.IsOpen(17));
        Assert.Equal(0, rig.Gpio.CallbacksOn(17));
        rig.Dispose();
    }
}
