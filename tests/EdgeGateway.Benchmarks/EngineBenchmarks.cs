using BenchmarkDotNet.Attributes;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Signals;

namespace EdgeGateway.Benchmarks;

/// <summary>Which windows the engine keeps.</summary>
public enum WindowSet
{
    /// <summary>Minute, shift, day and total: what the agent publishes.</summary>
    Agent,

    /// <summary>Total only: what <c>edgegw replay</c> does by default.</summary>
    TotalOnly,
}

/// <summary>
/// Events per second through <see cref="GatewayEngine.Process"/> in steady state: one cell under the sample
/// config, one week of <see cref="SteadyStateMix"/> (one event every 100 ms), replayed once per invocation with
/// its timestamps moved on by a week, so the engine sees one endless, strictly increasing stream.
/// </summary>
[MemoryDiagnoser]
[OperationsPerSecond]
public class EngineBenchmarks
{
    /// <summary>One week at 100 ms.</summary>
    public const int Events = 7 * 24 * 36_000;

    private const long WeekMs = 7 * 86_400_000L;

    private readonly CountingSink _sink = new();
    private SignalEvent[] _events = [];
    private GatewayEngine? _engine;
    private long _offset;

    [Params(WindowSet.Agent, WindowSet.TotalOnly)]
    public WindowSet Windows { get; set; }

    /// <summary>With reasons and article changes in the mix, under the sample config with reasons, articles and a plant calendar.</summary>
    [Params(false, true)]
    public bool Context { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var config = SteadyStateMix.ReadSampleConfig(Context);
        WindowKind[] kinds = Windows == WindowSet.Agent
            ? [WindowKind.Minute, WindowKind.Shift, WindowKind.Day, WindowKind.Total]
            : [WindowKind.Total];
        _engine = new GatewayEngine(config, kinds, _sink);
        _events = new SteadyStateMix(config, _engine.Signals, SteadyStateMix.MondayMidnight, seed: 42, Context).Take(Events);
        _offset = 0;
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public long Process()
    {
        var engine = _engine!;
        var offset = _offset;
        if (!Context)
        {
            foreach (ref readonly var e in _events.AsSpan())
            {
                engine.Process(new SignalEvent(e.TimestampMs + offset, e.Signal, e.Value));
            }
        }
        else
        {
            foreach (ref readonly var e in _events.AsSpan())
            {
                // A reason names its instant: it moves on with the stream.
                var value = e.Signal >= engine.Signals.Count && engine.Signals.Context(e.Signal) == ContextKind.Reason ? e.Value + offset : e.Value;
                engine.Process(new SignalEvent(e.TimestampMs + offset, e.Signal, value));
            }
        }

        _offset = offset + WeekMs;
        return _sink.Records;
    }

    /// <summary>Counts records and keeps nothing.</summary>
    private sealed class CountingSink : IWindowRecordSink
    {
        public long Records { get; private set; }

        public void OnRecord(in WindowRecord record) => Records++;
    }
}
