using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Traces;
using EdgeGateway.Sensors.Simulation;
using Xunit.Abstractions;

namespace EdgeGateway.Agent.Tests.Integration;

/// <summary>
/// A restart goes on with the shift and day in progress (src/docs/agent.md, "Restarts"): the real agent, killed or
/// stopped mid-run, restarted later on the same outbox, delivers the shift and day records that hold both runs, with
/// the time between unknown. The oracle is the engine run from the checkpoint the agent left over the simulated events
/// of the second run, as the agent must have done it.
/// </summary>
[Collection(MosquittoGroup.Name)]
public sealed class AgentRestartTests(PlainBroker fixture, ITestOutputHelper output) : IClassFixture<PlainBroker>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private static readonly WindowKind[] s_kinds = [WindowKind.Shift, WindowKind.Day];

    [Theory]
    [InlineData("kill", 3, 30)] // SIGKILL at about 09:00 on Monday, back half an hour later: the early shift goes on
    [InlineData("stop", 17, 120)] // SIGTERM at about 23:00, back at about 01:00: Monday's day record holds both runs
    public async Task Restarted_agent_goes_on_with_the_windows_in_progress_and_the_gap_is_unknown(string how, int stopAfterHours, int gapMinutes)
    {
        using var run = new AgentRun($"gw-restart-{how}", fixture.Broker.Port, speedFactor: 7200);
        run.Settings["WindowCheckpointInterval"] = "00:00:01";
        run.Settings["Windows:0"] = "shift";
        run.Settings["Windows:1"] = "day";
        await using var subscriber = await RecordSubscriber.ConnectAsync(fixture.Broker, run.GatewayId, confirm: true);
        var checkpointFile = Path.Combine(run.OutboxDirectory, "windows.json");
        var stopAfter = AgentRun.SimulationStart.AddHours(stopAfterHours).ToUnixTimeMilliseconds();

        var first = run.Start();
        await Poll.Until(
            () => File.Exists(checkpointFile) && EngineCheckpointJson.Read(File.ReadAllBytes(checkpointFile), checkpointFile).TakenAtMs >= stopAfter,
            s_timeout, $"the agent to save its windows after {stopAfterHours} simulated hours", () => first.Tail());
        if (how == "kill")
        {
            await first.KillAsync();
        }
        else
        {
            Assert.Equal(0, await first.StopAsync());
        }

        var saved = EngineCheckpointJson.Read(File.ReadAllBytes(checkpointFile), checkpointFile);
        var restart = DateTimeOffset.FromUnixTimeMilliseconds(saved.TakenAtMs - (saved.TakenAtMs % 60_000)).AddMinutes(gapMinutes);
        var end = restart.AddHours(8);
        run.Settings["SimulationStart"] = restart.ToString("O", CultureInfo.InvariantCulture);
        run.Settings["SimulationEnd"] = end.ToString("O", CultureInfo.InvariantCulture);
        var second = run.Start();
        await run.DrainAndStopAsync(s_timeout);
        Assert.NotNull(second.FindLine("Going on with the windows in progress saved at"));
        Assert.False(File.Exists(checkpointFile), "the windows file is left after the simulation ended and every window was emitted");

        var expected = Oracle(run.ConfigFile, saved, restart, end);
        var received = Received(subscriber);
        Assert.Contains(expected, r => r.Kind == WindowKind.Day && r.Start < saved.TakenAtMs);
        foreach (var record in expected)
        {
            var key = (record.Cell.Id, record.Kind.Name(), TraceTimestamp.Format(record.Start));
            Assert.True(received.TryGetValue(key, out var got), $"no {key} record arrived");
            var want = Normalize(Payload(record));
            Assert.True(JsonNode.DeepEquals(want, got), $"{key}: expected\n{want.ToJsonString()}\ngot\n{got.ToJsonString()}");
        }

        // The windows in progress at the stop were not thrown away: their records begin before the restart, and the gap is unknown.
        var continued = expected.Where(r => r.Start < saved.TakenAtMs && r.End > restart.ToUnixTimeMilliseconds()).ToList();
        Assert.NotEmpty(continued);
        Assert.All(continued, r => Assert.True(r.Ms(Bucket.Unknown) >= restart.ToUnixTimeMilliseconds() - saved.TakenAtMs, $"{r.Cell.Id} {r.Kind} unknown {r.Ms(Bucket.Unknown)} ms"));
        Assert.All(continued, r => Assert.True(r.Produced > 0));
        output.WriteLine($"{how}: saved at {TraceTimestamp.Format(saved.TakenAtMs)}, restarted at {restart:O}; {expected.Count} records checked, {continued.Count} span the restart");
    }

    [Fact]
    public async Task After_a_config_change_the_cells_kept_go_on_a_removed_one_is_dropped_and_a_new_one_starts_live()
    {
        using var run = new AgentRun("gw-restart-config", fixture.Broker.Port, speedFactor: 7200);
        File.Copy(RepoPaths.Sample("simulation-4cells.json"), run.ConfigFile, overwrite: true);
        run.Settings["WindowCheckpointInterval"] = "00:00:01";
        run.Settings["Windows:0"] = "shift";
        await using var subscriber = await RecordSubscriber.ConnectAsync(fixture.Broker, run.GatewayId, confirm: true);
        var checkpointFile = Path.Combine(run.OutboxDirectory, "windows.json");
        var first = run.Start();
        await Poll.Until(
            () => File.Exists(checkpointFile) && EngineCheckpointJson.Read(File.ReadAllBytes(checkpointFile), checkpointFile).TakenAtMs >= AgentRun.SimulationStart.AddHours(3).ToUnixTimeMilliseconds(),
            s_timeout, "the agent to save its windows after 3 simulated hours", () => first.Tail());
        Assert.Equal(0, await first.StopAsync());
        var saved = EngineCheckpointJson.Read(File.ReadAllBytes(checkpointFile), checkpointFile);

        // cell-4 becomes cell-5: one cell removed, one added.
        File.WriteAllText(run.ConfigFile, File.ReadAllText(run.ConfigFile).Replace("\"cell-4\"", "\"cell-5\"", StringComparison.Ordinal));
        var restart = DateTimeOffset.FromUnixTimeMilliseconds(saved.TakenAtMs - (saved.TakenAtMs % 60_000)).AddMinutes(20);
        run.Settings["SimulationStart"] = restart.ToString("O", CultureInfo.InvariantCulture);
        run.Settings["SimulationEnd"] = restart.AddHours(6).ToString("O", CultureInfo.InvariantCulture);
        var second = run.Start();
        await run.DrainAndStopAsync(s_timeout);

        Assert.NotNull(second.FindLine("cell 'cell-4' is no longer configured: its windows in progress are dropped"));
        Assert.NotNull(second.FindLine("cell 'cell-5' has no windows in progress to go on with: it starts afresh"));
        var shifts = subscriber.Payloads().Values.Select(p => JsonNode.Parse(p)!).Where(n => n["window"]?["kind"]?.GetValue<string>() == "shift").ToList();
        var restartText = TraceTimestamp.Format(restart.ToUnixTimeMilliseconds());
        var shiftStart = TraceTimestamp.Format(AgentRun.SimulationStart.ToUnixTimeMilliseconds());

        // The early shift of cells 1–3 holds both runs: it began before the stop and was not published by the first run.
        foreach (var cell in (string[])["cell-1", "cell-2", "cell-3"])
        {
            var early = Assert.Single(shifts, n => n["cell"]!.GetValue<string>() == cell && n["window"]!["start"]!.GetValue<string>() == shiftStart);
            Assert.True(early["buckets"]!["unknown"]!.GetValue<double>() >= (restart.ToUnixTimeMilliseconds() - saved.TakenAtMs) / 1000.0, $"{cell}: {early.ToJsonString()}");
            Assert.True(early["counts"]!["produced"]!.GetValue<long>() > 0);
        }

        // cell-4's early shift is dropped; cell-5's starts at the shift's start, unknown up to the restart.
        Assert.DoesNotContain(shifts, n => n["cell"]!.GetValue<string>() == "cell-4");
        var fresh = Assert.Single(shifts, n => n["cell"]!.GetValue<string>() == "cell-5" && n["window"]!["start"]!.GetValue<string>() == shiftStart);
        Assert.True(string.CompareOrdinal(restartText, fresh["window"]!["end"]!.GetValue<string>()) < 0);
        Assert.True(fresh["buckets"]!["unknown"]!.GetValue<double>() >= (restart - AgentRun.SimulationStart).TotalSeconds, fresh.ToJsonString());
    }

    /// <summary>What the restarted agent must deliver: the engine going on from <paramref name="saved"/> over the simulated events from <paramref name="restart"/>.</summary>
    private static List<WindowRecord> Oracle(string configFile, EngineCheckpoint saved, DateTimeOffset restart, DateTimeOffset end)
    {
        var config = ConfigReader.Read(File.ReadAllBytes(configFile), configFile, "Agent", "Logging");
        using var trace = new MemoryStream();
        Simulator.Write(config, SimulationOptions.ReadAll(config), 1, restart.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds(), s_kinds, trace, Stream.Null, live: true);
        var records = new Records();
        var engine = new GatewayEngine(config, s_kinds, records);
        trace.Position = 0;
        using var reader = new TraceReader(trace, "restart.csv", engine.Signals);
        var started = false;
        while (reader.TryRead(out var e))
        {
            if (!started)
            {
                Assert.Empty(engine.StartLive(saved, e.TimestampMs));
                started = true;
            }

            engine.Process(e);
        }

        engine.Finish();
        return records;
    }

    private static Dictionary<(string, string, string), JsonNode> Received(RecordSubscriber subscriber)
    {
        var received = new Dictionary<(string, string, string), JsonNode>();
        foreach (var payload in subscriber.Payloads().OrderBy(p => p.Key).Select(p => p.Value))
        {
            var node = JsonNode.Parse(payload)!;
            if (node["window"] is { } window && window["kind"]!.GetValue<string>() is "shift" or "day")
            {
                // A record sent again by the restarted agent (same window) replaces the first copy, as in InfluxDB.
                received[(node["cell"]!.GetValue<string>(), window["kind"]!.GetValue<string>(), window["start"]!.GetValue<string>())] = Normalize(node);
            }
        }

        return received;
    }

    private static JsonNode Payload(in WindowRecord record)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WindowRecordJson.Write(writer, record);
        }

        return JsonNode.Parse(stream.ToArray())!;
    }

    /// <summary>The record without what the gateway stamps on it when it publishes (its id, the sequence number, whether its clock is synchronised).</summary>
    private static JsonObject Normalize(JsonNode node)
    {
        var copy = node.DeepClone().AsObject();
        copy.Remove("gateway");
        copy.Remove("seq");
        copy["data_quality"]?.AsObject().Remove("clock_synced");
        return copy;
    }

    private sealed class Records : List<WindowRecord>, IWindowRecordSink
    {
        public void OnRecord(in WindowRecord record) => Add(record);
    }
}
