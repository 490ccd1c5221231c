using EdgeGateway.Core.Signals;
using EdgeGateway.Sensors.Gpio;
using EdgeGateway.Sensors.Sources;

namespace EdgeGateway.Sensors.Tests.Bus;

/// <summary>The debounce, level and pulse logic of one digital input, driven directly with timed edges.</summary>
public sealed class DigitalInputTests
{
    private const long Ms = TimeSpan.TicksPerMillisecond;
    private static readonly long s_t0 = new DateTime(2026, 5, 4, 6, 0, 0, DateTimeKind.Utc).Ticks;
    private static readonly long s_t0Ms = DigitalInput.ToUnixMs(s_t0);

    [Fact]
    public void Pulse_ClosingAndReleaseBounce_CountOnePart()
    {
        var outbox = new EventOutbox();
        var input = new DigitalInput(3, pulse: true, activeLow: false, debounceTicks: 5 * Ms);
        input.Begin(false, s_t0, outbox);
        Assert.Equal(0, outbox.Count);

        // Contact closes with bounce at 100 ms, opens with bounce at 300 ms.
        foreach (var (ms, high) in (ReadOnlySpan<(long, bool)>)[(100, true), (101, false), (102, true), (103, false), (104, true), (300, false), (301, true), (302, false)])
        {
            input.OnEdge(high, s_t0 + (ms * Ms), outbox);
        }

        var events = Drain(outbox);
        Assert.Equal([new SignalEvent(s_t0Ms + 100, 3, 1)], events);
        Assert.Equal(1, input.Pulses);
        Assert.Equal(3, input.BounceEdges);
    }

    [Fact]
    public void Pulse_ActiveLow_CountsFallingEdges()
    {
        var outbox = new EventOutbox();
        var input = new DigitalInput(0, pulse: true, activeLow: true, debounceTicks: 5 * Ms);
        input.Begin(true, s_t0, outbox);
        for (var part = 0; part < 4; part++)
        {
            input.OnEdge(false, s_t0 + (((part * 1000) + 10) * Ms), outbox);
            input.OnEdge(true, s_t0 + (((part * 1000) + 60) * Ms), outbox);
        }

        var events = Drain(outbox);
        Assert.Equal([s_t0Ms + 10, s_t0Ms + 1010, s_t0Ms + 2010, s_t0Ms + 3010], events.Select(e => e.TimestampMs));
        Assert.All(events, e => Assert.Equal(1, e.Value));
    }

    [Fact]
    public void Level_InitialLevel_IsReportedAtStart_AfterActiveLow()
    {
        var outbox = new EventOutbox();
        new DigitalInput(1, pulse: false, activeLow: true, debounceTicks: 20 * Ms).Begin(false, s_t0, outbox);
        new DigitalInput(2, pulse: false, activeLow: false, debounceTicks: 20 * Ms).Begin(false, s_t0, outbox);
        Assert.Equal([new SignalEvent(s_t0Ms, 1, 1), new SignalEvent(s_t0Ms, 2, 0)], Drain(outbox));
    }

    [Fact]
    public void Level_IsReportedOnlyOnceStable_StampedWithItsLastEdge()
    {
        var outbox = new EventOutbox();
        var input = new DigitalInput(4, pulse: false, activeLow: false, debounceTicks: 20 * Ms);
        input.Begin(false, s_t0, outbox);
        Drain(outbox);

        input.OnEdge(true, s_t0 + (100 * Ms), outbox);
        input.OnEdge(false, s_t0 + (103 * Ms), outbox);
        input.OnEdge(true, s_t0 + (107 * Ms), outbox);
        Assert.False(input.ConfirmDue(s_t0 + (126 * Ms)));
        Assert.True(input.ConfirmDue(s_t0 + (127 * Ms)));
        input.Confirm(true, outbox);
        Assert.Equal([new SignalEvent(s_t0Ms + 107, 4, 1)], Drain(outbox));

        // A 10 ms dip returns to the reported level: nothing to report.
        input.OnEdge(false, s_t0 + (500 * Ms), outbox);
        input.OnEdge(true, s_t0 + (510 * Ms), outbox);
        Assert.True(input.ConfirmDue(s_t0 + (530 * Ms)));
        input.Confirm(true, outbox);
        Assert.Empty(Drain(outbox));
        Assert.True(input.Reported);
    }

    [Fact]
    public void Level_LostEdge_IsCorrectedByTheLevelReadAtConfirmation()
    {
        var outbox = new EventOutbox();
        var input = new DigitalInput(5, pulse: false, activeLow: false, debounceTicks: 20 * Ms);
        input.Begin(false, s_t0, outbox);
        Drain(outbox);

        // The rising edge arrived, the falling one was lost: the line reads low when the level is confirmed.
        input.OnEdge(true, s_t0 + (100 * Ms), outbox);
        input.Confirm(false, outbox);
        Assert.Empty(Drain(outbox));
    }

    [Fact]
    public void Outbox_SortsByTimestamp_ReleasesAfterTheHoldBack_AndNeverGoesBackInTime()
    {
        var outbox = new EventOutbox();
        var channel = System.Threading.Channels.Channel.CreateUnbounded<SignalEvent>();
        outbox.Add(200, 0, 1);   // a power window
        outbox.Add(100, 1, 1);   // a level confirmed later, stamped with its earlier edge
        outbox.Add(200, 2, 1);   // same time: after the first
        Assert.Equal(1, outbox.Flush(channel.Writer, releaseUpToMs: 150));
        outbox.Add(120, 3, 1);   // older than what already left: raised to 100
        Assert.Equal(3, outbox.Flush(channel.Writer));
        var events = new List<SignalEvent>();
        while (channel.Reader.TryRead(out var e))
        {
            events.Add(e);
        }

        Assert.Equal([new SignalEvent(100, 1, 1), new SignalEvent(120, 3, 1), new SignalEvent(200, 0, 1), new SignalEvent(200, 2, 1)], events);
    }

    [Fact]
    public void Outbox_WhenFull_DropsTheOldestAndCountsIt()
    {
        var outbox = new EventOutbox(capacity: 3);
        for (var i = 0; i < 5; i++)
        {
            outbox.Add(100 + i, i, 1);
        }

        Assert.Equal(2, outbox.Dropped);
        Assert.Equal([new SignalEvent(102, 2, 1), new SignalEvent(103, 3, 1), new SignalEvent(104, 4, 1)], Drain(outbox));
    }

    private static List<SignalEvent> Drain(EventOutbox outbox)
    {
        var channel = System.Threading.Channels.Channel.CreateUnbounded<SignalEvent>();
        outbox.Flush(channel.Writer);
        var events = new List<SignalEvent>();
        while (channel.Reader.TryRead(out var e))
        {
            events.Add(e);
        }

        return events;
    }
}
