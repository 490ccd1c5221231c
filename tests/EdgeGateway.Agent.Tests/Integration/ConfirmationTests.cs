using Xunit.Abstractions;

namespace EdgeGateway.Agent.Tests.Integration;

/// <summary>
/// The built agent against a real Mosquitto: a record leaves the outbox when the backend confirms it is stored, not when
/// the broker acknowledges it (src/docs/payloads-and-topics.md, "Delivery confirmations"). Here the test subscriber plays the backend.
/// </summary>
[Collection(MosquittoGroup.Name)]
public sealed class ConfirmationTests(PlainBroker fixture, ITestOutputHelper output) : IClassFixture<PlainBroker>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private readonly MosquittoBroker _broker = fixture.Broker;

    [Fact]
    public async Task BrokerAcknowledged_ButNobodyConfirmed_RecordsStayInTheOutbox_AndAreSentAgain_UntilConfirmed()
    {
        using var run = new AgentRun("gw-unconfirmed", _broker.Port, speedFactor: 43_200);
        run.Settings["Mqtt:ConfirmTimeout"] = "00:00:02";
        run.EndSimulationAfter(TimeSpan.FromHours(12));
        await using (var receiver = await RecordSubscriber.ConnectAsync(_broker, run.GatewayId))
        {
            run.Start();
            var produced = await ProducedAsync(run);

            // Every record reached a subscriber (the broker acknowledged each), none was confirmed: all are kept and sent again.
            var held = await run.WaitForStatusAsync(s => s.Delivery.Resent >= produced, s_timeout, "every record sent a second time");
            Assert.Equal((produced, 0L, produced, 0L), (held.Depth, held.Delivery.Confirmed, held.Delivery.Unconfirmed, held.Delivery.NoSubscriber));
            Assert.True(held.Delivery.OldestUnconfirmedAgeS >= 2, $"the oldest unconfirmed record is only {held.Delivery.OldestUnconfirmedAgeS} s old");
            Assert.Contains("records not confirmed as stored within 2 s of sending; sending them again from record 1", run.Current.FindLine("not confirmed as stored"), StringComparison.Ordinal);
            var got = receiver.Snapshot();
            Assert.Equal(produced, got.Seqs.Count);
            Assert.True(got.Duplicates >= produced, $"{got}: not every record came twice");
            Assert.Empty(got.Problems);
        }

        // The backend appears and confirms: the outbox drains.
        await using var backend = await RecordSubscriber.ConnectAsync(_broker, run.GatewayId, confirm: true);
        var drained = await run.DrainAndStopAsync(s_timeout);
        Assert.Equal(drained.NextSeq - 1, drained.Delivery.Confirmed);
        Assert.Empty(run.OpenOutbox().Held);
        output.WriteLine($"held: {drained}");
    }

    [Fact]
    public async Task NoSubscriberAtAll_PublishesCountedAndLogged_NothingDeleted_ReSendsBackOff_ThenDeliveredOnceABackendConfirms()
    {
        using var run = new AgentRun("gw-nobody", _broker.Port, speedFactor: 43_200);
        run.Settings["Mqtt:ConfirmTimeout"] = "00:00:02";
        run.EndSimulationAfter(TimeSpan.FromHours(12));
        run.Start();
        var produced = await ProducedAsync(run);

        // Mosquitto acknowledges with reason 16 (no matching subscribers), which MQTTnet calls a success.
        // Records go in batches (src/docs/payloads-and-topics.md, "Batches"): no_subscriber counts publishes, resent counts records.
        var ignored = await run.WaitForStatusAsync(s => s.Delivery.Resent >= 2 * produced, s_timeout, "every record sent three times");
        Assert.Equal((produced, 0L), (ignored.Depth, ignored.Delivery.Confirmed));
        Assert.InRange(ignored.Delivery.NoSubscriber, 3 * (produced / 50), 3 * produced);
        Assert.Equal(1, run.Current.CountLines("has no subscriber for this gateway's records"));

        // Rounds without any confirmation wait twice as long each time.
        Assert.Equal(
            ["within 2 s", "within 4 s"],
            run.Current.Lines("not confirmed as stored").Take(2).Select(line => line[line.IndexOf("within", StringComparison.Ordinal)..(line.IndexOf(" s of", StringComparison.Ordinal) + 2)]));

        await using var backend = await RecordSubscriber.ConnectAsync(_broker, run.GatewayId, confirm: true);
        var drained = await run.DrainAndStopAsync(s_timeout);
        Assert.Equal(produced, drained.Delivery.Confirmed);
        Assert.Equal(produced, backend.Snapshot().Seqs.Count);
        output.WriteLine($"given to nobody: {ignored}; drained: {drained}");
    }

    /// <summary>How many records the agent made, once its simulation ended (from a status written after the end).</summary>
    private static async Task<long> ProducedAsync(AgentRun run)
    {
        await Poll.Until(() => run.Current.FindLine("The signal source ended") is not null, s_timeout, "the simulation to end", () => run.Current.Tail());
        var ended = DateTimeOffset.UtcNow;
        var status = await run.WaitForStatusAsync(s => s.At > ended, s_timeout, "a status after the simulation ended");
        return status.NextSeq - 1;
    }
}
