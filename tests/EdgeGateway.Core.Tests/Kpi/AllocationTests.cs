using System.Globalization;
using System.Text;
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

    // The sample config (deploy/sample/edgegw.json).
    private static readonly string s_configPath = RepoPaths.Sample("edgegw.json");

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

    [Fact]
    public void Engine_SteadyState_AllocatesNothingPerEvent()
    {
        var config = ConfigReader.Read(File.ReadAllBytes(s_configPath), s_configPath);
        var sink = new CountingSink();
        var engine = new GatewayEngine(config, [WindowKind.Minute, WindowKind.Shift, WindowKind.Day, WindowKind.Total], sink);
        var events = Plant(engine.Signals, WarmUpEvents + MeasuredEvents);
        for (var i = 0; i < WarmUpEvents; i++)
        {
            engine.Process(events[i]);
        }

        var warmUpRecords = sink.Snapshot();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = WarmUpEvents; i < events.Length; i++)
        {
            engine.Process(events[i]);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var records = sink.Snapshot();

        // The measured stretch closed windows of every bounded kind, so emitting is part of what was measured.
        Assert.Equal(1_667, records[(int)WindowKind.Minute] - warmUpRecords[(int)WindowKind.Minute]);
        Assert.Equal(2, records[(int)WindowKind.Shift] - warmUpRecords[(int)WindowKind.Shift]);
        Assert.Equal(1, records[(int)WindowKind.Day] - warmUpRecords[(int)WindowKind.Day]);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void TraceReader_SteadyState_AllocatesNothingPerLine()
    {
        var config = ConfigReader.Read(File.ReadAllBytes(s_configPath), s_configPath);
        var signals = new SignalMap(config);
        var events = Plant(signals, WarmUpEvents + MeasuredEvents);
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

    /// <summary>The scripted plant, one event every <see cref="StepMs"/> from Monday midnight.</summary>
    private static SignalEvent[] Plant(SignalMap signals, int count)
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
        for (var i = 0; i < events.Length; i++)
        {
            var t = s_mondayMidnight + (i * StepMs);
            if (levels.Count == 0 && t >= stateEnd)
            {
                var (lampName, seconds) = s_script[step++ % s_script.Length];
                var lamp = lampName is null ? -1 : Find(lampName);
                stateEnd = t + (seconds * 1000L);
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

    /// <summary>The trace text of <paramref name="events"/>, UTF-8.</summary>
    private static byte[] Csv(SignalMap signals, SignalEvent[] events)
    {
        using var text = new MemoryStream();
        text.Write("timestamp,signal,value\n"u8);
        Span<byte> line = stackalloc byte[128];
        foreach (var e in events)
        {
            var length = TraceTimestamp.Format(e.TimestampMs, line);
            length += Encoding.UTF8.GetBytes($",{signals.Name(e.Signal)},", line[length..]);
            Assert.True(e.Value.TryFormat(line[length..], out var written, default, CultureInfo.InvariantCulture));
            length += written;
            line[length++] = (byte)'\n';
            text.Write(line[..length]);
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
