using System.Buffers;
using System.Text.Json;
using EdgeGateway.Core.Payload;
using EdgeGateway.Ingest.Tests.Fixtures;

namespace EdgeGateway.Ingest.Tests.Integration;

/// <summary>
/// <c>Ingest:FleetFile</c> on the real ingest process with a real Mosquitto and InfluxDB: a record that says it is
/// another gateway's than the one the fleet file gives its cell is dead-lettered as <c>identity</c> and confirmed to
/// nobody, the legitimate record next to it is stored and confirmed to its gateway.
/// </summary>
[Collection(RealServicesGroup.Name)]
public sealed class FleetIdentityThroughBrokerTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    private readonly string _dir = Directory.CreateTempSubdirectory("edgegw-fleet-identity-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ASpoofedRecord_IsDeadLetteredAsIdentity_NotConfirmed_TheLegitimateOneStoredAndConfirmed()
    {
        using var services = new BrokerAndDatabase();
        var fleetFile = Path.Combine(_dir, "fleet.csv");
        File.WriteAllText(fleetFile, "site,gateway,cells\nsme-0042,gw-1,cell-1\nsme-0042,gw-2,cell-2\n");
        using var ingest = new IngestProcess("ingest-fleet", services.Broker, services.Influx);
        ingest.Settings["FleetFile"] = fleetFile;
        var process = await ingest.StartAsync();
        await using var confirmations = await ConfirmationListener.StartAsync(services.Broker.Port);

        // gw-2 (or anyone of the site, under the password ACL) writes gw-1's cell with its own gateway id and a sequence
        // number: confirmed, it would clear gw-2's outbox entry. Then gw-1's own record of the cell.
        var minutes = Payloads.SampleRecords().Where(r => r.Topic.EndsWith("/1m", StringComparison.Ordinal)).Take(2).ToList();
        var spoofed = Payloads.Bytes(Payloads.Mutate(System.Text.Encoding.UTF8.GetString(minutes[1].Payload), root => root["gateway"] = "gw-2"));
        var legitimate = minutes[0];
        await BurstPublisher.PublishAsync(MosquittoBroker.Host, services.Broker.Port, [(minutes[1].Topic, spoofed), legitimate]);

        await ingest.WaitForStatusAsync(s => s.Written >= 1 && s.DeadLettered >= 1, s_timeout, "the legitimate record written, the spoofed one dead-lettered");
        var seq = JsonDocument.Parse(legitimate.Payload).RootElement.GetProperty("seq").GetInt64();
        await Poll.Until(() => confirmations.Received.Any(c => c.Topic.EndsWith("/gw-1", StringComparison.Ordinal)), s_timeout, "the confirmation to gw-1", () => process.Tail());
        var final = await ingest.StopAsync();
        Assert.Equal(1, process.CountLines($"Checking every sender against the fleet file {fleetFile}: 2 gateways, 2 cells"));

        Assert.Equal((1L, 1L, "identity=1", 1L), (final.Written, final.DeadLettered, final.DeadLetteredByKind, final.Confirmed));
        StoredRecords.AssertExactly(StoredRecords.Expected([legitimate.Payload]), StoredRecords.Read(services.Influx));
        using var deadLetter = JsonDocument.Parse(Assert.Single(File.ReadAllLines(ingest.DeadLetterFile)));
        var entry = deadLetter.RootElement;
        Assert.Equal(
            ("identity", minutes[1].Topic, "cell 'cell-1' of site 'sme-0042' is gateway 'gw-1''s (" + fleetFile + ":2), not payload gateway 'gw-2''s"),
            (entry.GetProperty("kind").GetString(), entry.GetProperty("topic").GetString(), entry.GetProperty("reason").GetString()));
        Assert.Equal(1, process.CountLines("(identity): cell 'cell-1' of site 'sme-0042' is gateway 'gw-1''s"));

        // One confirmation, to gw-1, of its record alone; none to gw-2, whose id the spoofed record carried.
        var confirmation = Assert.Single(confirmations.Received);
        Assert.Equal(TopicScheme.ConfirmationTopic(DeliveryConfirmation.DefaultTopicPrefix, "sme-0042", "gw-1"), confirmation.Topic);
        var ranges = new List<SequenceRange>();
        Assert.True(DeliveryConfirmation.TryRead(new ReadOnlySequence<byte>(confirmation.Payload), "sme-0042", "gw-1", ranges, out var error), error);
        Assert.Equal([new SequenceRange(seq, seq)], ranges);
    }
}
