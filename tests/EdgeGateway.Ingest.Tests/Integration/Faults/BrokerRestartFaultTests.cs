using Xunit.Abstractions;

namespace EdgeGateway.Ingest.Tests.Integration.Faults;

/// <summary>
/// Issue 11, proof: the broker goes away while the agent publishes — stopped (SIGTERM) or killed (SIGKILL), three times
/// for three seconds, or restarted without its persistence file — and InfluxDB still ends with exactly the agent's
/// records. With a shared subscription Mosquitto 2.0.11 forgets the ingest's subscription on every restart, and until
/// the ingest subscribes again it acknowledges the agent's publishes with "no matching subscribers": only
/// database-confirmed delivery survives that. The control and the SIGKILL scenario run on the context config too
/// (issue 15: stop reasons and articles), where a record's kpi_reason and kpi_article points must arrive with it.
/// </summary>
[Collection(RealServicesGroup.Name)]
public sealed class BrokerRestartFaultTests(ITestOutputHelper output)
{
    /// <summary>Five simulated days (about 7 700 records) at six simulated hours a second: 20 s of publishing.</summary>
    private static readonly TimeSpan s_simulated = TimeSpan.FromDays(5);
    private const double SpeedFactor = 21_600;
    private static readonly TimeSpan s_down = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan s_up = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Faults_NoFault_DatabaseEqualsGroundTruth()
    {
        // The control: without a fault the chain must already deliver the oracle's records exactly (this checks the oracle).
        using var scenario = await StartAsync("control");
        var outcome = await scenario.FinishAsync(scenario.Truth(), "no fault");
        outcome.AssertExact(scenario.Name);
    }

    [Fact]
    public async Task Faults_NoFaultWithReasonsAndArticles_DatabaseEqualsGroundTruth()
    {
        // The control on the context config: the oracle's kpi_reason and kpi_article points, too, are what the chain stores.
        using var scenario = await StartAsync("context-control", AgentRun.ContextConfig);
        var outcome = await scenario.FinishAsync(TruthWithReasonsAndArticles(scenario), "no fault, context config");
        outcome.AssertExact(scenario.Name);
    }

    [Fact]
    public async Task Faults_BrokerKilledThreeTimesWithReasonsAndArticles_DatabaseEqualsGroundTruth()
    {
        using var scenario = await StartAsync("context-broker-sigkill", AgentRun.ContextConfig);
        await TakeBrokerDownAsync(scenario, rounds: 3, broker => broker.Kill());

        var outcome = await scenario.FinishAsync(TruthWithReasonsAndArticles(scenario), "broker SIGKILL 3x for 3 s, context config");
        outcome.AssertExact(scenario.Name);
    }

    [Fact]
    public async Task Faults_BrokerStoppedThreeTimes_DatabaseEqualsGroundTruth()
    {
        using var scenario = await StartAsync("broker-sigterm");
        await TakeBrokerDownAsync(scenario, rounds: 3, broker => broker.Stop());

        var outcome = await scenario.FinishAsync(scenario.Truth(), "broker SIGTERM 3x for 3 s");
        outcome.AssertExact(scenario.Name);
    }

    [Fact]
    public async Task Faults_BrokerKilledThreeTimes_DatabaseEqualsGroundTruth()
    {
        using var scenario = await StartAsync("broker-sigkill");
        await TakeBrokerDownAsync(scenario, rounds: 3, broker => broker.Kill());

        var outcome = await scenario.FinishAsync(scenario.Truth(), "broker SIGKILL 3x for 3 s");
        outcome.AssertExact(scenario.Name);
    }

    [Fact]
    public async Task Faults_BrokerRestartedWithoutPersistence_DatabaseEqualsGroundTruth()
    {
        using var scenario = await StartAsync("broker-no-persistence");
        // Stopped gracefully, so the file holds everything (sessions, queued messages); then it is gone.
        await TakeBrokerDownAsync(scenario, rounds: 2, broker =>
        {
            broker.Stop();
            broker.DeletePersistence();
        });

        var outcome = await scenario.FinishAsync(scenario.Truth(), "broker restarted 2x without mosquitto.db");
        outcome.AssertExact(scenario.Name);
    }

    /// <summary><paramref name="rounds"/> times: the broker goes down, stays down for 3 s while the agent publishes, comes back for 2 s.</summary>
    private static async Task TakeBrokerDownAsync(FaultScenario scenario, int rounds, Action<MosquittoBroker> takeDown)
    {
        for (var round = 0; round < rounds; round++)
        {
            takeDown(scenario.Broker);
            await scenario.WhileAgentRunsAsync(s_down);
            scenario.Broker.Start();
            await scenario.WhileAgentRunsAsync(s_up);
        }
    }

    private Task<FaultScenario> StartAsync(string name, string sampleConfig = AgentRun.SampleConfig) =>
        FaultScenario.LaunchAsync(name, s_simulated, SpeedFactor, output, sampleConfig: sampleConfig);

    /// <summary>The truth of a context-config run, which must hold reason and article points (else the scenario proves nothing about them).</summary>
    private static Dictionary<(string, string, string, long), StoredPoint> TruthWithReasonsAndArticles(FaultScenario scenario)
    {
        var truth = scenario.Truth();
        var reasons = truth.Values.Count(p => p.Measurement == StoredRecords.Reason);
        var articles = truth.Values.Count(p => p.Measurement == StoredRecords.Article);
        Assert.True(reasons > 0 && articles > 0, $"the context config's truth holds {reasons} kpi_reason and {articles} kpi_article points: it no longer books reasons or articles");
        return truth;
    }
}
