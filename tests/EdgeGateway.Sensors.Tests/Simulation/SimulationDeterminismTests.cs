using System.Text;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Sensors.Simulation;

namespace EdgeGateway.Sensors.Tests.Simulation;

/// <summary>A seed fixes the whole run: trace and truth, byte for byte (the shipped sample config, two weeks).</summary>
public sealed class SimulationDeterminismTests
{
    private static readonly GatewayConfig s_sample = ConfigReader.Read(File.ReadAllBytes(RepoPaths.Sample("simulation.json")), "simulation.json");

    [Fact]
    public void SameSeed_GivesByteIdenticalTraceAndTruth()
    {
        var (trace1, truth1) = Write(seed: 42);
        var (trace2, truth2) = Write(seed: 42);

        Assert.True(trace1.Length > 1_000_000, $"trace of {trace1.Length} bytes");
        Assert.Equal(trace1, trace2);
        Assert.Equal(truth1, truth2);
    }

    [Fact]
    public void DifferentSeed_GivesDifferentTraceAndTruth()
    {
        var (trace1, truth1) = Write(seed: 42);
        var (trace2, truth2) = Write(seed: 43);

        Assert.NotEqual(trace1, trace2);
        Assert.NotEqual(truth1, truth2);
    }

    [Fact]
    public void Truth_IsOneJsonArrayOfSchemaV1Records_PerKindInTimeOrder()
    {
        var (_, truth) = Write(seed: 1);
        var text = Encoding.UTF8.GetString(truth);
        Assert.StartsWith("[\n{\"v\":1,\"site\":\"sme-0042\",\"cell\":\"cell-1\",\"window\":{\"kind\":\"total\"", text, StringComparison.Ordinal);
        Assert.EndsWith("}\n]\n", text, StringComparison.Ordinal);

        using var document = System.Text.Json.JsonDocument.Parse(truth);
        var kinds = document.RootElement.EnumerateArray().Select(r => r.GetProperty("window").GetProperty("kind").GetString()).ToList();
        Assert.Equal(1, kinds.Count(k => k == "total"));
        Assert.Equal(14, kinds.Count(k => k == "day"));
        Assert.Equal(22, kinds.Count(k => k == "shift")); // 10 weekdays × 2 shifts + 2 Saturday nights
        Assert.Equal(kinds.OrderBy(k => k switch { "total" => 0, "day" => 1, _ => 2 }), kinds);
    }

    private static (byte[] Trace, byte[] Truth) Write(long seed)
    {
        using var trace = new MemoryStream();
        using var truth = new MemoryStream();
        var from = SimulatedRun.Instant("2026-03-02", s_sample.TimeZone);
        var to = SimulatedRun.Instant("2026-03-16", s_sample.TimeZone);
        Simulator.Write(s_sample, SimulationOptions.ReadAll(s_sample), seed, from, to, [WindowKind.Total, WindowKind.Day, WindowKind.Shift], trace, truth);
        return (trace.ToArray(), truth.ToArray());
    }
}
