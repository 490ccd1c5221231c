using System.Text.Json.Nodes;
using EdgeGateway.Ingest.Tests.Fixtures;
using EdgeGateway.Ingest.Validation;

namespace EdgeGateway.Ingest.Tests.Validation;

/// <summary>
/// The ingest as the process composes it judges records' times by its own clock (its <see cref="TimeProvider"/>, read as
/// a message arrives): a record from the future or from before 2020 is dead-lettered as <c>time</c>, the others stored.
/// </summary>
public sealed class PlausibleTimeIngestTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 30, 19, 46, 40, TimeSpan.Zero);

    [Fact]
    public async Task RecordsFromTheFutureOrBefore2020_AreDeadLetteredAsTime_ByTheIngestsClock_TheOthersStored()
    {
        await using var broker = await InProcessBroker.StartAsync();
        var writer = new RecordingWriter();
        await using var ingest = await IngestHost.StartAsync(broker, writer, time: new FixedClock(s_now));
        await ingest.WaitReadyAsync();
        var gateway = await broker.ConnectAsync("gw-1");
        var future = Payloads.Mutate(Payloads.Kpi, root =>
        {
            root["window"]!["start"] = "2026-03-30T12:00:00.000Z";
            root["window"]!["end"] = "2026-03-30T20:00:00.000Z";
        });
        var before2020 = Payloads.Mutate(Payloads.State, root => root["at"] = "1970-01-01T00:00:00.000Z");

        await InProcessBroker.PublishAsync(gateway, Payloads.KpiTopic, Payloads.Bytes(future));
        await InProcessBroker.PublishAsync(gateway, Payloads.StateTopic, Payloads.Bytes(before2020));
        await InProcessBroker.PublishAsync(gateway, Payloads.KpiTopic, Payloads.Bytes(Payloads.Kpi));
        await InProcessBroker.PublishAsync(gateway, Payloads.StateTopic, Payloads.Bytes(Payloads.State));

        await ingest.WaitAsync(() => broker.AcknowledgedBy(IngestHost.ClientId) >= 4 && ingest.Counters.Snapshot().Written == 2, "4 acknowledgements, 2 points written");
        var deadLetters = File.ReadAllLines(ingest.DeadLetterFile).Select(l => JsonNode.Parse(l)!.AsObject()).OrderBy(d => (string?)d["topic"], StringComparer.Ordinal).ToArray();
        Assert.Equal(
            [
                ("time", Payloads.KpiTopic, "window.end 2026-03-30T20:00:00.000Z is 13 min 20 s in the future (tolerance 5 min, Ingest:MaxFutureSkew)"),
                ("time", Payloads.StateTopic, "at 1970-01-01T00:00:00.000Z is before the earliest accepted time 2020-01-01T00:00:00.000Z (Ingest:EarliestTime)"),
            ],
            deadLetters.Select(d => ((string?)d["kind"], (string?)d["topic"], (string?)d["reason"])));
        Assert.Equal((2L, 2L), (ingest.Counters.Snapshot().DeadLetteredOf(RejectionKind.Time), ingest.Counters.Snapshot().DeadLettered));
    }

    [Fact]
    public async Task ConfiguredLimits_AreTheOnesTheRunningIngestApplies()
    {
        await using var broker = await InProcessBroker.StartAsync();
        var writer = new RecordingWriter();
        var settings = new Dictionary<string, string?> { ["Ingest:MaxFutureSkew"] = "00:00:00", ["Ingest:EarliestTime"] = "2026-03-30T06:00:00Z" };
        await using var ingest = await IngestHost.StartAsync(broker, writer, settings, time: new FixedClock(s_now));
        await ingest.WaitReadyAsync();
        var gateway = await broker.ConnectAsync("gw-1");
        var beforeEarliest = Payloads.Mutate(Payloads.State, root => root["at"] = "2026-03-30T05:59:59.999Z");
        var justInTheFuture = Payloads.Mutate(Payloads.State, root => root["at"] = "2026-03-30T19:46:40.001Z");

        await InProcessBroker.PublishAsync(gateway, Payloads.StateTopic, Payloads.Bytes(beforeEarliest));
        await InProcessBroker.PublishAsync(gateway, Payloads.StateTopic, Payloads.Bytes(justInTheFuture));
        await InProcessBroker.PublishAsync(gateway, Payloads.StateTopic, Payloads.Bytes(Payloads.State));

        await ingest.WaitAsync(() => broker.AcknowledgedBy(IngestHost.ClientId) >= 3 && ingest.Counters.Snapshot().Written == 1, "3 acknowledgements, 1 point written");
        Assert.Equal(2L, ingest.Counters.Snapshot().DeadLetteredOf(RejectionKind.Time));
    }

    /// <summary>A clock that always says <paramref name="now"/>; its timers run in real time (the batches' flush interval).</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
