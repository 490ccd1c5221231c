using EdgeGateway.Core.Calendar;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Signals;
using EdgeGateway.Core.Traces;

namespace EdgeGateway.Core.Tests.Kpi;

/// <summary>
/// The per-event path allocates nothing once its windows are open (deploy/README.md, "Benchmarks and measured numbers": 0 B per event). One cell under the
/// sample config repeats a scripted 54-minute pattern regardless of the calendar: stack-light changes (runs, minor
/// stops, failures, idling, setup, lamps off), a cycle pulse every 30 s while running with every ninth part scrap,
/// and in the other slots alternately a power sample and the run lamp's unchanged level; one event every 100 ms. A million events warm up (Monday, every kind of boundary once), then a million more are measured
/// (Tuesday 03:46:40 to Wednesday 07:33:20 local: 1 667 minutes, two shifts with their breaks, a day boundary).
/// </summary>
public sealed class AllocationTests
{
    private const int WarmUpEvents = 1_000_000;
    private const int MeasuredEvents = 1_000_000;
    private const long StepMs = 100;

    // The sample config (deploy/sample/edgegw.json), and the same with reasons, articles and a plant calendar.
    private static readonly string s_configPath = RepoPaths.Sample("edgegw.json");
    private static readonly string s_contextConfigPath = RepoPaths.Sample("edgegw-context.json");

    // What the stack light shows, and for how many seconds; repeated (~54 min) across the calendar's boundaries.
    private static readonly (string? Lamp, int Seconds)[] s_script =
    [
        ("green", 420),
        ("red", 45),       // minor stop
        ("green", 300),
        ("red", 600),      // failure
        ("green", 240),
        ("yellow", 90),    // minor stop while idle
        ("green", 180),
        ("setup", 900),
        ("yellow", 300),   // waiting for material
        (null, 150),       // all lamps off
    ];

    // Monday 23 March 2026 00:00 in Amsterdam (CET).
    private static readonly long s_mondayMidnight = SiteTime.ToUnixMs(new DateTime(2026, 3, 22, 23, 0, 0, DateTimeKind.Utc));

    /// <summary>
    /// With reasons and articles in the event mix (<see cref="Plant"/> with context): every failure gets a reason a
    /// minute into it, every wait for material one two minutes after it ended, and each setup ends with an article change.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Engine_SteadyState_AllocatesNothingPerEvent(bool context)
    {
        var path = context ? s_contextConfigPath : s_configPath;
        var config = ConfigReader.Read(File.ReadAllBytes(path), path);
        var sink = new CountingSink();
        var engine = new GatewayEngine(config, [WindowKind.Minute, WindowKind.Shift, WindowKind.Day, WindowKind.Total], sink);
        var events = Plant(engine.Signals, WarmUpEvents + MeasuredEvents, context);
        int given = 0, refused = 0;
        for (var i = 0; i < WarmUpEvents; i++)
        {
            engine.Process(events[i]);
        }

        var warmUpRecords = sink.Snapshot();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = WarmUpEvents; i < events.Length; i++)
        {
            switch (engine.Process(events[i]))
            {
                case ContextOutcome.Done or ContextOutcome.Replaced:
                    given++;
                    break;
                case ContextOutcome.NoStop:
                    refused++;
                    break;
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var records = sink.Snapshot();

        // 1667 minutes hold 31 script rounds: 31 failures, waits and setups, so 93 context events. The script ignores the
        // calendar: the 24 reasons that fall outside planned work (before 06:00, after 22:00, in the 18:00 break) find no stop.
        Assert.Equal(context ? (93, 24) : (0, 0), (given + refused, refused));

        // The measured stretch closed windows of every bounded kind, so emitting is part of what was measured.
        // With reasons a stop is held until its grace time is over: the one at the end holds back its last 8 minutes.
        Assert.Equal(context ? 1_659 : 1_667, records[(int)WindowKind.Minute] - warmUpRecords[(int)WindowKind.Minute]);
        Assert.Equal(2, records[(int)WindowKind.Shift] - warmUpRecords[(int)WindowKind.Shift]);
        Assert.Equal(1, records[(int)WindowKind.Day] - warmUpRecords[(int)WindowKind.Day]);
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TraceReader_SteadyState_AllocatesNothingPerLine(bool context)
    {
        var path = context ? s_contextConfigPath : s_configPath;
        var config = ConfigReader.Read(File.ReadAllBytes(path), path);
        var signals = new SignalMap(config);
        var events = Plant(signals, WarmUpEvents + MeasuredEvents, context);
        using var stream = new MemoryStream(Csv(signals, events), writable: false);
        using var reader = new TraceReader(stream, "trace.csv", signals);
        for (var i = 0; i < WarmUpEvents; i++)
        {
            Assert.True(reader.TryRead(out _));
        }

        var read = 0;
        var last = default(SignalEvent);
        var before = GC.GetAllocatedBytesForCurrentThread();
        while (reader.TryRead(out var e))
        {
            last = e;
            read++;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(MeasuredEvents, read);
        Assert.Equal(events[^1], last);
        Assert.Equal(0, allocated);
    }

    /// <summary>
    /// The scripted plant, one event every <see cref="StepMs"/> from Monday midnight; with <paramref name="context"/>
    /// also reasons and article changes, each in the first free slot at or after its time.
    /// </summary>
    private static SignalEvent[] Plant(SignalMap signals, int count, bool context = false)
    {
        int Find(string name) => signals.TryFind(name, out var signal) ? signal : throw new ArgumentException(name);
        var green = Find("green");
        var cycle = Find("cycle");
        var scrap = Find("scrap");
        var power = Find("power");
        var levels = new Queue<(int Signal, double Value)>();
        foreach (var lamp in new[] { "green", "yellow", "red", "setup" })
        {
            levels.Enqueue((Find(lamp), 0));
        }

        var events = new SignalEvent[count];
        var lit = -1;
        var step = 0;
        var stateEnd = s_mondayMidnight;
        var nextCycle = long.MaxValue;
        var cycles = 0;
        var scrapDue = false;
        var due = new Queue<(long At, SignalEvent Event)>();
        var article = 0;
        for (var i = 0; i < events.Length; i++)
        {
            var t = s_mondayMidnight + (i * StepMs);
            if (levels.Count == 0 && t >= stateEnd)
            {
                var (lampName, seconds) = s_script[step++ % s_script.Length];
                var lamp = lampName is null ? -1 : Find(lampName);
                stateEnd = t + (seconds * 1000L);
                if (context)
                {
                    Schedule(due, signals, t, lampName, seconds, lit == Find("yellow") && s_script[(step + s_script.Length - 2) % s_script.Length].Seconds == 300, lit == Find("setup"), ref article);
                }

                if (lamp != lit)
                {
                    // The new lamp lights before the old one goes out.
                    if (lamp >= 0)
                    {
                        levels.Enqueue((lamp, 1));
                    }

                    if (lit >= 0)
                    {
                        levels.Enqueue((lit, 0));
                    }

                    lit = lamp;
                    nextCycle = t + 30_000;
                }
            }

            if (levels.TryDequeue(out var level))
            {
                events[i] = new SignalEvent(t, level.Signal, level.Value);
            }
            else if (due.TryPeek(out var next) && next.At <= t)
            {
                due.Dequeue();
                events[i] = next.Event with { TimestampMs = t };
            }
            else if (lit == green && scrapDue)
            {
                scrapDue = false;
                events[i] = new SignalEvent(t, scrap, 1);
            }
            else if (lit == green && t >= nextCycle)
            {
                nextCycle += 30_000;
                scrapDue = ++cycles % 9 == 0;
                events[i] = new SignalEvent(t, cycle, 1);
            }
            else if (i % 2 == 0)
            {
                events[i] = new SignalEvent(t, power, lit == green ? 7.5 + ((i % 7) * 0.1) : 0.8);
            }
            else
            {
                // An unchanged level, as a polling source repeats it.
                events[i] = new SignalEvent(t, green, lit == green ? 1 : 0);
            }
        }

        return events;
    }

    /// <summary>
    /// The context events a lamp change at <paramref name="t"/> brings: a reason a minute into a failure, one two minutes
    /// after the lamp of a 300 s wait for material went out (the machine idles on, lamps off; the reason names a time
    /// before), an article change 10 s after a setup ended.
    /// </summary>
    private static void Schedule(Queue<(long At, SignalEvent Event)> due, SignalMap signals, long t, string? lamp, int seconds, bool waitEnded, bool setupEnded, ref int article)
    {
        if (lamp == "red" && seconds == 600)
        {
            due.Enqueue((t + 60_000, new SignalEvent(0, signals.ReasonSignal(0, 0), t + 60_000)));
        }

        if (waitEnded)
        {
            due.Enqueue((t + 120_000, new SignalEvent(0, signals.ReasonSignal(0, 2), t - 1_000)));
        }

        if (setupEnded)
        {
            article = 1 - article;
            due.Enqueue((t + 10_000, new SignalEvent(0, signals.ArticleSignal(0, article), 0)));
        }
    }

    /// <summary>The trace text of <paramref name="events"/>, UTF-8, as the product writes it.</summary>
    private static byte[] Csv(SignalMap signals, SignalEvent[] events)
    {
        using var text = new MemoryStream();
        using (var writer = new TraceWriter(text, signals))
        {
            writer.Header();
            foreach (var e in events)
            {
                writer.Write(e);
            }
        }

        return text.ToArray();
    }

    /// <summary>Counts records per window kind and keeps nothing.</summary>
    private sealed class CountingSink : IWindowRecordSink
    {
        private readonly long[] _records = new long[4];

        public void OnRecord(in WindowRecord record) => _records[(int)record.Kind]++;

        public long[] Snapshot() => (long[])_records.Clone();
    }
}
