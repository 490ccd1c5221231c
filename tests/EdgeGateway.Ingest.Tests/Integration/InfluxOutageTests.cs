using Xunit.Abstractions;

namespace EdgeGateway.Ingest.Tests.Integration;

/// <summary>
/// InfluxDB goes away while the agent keeps publishing: the ingest holds the messages unacknowledged, retries, and
/// writes the backlog once the database is back; acknowledging only after the write means a killed ingest loses
/// nothing either (the broker redelivers what it holds).
/// </summary>
[Collection(RealServicesGroup.Name)]
public sealed class InfluxOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task InfluxDbDownForAWhile_IngestStaysUp_WritesTheBacklog_NothingLost()
    {
        using var services = new BrokerAndDatabase();
        using var ingest = new IngestProcess("ingest-outage", services.Broker, services.Influx);
        var process = await ingest.StartAsync();
        using var run = new AgentRun("gw-outage", services.Broker.Port, speedFactor: 43_200);
        run.EndSimulationAfter(TimeSpan.FromDays(3));
        await using var subscriber = await RecordSubscriber.ConnectAsync(services.Broker, run.GatewayId);
        run.Start();

        var (down, held) = await StopInfluxWhilePublishingAsync(services, ingest, subscriber);
        Assert.False(process.HasExited);

        services.Influx.Start();
        var drained = await run.DrainAndStopAsync(s_timeout);
        var got = await DeliveryAssert.EveryRecordArrivedAsync(subscriber, drained, run.OpenOutbox(), expectedDropped: 0, ended: run.Bounded);
        var expected = StoredRecords.Expected(subscriber.Payloads().Values);
        await StoredRecords.WaitForCountAsync(services.Influx, expected.Count, s_timeout, () => $"ingest: {ingest.Status}. {process.Tail(10)}");
        await ingest.WaitForStatusAsync(s => s.Written >= drained.NextSeq - 1 + got.Statuses.Count, s_timeout, "the status messages written too");
        var final = await ingest.StopAsync();

        StoredRecords.AssertExactly(expected, StoredRecords.Read(services.Influx));
        // At least once at the ingest: records not confirmed while the database was down were sent again by the gateway.
        Assert.InRange(final.Written, drained.NextSeq - 1 + got.Statuses.Count, long.MaxValue);
        Assert.Equal(final.Received, final.Written);
        Assert.True(final.Retries >= held.Retries, $"retries went down: {held} then {final}");
        output.WriteLine($"InfluxDB stopped at {down} points stored; while down the ingest said: {held}; at the end: {final}; {expected.Count} records stored");
    }

    [Fact]
    public async Task IngestKilledWhileInfluxDbDown_TheBrokerRedeliversWhatItHeld_NothingLost()
    {
        using var services = new BrokerAndDatabase();
        using var ingest = new IngestProcess("ingest-outage-kill", services.Broker, services.Influx);
        ingest.Settings["Mqtt:SessionExpiry"] = "01:00:00"; // a kept session: the broker redelivers to the next instance
        var first = await ingest.StartAsync();
        using var run = new AgentRun("gw-outage-kill", services.Broker.Port, speedFactor: 43_200);
        run.EndSimulationAfter(TimeSpan.FromDays(3));
        await using var subscriber = await RecordSubscriber.ConnectAsync(services.Broker, run.GatewayId);
        run.Start();

        var (_, held) = await StopInfluxWhilePublishingAsync(services, ingest, subscriber);
        // Had the first instance acknowledged on receipt, the messages it holds now would be gone with it.
        await first.KillAsync();
        var second = await ingest.StartAsync();
        Assert.Contains("session present: True", second.FindLine("Ingest ready"), StringComparison.Ordinal);
        services.Influx.Start();

        var drained = await run.DrainAndStopAsync(s_timeout);
        var got = await DeliveryAssert.EveryRecordArrivedAsync(subscriber, drained, run.OpenOutbox(), expectedDropped: 0, ended: run.Bounded);
        var expected = StoredRecords.Expected(subscriber.Payloads().Values);
        await StoredRecords.WaitForCountAsync(services.Influx, expected.Count, s_timeout, () => $"ingest: {ingest.Status}. {second.Tail(10)}");
        await ingest.WaitForStatusAsync(s => held.Written + s.Written >= drained.NextSeq - 1 + got.Statuses.Count, s_timeout, "the status messages written too");
        var final = await ingest.StopAsync();

        StoredRecords.AssertExactly(expected, StoredRecords.Read(services.Influx));
        // Nothing was written while the database was down, so the first instance's count is exact; the second wrote the
        // rest, at least once (the gateway sends again what was not confirmed in time).
        Assert.InRange(held.Written + final.Written, drained.NextSeq - 1 + got.Statuses.Count, long.MaxValue);
        output.WriteLine($"first instance killed holding {held.Received - held.Written - held.DeadLettered} messages ({held}); second: {final}");
    }

    /// <summary>
    /// Once some points are stored, stops InfluxDB and waits until the agent has published a simulated day more and
    /// the ingest has retried: returns the points stored before and the ingest's counters while the database is down.
    /// </summary>
    private static async Task<(long Stored, IngestStatus Held)> StopInfluxWhilePublishingAsync(BrokerAndDatabase services, IngestProcess ingest, RecordSubscriber subscriber)
    {
        var stored = await Poll.Until(() => StoredRecords.Count(services.Influx), n => n >= 300, s_timeout, "300 points in InfluxDB", n => $"{n} points; ingest: {ingest.Status}. {ingest.Current.Tail(10)}");
        services.Influx.Stop();
        var atStop = subscriber.MaxSeq;
        await Poll.Until(() => subscriber.MaxSeq >= atStop + 1440, s_timeout, "a simulated day of records published while InfluxDB is down", () => $"max seq {subscriber.MaxSeq}");
        await ingest.WaitForStatusAsync(s => s.Retries > 0 && s.Received >= atStop + 1440, s_timeout, "the ingest to receive that day and retry its writes");
        var held = await ingest.FreshStatusAsync();
        Assert.False(ingest.Current.HasExited, $"the ingest exited while InfluxDB was down. {ingest.Current.Tail()}");
        Assert.True(held.Received - held.Written - held.DeadLettered >= 1440, $"the ingest does not hold the day published while InfluxDB is down: {held}");
        Assert.True(ingest.Current.CountLines("The database did not take") > 0, $"the failed writes are not in the log. {ingest.Current.Tail()}");
        return (stored, held);
    }
}
