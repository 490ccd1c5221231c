namespace EdgeGateway.TestSupport.SensorBus;

/// <summary>
/// A clock that moves only when told to; timers (e.g. a <see cref="PeriodicTimer"/> built on it) fire inside
/// <see cref="Advance"/>, each at its due time, in order.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private long _ticks = start.UtcTicks;

    /// <summary>2026-05-04 06:00:00 UTC: a Monday morning.</summary>
    public static readonly DateTimeOffset Monday = new(2026, 5, 4, 6, 0, 0, TimeSpan.Zero);

    public ManualTimeProvider()
        : this(Monday)
    {
    }

    /// <summary>Now, in UTC ticks.</summary>
    public long Ticks => Interlocked.Read(ref _ticks);

    /// <summary>Now, in Unix milliseconds.</summary>
    public long UnixMs => (Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;

    public override DateTimeOffset GetUtcNow() => new(Ticks, TimeSpan.Zero);

    public override long GetTimestamp() => Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        lock (_lock)
        {
            _timers.Add(timer);
        }

        return timer;
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way at its due time.</summary>
    public void Advance(TimeSpan by)
    {
        var target = Ticks + by.Ticks;
        while (true)
        {
            ManualTimer? next = null;
            lock (_lock)
            {
                foreach (var timer in _timers)
                {
                    if (timer.DueTicks <= target && (next is null || timer.DueTicks < next.DueTicks))
                    {
                        next = timer;
                    }
                }
            }

            if (next is null)
            {
                break;
            }

            Interlocked.Exchange(ref _ticks, Math.Max(Ticks, next.DueTicks));
            next.Fire();
        }

        Interlocked.Exchange(ref _ticks, target);
    }

    private void Remove(ManualTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        private long _periodTicks;

        public long DueTicks { get; private set; } = long.MaxValue;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            DueTicks = dueTime == Timeout.InfiniteTimeSpan ? long.MaxValue : clock.Ticks + dueTime.Ticks;
            _periodTicks = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
            return true;
        }

        public void Fire()
        {
            DueTicks = _periodTicks > 0 ? DueTicks + _periodTicks : long.MaxValue;
            callback(state);
        }

        public void Dispose() => clock.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
