using System.Device.Gpio;
using EdgeGateway.Core.Kpi;

namespace EdgeGateway.Sensors.Tests.Bus;

/// <summary>
/// A reason box on GPIO: its buttons are 0/1 levels read like the stack light (pull, active-low, debounce), and a press
/// during a stop gives that stop its reason in the engine's records; an article button sets the article of the cycles after it.
/// </summary>
public sealed class ReasonBoxTests
{
    private const string Reasons = """
        "StopReasons": { "GraceSeconds": 30, "UnassignedAfterSeconds": 60, "Codes": {
          "JAM": { "Class": "Down" }, "MEETING": { "Name": "Team meeting", "Class": "PlannedStop" } } },
        """;

    private const string Articles = """
        "Articles": { "A-1": { "IdealCycleSeconds": 30 }, "A-2": { "IdealCycleSeconds": 20, "PartsPerCycle": 2 } },
        """;

    private const string Signals = """
        "green": { "Role": "StateRun", "Source": "gpio:17", "ActiveLow": true, "Pull": "Up" },
        "red": { "Role": "StateDown", "Source": "gpio:22", "ActiveLow": true, "Pull": "Up" },
        "cycle": { "Role": "CyclePulse", "Source": "gpio:24" },
        "btn-meeting": { "Role": "ReasonButton", "Reason": "MEETING", "Source": "gpio:5", "ActiveLow": true, "Pull": "Up" },
        "btn-a2": { "Role": "ArticleButton", "Article": "A-2", "Source": "gpio:6", "ActiveLow": true, "Pull": "Up", "DebounceMs": 30 }
        """;

    [Fact]
    public void ReasonButtonPressedDuringAStop_BooksTheStopToItsReason_AndArticleButtonSetsTheArticle()
    {
        using var rig = StartRunning();
        Assert.Equal(PinMode.InputPullUp, rig.Gpio.ModeOf(5));

        // The article button is pressed at 1 s (with contact bounce); two cycles follow.
        rig.At(1_000, () => rig.Gpio.Set(6, false));
        rig.At(1_002, () => rig.Gpio.Set(6, true));
        rig.At(1_004, () => rig.Gpio.Set(6, false));
        rig.At(1_300, () => rig.Gpio.Set(6, true));
        Pulse(rig, 24, 20_000);
        Pulse(rig, 24, 40_000);

        // The operator presses "meeting" at 90 s for 200 ms (bouncing).
        StopFor2Minutes(rig, pressDuringTheStop: () =>
        {
            rig.At(90_000, () => rig.Gpio.Set(5, false));
            rig.At(90_003, () => rig.Gpio.Set(5, true));
            rig.At(90_005, () => rig.Gpio.Set(5, false));
            rig.At(90_200, () => rig.Gpio.Set(5, true));
        });

        // Each button: released at the start, then one debounced press stamped with its last edge, and its release.
        Assert.Equal([(0L, 0.0), (90_005L, 1.0), (90_200L, 0.0)], rig.Of("btn-meeting").Select(e => (e.TimestampMs - rig.StartMs, e.Value)));
        Assert.Equal([(0L, 0.0), (1_004L, 1.0), (1_300L, 0.0)], rig.Of("btn-a2").Select(e => (e.TimestampMs - rig.StartMs, e.Value)));
        var total = Replay(rig);
        var meeting = rig.Config.Cells[0].Reasons.IndexOf("MEETING");
        Assert.Equal(120.0, total.ReasonSeconds(meeting), 0.05);
        Assert.Equal(120.0, total.Seconds(Bucket.PlannedStop), 0.05);
        Assert.Equal(0, total.Ms(Bucket.Down));
        Assert.Equal(0, total.Failures);
        Assert.Equal(0, total.UnassignedStops);
        Assert.Equal(4, total.ArticleProduced(rig.Config.Cells[0].ArticleIndex("A-2")));
        Assert.Equal(40.0, total.IdealSeconds, 1e-9);
    }

    [Fact]
    public void StopWithoutAPress_IsADownStopCountedUnassigned()
    {
        // The same stop without the button: the red lamp books it down, a failure, and unassigned after 60 s.
        using var rig = StartRunning();
        StopFor2Minutes(rig, pressDuringTheStop: () => { });

        var total = Replay(rig);
        Assert.Equal(120.0, total.Seconds(Bucket.Down), 0.05);
        Assert.Equal(0, total.ReasonSeconds(rig.Config.Cells[0].Reasons.IndexOf("MEETING")));
        Assert.Equal(1, total.Failures);
        Assert.Equal(1, total.UnassignedStops);
    }

    /// <summary>A rig with the cell running (green lit), its red lamp dark and its buttons released.</summary>
    private static BusRig StartRunning()
    {
        var rig = BusRig.WithContext(Reasons, Articles, Signals);
        foreach (var line in (int[])[22, 5, 6])
        {
            rig.Gpio.Preset(line, true); // released buttons and dark lamps read high through the pull-ups
        }

        rig.Gpio.Preset(17, false);
        return rig.Start();
    }

    /// <summary>The machine stops (red) from 60 s to 180 s after the start, then runs for a minute.</summary>
    private static void StopFor2Minutes(BusRig rig, Action pressDuringTheStop)
    {
        rig.At(60_000, () =>
        {
            rig.Gpio.Set(17, true);
            rig.Gpio.Set(22, false);
        });
        pressDuringTheStop();
        rig.At(180_000, () =>
        {
            rig.Gpio.Set(22, true);
            rig.Gpio.Set(17, false);
        });
        rig.Run(TimeSpan.FromSeconds(60));
    }

    private static void Pulse(BusRig rig, int line, long atMs)
    {
        rig.At(atMs, () => rig.Gpio.Set(line, true));
        rig.At(atMs + 50, () => rig.Gpio.Set(line, false));
    }

    /// <summary>The rig's events through the gateway engine, as the agent feeds them: the one total record of the cell.</summary>
    private static WindowRecord Replay(BusRig rig)
    {
        var records = new List<WindowRecord>();
        var engine = new GatewayEngine(rig.Config, [WindowKind.Total], new Sink(records));
        foreach (var e in rig.Events)
        {
            engine.Process(e);
        }

        engine.Finish();
        return Assert.Single(records);
    }

    private sealed class Sink(List<WindowRecord> records) : IWindowRecordSink
    {
        public void OnRecord(in WindowRecord record) => records.Add(record);
    }
}
