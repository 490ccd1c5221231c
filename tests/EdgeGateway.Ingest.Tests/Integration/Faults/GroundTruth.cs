using System.Text.Json;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Traces;

namespace EdgeGateway.Ingest.Tests.Integration.Faults;

/// <summary>
/// What a simulating agent must deliver, computed without the agent, MQTT, the ingest or InfluxDB: the agent's payloads
/// as <see cref="AgentReplay"/> computes them (the simulator's trace replayed through the KPI engine), as the points the
/// database must hold.
/// </summary>
/// <remarks>
/// Why this oracle: the live simulator source emits exactly the trace's events (src/docs/simulation.md, "Live source") into
/// the same engine, so the replayed records equal the agent's in every field — an exact comparison, state changes
/// included, independent of every delivery step. The simulator's own ground truth (<c>--truth</c>, computed from the
/// simulated intervals, not by the engine) agrees with the engine exactly in window keys and counts but only within
/// 1 s per hour in buckets and 0.1 pp in OEE (SimulationReplayPropertyTests), and has no state changes; so it is used
/// here as a cross-check of the oracle itself (same windows, same counts), not as the thing compared value by value.
/// A fault-free reference run of the agent would be exact too, but it travels the path under test.
/// </remarks>
internal static class GroundTruth
{
    /// <summary>
    /// The points an agent run of <paramref name="configFile"/> from <paramref name="from"/> to <paramref name="to"/>
    /// must leave in InfluxDB, by key (sequence numbers unknown: 0).
    /// </summary>
    public static Dictionary<(string, string, string, long), StoredPoint> Points(string configFile, int seed, DateTimeOffset from, DateTimeOffset to, string gateway, IReadOnlyList<string> windows)
    {
        var replay = AgentReplay.Run(configFile, seed, from, to, gateway, windows);
        AgreeWithTruth(replay.Records, replay.Truth);
        return StoredRecords.Expected(replay.Payloads);
    }

    /// <summary>The engine's records have the simulator truth's windows, and its counts, exactly.</summary>
    private static void AgreeWithTruth(List<WindowRecord> engine, byte[] truthJson)
    {
        using var truth = JsonDocument.Parse(truthJson);
        var expected = truth.RootElement.EnumerateArray().ToDictionary(
            r => (r.GetProperty("cell").GetString()!, r.GetProperty("window").GetProperty("kind").GetString()!, r.GetProperty("window").GetProperty("start").GetString()!),
            r =>
            {
                var counts = r.GetProperty("counts");
                return $"end {r.GetProperty("window").GetProperty("end").GetString()} produced {counts.GetProperty("produced").GetInt64()} good {counts.GetProperty("good").GetInt64()} scrap {counts.GetProperty("scrap").GetInt64()} unattended {counts.GetProperty("unattended_good").GetInt64()} failures {counts.GetProperty("failures").GetInt64()} minor stops {r.GetProperty("minor_stops").GetProperty("count").GetInt64()}";
            });
        var replayed = engine.ToDictionary(
            r => (r.Cell.Id, r.Kind.Name(), TraceTimestamp.Format(r.Start)),
            r => $"end {TraceTimestamp.Format(r.End)} produced {r.Produced} good {r.Good} scrap {r.Scrap} unattended {r.UnattendedGood} failures {r.Failures} minor stops {r.MinorStops}");
        var differ = expected.Where(t => !replayed.TryGetValue(t.Key, out var e) || e != t.Value).Select(t => $"{t.Key}: truth {t.Value}, engine {replayed.GetValueOrDefault(t.Key, "none")}").ToList();
        differ.AddRange(replayed.Keys.Where(k => !expected.ContainsKey(k)).Select(k => $"{k}: only in the engine"));
        Assert.True(differ.Count == 0, $"the oracle is off: the engine's replay of the simulated trace and the simulator's truth differ in {differ.Count} windows, e.g.\n{string.Join('\n', differ.Take(5))}");
    }
}
