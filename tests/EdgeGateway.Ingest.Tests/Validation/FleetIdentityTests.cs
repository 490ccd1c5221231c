using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Payload;
using EdgeGateway.Ingest.Validation;
using static EdgeGateway.Ingest.Tests.Fixtures.Payloads;

namespace EdgeGateway.Ingest.Tests.Validation;

/// <summary>
/// With a fleet file (<c>Ingest:FleetFile</c>) a record is stored only when the sender is who the file says: the site,
/// cell and gateway of topic and payload agree with it; every other one is rejected as <c>identity</c> and confirmed to
/// nobody (its <see cref="ValidationResult.Sender"/> is null). Without one, nothing changes.
/// </summary>
public sealed class FleetIdentityTests
{
    private const long ArrivalMs = 1_774_900_000_000;

    private const string FleetText = """
        site,gateway,cells
        sme-0042,gw-1,cell-1;cell-2
        sme-0042,gw-2,cell-3
        """;

    private static readonly Fleet s_fleet = Fleet.Parse(FleetText, "fleet.csv");
    private static readonly MessageValidator s_checked = new(Prefix, MaxBytes, PlausibleTime.Default, s_fleet);
    private static readonly MessageValidator s_unchecked = new(Prefix, MaxBytes);

    [Fact]
    public void TheFleetLookup_GivesEachCellItsGateway_AndKnowsEachGateway()
    {
        Assert.Equal(("gw-1", 2), (s_fleet.OwnerOf("sme-0042", "cell-2")!.Gateway, s_fleet.OwnerOf("sme-0042", "cell-2")!.Line));
        Assert.Equal("gw-2", s_fleet.OwnerOf("sme-0042", "cell-3")!.Gateway);
        Assert.Null(s_fleet.OwnerOf("sme-0042", "cell-9"));
        Assert.Null(s_fleet.OwnerOf("sme-0099", "cell-1"));
        Assert.NotNull(s_fleet.Find("sme-0042", "gw-2"));
        Assert.Null(s_fleet.Find("sme-0042", "gw-9"));
    }

    [Theory]
    [InlineData(KpiTopic, Kpi, 4711)]
    [InlineData(StateTopic, State, 12)]
    public void ARecordOfItsGatewaysCell_IsStored_AndConfirmedToIt(string topic, string json, long seq)
    {
        var result = Validate(s_checked, topic, json);

        Assert.NotNull(result.Record);
        Assert.Equal(new RecordSender("sme-0042", "gw-1", seq), result.Sender);
    }

    [Theory]
    [InlineData("edgegw/v1/sme-0099/cell-1/state", "sme-0099", "cell-1", "site 'sme-0099' is not in the fleet file fleet.csv")]
    [InlineData("edgegw/v1/sme-0042/cell-9/state", "sme-0042", "cell-9", "cell 'cell-9' of site 'sme-0042' is not in the fleet file fleet.csv")]
    public void ARecordOfASiteOrCellNotInTheFleet_IsIdentity_ConfirmedToNobody(string topic, string site, string cell, string reason)
    {
        var json = Mutate(State, root => (root["site"], root["cell"]) = (site, cell));

        AssertIdentity(Validate(s_checked, topic, json), reason);
    }

    [Fact]
    public void ARecordOfAnotherGatewaysCell_IsIdentity_ConfirmedToNobody()
    {
        // gw-1 writes to cell-3, which the fleet gives to gw-2 (the password ACL lets every gateway of a site do so).
        var json = Mutate(State, root => root["cell"] = "cell-3");

        AssertIdentity(Validate(s_checked, "edgegw/v1/sme-0042/cell-3/state", json), "cell 'cell-3' of site 'sme-0042' is gateway 'gw-2''s (fleet.csv:3), not payload gateway 'gw-1''s");
    }

    [Theory]
    [InlineData(KpiTopic, Kpi)]
    [InlineData(StateTopic, State)]
    public void ASpoofedPayloadGateway_IsIdentity_AndNotConfirmedToTheGatewayItNames(string topic, string json)
    {
        // gw-1 puts gw-2's id and a sequence number into its own cell's record: confirming it would clear gw-2's outbox entry.
        var spoofed = Mutate(json, root => root["gateway"] = "gw-2");

        AssertIdentity(Validate(s_checked, topic, spoofed), "cell 'cell-1' of site 'sme-0042' is gateway 'gw-1''s (fleet.csv:2), not payload gateway 'gw-2''s");
    }

    [Fact]
    public void AnInvalidRecord_WithASpoofedGateway_IsIdentity_NotConfirmed_WithTheRightOne_ItsKind_Confirmed()
    {
        var invalid = Mutate(State, root => root["state"] = "running");

        AssertIdentity(Validate(s_checked, StateTopic, Mutate(invalid, root => root["gateway"] = "gw-2")), "cell 'cell-1' of site 'sme-0042' is gateway 'gw-1''s (fleet.csv:2), not payload gateway 'gw-2''s");
        var own = Validate(s_checked, StateTopic, invalid);
        Assert.Equal((RejectionKind.Range, new RecordSender("sme-0042", "gw-1", 12)), (own.Rejection.Kind, own.Sender));
    }

    [Fact]
    public void AStatusOfAGatewayNotInTheFleet_IsIdentity_OneOfIt_IsStored()
    {
        var json = Mutate(StatusOffline, root => root["gateway"] = "gw-9");

        AssertIdentity(Validate(s_checked, "edgegw/v1/sme-0042/status/gw-9", json), "gateway 'gw-9' of site 'sme-0042' is not in the fleet file fleet.csv");
        Assert.IsType<StatusRecord>(Validate(s_checked, StatusTopic, StatusOnline).Record);
    }

    [Fact]
    public void AStatusOfAGatewayInTheFleet_NamingAnotherInItsPayload_IsStillAMismatch() =>
        Assert.Equal(
            new Rejection(RejectionKind.Mismatch, "topic gateway 'gw-2' differs from payload gateway 'gw-1'"),
            Validate(s_checked, "edgegw/v1/sme-0042/status/gw-2", StatusOnline).Rejection);

    [Fact]
    public void TheDoctorsProbe_OnAnyStatusTopic_IsStillSkipped() =>
        Assert.True(Validate(s_checked, "edgegw/v1/sme-0042/status/gw-9", StatusPayload.Probe).Ignored);

    [Fact]
    public void ABatchOfAGatewayNotInTheFleet_IsOneIdentityDeadLetter()
    {
        var payload = Batch("gw-9", (StateTopic, State));

        AssertIdentity(s_checked.Validate("edgegw/v1/sme-0042/batch/gw-9", payload, payload.Length, ArrivalMs), "gateway 'gw-9' of site 'sme-0042' is not in the fleet file fleet.csv");
    }

    [Fact]
    public void ABatch_HoldingARecordOfAnotherGatewaysCell_HasItRejectedAsIdentity_TheOwnStoredAndConfirmed()
    {
        // gw-2's batch: its own cell-3, gw-1's cell-1 as gw-1 wrote it, and gw-1's cell-1 claimed as gw-2's.
        var own = Mutate(State, root => (root["cell"], root["gateway"], root["seq"]) = ("cell-3", "gw-2", 7));
        var results = ValidateBatch(s_checked, "gw-2", ("edgegw/v1/sme-0042/cell-3/state", own), (StateTopic, State), (StateTopic, Mutate(State, root => root["gateway"] = "gw-2")));

        Assert.Equal(new RecordSender("sme-0042", "gw-2", 7), results[0].Sender);
        Assert.NotNull(results[0].Record);
        AssertIdentity(results[1], "cell 'cell-1' of site 'sme-0042' is gateway 'gw-1''s (fleet.csv:2), not the batch's gateway 'gw-2''s");
        AssertIdentity(results[2], "cell 'cell-1' of site 'sme-0042' is gateway 'gw-1''s (fleet.csv:2), not payload gateway 'gw-2''s");
    }

    [Fact]
    public void ABatch_HoldingAnInvalidRecordOfAnotherGatewaysCell_IsIdentity_NotConfirmed()
    {
        var invalid = Mutate(State, root => root["state"] = "running");

        AssertIdentity(ValidateBatch(s_checked, "gw-2", (StateTopic, invalid))[0], "cell 'cell-1' of site 'sme-0042' is gateway 'gw-1''s (fleet.csv:2), not the batch's gateway 'gw-2''s");
    }

    [Fact]
    public void WithoutAFleet_NothingChanges_ARecordIsTakenAtItsPayloadsWord()
    {
        // The limit the fleet file lifts (src/docs/payloads-and-topics.md, "Delivery confirmations"): the payload's gateway is believed.
        var spoofed = Validate(s_unchecked, StateTopic, Mutate(State, root => root["gateway"] = "gw-2"));
        Assert.Equal(new RecordSender("sme-0042", "gw-2", 12), spoofed.Sender);
        Assert.NotNull(Validate(s_unchecked, "edgegw/v1/sme-0099/cell-9/state", Mutate(State, root => (root["site"], root["cell"]) = ("sme-0099", "cell-9"))).Record);
        Assert.NotNull(Validate(s_unchecked, "edgegw/v1/sme-0042/status/gw-9", Mutate(StatusOffline, root => root["gateway"] = "gw-9")).Record);

        // What topic and payload say of each other is checked either way: a batch of gw-2 with a record of gw-1.
        var mixed = ValidateBatch(s_unchecked, "gw-2", (StateTopic, State))[0];
        Assert.Equal((new Rejection(RejectionKind.Mismatch, "a record of sme-0042/gw-1 in the batch of sme-0042/gw-2"), (RecordSender?)null), (mixed.Rejection, mixed.Sender));
    }

    [Fact]
    public void TheIdentityKind_IsTheLastNamedAndHasItsDeadLetterTopic() =>
        Assert.Equal(("identity", 10, "edgegw/v1/_deadletter/identity"), (RejectionKind.Identity.Name(), RejectionKinds.Count, TopicScheme.DeadLetterTopic(Prefix, RejectionKind.Identity.Name())));

    private static ValidationResult Validate(MessageValidator validator, string topic, string json)
    {
        var payload = Bytes(json);
        return validator.Validate(topic, payload, payload.Length, ArrivalMs);
    }

    private static byte[] Batch(string gateway, params (string Topic, string Json)[] records)
    {
        using var batch = new RecordBatch();
        batch.Begin("sme-0042", gateway);
        foreach (var (topic, json) in records)
        {
            batch.Add(topic, Bytes(json));
        }

        return batch.End();
    }

    private static List<ValidationResult> ValidateBatch(MessageValidator validator, string gateway, params (string Topic, string Json)[] records)
    {
        var payload = Batch(gateway, records);
        var envelope = validator.Validate(TopicScheme.BatchTopic(Prefix, "sme-0042", gateway), payload, payload.Length, ArrivalMs).Batch;
        Assert.NotNull(envelope);
        return [.. envelope.Records.Select(r => validator.ValidateBatched(r, envelope, ArrivalMs))];
    }

    private static void AssertIdentity(ValidationResult result, string reason)
    {
        Assert.True(result.IsRejected, "accepted");
        Assert.Equal(new Rejection(RejectionKind.Identity, reason), result.Rejection);
        Assert.Null(result.Sender);
    }
}
