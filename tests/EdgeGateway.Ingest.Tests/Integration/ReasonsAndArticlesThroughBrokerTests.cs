using System.Buffers;
using EdgeGateway.Core.Payload;
using EdgeGateway.Ingest.Tests.Fixtures;

namespace EdgeGateway.Ingest.Tests.Integration;

/// <summary>
/// A record with reasons and articles through a real Mosquitto, the ingest process and a real InfluxDB: its kpi,
/// kpi_reason and kpi_article points are stored (src/docs/influxdb-schema.md, "Reasons and articles"), and the record is
/// confirmed to its gateway only once all of them are: never while the database cannot take them.
/// </summary>
[Collection(RealServicesGroup.Name)]
public sealed class ReasonsAndArticlesThroughBrokerTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ARecordWithReasonsAndArticles_IsStoredInKpiReasonAndKpiArticle_AndConfirmedOnlyOnceItsPointsAreIn()
    {
        using var services = new BrokerAndDatabase();
        using var ingest = new IngestProcess("ingest-context", services.Broker, services.Influx);
        var process = await ingest.StartAsync();
        await using var confirmations = await ConfirmationListener.StartAsync(services.Broker.Port);

        // The database away: the ingest holds the record and retries, and confirms nothing.
        services.Influx.Stop();
        await BurstPublisher.PublishAsync(MosquittoBroker.Host, services.Broker.Port, [(Payloads.KpiTopic, Payloads.Bytes(Payloads.KpiWithReasonsAndArticles))]);
        await ingest.WaitForStatusAsync(s => s.Received >= 1 && s.Retries >= 2, s_timeout, "the record received and its write retried");
        Assert.Empty(confirmations.Received);

        services.Influx.Start();
        await Poll.Until(() => confirmations.Received.Count > 0, s_timeout, "the confirmation to gw-1", () => process.Tail());

        // Confirmed: every point of the record is there (they went in the one write that was confirmed).
        var start = "2026-03-30T06:00:00Z";
        Assert.Equal(
            [["tool.change-2", "shift", "sme-0042", "cell-1", "600"], ["waiting_material", "shift", "sme-0042", "cell-1", "1800.5"]],
            Texts(services.Influx.Rows("""SELECT "reason", "window", "site", "cell", "seconds" FROM "kpi_reason" """), start));
        Assert.Equal(
            [["A-100", "shift", "sme-0042", "cell-1", "12000", "400", "11600"], ["B_200", "shift", "sme-0042", "cell-1", "7000", "0", "7000"]],
            Texts(services.Influx.Rows("""SELECT "article", "window", "site", "cell", "produced", "scrap", "good" FROM "kpi_article" """), start));
        Assert.Equal(
            [["19271.5", "1", "4711"]],
            Texts(services.Influx.Rows("""SELECT "ideal_s", "unassigned_stops", "seq" FROM "kpi" """), start));

        var final = await ingest.StopAsync();
        Assert.Equal((1L, 0L, 1L), (final.Written, final.DeadLettered, final.Confirmed));
        var confirmation = Assert.Single(confirmations.Received);
        Assert.Equal(TopicScheme.ConfirmationTopic(DeliveryConfirmation.DefaultTopicPrefix, "sme-0042", "gw-1"), confirmation.Topic);
        var ranges = new List<SequenceRange>();
        Assert.True(DeliveryConfirmation.TryRead(new ReadOnlySequence<byte>(confirmation.Payload), "sme-0042", "gw-1", ranges, out var error), error);
        Assert.Equal([new SequenceRange(4711, 4711)], ranges);
    }

    /// <summary>Each row's values but its time as text, ordered by the first, every row's time asserted to be <paramref name="time"/>.</summary>
    private static List<string[]> Texts(IReadOnlyList<System.Text.Json.JsonElement[]> rows, string time)
    {
        Assert.All(rows, row => Assert.Equal(time, row[0].GetString()));
        return [.. rows.Select(row => row[1..].Select(cell => cell.ValueKind == System.Text.Json.JsonValueKind.String ? cell.GetString()! : cell.GetRawText()).ToArray())
            .OrderBy(values => values[0], StringComparer.Ordinal)];
    }
}
