using System.Text.Json;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Traces;
using EdgeGateway.Sensors.Simulation;

namespace EdgeGateway.TestSupport.Programmes;

/// <summary>
/// What a simulating agent publishes, computed in process without the agent, MQTT or the ingest: the simulator writes the
/// trace of the agent's config, seed and span (<c>edgegw simulate --trace</c>), the KPI engine replays it from a live start
/// at the span's start (<c>edgegw replay</c>, window kinds as the agent publishes them), and its records and state changes
/// become the agent's payloads (<see cref="WindowRecordJson"/> and the state payload; sequence numbers 0) on their topics.
/// Deterministic: the same config, seed and span give the same payloads.
/// </summary>
/// <remarks>
/// The live simulator source emits exactly the trace's events (src/docs/simulation.md, "Live source") into the same
/// engine, so these records equal the agent's in every field.
/// </remarks>
internal sealed class AgentReplay : IWindowRecordSink, IStateChangeSink
{
    private static readonly string[] s_states = ["unknown", "idle", "run", "down", "setup"];
    private readonly TopicScheme _topics;

    private AgentReplay(GatewayConfig config, string gateway)
    {
        Config = config;
        Gateway = gateway;
        _topics = new TopicScheme(TopicScheme.DefaultPrefix, config.Site, gateway);
    }

    /// <summary>The agent's config.</summary>
    public GatewayConfig Config { get; }

    /// <summary>The agent's gateway id.</summary>
    public string Gateway { get; }

    /// <summary>The engine's records, in the order it closed them.</summary>
    public List<WindowRecord> Records { get; } = [];

    /// <summary>Every record's and state change's payload with its topic (under <see cref="TopicScheme.DefaultPrefix"/>), in order.</summary>
    public List<(string Topic, byte[] Payload)> Messages { get; } = [];

    /// <summary>The simulator's own ground truth (<c>--truth</c>): JSON, computed from the simulated intervals, not by the engine.</summary>
    public byte[] Truth { get; private set; } = [];

    /// <summary>
    /// Replays an agent run of <paramref name="configFile"/> simulating from <paramref name="from"/> to <paramref name="to"/>
    /// with <paramref name="seed"/> (<c>Agent:SimulationSeed</c>), publishing <paramref name="windows"/> as <paramref name="gateway"/>.
    /// </summary>
    public static AgentReplay Run(string configFile, int seed, DateTimeOffset from, DateTimeOffset to, string gateway, IReadOnlyList<string> windows)
    {
        var config = ConfigReader.Read(File.ReadAllBytes(configFile), configFile, "Agent", "Logging");
        var kinds = windows.Select(w => WindowKinds.TryParse(w, out var kind) ? kind : throw new ArgumentException($"unknown window '{w}'", nameof(windows))).ToArray();
        using var trace = new MemoryStream();
        using var truth = new MemoryStream();
        Simulator.Write(config, SimulationOptions.ReadAll(config), seed, from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), kinds, trace, truth, live: true);

        // As the agent does: a live start at the simulation's start (src/docs/kpi-model.md, "Live starts and restarts").
        var replay = new AgentReplay(config, gateway) { Truth = truth.ToArray() };
        var engine = new GatewayEngine(config, kinds, replay);
        engine.StartLive(null, from.ToUnixTimeMilliseconds());
        trace.Position = 0;
        using (var reader = new TraceReader(trace, "simulated.csv", engine.Signals))
        {
            while (reader.TryRead(out var e))
            {
                engine.Process(e);
            }
        }

        engine.Finish();
        return replay;
    }

    /// <summary>The payloads alone, in order.</summary>
    public IEnumerable<byte[]> Payloads => Messages.Select(m => m.Payload);

    public void OnRecord(in WindowRecord record)
    {
        Records.Add(record);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WindowRecordJson.Write(writer, record, new PublishStamp(Gateway, 0, ClockSynced: false));
        }

        Messages.Add((_topics.Kpi(record.Cell.Id, record.Kind), buffer.ToArray()));
    }

    public void OnStateChange(CellConfig cell, long atMs, MachineState state) =>
        Messages.Add((_topics.State(cell.Id), JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["v"] = 1, ["site"] = Config.Site, ["cell"] = cell.Id, ["gateway"] = Gateway, ["seq"] = 0,
            ["at"] = TraceTimestamp.Format(atMs), ["state"] = s_states[(int)state],
        })));
}
