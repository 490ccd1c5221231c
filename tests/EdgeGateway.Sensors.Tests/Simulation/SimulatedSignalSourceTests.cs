using System.Threading.Channels;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;
using EdgeGateway.Core.Traces;
using EdgeGateway.Sensors.Simulation;

namespace EdgeGateway.Sensors.Tests.Simulation;

/// <summary>The simulator as a live source: the trace's events, paced by the injected clock and the speed factor.</summary>
public sealed class SimulatedSignalSourceTests
{
    private static readonly GatewayConfig s_sample = ConfigReader.Read(File.ReadAllBytes(RepoPaths.Sample("simulation.json")), "simulation.json");
    private static readonly long s_from = SimulatedRun.Instant("2026-03-02", s_sample.TimeZone);
    private static readonly long s_to = SimulatedRun.Instant("2026-03-04", s_sample.TimeZone);

    [Theory]
    [InlineData("simulation.json", "2026-03-02", "2026-03-04")]
    [InlineData("simulation-context.json", "2026-05-20", "2026-05-22")] // reasons, articles, and the closure announced on the 21st
    public async Task LiveSource_EmitsExactlyTheEventsOfTheTrace(string file, string from, string to)
    {
        var sample = ConfigReader.Read(File.ReadAllBytes(RepoPaths.Sample(file)), file);
        var (fromMs, toMs) = (SimulatedRun.Instant(from, sample.TimeZone), SimulatedRun.Instant(to, sample.TimeZone));
        var expected = TraceEvents(sample, seed: 8, fromMs, toMs);
        var source = SimulatedSignalSource.Create(sample, seed: 8, fromMs, toMs, speed: 1e12, TimeProvider.System);
        var channel = Channel.CreateUnbounded<SignalEvent>();

        await source.RunAsync(channel.Writer, CancellationToken.None);
        channel.Writer.Complete();
        var live = new List<SignalEvent>();
        await foreach (var e in channel.Reader.ReadAllAsync())
        {
            live.Add(e);
        }

        Assert.True(expected.Count > 5000, $"{expected.Count} events");
        Assert.Equal(sample.Cells[0].Reasons.Any, expected.Any(e => e.ToMs != 0)); // the closure, with its end
        Assert.Equal(expected, live);
    }

    [Fact]
    public async Task LiveSource_AtSpeed60_EmitsOneSimulatedMinutePerRealSecond()
    {
        var expected = TraceEvents(s_sample, seed: 9, s_from, s_to);
        using var clock = new ManualTimeProvider();
        var source = SimulatedSignalSource.Create(s_sample, seed: 9, s_from, toMs: null, speed: 60, clock);
        var channel = Channel.CreateUnbounded<SignalEvent>();
        using var stop = new CancellationTokenSource();

        var running = source.RunAsync(channel.Writer, stop.Token);
        var emitted = new List<SignalEvent>();
        foreach (var realSeconds in new[] { 0, 1, 30, 600, 2400 }) // up to 40 simulated hours, inside the trace's two days
        {
            clock.AdvanceTo(TimeSpan.FromSeconds(realSeconds));
            await clock.WaitUntilTimerPendingAsync(); // the source waits for its next event
            while (channel.Reader.TryRead(out var e))
            {
                emitted.Add(e);
            }

            var simulatedUntil = s_from + (realSeconds * 60_000L);
            Assert.Equal(expected.TakeWhile(e => e.TimestampMs <= simulatedUntil), emitted);
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public void LiveSource_RejectsANonPositiveSpeed()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SimulatedSignalSource.Create(s_sample, 1, s_from, null, speed: 0, TimeProvider.System));
    }

    private static List<SignalEvent> TraceEvents(GatewayConfig config, long seed, long fromMs, long toMs)
    {
        using var trace = new MemoryStream();
        Simulator.Run(config, SimulationOptions.ReadAll(config), seed, fromMs, toMs, [Core.Kpi.WindowKind.Total], trace, out _);
        trace.Position = 0;
        using var reader = new TraceReader(trace, "trace.csv", new SignalMap(config));
        var events = new List<SignalEvent>();
        while (reader.TryRead(out var e))
        {
            events.Add(e);
        }

        return events;
    }

    /// <summary>A clock that moves only when told; timers fire when it passes their due time.</summary>
    private sealed class ManualTimeProvider : TimeProvider, IDisposable
    {
        private readonly Lock _lock = new();
        private readonly List<ManualTimer> _timers = [];
        private readonly SemaphoreSlim _armed = new(0);
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public void Dispose() => _armed.Dispose();

        public override long GetTimestamp()
        {
            lock (_lock)
            {
                return _ticks;
            }
        }

        public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(GetTimestamp());

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = new ManualTimer(this, callback, state);
            timer.Change(dueTime, period);
            return timer;
        }

        /// <summary>Waits until some timer is armed (the source sleeps), at most 10 s.</summary>
        public async Task WaitUntilTimerPendingAsync()
        {
            Assert.True(await _armed.WaitAsync(TimeSpan.FromSeconds(10)), "the source never waited for the clock");
        }

        public void AdvanceTo(TimeSpan elapsed)
        {
            List<ManualTimer> due;
            lock (_lock)
            {
                _ticks = Math.Max(_ticks, elapsed.Ticks);
                due = _timers.FindAll(t => t.DueTicks <= _ticks);
                _timers.RemoveAll(due.Contains);
            }

            foreach (var timer in due)
            {
                timer.Fire();
            }
        }

        private void Arm(ManualTimer timer, TimeSpan dueTime)
        {
            lock (_lock)
            {
                _timers.Remove(timer);
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    return;
                }

                timer.DueTicks = _ticks + dueTime.Ticks;
                _timers.Add(timer);
            }

            _armed.Release();
        }

        private void Disarm(ManualTimer timer)
        {
            lock (_lock)
            {
                _timers.Remove(timer);
            }
        }

        private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
        {
            public long DueTicks { get; set; }

            public bool Change(TimeSpan dueTime, TimeSpan period)
            {
                owner.Arm(this, dueTime);
                return true;
            }

            public void Fire() => callback(state);

            public void Dispose() => owner.Disarm(this);

            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }
}
