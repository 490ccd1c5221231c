using BenchmarkDotNet.Attributes;
using EdgeGateway.Agent.Hosting;
using EdgeGateway.Core.Payload;
using EdgeGateway.Ingest.Points;
using EdgeGateway.Ingest.Validation;

namespace EdgeGateway.Benchmarks;

/// <summary>
/// CPU and allocation of the ingest's work per message, stage by stage, on 1 000 real one-minute KPI payloads of the
/// engine (819 B): validating (JSON → record) and writing its point's line protocol. Where the
/// ingest's share of the CPU goes in the <c>ingest</c> throughput benchmark (src/docs/ingest.md, "Throughput").
/// <c>dotnet run -c Release --project tests/EdgeGateway.Benchmarks -- --filter '*IngestStage*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class IngestStageBenchmarks
{
    /// <summary>Messages per invocation.</summary>
    public const int Messages = 1_000;

    private readonly MessageValidator _validator = new("edgegw/v1", 65_536);

    // The records' times are in 2026 (SteadyStateMix.MondayMidnight on); the ingest dead-letters records from its future.
    private readonly long _arrivalMs = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
    private List<(string Topic, byte[] Payload)> _records = [];
    private IngestRecord[] _validated = [];

    [GlobalSetup]
    public void Setup()
    {
        var config = SteadyStateMix.ReadSampleConfig();
        var options = new AgentOptions { GatewayId = "bench" };
        _records = DrainBenchmark.OneMinuteRecords(config, new TopicScheme(options.Mqtt.TopicPrefix, config.Site, options.GatewayId), Messages);
        _validated = [.. _records.Select(r => _validator.Validate(r.Topic, r.Payload, r.Payload.Length, _arrivalMs).Record!)];
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public int Validate()
    {
        var valid = 0;
        foreach (var (topic, payload) in _records)
        {
            valid += _validator.Validate(topic, payload, payload.Length, _arrivalMs).Record is null ? 0 : 1;
        }

        return valid;
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public int Line()
    {
        var length = 0;
        foreach (var record in _validated)
        {
            length += PointBuilder.Line(record).Length;
        }

        return length;
    }
}
