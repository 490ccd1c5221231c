using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Storage;
using EdgeGateway.Evaluation.Panel;
using EdgeGateway.Ingest.Hosting;
using EdgeGateway.Ingest.Points;
using EdgeGateway.Ingest.Validation;
using EdgeGateway.Ingest.Writing;
using EdgeGateway.Queries;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeGateway.Contract.Tests;

/// <summary>
/// The contract end to end (src/docs/payloads-and-topics.md, src/docs/influxdb-schema.md): one record of every kind from
/// the agent's writers, published through a real Mosquitto (alone and in a batch), validated by the ingest, turned into
/// line protocol by its point builder, written to a real InfluxDB, and read back with the InfluxQL of <c>edgegw report</c>
/// and <c>edgegw evaluate</c>. Every payload field must arrive under the column <see cref="InfluxSchema"/> names, with
/// its value; a field that no column, tag or time takes, or a column the schema does not name, fails the test.
/// </summary>
public sealed class PayloadToQueryTests : IDisposable
{
    // A field the payload does not have, and a column the point does not have: the one must be the other.
    private const string Absent = "(absent)";

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);

    private readonly MosquittoBroker _broker = MosquittoBroker.Launch();
    private readonly InfluxDb _influx = InfluxDb.Launch();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose()
    {
        _http.Dispose();
        _influx.Dispose();
        _broker.Dispose();
    }

    [Fact]
    public async Task EveryPayloadField_ArrivesUnderItsSchemaColumn_FromAgentWriterToReportAndEvaluateQueries()
    {
        var sample = new ContractSample(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3));
        var records = sample.Outbox.Records;
        Assert.Equal(5, records.Count);

        // The 1m record and the state change alone, the other three KPI records in one batch, the birth retained.
        using var batch = new RecordBatch();
        batch.Begin(ContractSample.Site, ContractSample.Gateway);
        for (var i = 0; i < 3; i++)
        {
            batch.Add(records[i].Topic, records[i].Payload.Span);
        }

        var sent = new List<(string Topic, byte[] Payload, bool Retain)>
        {
            (sample.Topics.Status, sample.Birth, true),
            (sample.Topics.Status, sample.LastWill, true),
            (records[3].Topic, records[3].Payload.ToArray(), false),
            (records[4].Topic, records[4].Payload.ToArray(), false),
            (sample.Topics.Batch, batch.End(), false),
        };
        var received = await ThroughBrokerAsync(sample.TopicPrefix, sent);

        var arrivalMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var lines = Ingest(sample.TopicPrefix, received, arrivalMs);
        // 4 KPI records with 2 reasons and 2 articles each, a state change, a birth and a last will.
        Assert.Equal((4 * 5) + 3, lines.Count);
        using var writer = new InfluxV1Writer(new InfluxOptions { Url = _influx.Url, Database = InfluxDb.DefaultDatabase });
        Assert.Equal(WriteOutcome.Ok, await writer.WriteAsync(lines, CancellationToken.None));

        var client = new InfluxQueryClient(_http, new Uri(_influx.Url), InfluxDb.DefaultDatabase);
        var kpis = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        for (var i = 0; i < 4; i++)
        {
            using var payload = JsonDocument.Parse(records[i].Payload);
            var window = payload.RootElement.GetProperty(KpiPayload.Window).GetProperty(KpiPayload.Kind).GetString()!;
            AssertStored(payload.RootElement, Single(client, $"SELECT * FROM \"{InfluxSchema.KpiMeasurement}\" WHERE \"{InfluxSchema.WindowTag}\" = '{window}'"),
                InfluxSchema.KpiTags, InfluxSchema.KpiColumns, $"{KpiPayload.Window}.{KpiPayload.Start}");
            AssertReasonsAndArticlesStored(client, payload.RootElement, window);
            kpis[window] = payload.RootElement.Clone();
        }

        using (var state = JsonDocument.Parse(records[4].Payload))
        {
            AssertStored(state.RootElement, Single(client, $"SELECT * FROM \"{InfluxSchema.StateMeasurement}\""), InfluxSchema.StateTags, InfluxSchema.StateColumns, StatePayload.At);
        }

        using (var birth = JsonDocument.Parse(sample.Birth))
        {
            AssertStored(birth.RootElement, Single(client, StatusQuery(StatusPayload.Online)), InfluxSchema.StatusTags, InfluxSchema.StatusColumns, StatusPayload.At);
        }

        using (var lastWill = JsonDocument.Parse(sample.LastWill))
        {
            // No time in the payload: the point's time is the arrival; every other column is left out.
            AssertStored(lastWill.RootElement, Single(client, StatusQuery(StatusPayload.Offline)), InfluxSchema.StatusTags, InfluxSchema.StatusColumns, StatusPayload.At, arrivalMs);
        }

        var day = Leaves(kpis[InfluxSchema.DayWindow]);
        AssertEvaluateReads(client, sample, day);
        AssertReportReads(client, sample, day);
    }

    /// <summary><c>edgegw evaluate</c>'s query and reading give back the day record's fields.</summary>
    private static void AssertEvaluateReads(InfluxQueryClient client, ContractSample sample, Dictionary<string, JsonElement> day)
    {
        var cells = DayRecordsQuery.Read(client, sample.Day, sample.Day.AddDays(1));
        var cell = Assert.Single(cells);
        Assert.Equal((ContractSample.Site, sample.Cell.Id), (cell.Site, cell.Cell));
        var expected = new DayRecord(
            sample.Day,
            Number(day, KpiPayload.Buckets, "run"),
            Number(day, KpiPayload.Buckets, "setup"),
            Number(day, KpiPayload.Buckets, "down"),
            Number(day, KpiPayload.Buckets, "idle"),
            WindowSeconds(day),
            Number(day, KpiFields.Produced),
            Number(day, KpiFields.Good),
            Number(day, KpiFields.Scrap),
            Number(day, KpiFields.UnattendedGood),
            Number(day, KpiFields.Kwh),
            day[KpiFields.IdealCycleSeconds.Path].GetDouble(),
            Number(day, KpiFields.Coverage))
        {
            IdealSeconds = Number(day, KpiFields.IdealSeconds),
        };
        Assert.Equal(expected, Assert.Single(cell.Days));
    }

    /// <summary><c>edgegw report</c>'s weekly query and reading give back the day record's sums.</summary>
    private static void AssertReportReads(InfluxQueryClient client, ContractSample sample, Dictionary<string, JsonElement> day)
    {
        var from = new DateTimeOffset(sample.Day.AddDays(-7).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var cells = WeeklyKpis.Read(client.Query(WeeklyKpis.Query(from, from.AddDays(21), ContractSample.Site)));
        var cell = Assert.Single(cells);
        Assert.Equal((ContractSample.Site, sample.Cell.Id), (cell.Site, cell.Cell));
        var week = Assert.Single(cell.Weeks, w => w.HasData);
        var run = Number(day, KpiPayload.Buckets, "run");
        var planned = run + Number(day, KpiPayload.Buckets, "setup") + Number(day, KpiPayload.Buckets, "down") + Number(day, KpiPayload.Buckets, "idle");
        var produced = (long)Number(day, KpiFields.Produced);
        Assert.Equal(
            (run, planned, produced, (long)Number(day, KpiFields.Good), (long)Number(day, KpiFields.UnattendedGood), Number(day, KpiFields.Kwh)),
            (week.RunSeconds, week.PlannedBusySeconds, week.Produced, week.Good, week.UnattendedGood, week.Kwh));
        // The day record has ideal_s (each article at its own ideal cycle time), so the week's ideal time is its sum.
        Assert.Equal(Number(day, KpiFields.IdealSeconds) / run, week.Effectiveness);
    }

    /// <summary>Publishes <paramref name="sent"/> through the broker and returns what a subscriber of the prefix received.</summary>
    private async Task<List<(string Topic, byte[] Payload)>> ThroughBrokerAsync(string prefix, List<(string Topic, byte[] Payload, bool Retain)> sent)
    {
        var factory = new MqttClientFactory();
        using var subscriber = factory.CreateMqttClient();
        using var publisher = factory.CreateMqttClient();
        var inbox = Channel.CreateUnbounded<(string, byte[])>();
        subscriber.ApplicationMessageReceivedAsync += e =>
        {
            inbox.Writer.TryWrite((e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray()));
            return Task.CompletedTask;
        };
        using var timeout = new CancellationTokenSource(s_timeout);
        await subscriber.ConnectAsync(Options("contract-ingest"), timeout.Token);
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(TopicScheme.AllFilter(prefix), MqttQualityOfServiceLevel.AtLeastOnce).Build(), timeout.Token);
        await publisher.ConnectAsync(Options("contract-agent"), timeout.Token);
        foreach (var (topic, payload, retain) in sent)
        {
            var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build();
            Assert.True((await publisher.PublishAsync(message, timeout.Token)).IsSuccess);
        }

        var received = new List<(string Topic, byte[] Payload)>();
        while (received.Count < sent.Count)
        {
            received.Add(await inbox.Reader.ReadAsync(timeout.Token));
        }

        Assert.Equal(sent.Select(s => (s.Topic, Convert.ToHexString(s.Payload))), received.Select(r => (r.Topic, Convert.ToHexString(r.Payload))));
        return received;
    }

    private MqttClientOptions Options(string clientId) => new MqttClientOptionsBuilder()
        .WithTcpServer(MosquittoBroker.Host, _broker.Port).WithClientId(clientId).WithProtocolVersion(MqttProtocolVersion.V500).Build();

    /// <summary>
    /// The ingest's validation (a batch split into its records) and point builder, the lines of every point (a KPI
    /// record's kpi_reason and kpi_article ones too); every message must be valid.
    /// </summary>
    private static List<string> Ingest(string prefix, List<(string Topic, byte[] Payload)> received, long now)
    {
        var validator = new MessageValidator(prefix, 256 * 1024);
        var lines = new List<string>();
        foreach (var (topic, payload) in received)
        {
            var result = validator.Validate(topic, payload, payload.Length, now);
            Assert.False(result.IsRejected, $"{topic}: {result.Rejection.Reason}");
            if (result.Batch is { } batch)
            {
                foreach (var record in batch.Records)
                {
                    var one = validator.ValidateBatched(record, batch, now);
                    Assert.False(one.IsRejected, $"{record.Topic} in a batch: {one.Rejection.Reason}");
                    lines.AddRange(PointBuilder.Lines(one.Record!).Split('\n'));
                }
            }
            else
            {
                lines.AddRange(PointBuilder.Lines(result.Record!).Split('\n'));
            }
        }

        return lines;
    }

    private static string StatusQuery(string status) =>
        $"SELECT * FROM \"{InfluxSchema.StatusMeasurement}\" WHERE \"{StatusPayload.Status}\" = '{status}'";

    private static InfluxSeries Single(InfluxQueryClient client, string query)
    {
        var series = Assert.Single(client.Query(query));
        Assert.Single(series.Rows);
        return series;
    }

    /// <summary>
    /// Every tag and column the schema names holds its payload field's value, the time is the payload's, every payload
    /// field has its place (or is one the schema does not store), and the point has no column the schema does not name.
    /// </summary>
    private static void AssertStored(JsonElement payload, InfluxSeries series, IReadOnlyList<SchemaColumn> tags, IReadOnlyList<SchemaColumn> columns, string timeField, long? arrivalMs = null)
    {
        var leaves = Leaves(payload);
        var row = series.Rows[0];
        var stored = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        for (var i = 0; i < series.Columns.Count; i++)
        {
            if (row[i].ValueKind != JsonValueKind.Null)
            {
                stored[series.Columns[i]] = row[i];
            }
        }

        var placed = new HashSet<string>(InfluxSchema.NotStored, StringComparer.Ordinal) { timeField };
        var named = new HashSet<string>(StringComparer.Ordinal) { "time" };
        Assert.Equal(leaves.TryGetValue(timeField, out var time) ? Time(time) : DateTimeOffset.FromUnixTimeMilliseconds(arrivalMs!.Value), Time(stored["time"]));
        var expected = new List<string>();
        var actual = new List<string>();
        void Compare(string column, string field, string value)
        {
            named.Add(column);
            expected.Add($"{column} ← {field}: {value}");
            actual.Add($"{column} ← {field}: {(stored.TryGetValue(column, out var found) ? Text(found) : Absent)}");
        }

        foreach (var (field, column) in tags.Concat(columns))
        {
            if (field.Split(" - ") is [var end, var start])
            {
                placed.Add(end);
                placed.Add(start);
                Compare(column, field, Text(WindowSeconds(leaves)));
            }
            else
            {
                placed.Add(field);
                Compare(column, field, leaves.TryGetValue(field, out var value) ? Text(value) : Absent);
            }
        }

        foreach (var (field, value) in leaves)
        {
            if (field.Split('.') is [KpiPayload.Aux, var signal, var statistic])
            {
                placed.Add(field);
                Compare(InfluxSchema.AuxField(signal, statistic), field, Text(value));
            }
            else if (field.Split('.')[0] is KpiPayload.Reasons or KpiPayload.Articles)
            {
                // Points of their own (AssertReasonsAndArticlesStored).
                placed.Add(field);
            }
        }

        Assert.Equal(expected, actual);
        // A payload field without a place, or a column without a name in the schema, is said by name.
        Assert.Equal(Array.Empty<string>(), leaves.Keys.Where(field => !placed.Contains(field)).ToArray());
        Assert.Equal(Array.Empty<string>(), stored.Keys.Where(column => !named.Contains(column)).ToArray());
    }

    /// <summary>
    /// Every reason of the KPI payload is a kpi_reason point and every article a kpi_article point, with the kpi point's
    /// tags and time plus the code or id, holding its values; and there are no others for the window.
    /// </summary>
    private static void AssertReasonsAndArticlesStored(InfluxQueryClient client, JsonElement payload, string window)
    {
        var tags = $"{payload.GetProperty(KpiPayload.Site).GetString()} {payload.GetProperty(KpiPayload.Cell).GetString()} {window} {Time(payload.GetProperty(KpiPayload.Window).GetProperty(KpiPayload.Start)):O}";
        var reasons = payload.GetProperty(KpiPayload.Reasons).EnumerateObject().ToList();
        var articles = payload.GetProperty(KpiPayload.Articles).EnumerateObject().ToList();
        Assert.Equal(2, reasons.Count);
        Assert.Equal(2, articles.Count);
        Assert.Equal(
            reasons.Select(r => $"{tags} {r.Name} {Text(r.Value)}").Order(StringComparer.Ordinal),
            Points(client, InfluxSchema.ReasonMeasurement, InfluxSchema.ReasonTag, window, [InfluxSchema.ReasonSecondsField]));
        Assert.Equal(
            articles.Select(a => $"{tags} {a.Name} {Text(a.Value.GetProperty(KpiPayload.Produced))} {Text(a.Value.GetProperty(KpiPayload.Scrap))} {Text(a.Value.GetProperty(KpiPayload.Good))}").Order(StringComparer.Ordinal),
            Points(client, InfluxSchema.ArticleMeasurement, InfluxSchema.ArticleTag, window, [KpiPayload.Produced, KpiPayload.Scrap, KpiPayload.Good]));
    }

    /// <summary>The points of <paramref name="measurement"/> for <paramref name="window"/>: site, cell, window, time, key tag, fields.</summary>
    private static List<string> Points(InfluxQueryClient client, string measurement, string keyTag, string window, string[] fields)
    {
        var columns = string.Join(", ", new[] { InfluxSchema.SiteTag, InfluxSchema.CellTag, InfluxSchema.WindowTag, keyTag }.Concat(fields).Select(c => $"\"{c}\""));
        var series = Assert.Single(client.Query($"SELECT {columns} FROM \"{measurement}\" WHERE \"{InfluxSchema.WindowTag}\" = '{window}'"));
        return [.. series.Rows.Select(row => $"{row[1].GetString()} {row[2].GetString()} {row[3].GetString()} {Time(row[0]):O} {row[4].GetString()} {string.Join(" ", row.Skip(5).Select(v => Text(v)))}")
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>The payload's fields by dotted path (an array is one field).</summary>
    private static Dictionary<string, JsonElement> Leaves(JsonElement element)
    {
        var leaves = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        void Walk(JsonElement node, string path)
        {
            foreach (var property in node.EnumerateObject())
            {
                var name = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                if (property.Value.ValueKind == JsonValueKind.Object)
                {
                    Walk(property.Value, name);
                }
                else
                {
                    leaves[name] = property.Value.Clone();
                }
            }
        }

        Walk(element, "");
        return leaves;
    }

    private static double Number(Dictionary<string, JsonElement> leaves, string parent, string name) => leaves[$"{parent}.{name}"].GetDouble();

    private static double Number(Dictionary<string, JsonElement> leaves, KpiField field) => leaves[field.Path].GetDouble();

    private static double WindowSeconds(Dictionary<string, JsonElement> leaves) =>
        (Time(leaves[$"{KpiPayload.Window}.{KpiPayload.End}"]) - Time(leaves[$"{KpiPayload.Window}.{KpiPayload.Start}"])).TotalSeconds;

    private static DateTimeOffset Time(JsonElement text) => DateTimeOffset.Parse(text.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A value as both sides can be compared: numbers by their double, strings and booleans as they are, null as absent (InfluxDB has no null).</summary>
    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => Text(value.GetDouble()),
        JsonValueKind.String => $"\"{value.GetString()}\"",
        JsonValueKind.Null => Absent,
        _ => value.GetRawText(),
    };
}
