using System.Globalization;
using System.Text;
using BenchmarkDotNet.Running;
using EdgeGateway.Core.Calendar;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;
using EdgeGateway.Core.Traces;

namespace EdgeGateway.Benchmarks;

/// <summary>
/// Modes:
/// <c>dotnet run -c Release --project tests/EdgeGateway.Benchmarks -- --filter '*' --job short</c> runs the benchmarks;
/// <c>... -- make-trace FILE LINES</c> writes a trace of <see cref="SteadyStateMix"/> for the sample config;
/// <c>... -- drain [RECORDS] [ROUNDS]</c> runs <see cref="DrainBenchmark"/> (the agent's publisher against a bare MQTTnet one, real Mosquitto);
/// <c>... -- coverage [--simulator | --scenarios | --pre-trends] [--programmes N] [--replications B] [--seed S]</c> runs <see cref="CoverageStudyCommand"/> (the evaluation's coverage study; <c>--scenarios</c>: few treated sites, heterogeneous cohort effects; <c>--pre-trends</c>: the pre-trend and shutdown scenarios);
/// <c>... -- evaluate [CELLS] [DAYS]</c> runs <see cref="EvaluateBenchmark"/> (<c>edgegw evaluate</c> over 200 cells × 2 years in a real InfluxDB);
/// <c>... -- dashboard [CELLS] [DAYS] [REQUESTS]</c> runs <see cref="DashboardBenchmark"/> (warm overview and cell pages of <c>edgegw-dashboard</c> over 200 cells × 2 years);
/// <c>... -- wire [DAYS]</c> runs <see cref="WireBytes"/> (bytes on the wire per cell and day);
/// <c>sudo ... -- outbox-open [MIB] [ROUNDS]</c> runs <see cref="OutboxOpenBenchmark"/> (opening a full outbox from a cold page cache);
/// <c>... -- agent-start [ROUNDS] [--cold]</c> runs <see cref="AgentStartBenchmark"/> (the agent's start to its first record at a subscriber, real Mosquitto);
/// <c>DOTNET_gcServer=1 ... -- ingest [RECORDS] [ROUNDS]</c> runs <see cref="IngestBenchmark"/> (the ingest against a raw bulk write, real Mosquitto and InfluxDB).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["make-trace", var path, var linesText])
        {
            return MakeTrace(path, linesText);
        }

        if (args is ["sensors-cpu", .. var sensorArgs])
        {
            return SensorCpuMeasurement.Run(sensorArgs);
        }

        if (args is ["drain", .. var drainArgs])
        {
            return DrainBenchmark.RunAsync(drainArgs).GetAwaiter().GetResult();
        }

        if (args is ["coverage", .. var coverageArgs])
        {
            return CoverageStudyCommand.Run(coverageArgs);
        }

        if (args is ["evaluate", .. var evaluateArgs])
        {
            return EvaluateBenchmark.Run(evaluateArgs);
        }

        if (args is ["dashboard", .. var dashboardArgs])
        {
            return DashboardBenchmark.RunAsync(dashboardArgs).GetAwaiter().GetResult();
        }

        if (args is ["wire", .. var wireArgs])
        {
            return WireBytes.Run(wireArgs);
        }

        if (args is ["outbox-open", .. var openArgs])
        {
            return OutboxOpenBenchmark.Run(openArgs);
        }

        if (args is ["agent-start", .. var startArgs])
        {
            return AgentStartBenchmark.RunAsync(startArgs).GetAwaiter().GetResult();
        }

        if (args is ["ingest", .. var ingestArgs])
        {
            return IngestBenchmark.RunAsync(ingestArgs).GetAwaiter().GetResult();
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    private static int MakeTrace(string path, string linesText)
    {
        if (!long.TryParse(linesText, NumberStyles.None, CultureInfo.InvariantCulture, out var lines) || lines < 1)
        {
            Console.Error.WriteLine($"make-trace: LINES must be a positive integer, found '{linesText}'");
            return 2;
        }

        var config = SteadyStateMix.ReadSampleConfig();
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        new SteadyStateMix(config, new SignalMap(config), SteadyStateMix.MondayMidnight, seed: 42).WriteTrace(file, lines);
        return 0;
    }
}

/// <summary>
/// A steady stream of one cell's signals under the sample config (deploy/sample/edgegw.json): one event every
/// 100 ms, strictly increasing. The machine follows its shift calendar (off outside planned work, unattended on
/// the Saturday night shift) and, while planned, runs, makes minor stops and failures, idles and sets up, with
/// durations and cycle time as in deploy/sample/make_trace.py (a part every 30-37.5 s while running, 2 % scrap).
/// A 10 Hz power meter fills every slot that has no level change or pulse. Deterministic for a seed.
/// </summary>
public sealed class SteadyStateMix
{
    /// <summary>Spacing of consecutive events.</summary>
    public const long StepMs = 100;

    /// <summary>The sample config, verbatim; the mix uses its signal names.</summary>
    /// <summary>Path of the shipped sample config.</summary>
    public static string SampleConfigPath => RepoPaths.Sample("edgegw.json");

    /// <summary>Monday 4 May 2026 00:00 in Amsterdam (CEST): a week without a DST change.</summary>
    public static readonly long MondayMidnight = SiteTime.ToUnixMs(new DateTime(2026, 5, 3, 22, 0, 0, DateTimeKind.Utc));

    private const int Off = -1;

    private readonly SignalMap _signals;
    private readonly ShiftCalendar _calendar;
    private readonly Random _random;
    private readonly int _green;
    private readonly int _yellow;
    private readonly int _red;
    private readonly int _setup;
    private readonly int _cycle;
    private readonly int _scrap;
    private readonly int _power;

    // Level events waiting for their slot, oldest first; the queue drains before the next state is chosen.
    private readonly (int Signal, double Value)[] _levelQueue = new (int, double)[4];
    private int _queued;
    private int _dequeued;

    private long _now;
    private int _lamp = Off;
    private long _lampUntil;
    private long _nextCycle;
    private bool _scrapDue;

    // Context events waiting for their time (withContext): a reason 30 s into every stop of 2 minutes or more, an
    // article change after every setup. Each takes a power slot, and draws its random number, so the signals are the
    // same as without them.
    private readonly Queue<(long At, SignalEvent Event)> _context = new();
    private readonly bool _withContext;
    private int _article;

    /// <summary>
    /// Starts the stream at <paramref name="startMs"/> with every lamp reported off; <paramref name="withContext"/>: also
    /// reasons and article changes (the config must have reason codes <c>breakdown</c>, <c>waiting_material</c> and two articles).
    /// </summary>
    public SteadyStateMix(GatewayConfig config, SignalMap signals, long startMs, int seed, bool withContext = false)
    {
        _withContext = withContext;
        _signals = signals;
        _calendar = new ShiftCalendar(config.Cells[0].Shifts, config.TimeZone);
        _random = new Random(seed);
        _green = Find(signals, "green");
        _yellow = Find(signals, "yellow");
        _red = Find(signals, "red");
        _setup = Find(signals, "setup");
        _cycle = Find(signals, "cycle");
        _scrap = Find(signals, "scrap");
        _power = Find(signals, "power");
        _now = startMs;
        foreach (var lamp in (ReadOnlySpan<int>)[_green, _yellow, _red, _setup])
        {
            Enqueue(lamp, 0);
        }
    }

    /// <summary>The sample config, parsed; <paramref name="withContext"/>: the one with reasons, articles and a plant calendar.</summary>
    public static GatewayConfig ReadSampleConfig(bool withContext = false)
    {
        var path = withContext ? RepoPaths.Sample("edgegw-context.json") : SampleConfigPath;
        return ConfigReader.Read(File.ReadAllBytes(path), path);
    }

    /// <summary>The next <paramref name="count"/> events.</summary>
    public SignalEvent[] Take(int count)
    {
        var events = new SignalEvent[count];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = Next();
        }

        return events;
    }

    /// <summary>The next event, <see cref="StepMs"/> after the previous one.</summary>
    public SignalEvent Next()
    {
        var t = _now;
        _now += StepMs;
        if (_queued == _dequeued && t >= _lampUntil)
        {
            ChooseNextState(t);
        }

        if (_queued != _dequeued)
        {
            var (signal, value) = _levelQueue[_dequeued++];
            if (_dequeued == _queued)
            {
                _queued = _dequeued = 0;
            }

            return new SignalEvent(t, signal, value);
        }

        if (_context.TryPeek(out var due) && due.At <= t)
        {
            _context.Dequeue();
            _random.NextDouble();
            return due.Event with { TimestampMs = t };
        }

        if (_lamp == _green)
        {
            if (_scrapDue)
            {
                _scrapDue = false;
                return new SignalEvent(t, _scrap, 1);
            }

            if (t >= _nextCycle)
            {
                _nextCycle = t + CycleMs();
                _scrapDue = _random.NextDouble() < 0.02;
                return new SignalEvent(t, _cycle, 1);
            }
        }

        var kw = _lamp == _green ? 7.5 : _lamp == _yellow ? 1.2 : _lamp == _red ? 0.8 : _lamp == _setup ? 1.5 : 0.3;
        return new SignalEvent(t, _power, Math.Round(kw * (0.95 + (0.1 * _random.NextDouble())), 2));
    }

    /// <summary>Writes the header and the next <paramref name="lines"/> events as a UTF-8 trace.</summary>
    public void WriteTrace(Stream stream, long lines)
    {
        var names = new byte[_signals.Count][];
        for (var signal = 0; signal < names.Length; signal++)
        {
            names[signal] = Encoding.UTF8.GetBytes(_signals.Name(signal));
        }

        stream.Write("# EdgeGateway benchmark trace: cell-1 of the sample config, one event every 100 ms\n"u8);
        stream.Write("timestamp,signal,value\n"u8);
        Span<byte> line = stackalloc byte[128];
        for (long i = 0; i < lines; i++)
        {
            var e = Next();
            var length = TraceTimestamp.Format(e.TimestampMs, line);
            line[length++] = (byte)',';
            names[e.Signal].CopyTo(line[length..]);
            length += names[e.Signal].Length;
            line[length++] = (byte)',';
            e.Value.TryFormat(line[length..], out var written, default, CultureInfo.InvariantCulture);
            length += written;
            line[length++] = (byte)'\n';
            stream.Write(line[..length]);
        }
    }

    private static int Find(SignalMap signals, string name) =>
        signals.TryFind(name, out var signal) ? signal : throw new ArgumentException($"the config has no signal '{name}'", nameof(signals));

    /// <summary>Picks what the machine does from <paramref name="t"/> on and queues the lamp change.</summary>
    private void ChooseNextState(long t)
    {
        var segment = _calendar.Locate(t);
        int lamp;
        if (segment.State != CalendarState.Working)
        {
            lamp = Off;
            _lampUntil = segment.End;
        }
        else
        {
            (lamp, var durationMs) = _random.NextDouble() switch
            {
                < 0.04 => (_red, Minutes(5, 40)),                   // failure
                < 0.12 => (_red, _random.Next(20, 101) * 1000L),   // minor stop
                < 0.15 => (_setup, Minutes(10, 30)),                // changeover
                < 0.20 => (_yellow, Minutes(2, 12)),                // waiting for material
                _ => (_green, Minutes(2, 12)),                      // a run of parts
            };
            _lampUntil = t + durationMs;
        }

        if (lamp == _lamp)
        {
            return;
        }

        if (_withContext)
        {
            QueueContext(t, lamp, _lampUntil - t);
        }

        // The new lamp lights before the old one goes out, so no instant of "all off" (idle) lies between.
        if (lamp != Off)
        {
            Enqueue(lamp, 1);
        }

        if (_lamp != Off)
        {
            Enqueue(_lamp, 0);
        }

        _lamp = lamp;
        _nextCycle = t + CycleMs();
    }

    private void QueueContext(long t, int lamp, long durationMs)
    {
        if (lamp is var stop && (stop == _red || stop == _yellow) && durationMs >= 120_000)
        {
            var cell = 0;
            var code = _signals.ReasonSignal(cell, stop == _red ? 0 : 2); // breakdown, waiting_material
            _context.Enqueue((t + 30_000, new SignalEvent(0, code, t + 30_000)));
        }

        if (_lamp == _setup)
        {
            _article = 1 - _article;
            _context.Enqueue((t + 10_000, new SignalEvent(0, _signals.ArticleSignal(0, _article), 0)));
        }
    }

    private long Minutes(int min, int max) => _random.Next(min, max + 1) * 60_000L;

    private long CycleMs() => (long)(30_000 * (1 + (0.25 * _random.NextDouble())));

    private void Enqueue(int signal, double value) => _levelQueue[_queued++] = (signal, value);
}
