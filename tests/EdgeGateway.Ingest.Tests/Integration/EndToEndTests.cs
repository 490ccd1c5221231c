using Xunit.Abstractions;

namespace EdgeGateway.Ingest.Tests.Integration;

/// <summary>
/// The whole chain with real programs: the built agent (simulator, accelerated time) → a real Mosquitto → the built
/// ingest (a child process, as systemd runs it) → a real InfluxDB 1.x. A separate MQTT subscriber records what the
/// agent published; the agent's outbox says how many records it produced.
/// </summary>
[Collection(RealServicesGroup.Name)]
public sealed class EndToEndTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AgentToInfluxDb_EveryRecordStoredExactlyOnce_WithItsValues()
    {
        using var services = new BrokerAndDatabase();
        using var ingest = new IngestProcess("ingest-e2e", services.Broker, services.Influx);
        await ingest.StartAsync();

        // Three simulated days at 12 simulated hours a second: 1m, shift and day windows plus state changes.
        using var run = new AgentRun("gw-e2e", services.Broker.Port, speedFactor: 43_200);
        run.EndSimulationAfter(TimeSpan.FromDays(3));
        await using var subscriber = await RecordSubscriber.ConnectAsync(services.Broker, run.GatewayId);
        run.Start();
        var drained = await run.DrainAndStopAsync(s_timeout);
        var got = await DeliveryAssert.EveryRecordArrivedAsync(subscriber, drained, run.OpenOutbox(), expectedDropped: 0, ended: run.Bounded);
        var produced = drained.NextSeq - 1;
        Assert.Equal(produced, got.Seqs.Count);

        var expected = StoredRecords.Expected(subscriber.Payloads().Values);
        Assert.Equal(produced, expected.Count);
        Assert.Equal(["1m", "day", "shift"], expected.Values.Where(p => p.Measurement == "kpi").Select(p => p.Window).Distinct().Order());
        Assert.Contains(expected.Values, p => p.Measurement == "state");
        await StoredRecords.WaitForCountAsync(services.Influx, expected.Count, s_timeout, () => $"ingest: {ingest.Status}. {ingest.Current.Tail(10)}");
        await ingest.WaitForStatusAsync(s => s.Written >= produced + got.Statuses.Count, s_timeout, "the status messages written too");
        var final = await ingest.StopAsync();

        StoredRecords.AssertExactly(expected, StoredRecords.Read(services.Influx));
        // Every record and the agent's status messages (birth, offline) received and written, each record confirmed to the
        // gateway (its outbox drained); a record whose confirmation took longer than the agent's timeout comes twice.
        Assert.Equal(1, ingest.Current.CountLines("Ingest ready"));
        Assert.Equal(final.Received, final.Written);
        Assert.InRange(final.Written, produced + got.Statuses.Count, long.MaxValue);
        Assert.InRange(final.Confirmed, produced, long.MaxValue);
        Assert.Equal(0, final.DeadLettered);
        Assert.Equal(0, final.Retries);
        output.WriteLine($"agent produced {produced} records ({expected.Values.Count(p => p.Measurement == "kpi")} kpi, {expected.Values.Count(p => p.Measurement == "state")} state), {got.Statuses.Count} status messages; ingest: {final}");
    }
}
