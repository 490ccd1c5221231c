using System.Text.Json.Nodes;
using EdgeGateway.Ingest.Hosting;
using EdgeGateway.Ingest.Tests.Fixtures;
using EdgeGateway.Ingest.Validation;
using EdgeGateway.Ingest.Writing;
using Microsoft.Extensions.Time.Testing;

namespace EdgeGateway.Ingest.Tests.Batching;

/// <summary>
/// Batching, splitting, bisecting and retrying, with the v1 writer against a local listener standing in for InfluxDB 1.x:
/// nothing is dropped, a point the database refuses is dead-lettered, and a message is acknowledged only once handled.
/// </summary>
public sealed class PipelineTests : IDisposable
{
    private readonly FakeInflux _influx = new();

    public void Dispose() => _influx.Dispose();

    [Fact]
    public async Task TheDatabase_IsCreatedAtStart_BeforeAnyMessage()
    {
        using var writer = V1Writer();
        await using var harness = new PipelineHarness(writer);

        harness.Start();

        await _influx.WaitForAsync(r => r.Count == 1);
        Assert.Equal(("/query", "q=CREATE+DATABASE+%22edgegw%22"), (_influx.Requests[0].Path, _influx.Requests[0].Body));
        Assert.Empty(_influx.Writes);
    }

    [Fact]
    public async Task BadPoint_400_IsBisectedOut_AndDeadLettered_TheRestWritten()
    {
        _influx.Respond = r => r.Body.Contains(",seq=6i,", StringComparison.Ordinal)
            ? new FakeResponse(400, "{\"error\":\"partial write: field type conflict: input field \\\"seq\\\" on measurement \\\"kpi\\\" is type float, already exists as type integer dropped=1\"}")
            : FakeResponse.NoContent;
        using var writer = V1Writer();
        await using var harness = new PipelineHarness(writer, o => o.BatchSize = 8);
        var messages = Minutes(8);
        foreach (var (topic, payload) in messages)
        {
            await harness.SubmitAsync(topic, payload);
        }

        harness.Start();
        await PipelineHarness.WaitAsync(() => harness.Acks.Count == 8, "8 acknowledgements");

        Assert.Equal([8, 4, 4, 2, 1, 1, 2], _influx.Writes.Select(LineCount));
        var stored = _influx.Writes.Where(w => !w.Body.Contains(",seq=6i,", StringComparison.Ordinal)).SelectMany(w => w.Body.Split('\n')).Distinct().Count();
        Assert.Equal(7, stored);
        var deadLetter = JsonNode.Parse(Assert.Single(File.ReadAllLines(harness.Sink.FilePath)))!.AsObject();
        Assert.Equal("database", (string?)deadLetter["kind"]);
        Assert.Equal(
            "the database rejected the point: partial write: field type conflict: input field \"seq\" on measurement \"kpi\" is type float, already exists as type integer dropped=1",
            (string?)deadLetter["reason"]);
        Assert.Equal(messages[5].Payload, Convert.FromBase64String((string)deadLetter["payload_base64"]!));
        Assert.Equal("edgegw/v1/_deadletter/database", Assert.Single(harness.Publisher.DeadLetters).Topic);
        var counters = harness.Counters.Snapshot();
        Assert.Equal((7L, 1L), (counters.Written, counters.DeadLetteredOf(RejectionKind.Database)));

        // Each record confirmed to its gateway once: the seven written and the one dead-lettered (it can never be stored).
        var seqs = messages.Select(m => JsonNode.Parse(m.Payload)!["seq"]!.GetValue<long>()).Order().ToList();
        Assert.Equal(seqs, harness.Publisher.Confirmed().Order().ToList());
        Assert.Equal(8, counters.Confirmed);
    }

    [Fact]
    public async Task TooLarge_413_IsSplitInHalves_UntilEachPartFits_NothingDropped()
    {
        _influx.Respond = r => r.Path == "/write" && LineCount(r) > 2 ? new FakeResponse(413, "{\"error\":\"Request Entity Too Large\"}") : FakeResponse.NoContent;
        using var writer = V1Writer();
        await using var harness = new PipelineHarness(writer, o => o.BatchSize = 8);
        foreach (var (topic, payload) in Minutes(8))
        {
            await harness.SubmitAsync(topic, payload);
        }

        harness.Start();
        await PipelineHarness.WaitAsync(() => harness.Acks.Count == 8, "8 acknowledgements");

        Assert.Equal([8, 4, 2, 2, 4, 2, 2], _influx.Writes.Select(LineCount));
        Assert.Equal(8, _influx.Writes.Where(w => LineCount(w) <= 2).SelectMany(w => w.Body.Split('\n')).Distinct().Count());
        Assert.Equal(8, harness.Counters.Snapshot().Written);
        Assert.False(File.Exists(harness.Sink.FilePath));
    }

    [Fact]
    public async Task APointTooLargeOnItsOwn_IsDeadLettered()
    {
        _influx.Respond = r => r.Body.Contains(",seq=2i,", StringComparison.Ordinal) ? new FakeResponse(413, "{\"error\":\"Request Entity Too Large\"}") : FakeResponse.NoContent;
        using var writer = V1Writer();
        await using var harness = new PipelineHarness(writer, o => o.BatchSize = 2);
        foreach (var (topic, payload) in Minutes(2))
        {
            await harness.SubmitAsync(topic, payload);
        }

        harness.Start();
        await PipelineHarness.WaitAsync(() => harness.Acks.Count == 2, "2 acknowledgements");

        var deadLetter = JsonNode.Parse(Assert.Single(File.ReadAllLines(harness.Sink.FilePath)))!.AsObject();
        Assert.Equal("the database refused the point as too large: 413: Request Entity Too Large", (string?)deadLetter["reason"]);
        Assert.Equal(1, harness.Counters.Snapshot().Written);
    }

    [Fact]
    public async Task ServiceUnavailable_WithRetryAfter_IsHonoured_ThenWritten_AndOnlyThenAcknowledged()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20_000));
        var answered = 0;
        _influx.Respond = _ => Interlocked.Increment(ref answered) == 1
            ? new FakeResponse(503, "{\"error\":\"busy\"}", new Dictionary<string, string> { ["Retry-After"] = "7" })
            : FakeResponse.NoContent;
        using var writer = V1Writer(createDatabase: false);
        await using var harness = new PipelineHarness(writer, o => o.BatchSize = 2, time);
        foreach (var (topic, payload) in Minutes(2))
        {
            await harness.SubmitAsync(topic, payload);
        }

        harness.Start();
        await _influx.WaitForAsync(r => r.Count == 1);
        await Task.Delay(300);
        time.Advance(TimeSpan.FromSeconds(6.9));
        await Task.Delay(300);

        Assert.Single(_influx.Writes);
        Assert.Equal(0, harness.Acks.Count);
        time.Advance(TimeSpan.FromSeconds(0.1));
        await PipelineHarness.WaitAsync(() => harness.Acks.Count == 2, "2 acknowledgements");
        Assert.Equal(2, _influx.Writes.Count);
        Assert.Equal((1L, 2L), (harness.Counters.Snapshot().Retries, harness.Counters.Snapshot().Written));
    }

    [Fact]
    public async Task DatabaseDown_IsRetriedUntilItAccepts_NothingAcknowledgedBefore()
    {
        var answered = 0;
        _influx.Respond = _ => Interlocked.Increment(ref answered) <= 3 ? new FakeResponse(500, "{\"error\":\"engine: cache-max-memory-size exceeded\"}") : FakeResponse.NoContent;
        using var writer = V1Writer(createDatabase: false);
        await using var harness = new PipelineHarness(writer, o => o.BatchSize = 3);
        foreach (var (topic, payload) in Minutes(3))
        {
            await harness.SubmitAsync(topic, payload);
        }

        harness.Start();
        await _influx.WaitForAsync(r => r.Count == 3);
        Assert.Equal(0, harness.Acks.Count);
        await PipelineHarness.WaitAsync(() => harness.Acks.Count == 3, "3 acknowledgements");

        Assert.Equal(4, _influx.Writes.Count);
        Assert.All(_influx.Writes, w => Assert.Equal(_influx.Writes[0].Body, w.Body));
        Assert.Equal((3L, 3L), (harness.Counters.Snapshot().Retries, harness.Counters.Snapshot().Written));
    }

    [Fact]
    public async Task ARecordsReasonAndArticlePoints_GoInTheWriteOfItsKpiPoint_ItIsAcknowledgedAndConfirmedOnlyOnceThatIsAccepted()
    {
        var answered = 0;
        _influx.Respond = _ => Interlocked.Increment(ref answered) <= 2 ? new FakeResponse(503, "{\"error\":\"overloaded\"}") : FakeResponse.NoContent;
        using var writer = V1Writer(createDatabase: false);
        await using var harness = new PipelineHarness(writer, o => o.BatchSize = 2);
        var minute = Minutes(1)[0];
        await harness.SubmitAsync(minute.Topic, minute.Payload);
        await harness.SubmitAsync(Payloads.KpiTopic, Payloads.Bytes(Payloads.KpiWithReasonsAndArticles));

        harness.Start();
        await _influx.WaitForAsync(r => r.Count == 2);
        Assert.Equal((0, 0), (harness.Acks.Count, harness.Publisher.Confirmed().Count));
        await PipelineHarness.WaitAsync(() => harness.Acks.Count == 2, "2 acknowledgements");

        // Every write, the refused ones too, carried the record's five points together, after the minute's one.
        Assert.Equal(3, _influx.Writes.Count);
        Assert.All(_influx.Writes, w => Assert.Equal(
            ["kpi", "kpi", "kpi_reason", "kpi_reason", "kpi_article", "kpi_article"],
            w.Body.Split('\n').Select(line => line[..line.IndexOf(',', StringComparison.Ordinal)])));
        Assert.Equal([1L, 4711L], harness.Publisher.Confirmed().Order());
        Assert.Equal(2L, harness.Counters.Snapshot().Written);
    }

    [Fact]
    public async Task AFullBatch_IsWrittenAtOnce_WithoutWaitingForTheFlushInterval()
    {
        var time = new FakeTimeProvider();
        var writer = new RecordingWriter();
        await using var harness = new PipelineHarness(writer, o => (o.BatchSize, o.FlushInterval) = (4, TimeSpan.FromHours(1)), time);
        foreach (var (topic, payload) in Minutes(8))
        {
            await harness.SubmitAsync(topic, payload);
        }

        harness.Start();
        await PipelineHarness.WaitAsync(() => harness.Acks.Count == 8, "8 acknowledgements");

        Assert.Equal(2, writer.Calls);
    }

    [Fact]
    public async Task Acknowledgements_GoOutWhileTheNextBatchIsWritten_AtMostOneBatchPending()
    {
        var writer = new RecordingWriter();
        await using var harness = new PipelineHarness(writer, o => o.BatchSize = 4);
        var acknowledgementsHeld = new TaskCompletionSource();
        harness.Acks.Gate = acknowledgementsHeld.Task;
        foreach (var (topic, payload) in Minutes(12))
        {
            await harness.SubmitAsync(topic, payload);
        }

        harness.Start();

        // The first batch's acknowledgements are held, and the second batch is written all the same.
        await PipelineHarness.WaitAsync(() => writer.Calls == 2, "the second write");
        await Task.Delay(300);
        Assert.Equal((2, 0), (writer.Calls, harness.Acks.Count));

        acknowledgementsHeld.SetResult();
        await PipelineHarness.WaitAsync(() => harness.Acks.Count == 12, "12 acknowledgements");
        Assert.Equal(3, writer.Calls);
    }

    [Fact]
    public async Task APartialBatch_IsWrittenWhenTheFlushIntervalHasPassed()
    {
        var time = new FakeTimeProvider();
        var writer = new RecordingWriter();
        await using var harness = new PipelineHarness(writer, o => (o.BatchSize, o.FlushInterval) = (100, TimeSpan.FromSeconds(2)), time);
        harness.Start();
        foreach (var (topic, payload) in Minutes(3))
        {
            await harness.SubmitAsync(topic, payload);
        }

        await Task.Delay(300);
        time.Advance(TimeSpan.FromSeconds(1.9));
        await Task.Delay(300);
        Assert.Equal(0, writer.Calls);
        time.Advance(TimeSpan.FromSeconds(0.1));
        await PipelineHarness.WaitAsync(() => harness.Acks.Count == 3, "3 acknowledgements");

        Assert.Equal(1, writer.Calls);
        Assert.Equal(3, writer.Stored.Count);
    }

    [Fact]
    public async Task DeadLetter_ReachingOnlyTheFile_CountsAsDeadLettered()
    {
        await using var harness = new PipelineHarness(new RecordingWriter());
        harness.Publisher.Succeed = false;
        harness.Start();

        await harness.SubmitAsync(Payloads.KpiTopic, Payloads.Bytes("not json"));
        await PipelineHarness.WaitAsync(() => harness.Acks.Count == 1, "the acknowledgement");

        Assert.Single(File.ReadAllLines(harness.Sink.FilePath));
        Assert.Equal(1, harness.Counters.Snapshot().DeadLetteredOf(RejectionKind.Json));
    }

    [Fact]
    public async Task DeadLetter_ReachingNeitherTopicNorFile_IsKeptAndRetried_NotAcknowledged()
    {
        // A file where the dead-letter folder should be: the folder cannot be made, whoever runs the test.
        var blocked = Path.Combine(Path.GetTempPath(), $"edgegw-blocked-{Guid.NewGuid():N}");
        File.WriteAllText(blocked, "");
        try
        {
            await using var harness = new PipelineHarness(new RecordingWriter(), o => o.DeadLetterDirectory = blocked);
            harness.Publisher.Succeed = false;
            harness.Start();

            await harness.SubmitAsync(Payloads.KpiTopic, Payloads.Bytes("not json"));
            await PipelineHarness.WaitAsync(() => harness.Counters.Snapshot().Retries >= 2, "two retries");

            Assert.Equal(0, harness.Acks.Count);
            Assert.Equal(0, harness.Counters.Snapshot().DeadLettered);
            harness.Publisher.Succeed = true;
            await PipelineHarness.WaitAsync(() => harness.Acks.Count == 1, "the acknowledgement");
            Assert.Equal(1, harness.Counters.Snapshot().DeadLetteredOf(RejectionKind.Json));
            Assert.Equal("edgegw/v1/_deadletter/json", Assert.Single(harness.Publisher.DeadLetters).Topic);
            Assert.Empty(harness.Publisher.Confirmed()); // not JSON: no gateway or seq to confirm to
        }
        finally
        {
            File.Delete(blocked);
        }
    }

    private InfluxV1Writer V1Writer(bool createDatabase = true) =>
        new(new InfluxOptions { Url = _influx.Url, Database = "edgegw", RetentionPolicy = "autogen", CreateDatabase = createDatabase, Timeout = TimeSpan.FromSeconds(5) });

    private static int LineCount(RecordedRequest request) => request.Body.Split('\n').Length;

    [Fact]
    public async Task Batch_EachRecordStoredOrDeadLetteredOnItsOwn_MessageAcknowledgedOnceAllAre_EveryRecordConfirmed()
    {
        var gate = new TaskCompletionSource();
        var writer = new RecordingWriter { Gate = gate.Task };
        await using var harness = new PipelineHarness(writer);
        var minutes = Minutes(3);
        var bad = Payloads.Bytes(Payloads.Mutate(System.Text.Encoding.UTF8.GetString(minutes[1].Payload), root => root["kpi"]!["availability"] = 1.7));
        using var batch = new EdgeGateway.Core.Payload.RecordBatch();
        batch.Begin("sme-0042", "gw-1");
        batch.Add(minutes[0].Topic, minutes[0].Payload);
        batch.Add(minutes[1].Topic, bad);
        batch.Add(minutes[2].Topic, minutes[2].Payload);
        harness.Start();

        await harness.SubmitAsync("edgegw/v1/sme-0042/batch/gw-1", batch.End());
        await PipelineHarness.WaitAsync(() => harness.Counters.Snapshot().DeadLettered == 1, "the bad record dead-lettered");

        // The message waits for its last record: the two good ones are not written yet.
        Assert.Equal(0, harness.Acks.Count);
        gate.SetResult();
        await PipelineHarness.WaitAsync(() => harness.Acks.Count == 1, "the batch's one acknowledgement");
        Assert.Equal(2, writer.Stored.Count);
        var deadLetter = JsonNode.Parse(Assert.Single(File.ReadAllLines(harness.Sink.FilePath)))!.AsObject();
        Assert.Equal(("range", minutes[1].Topic), ((string?)deadLetter["kind"], (string?)deadLetter["topic"]));
        Assert.Equal(bad, Convert.FromBase64String((string)deadLetter["payload_base64"]!));
        var seqs = minutes.Select(m => JsonNode.Parse(m.Payload)!["seq"]!.GetValue<long>()).Order().ToList();
        Assert.Equal(seqs, harness.Publisher.Confirmed().Order().ToList());
        var counters = harness.Counters.Snapshot();
        Assert.Equal((3L, 2L, 1L), (counters.Received, counters.Written, counters.DeadLettered));
    }

    [Fact]
    public async Task Batch_OfAnotherGatewayOrWithAStatusInside_RecordsRejected_NothingConfirmedElsewhere()
    {
        var writer = new RecordingWriter();
        await using var harness = new PipelineHarness(writer);
        var minute = Minutes(1)[0];
        using var batch = new EdgeGateway.Core.Payload.RecordBatch();
        batch.Begin("sme-0042", "gw-2");
        batch.Add(minute.Topic, minute.Payload); // a gw-1 record in gw-2's batch
        batch.Add(Payloads.StatusTopic, Payloads.Bytes(Payloads.StatusOnline));
        harness.Start();

        await harness.SubmitAsync("edgegw/v1/sme-0042/batch/gw-2", batch.End());
        await PipelineHarness.WaitAsync(() => harness.Acks.Count == 1, "the batch's one acknowledgement");

        Assert.Empty(writer.Stored);
        var reasons = File.ReadAllLines(harness.Sink.FilePath).Select(l => (string?)JsonNode.Parse(l)!["reason"]).ToList();
        Assert.Equal(["a record of sme-0042/gw-1 in the batch of sme-0042/gw-2", $"a batch holds only kpi and state records, not '{Payloads.StatusTopic}'"], reasons);
        Assert.DoesNotContain(harness.Publisher.Published, p => p.Topic.StartsWith("edgegw/confirm/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Batch_WhoseEnvelopeNamesAnotherSite_IsOneDeadLetter()
    {
        await using var harness = new PipelineHarness(new RecordingWriter());
        var minute = Minutes(1)[0];
        using var batch = new EdgeGateway.Core.Payload.RecordBatch();
        batch.Begin("sme-0099", "gw-1");
        batch.Add(minute.Topic, minute.Payload);
        harness.Start();

        await harness.SubmitAsync("edgegw/v1/sme-0042/batch/gw-1", batch.End());
        await PipelineHarness.WaitAsync(() => harness.Acks.Count == 1, "the acknowledgement");

        var deadLetter = JsonNode.Parse(Assert.Single(File.ReadAllLines(harness.Sink.FilePath)))!.AsObject();
        Assert.Equal(("mismatch", "topic site/gateway 'sme-0042/gw-1' differs from the batch's 'sme-0099/gw-1'"), ((string?)deadLetter["kind"], (string?)deadLetter["reason"]));
        Assert.Empty(harness.Publisher.Confirmed());
    }

    [Fact]
    public async Task WithAFleet_ASpoofedRecord_IsDeadLetteredAsIdentity_AndConfirmedToNobody_TheOwnStoredAndConfirmed()
    {
        var writer = new RecordingWriter();
        var fleet = EdgeGateway.Core.Configuration.Fleet.Parse("site,gateway,cells\nsme-0042,gw-1,cell-1\nsme-0042,gw-2,cell-2\n", "fleet.csv");
        await using var harness = new PipelineHarness(writer, fleet: fleet);
        var minutes = Minutes(2);
        var spoofed = Payloads.Bytes(Payloads.Mutate(System.Text.Encoding.UTF8.GetString(minutes[1].Payload), root => root["gateway"] = "gw-2"));
        harness.Start();

        await harness.SubmitAsync(minutes[0].Topic, minutes[0].Payload);
        await harness.SubmitAsync(minutes[1].Topic, spoofed);
        await PipelineHarness.WaitAsync(() => harness.Acks.Count == 2, "both acknowledged");

        Assert.Single(writer.Stored);
        var deadLetter = JsonNode.Parse(Assert.Single(File.ReadAllLines(harness.Sink.FilePath)))!.AsObject();
        Assert.Equal(("identity", "cell 'cell-1' of site 'sme-0042' is gateway 'gw-1''s (fleet.csv:2), not payload gateway 'gw-2''s"), ((string?)deadLetter["kind"], (string?)deadLetter["reason"]));
        Assert.Equal("edgegw/v1/_deadletter/identity", Assert.Single(harness.Publisher.DeadLetters).Topic);
        Assert.Equal([JsonNode.Parse(minutes[0].Payload)!["seq"]!.GetValue<long>()], harness.Publisher.Confirmed());
        Assert.Equal(["edgegw/confirm/v1/sme-0042/gw-1"], harness.Publisher.Published.Where(p => p.Topic.StartsWith("edgegw/confirm/", StringComparison.Ordinal)).Select(p => p.Topic));
        var counters = harness.Counters.Snapshot();
        Assert.Equal((1L, "identity=1", 1L), (counters.DeadLetteredOf(RejectionKind.Identity), counters.DeadLetteredText(), counters.Confirmed));
    }

    /// <summary>The first <paramref name="count"/> 1m records of the sample (sequence numbers 1, 2, …).</summary>
    private static List<(string Topic, byte[] Payload)> Minutes(int count) =>
        [.. Payloads.SampleRecords().Where(r => r.Topic.EndsWith("/1m", StringComparison.Ordinal)).Take(count)];
}
