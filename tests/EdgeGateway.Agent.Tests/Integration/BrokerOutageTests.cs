using System.Globalization;
using Xunit.Abstractions;

namespace EdgeGateway.Agent.Tests.Integration;

/// <summary>
/// The agent (built, as a child process, simulator at accelerated time) against a real Mosquitto that goes away:
/// for a simulated day, and long enough for the outbox to reach its bound.
/// </summary>
[Collection(MosquittoGroup.Name)]
public sealed class BrokerOutageTests(PersistentBroker fixture, ITestOutputHelper output) : IClassFixture<PersistentBroker>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private readonly MosquittoBroker _broker = fixture.Broker;

    [Fact]
    public async Task BrokerDownForASimulatedDay_EveryRecordArrivesInOrder_RepeatsIdentical()
    {
        EnsureRunning();
        // 12 simulated hours per second: about 750 records a second.
        using var run = new AgentRun("gw-outage", _broker.Port, speedFactor: 43_200);
        run.EndSimulationAfter(TimeSpan.FromDays(3));
        await using var subscriber = await RecordSubscriber.ConnectAsync(_broker, run.GatewayId, confirm: true);
        run.Start();
        await Poll.Until(() => subscriber.MaxSeq >= 300, s_timeout, "the first 300 records at the subscriber", () => $"max seq {subscriber.MaxSeq}. {run.Current.Tail()}");

        _broker.Stop();
        var before = subscriber.MaxSeq;
        var down = await run.WaitForStatusAsync(
            s => !s.Connected && s.NextSeq - 1 >= before + 1440 && s.Depth >= 1440,
            s_timeout,
            $"a simulated day of records (1440 one-minute windows after seq {before}) held while the broker is down");
        Assert.Contains("cannot reach the broker", down.LastError, StringComparison.Ordinal);

        _broker.Start();
        var drained = await run.DrainAndStopAsync(s_timeout);

        var got = await DeliveryAssert.EveryRecordArrivedAsync(subscriber, drained, run.OpenOutbox(), expectedDropped: 0, ended: run.Bounded);
        Assert.True(got.Seqs.Count > before + 1440, $"only {got.Seqs.Count} records arrived");
        Assert.True(got.Statuses.Count(s => s.Status == "online") >= 2, "no birth message after the broker came back");
        Assert.True(subscriber.Batches > 0, "the backlog after the outage did not go in batches");
        output.WriteLine($"broker stopped after seq {before}; while down: {down}; drained: {drained}; {got}; {subscriber.Batches} batch messages");
    }

    [Fact]
    public async Task OutboxLimitReachedDuringOutage_DropsTheOldest_ReportsTheExactCount()
    {
        EnsureRunning();
        const long maxBytes = 1024 * 1024;
        using var run = new AgentRun("gw-limit", _broker.Port, speedFactor: 86_400);
        run.Settings["Outbox:MaxBytes"] = maxBytes.ToString(CultureInfo.InvariantCulture);
        run.Settings["Outbox:SegmentBytes"] = "65536";
        // Three simulated days (about 4.5 MB of records) into a 1 MiB outbox; the simulation then ends, so the
        // count the agent reports cannot move any more while the test compares it.
        run.EndSimulationAfter(TimeSpan.FromDays(3));

        // The subscriber's session exists before the outage, so the broker queues for it from the first record on.
        await using var subscriber = await RecordSubscriber.ConnectAsync(_broker, run.GatewayId, confirm: true);
        _broker.Stop();
        var agent = run.Start();

        var largest = 0L;
        await run.WaitForStatusAsync(
            s =>
            {
                largest = Math.Max(largest, s.Bytes);
                return s.Dropped > 0;
            },
            s_timeout,
            "the outbox to drop records");
        await Poll.Until(() => agent.FindLine("The signal source ended") is not null, s_timeout, "the simulation to end", () => agent.Tail());
        var ended = DateTimeOffset.UtcNow;
        var full = await run.WaitForStatusAsync(
            s =>
            {
                largest = Math.Max(largest, s.Bytes);
                return s.At > ended;
            },
            s_timeout,
            "a status written after the simulation ended");
        Assert.True(largest <= maxBytes, $"the outbox grew to {largest} bytes, beyond its bound of {maxBytes}");
        Assert.False(full.Connected);
        Assert.Equal(full.NextSeq - 1, full.Dropped + full.Depth);
        Assert.True(agent.CountLines("Outbox full (bound") > 0, $"the drops are not in the log. {agent.Tail()}");

        _broker.Start();
        var drained = await run.DrainAndStopAsync(s_timeout);

        Assert.Equal(full.Dropped, drained.Dropped);
        Assert.Equal(full.NextSeq, drained.NextSeq);
        // The missing records are exactly the oldest ones, 1..dropped; everything after them arrived.
        var got = await DeliveryAssert.EveryRecordArrivedAsync(subscriber, drained, run.OpenOutbox(), expectedDropped: drained.Dropped, ended: run.Bounded);
        Assert.Equal(drained.NextSeq - 1 - drained.Dropped, got.Seqs.Count);
        var birth = got.Statuses.Last(s => s.Status == "online");
        Assert.Equal(drained.Dropped, birth.Dropped);
        Assert.Equal(drained.NextSeq - 1 - drained.Dropped, birth.Depth);
        output.WriteLine($"largest outbox {largest} bytes; before the broker came back: {full}; {got}");
    }

    private void EnsureRunning()
    {
        // A test that failed with the broker stopped must not take the next one down with it.
        if (!_broker.IsRunning)
        {
            _broker.Start();
        }
    }
}
