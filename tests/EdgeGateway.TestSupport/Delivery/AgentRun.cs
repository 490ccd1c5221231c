using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeGateway.Agent.Outbox;
using EdgeGateway.Core.Payload;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeGateway.TestSupport.Delivery;

/// <summary>What the agent's status file says (src/docs/cli.md, "<c>edgegw status</c>").</summary>
internal sealed record AgentStatus(int Pid, DateTimeOffset At, bool Connected, string? LastError, long Depth, long Bytes, long NextSeq, long Dropped, long Corrupt, DeliveryCounts Delivery)
{
    public override string ToString() =>
        $"pid {Pid} at {At:HH:mm:ss.fff}: connected {Connected}, last error '{LastError}', outbox depth {Depth}, bytes {Bytes}, next_seq {NextSeq}, dropped {Dropped}, corrupt {Corrupt}, {Delivery}";
}

/// <summary>The outbox as a stopped agent left it: next sequence, the records still held (not acknowledged), losses.</summary>
internal sealed record LeftOutbox(long NextSequence, IReadOnlyList<long> Held, long Dropped, long Corrupt);

/// <summary>
/// One gateway under test: a folder with a copy of a sample config (deploy/sample/simulation.json unless another is
/// named, e.g. <see cref="ContextConfig"/>), its outbox and status file, the
/// agent's command-line settings, and the agent processes started from them one after the other (same outbox).
/// </summary>
internal sealed class AgentRun : IDisposable
{
    /// <summary>The site of the sample config.</summary>
    public const string Site = RecordSubscriber.Site;

    /// <summary>Monday 23 March 2026, 06:00 in Amsterdam: the first shift starts.</summary>
    public static readonly DateTimeOffset SimulationStart = new(2026, 3, 23, 5, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The <c>Agent:Mqtt:ConfirmTimeout</c> every agent under test gets: records lost on their way (a broker restart, no
    /// ingest) are sent again within seconds, so that a test of minutes of outage fits in seconds.
    /// </summary>
    public const string ConfirmTimeout = "00:00:03";

    /// <summary>The sample config an agent under test simulates by default: one cell, no stop reasons, no articles.</summary>
    public const string SampleConfig = "simulation.json";

    /// <summary>The sample config with context (issue 15): stop reasons with held stops, articles, a plant calendar.</summary>
    public const string ContextConfig = "simulation-context.json";

    private readonly string _folder;
    private readonly List<ServiceProcess> _processes = [];

    /// <param name="gatewayId">The agent's <c>Agent:GatewayId</c>.</param>
    /// <param name="brokerPort">The broker's port on <see cref="MosquittoBroker.Host"/>.</param>
    /// <param name="speedFactor">Simulated seconds per real second.</param>
    /// <param name="sampleConfig">The file of deploy/sample/ the run's config is copied from.</param>
    public AgentRun(string gatewayId, int brokerPort, double speedFactor, string sampleConfig = SampleConfig)
    {
        GatewayId = gatewayId;
        _folder = Directory.CreateTempSubdirectory($"edgegw-{gatewayId}-").FullName;
        ConfigFile = Path.Combine(_folder, sampleConfig);
        File.Copy(RepoPaths.Sample(sampleConfig), ConfigFile);
        OutboxDirectory = Path.Combine(_folder, "outbox");
        StatusFile = Path.Combine(_folder, "status.json");
        ControlSocket = Path.Combine(_folder, "control.sock");
        Settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GatewayId"] = gatewayId,
            ["Source"] = "Simulator",
            ["SpeedFactor"] = speedFactor.ToString(CultureInfo.InvariantCulture),
            ["SimulationStart"] = SimulationStart.ToString("O", CultureInfo.InvariantCulture),
            ["Outbox:Directory"] = OutboxDirectory,
            ["StatusFile"] = StatusFile,
            ["ControlSocket"] = ControlSocket,
            ["Mqtt:Host"] = MosquittoBroker.Host,
            ["Mqtt:Port"] = brokerPort.ToString(CultureInfo.InvariantCulture),
            ["Mqtt:MinBackoff"] = "00:00:00.2",
            ["Mqtt:MaxBackoff"] = "00:00:01",
            ["Mqtt:ConfirmTimeout"] = ConfirmTimeout,
        };
    }

    public string GatewayId { get; }

    public string ConfigFile { get; }

    /// <summary>The outbox folder in the run's folder, unless <see cref="Settings"/> name another.</summary>
    public string OutboxDirectory { get; }

    public string StatusFile { get; }

    /// <summary>The agent's control socket in the run's folder (<c>edgegw reason --socket</c>).</summary>
    public string ControlSocket { get; }

    /// <summary>
    /// Gives the run's config the context the remote commands name: the site's reason codes <c>waiting_material</c> (idle)
    /// and <c>tool_change</c> (setup), and for cell-1 the articles <c>A-100</c> (30 s) and <c>B-200</c> (45 s, 2 parts).
    /// </summary>
    public void AddReasonsAndArticles()
    {
        var root = JsonNode.Parse(File.ReadAllText(ConfigFile))!;
        var gateway = root["EdgeGateway"]!;
        gateway["StopReasons"] = JsonNode.Parse("""{ "Codes": { "waiting_material": { "Name": "Waiting for material", "Class": "Idle" }, "tool_change": { "Class": "Setup" } } }""");
        gateway["Cells"]![0]!["Articles"] = JsonNode.Parse("""{ "A-100": { "IdealCycleSeconds": 30 }, "B-200": { "IdealCycleSeconds": 45, "PartsPerCycle": 2 } }""");

        // Reasons and articles come only from the test's commands, not from the simulated operator.
        var simulation = gateway["Cells"]![0]!["Simulation"] ??= new JsonObject();
        simulation["Operator"] = false;
        File.WriteAllText(ConfigFile, root.ToJsonString());
    }

    /// <summary>When set, the agent sees this file as its <c>/etc/machine-id</c> (as another device would have).</summary>
    public string? MachineIdFile { get; set; }

    /// <summary>Log levels by category for the next <see cref="Start"/> (<c>--Logging:LogLevel:Category=Level</c>), e.g. Debug to see every retry.</summary>
    public Dictionary<string, string> LogLevels { get; } = new(StringComparer.Ordinal);

    /// <summary>The <c>--Agent:Key=value</c> overrides of the next <see cref="Start"/>.</summary>
    public Dictionary<string, string> Settings { get; }

    /// <summary>Environment variables of the next <see cref="Start"/> (e.g. systemd's NOTIFY_SOCKET and WATCHDOG_USEC).</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>The agent started last.</summary>
    public ServiceProcess Current => _processes.Count > 0 ? _processes[^1] : throw new InvalidOperationException("no agent started yet");

    /// <summary>
    /// Ends the simulation <paramref name="simulated"/> after its start (<c>Agent:SimulationEnd</c>): the agent then
    /// produces nothing more, so its outbox drains to empty and stays there, and the final counts cannot move.
    /// </summary>
    public void EndSimulationAfter(TimeSpan simulated) =>
        Settings["SimulationEnd"] = SimulationStart.Add(simulated).ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Starts an agent on this run's config, settings and outbox.</summary>
    public ServiceProcess Start()
    {
        if (_processes.Count > 0 && !Current.HasExited)
        {
            throw new InvalidOperationException("the previous agent still runs; two on one outbox would fight over it");
        }

        string[] arguments = ["--config", ConfigFile, .. Settings.Select(s => $"--Agent:{s.Key}={s.Value}"), .. LogLevels.Select(l => $"--Logging:LogLevel:{l.Key}={l.Value}")];
        var process = MachineIdFile is null
            ? ServiceProcess.Start("edgegw-agent", arguments, environment: Environment)
            : ServiceProcess.StartWithFile("edgegw-agent", arguments, MachineIdFile, "/etc/machine-id");
        _processes.Add(process);
        return process;
    }

    /// <summary>The status the current agent wrote last (a file left by an earlier, killed one does not count).</summary>
    public AgentStatus? ReadStatus()
    {
        if (_processes.Count == 0 || !File.Exists(StatusFile))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(StatusFile));
            var root = document.RootElement;
            var broker = root.GetProperty("broker");
            var outbox = root.GetProperty("outbox");
            var delivery = root.GetProperty("delivery");
            var oldest = delivery.GetProperty("oldest_unconfirmed_age_s");
            var status = new AgentStatus(
                root.GetProperty("pid").GetInt32(),
                DateTimeOffset.Parse(root.GetProperty("at").GetString()!, CultureInfo.InvariantCulture),
                broker.GetProperty("connected").GetBoolean(),
                broker.GetProperty("last_error").GetString(),
                outbox.GetProperty("depth").GetInt64(),
                outbox.GetProperty("bytes").GetInt64(),
                outbox.GetProperty("next_seq").GetInt64(),
                outbox.GetProperty("dropped").GetInt64(),
                outbox.GetProperty("corrupt").GetInt64(),
                new DeliveryCounts(
                    delivery.GetProperty("confirmed").GetInt64(),
                    delivery.GetProperty("unconfirmed").GetInt64(),
                    oldest.ValueKind == JsonValueKind.Number ? oldest.GetDouble() : null,
                    delivery.GetProperty("resent").GetInt64(),
                    delivery.GetProperty("no_subscriber").GetInt64()));
            return status.Pid == Current.Id ? status : null;
        }
        catch (FileNotFoundException)
        {
            return null; // removed by an agent stopping
        }
    }

    /// <summary>Polls the status file until <paramref name="condition"/> holds for the current agent.</summary>
    public async Task<AgentStatus> WaitForStatusAsync(Func<AgentStatus, bool> condition, TimeSpan timeout, string awaited)
    {
        var agent = Current;
        var status = await Poll.Until(
            () => agent.HasExited ? null : ReadStatus(),
            s => agent.HasExited || (s is not null && condition(s)),
            timeout,
            awaited,
            s => $"{s?.ToString() ?? "no status file"}. {agent.Tail()}");
        return status ?? throw new InvalidOperationException($"the agent exited while waiting for {awaited}. {agent.Tail()}");
    }

    /// <summary>Whether the simulation has an end (<see cref="EndSimulationAfter"/>).</summary>
    public bool Bounded => Settings.ContainsKey("SimulationEnd");

    /// <summary>
    /// Waits until the current agent's status shows it connected with an empty outbox (for a <see cref="Bounded"/> run:
    /// after the simulation ended, so it stays empty), then stops it gracefully (SIGTERM: it publishes "offline" and
    /// exits 0). Returns that drained status: every record below its next_seq was acknowledged.
    /// </summary>
    public async Task<AgentStatus> DrainAndStopAsync(TimeSpan timeout)
    {
        var agent = Current;
        var after = DateTimeOffset.MinValue;
        if (Bounded)
        {
            await Poll.Until(() => agent.FindLine("The signal source ended") is not null, timeout, "the simulation to end", () => agent.Tail());
            after = DateTimeOffset.UtcNow;
        }

        var drained = await WaitForStatusAsync(s => s.At > after && s.Connected && s.Depth == 0, timeout, "the outbox to drain (status: connected, depth 0)");
        var exit = await Current.StopAsync();
        Assert.True(exit == 0, $"the agent exited with {exit} after SIGTERM. {Current.Tail()}");
        // Publishes cancelled by the shutdown are no delivery problem and must not be reported as one.
        var shutdownErrors = Current.LinesAfter("Application is shutting down").Where(line => line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal)).ToList();
        Assert.True(shutdownErrors.Count == 0, $"errors logged while stopping: {string.Join('\n', shutdownErrors)}");
        Assert.False(File.Exists(StatusFile), "the agent left its status file behind on a graceful stop");
        return drained;
    }

    /// <summary>Opens the outbox the stopped agent left (its own API, as the next agent would) and lists what it still holds.</summary>
    public LeftOutbox OpenOutbox()
    {
        var options = new OutboxOptions { Directory = Settings["Outbox:Directory"] };
        if (Settings.TryGetValue("Outbox:MaxBytes", out var maxBytes))
        {
            options.MaxBytes = long.Parse(maxBytes, CultureInfo.InvariantCulture);
        }

        if (Settings.TryGetValue("Outbox:SegmentBytes", out var segmentBytes))
        {
            options.SegmentBytes = long.Parse(segmentBytes, CultureInfo.InvariantCulture);
        }

        using var outbox = new SegmentOutbox(Options.Create(options), TimeProvider.System, NullLogger<SegmentOutbox>.Instance);
        var held = new List<long>();
        var buffer = new OutboxRecord[256];
        int read;
        while ((read = outbox.Read(held.Count > 0 ? held[^1] + 1 : 0, buffer)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                held.Add(buffer[i].Sequence);
            }
        }

        var status = outbox.Status;
        return new LeftOutbox(outbox.NextSequence, held, status.Dropped, status.Corrupt);
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary folder is harmless.
        }
    }
}
