using System.Diagnostics;
using Xunit.Abstractions;

namespace EdgeGateway.Ingest.Tests.Integration.Faults;

/// <summary>
/// One fault scenario of issue 11's proof: a persistent Mosquitto and an InfluxDB of its own, one ingest instance
/// (more on request), and a simulating agent with a fixed start, seed and end, so that its records are known
/// beforehand (<see cref="GroundTruth"/>). The test makes its fault while the agent publishes; <see cref="FinishAsync"/>
/// lets the agent drain, waits for the database to settle and compares it with the truth, record by record.
/// </summary>
internal sealed class FaultScenario : IDisposable
{
    /// <summary>The longest the agent may take to drain once the simulation ended, and the database to settle.</summary>
    private static readonly TimeSpan s_drain = TimeSpan.FromSeconds(60);

    /// <summary>The database is taken as settled when its count has not moved for this long (beyond two confirmation timeouts).</summary>
    private static readonly TimeSpan s_quiet = TimeSpan.FromSeconds(8);

    private readonly ITestOutputHelper _output;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<IngestProcess> _ingests = [];

    /// <param name="name">Names the gateway and the ingest's client id.</param>
    /// <param name="simulated">How much simulated time the agent publishes (about 1 550 records a simulated day).</param>
    /// <param name="speedFactor">Simulated seconds per real second: the simulation lasts <paramref name="simulated"/> / this.</param>
    /// <param name="output">Where the scenario's numbers are printed.</param>
    /// <param name="sampleConfig">The sample config the agent simulates (<see cref="AgentRun.SampleConfig"/> or <see cref="AgentRun.ContextConfig"/>).</param>
    public FaultScenario(string name, TimeSpan simulated, double speedFactor, ITestOutputHelper output, string sampleConfig = AgentRun.SampleConfig)
    {
        Name = name;
        _output = output;
        Services = new BrokerAndDatabase(new MosquittoSettings { Persistence = true });
        Agent = new AgentRun($"gw-{name}", Services.Broker.Port, speedFactor, sampleConfig);
        Agent.EndSimulationAfter(simulated);
        Simulated = simulated;
    }

    /// <summary>A scenario with <paramref name="ingests"/> ingest instances and the agent started, once records reach the database.</summary>
    public static async Task<FaultScenario> LaunchAsync(
        string name, TimeSpan simulated, double speedFactor, ITestOutputHelper output, int ingests = 1, string sampleConfig = AgentRun.SampleConfig)
    {
        var scenario = new FaultScenario(name, simulated, speedFactor, output, sampleConfig);
        try
        {
            await scenario.StartIngestsAsync(ingests);
            scenario.Agent.Start();
            await scenario.WaitForStoredAsync(300, "the first records");
            return scenario;
        }
        catch
        {
            scenario.Dispose();
            throw;
        }
    }

    public string Name { get; }

    public BrokerAndDatabase Services { get; }

    public MosquittoBroker Broker => Services.Broker;

    public InfluxDb Influx => Services.Influx;

    public AgentRun Agent { get; }

    public TimeSpan Simulated { get; }

    /// <summary>The first ingest instance.</summary>
    public IngestProcess Ingest => _ingests[0];

    /// <summary>Time since the scenario began.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>What the agent's whole, uninterrupted run must leave in InfluxDB.</summary>
    public Dictionary<(string, string, string, long), StoredPoint> Truth() =>
        GroundTruth.Points(Agent.ConfigFile, seed: 1, AgentRun.SimulationStart, AgentRun.SimulationStart + Simulated, Agent.GatewayId, AgentOptionsWindows);

    /// <summary>Starts <paramref name="count"/> ingest instances (one shared subscription group) and waits until each is subscribed.</summary>
    public async Task StartIngestsAsync(int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            var ingest = new IngestProcess($"ingest-{Name}-{(char)('a' + i)}", Broker, Influx);
            _ingests.Add(ingest);
            await ingest.StartAsync();
        }
    }

    /// <summary>The ingest instance number <paramref name="index"/> (0: <see cref="Ingest"/>).</summary>
    public IngestProcess IngestAt(int index) => _ingests[index];

    /// <summary>Waits until the database holds <paramref name="points"/> points (kpi, kpi_reason, kpi_article, state).</summary>
    public Task WaitForStoredAsync(long points, string why) =>
        StoredRecords.WaitForCountAsync(Influx, points, TimeSpan.FromSeconds(30), () => $"{why}; ingest: {Ingest.Status}. {Agent.Current.Tail(5)}");

    /// <summary>Waits <paramref name="delay"/>, failing early if the agent has ended by itself.</summary>
    public async Task WhileAgentRunsAsync(TimeSpan delay)
    {
        await Task.Delay(delay);
        Assert.False(Agent.Current.HasExited, $"{Name}: the agent ended by itself. {Agent.Current.Tail()}");
    }

    /// <summary>
    /// Lets the agent drain its outbox (after the simulation ended) and stop, waits until the database has every
    /// expected point or stopped changing, stops the live ingest instances, and compares the database with
    /// <paramref name="expected"/>: prints expected / stored / missing / duplicates and returns the comparison.
    /// </summary>
    public async Task<FaultOutcome> FinishAsync(Dictionary<(string, string, string, long), StoredPoint> expected, string fault)
    {
        var drained = await Agent.DrainAndStopAsync(s_drain);
        var stored = await SettleAsync(expected.Count - drained.Dropped);
        foreach (var ingest in _ingests.Where(i => !i.Current.HasExited))
        {
            await ingest.StopAsync();
        }

        var outcome = FaultOutcome.Compare(expected, StoredRecords.Read(Influx), Influx) with { Dropped = drained.Dropped };
        _output.WriteLine($"{Name} ({fault}): {outcome.Summary}; agent produced {drained.NextSeq - 1}, dropped {drained.Dropped}; database settled at {stored} points; {Elapsed.TotalSeconds:F0} s");
        _output.WriteLine($"  per series: {string.Join("; ", outcome.CountsPerSeries)}");
        if (outcome.MissingRuns.Count > 0)
        {
            _output.WriteLine($"  missing runs: {string.Join("; ", outcome.MissingRuns.Take(12))}{(outcome.MissingRuns.Count > 12 ? " …" : "")}");
        }

        // Every instance's last counters (exact for one stopped with SIGTERM; a killed one's may be a second old).
        foreach (var process in _ingests.SelectMany(i => i.Processes))
        {
            _output.WriteLine($"  {process.Name} pid {process.Id}: {IngestProcess.StatusOf(process)}");
        }

        return outcome;
    }

    /// <summary>Polls the database until it holds <paramref name="count"/> points or its count stops moving.</summary>
    public async Task<long> SettleAsync(long count)
    {
        var quiet = Stopwatch.StartNew();
        var clock = Stopwatch.StartNew();
        var last = -1L;
        while (true)
        {
            var now = StoredRecords.Count(Influx);
            if (now >= count || quiet.Elapsed > s_quiet || clock.Elapsed > s_drain)
            {
                return now;
            }

            if (now != last)
            {
                last = now;
                quiet.Restart();
            }

            await Task.Delay(200);
        }
    }

    public void Dispose()
    {
        Agent.Dispose();
        foreach (var ingest in _ingests)
        {
            ingest.Dispose();
        }

        Services.Dispose();
    }

    /// <summary>The window kinds the agent publishes by default (Agent:Windows).</summary>
    private static IReadOnlyList<string> AgentOptionsWindows => EdgeGateway.Agent.Hosting.AgentOptions.DefaultWindows;
}
