using Xunit.Abstractions;

namespace EdgeGateway.Ingest.Tests.Integration.Faults;

/// <summary>
/// Issue 11, proof: the backend fails while the agent publishes — a reboot (ingest and broker stopped, the broker
/// back first, the ingest seconds later), the ingest away for a long time, InfluxDB down with the ingest killed
/// inside the outage — and InfluxDB still ends with exactly the agent's records.
/// </summary>
[Collection(RealServicesGroup.Name)]
public sealed class BackendFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Faults_BackendRebootBrokerFirstIngestLater_DatabaseEqualsGroundTruth()
    {
        // Five simulated days at six simulated hours a second: 20 s of publishing, two reboots of 7 s in it.
        using var scenario = await FaultScenario.LaunchAsync("backend-reboot", TimeSpan.FromDays(5), 21_600, output);
        for (var round = 0; round < 2; round++)
        {
            await scenario.Ingest.StopAsync();
            scenario.Broker.Stop();
            await scenario.WhileAgentRunsAsync(TimeSpan.FromSeconds(3));
            scenario.Broker.Start();
            await scenario.WhileAgentRunsAsync(TimeSpan.FromSeconds(4));
            await scenario.Ingest.StartAsync();
            await scenario.WhileAgentRunsAsync(TimeSpan.FromSeconds(2));
        }

        var outcome = await scenario.FinishAsync(scenario.Truth(), "backend reboot 2x: ingest and broker stopped, broker back after 3 s, ingest 4 s later");
        outcome.AssertExact(scenario.Name);
    }

    /// <remarks>
    /// The issue asks for minutes; 30 s stand for them. What the absence tests does not grow with wall time: the broker
    /// holds the absent instance's messages in its session (bounded by count — unlimited here, as deploy/mosquitto
    /// configures it — and by the session expiry of an hour), and with database-confirmed delivery the agent re-sends
    /// what stays unconfirmed every Agent:Mqtt:ConfirmTimeout: 30 s are ten 3-second timeouts, the re-send rounds of
    /// five minutes at the default 30 s. The backlog is large all the same: the gateway publishes nearly all of its
    /// records (about 5 900, four simulated days) while the ingest is away.
    /// </remarks>
    [Fact]
    public async Task Faults_IngestAbsent30Seconds_DatabaseEqualsGroundTruth()
    {
        // Four simulated days at four simulated hours a second: 24 s of publishing, all but the first seconds without the ingest.
        using var scenario = await FaultScenario.LaunchAsync("ingest-absent", TimeSpan.FromDays(4), 14_400, output);
        await scenario.Ingest.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(30));
        await scenario.Ingest.StartAsync();

        var outcome = await scenario.FinishAsync(scenario.Truth(), "ingest absent for 30 s while the gateway publishes");
        outcome.AssertExact(scenario.Name);
    }

    [Fact]
    public async Task Faults_InfluxDbOutageWithIngestKilledInside_DatabaseEqualsGroundTruth()
    {
        using var scenario = await FaultScenario.LaunchAsync("influx-outage-kill", TimeSpan.FromDays(5), 21_600, output);
        scenario.Influx.Stop();
        await scenario.WhileAgentRunsAsync(TimeSpan.FromSeconds(4));
        await scenario.Ingest.Current.KillAsync();
        await scenario.Ingest.StartAsync();
        await scenario.WhileAgentRunsAsync(TimeSpan.FromSeconds(4));
        scenario.Influx.Start();

        var outcome = await scenario.FinishAsync(scenario.Truth(), "InfluxDB down 8 s, the ingest SIGKILLed and restarted inside the outage");
        outcome.AssertExact(scenario.Name);
    }
}
