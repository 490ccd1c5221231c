using BenchmarkDotNet.Attributes;
using EdgeGateway.Core.Signals;
using EdgeGateway.Core.Traces;

namespace EdgeGateway.Benchmarks;

/// <summary>Events per second through <see cref="TraceReader"/> over an in-memory UTF-8 trace of <see cref="SteadyStateMix"/>.</summary>
[MemoryDiagnoser]
[OperationsPerSecond]
public class TraceParsingBenchmarks
{
    /// <summary>Event lines in the trace (plus a comment and the header).</summary>
    public const int Lines = 1_000_000;

    private byte[] _trace = [];
    private SignalMap? _signals;

    [GlobalSetup]
    public void Setup()
    {
        var config = SteadyStateMix.ReadSampleConfig();
        _signals = new SignalMap(config);
        using var stream = new MemoryStream();
        new SteadyStateMix(config, _signals, SteadyStateMix.MondayMidnight, seed: 42).WriteTrace(stream, Lines);
        _trace = stream.ToArray();
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public long Read()
    {
        using var stream = new MemoryStream(_trace, writable: false);
        using var reader = new TraceReader(stream, "bench.csv", _signals!);
        var checksum = 0L;
        while (reader.TryRead(out var e))
        {
            checksum += e.TimestampMs ^ e.Signal;
        }

        return checksum;
    }
}
