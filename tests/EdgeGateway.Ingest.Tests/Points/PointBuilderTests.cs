using EdgeGateway.Core.Payload;
using EdgeGateway.Ingest.Points;
using EdgeGateway.Ingest.Tests.Fixtures;
using EdgeGateway.Ingest.Validation;

namespace EdgeGateway.Ingest.Tests.Points;

/// <summary>
/// The lines are the points of src/docs/influxdb-schema.md: measurement, tags, typed fields, nulls left out, ms time;
/// each means exactly what InfluxDB.Client's <c>PointData</c> of the same record means.
/// </summary>
public sealed class PointBuilderTests
{
    private const long ArrivalMs = 1_774_900_000_123;

    // Dyadic values, so that the line protocol reads exactly as written here.
    private const string Kpi = """
        { "v": 1, "site": "sme-0042", "cell": "cell-1", "gateway": "gw-1", "seq": 7,
          "window": { "kind": "shift", "start": "2026-03-30T06:00:00.000Z", "end": "2026-03-30T14:00:00.000Z" },
          "buckets": { "run": 21000, "setup": 1800, "down": 3000, "idle": 0, "planned_stop": 3000, "unplanned_time": 0, "unknown": 0 },
          "counts": { "produced": 16, "good": 15, "scrap": 1, "unattended_good": 0, "failures": 2 },
          "kpi": { "availability": 0.875, "effectiveness": 0.75, "quality": 0.9375, "oee": 0.615234375, "nee": null,
                   "technical_efficiency": 0.875, "setup_rate": 0.0625, "teep": 0.5, "scrap_ratio": 0.0625,
                   "mtbf_s": 11400, "mttr_s": 1500, "throughput_per_h": null },
          "energy": { "kwh": 42.25, "kwh_per_good_part": null, "idle_energy_share": 0.125 },
          "minor_stops": { "count": 3, "seconds": 90.5, "policy": "Nakajima", "threshold_s": 120 },
          "ideal_cycle_s": 1.5,
          "aux": { "temp": { "samples": 4, "min": 20.5, "mean": 21.25, "max": 22 }, "vib": { "samples": 0, "min": null, "mean": null, "max": null } },
          "data_quality": { "coverage": 1, "sensor_faults": 0, "clock_synced": false }, "definitions": "iso22400-2/1" }
        """;

    [Fact]
    public void KpiRecord_IsOneLine_TagsIdsFieldsTypedNullsOmitted_TimeIsWindowStartInMs()
    {
        var line = PointBuilder.Line(Validate(Payloads.KpiTopic, Kpi));

        Assert.Equal(
            "kpi,cell=cell-1,site=sme-0042,window=shift window_s=28800," +
            "run_s=21000,setup_s=1800,down_s=3000,idle_s=0,planned_stop_s=3000,unplanned_time_s=0,unknown_s=0," +
            "produced=16i,good=15i,scrap=1i,unattended_good=0i,failures=2i," +
            "availability=0.875,effectiveness=0.75,quality=0.9375,oee=0.615234375,technical_efficiency=0.875,setup_rate=0.0625,teep=0.5," +
            "scrap_ratio=0.0625,mtbf_s=11400,mttr_s=1500,kwh=42.25,idle_energy_share=0.125," +
            "minor_stops=3i,minor_stop_s=90.5,minor_stop_policy=\"Nakajima\",minor_stop_threshold_s=120,ideal_cycle_s=1.5," +
            "coverage=1,sensor_faults=0i," +
            "aux_temp_samples=4i,aux_temp_min=20.5,aux_temp_mean=21.25,aux_temp_max=22,aux_vib_samples=0i," +
            "clock_synced=false,seq=7i,gateway=\"gw-1\",definitions=\"iso22400-2/1\" 1774850400000",
            line);
    }

    [Fact]
    public void KpiRecord_WithReasonsAndArticles_IsItsKpiLine_ThenALinePerReason_ThenPerArticle_AllAtTheWindowStart()
    {
        var record = Validate(Payloads.KpiTopic, Payloads.KpiWithReasonsAndArticles);

        var lines = PointBuilder.Lines(record).Split('\n');

        Assert.Equal(
            [
                PointBuilder.Line(record),
                "kpi_reason,cell=cell-1,reason=waiting_material,site=sme-0042,window=shift seconds=1800.5 1774850400000",
                "kpi_reason,cell=cell-1,reason=tool.change-2,site=sme-0042,window=shift seconds=600 1774850400000",
                "kpi_article,article=A-100,cell=cell-1,site=sme-0042,window=shift produced=12000i,scrap=400i,good=11600i 1774850400000",
                "kpi_article,article=B_200,cell=cell-1,site=sme-0042,window=shift produced=7000i,scrap=0i,good=7000i 1774850400000",
            ],
            lines);
        Assert.Contains(",ideal_cycle_s=1,ideal_s=19271.5,unassigned_stops=1i,coverage=1,", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void KpiRecord_OfAnOlderGateway_IsOneLine_WithoutTheColumnsItDoesNotSend()
    {
        var record = Validate(Payloads.KpiTopic, Payloads.KpiOfAnOlderGateway);

        var lines = PointBuilder.Lines(record);

        Assert.Equal(PointBuilder.Line(record), lines);
        Assert.Contains(",ideal_cycle_s=1,coverage=1,", lines, StringComparison.Ordinal);
    }

    [Fact]
    public void ReasonAndArticleLines_ReadAsThePointsInfluxDbClientMakes()
    {
        var record = (KpiRecord)Validate(Payloads.KpiTopic, Payloads.KpiWithReasonsAndArticles);

        var lines = PointBuilder.Lines(record).Split('\n')[1..];
        var references = ReferencePoints.BuildContext(record).Select(p => p.ToLineProtocol()).ToList();

        Assert.Equal(references.Count, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var (read, expected) = (LinePoint.Read(lines[i]), LinePoint.Read(references[i]));
            Assert.True(read.Means(expected), $"line: {lines[i]}\nreads: {read}\nPointData: {references[i]}\nreads: {expected}");
        }
    }

    [Fact]
    public void NullKpis_AreLeftOut_NotWrittenAsZero()
    {
        var line = PointBuilder.Line(Validate(Payloads.KpiTopic, Kpi));

        Assert.DoesNotContain("nee=", line, StringComparison.Ordinal);
        Assert.DoesNotContain("throughput_per_h=", line, StringComparison.Ordinal);
        Assert.DoesNotContain("kwh_per_good_part=", line, StringComparison.Ordinal);
        Assert.DoesNotContain("aux_vib_min=", line, StringComparison.Ordinal);
    }

    [Fact]
    public void RedeliveredRecord_GivesTheSameSeriesAndTime_SoItOverwritesItself()
    {
        // Same site, cell, window kind and start: same series key and timestamp, whatever the sequence number.
        var first = PointBuilder.Line(Validate(Payloads.KpiTopic, Kpi));
        var again = PointBuilder.Line(Validate(Payloads.KpiTopic, Kpi.Replace("\"seq\": 7", "\"seq\": 9", StringComparison.Ordinal)));

        Assert.Equal(SeriesAndTime(first), SeriesAndTime(again));
    }

    [Fact]
    public void State_IsMeasurementState_TimeAt()
    {
        var line = PointBuilder.Line(Validate(Payloads.StateTopic, Payloads.State));

        Assert.Equal("state,cell=cell-1,site=sme-0042 state=\"run\",seq=12i,gateway=\"gw-1\" 1774850462345", line);
    }

    [Fact]
    public void OnlineStatus_IsGatewayStatus_TimeOfTheBirth()
    {
        var line = PointBuilder.Line(Validate(Payloads.StatusTopic, Payloads.StatusOnline));

        Assert.Equal(
            "gateway_status,gateway=gw-1,site=sme-0042 status=\"online\",software=\"0.1.0\"," +
            "config_sha256=\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\",outbox_depth=3i,outbox_dropped=0i,outbox_corrupt=1i,outbox_oldest_age_s=12.5," +
            "clock_synced=true 1774850340000",
            line);
    }

    [Fact]
    public void OnlineStatusWithHeartbeat_StoresTheHeartbeatFields_LeavesNullsOut()
    {
        var line = PointBuilder.Line(Validate(Payloads.StatusTopic, Payloads.StatusOnlineWithHeartbeat));

        Assert.Equal(
            "gateway_status,gateway=gw-1,site=sme-0042 status=\"online\",software=\"0.1.0\"," +
            "config_sha256=\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\",outbox_depth=3i,outbox_dropped=0i,outbox_corrupt=1i," +
            "delivery_confirmed=1200i,delivery_unconfirmed=3i,delivery_resent=40i,delivery_no_subscriber=7i," +
            "clock_synced=true,uptime_s=86400.5,last_record_age_s=41.25,clock_offset_s=-0.000417,disk_free_bytes=1234567890i 1774850340000",
            line);
    }

    [Fact]
    public void OnlineStatusWithDelivery_StoresTheDeliveryCounts()
    {
        var line = PointBuilder.Line(Validate(Payloads.StatusTopic, Payloads.StatusOnlineWithDelivery));

        Assert.Equal(
            "gateway_status,gateway=gw-1,site=sme-0042 status=\"online\",software=\"0.1.0\"," +
            "config_sha256=\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\",outbox_depth=3i,outbox_dropped=0i,outbox_corrupt=1i,outbox_oldest_age_s=12.5," +
            "delivery_confirmed=1200i,delivery_unconfirmed=3i,delivery_oldest_unconfirmed_age_s=12.5,delivery_resent=40i,delivery_no_subscriber=7i," +
            "clock_synced=true 1774850340000",
            line);
    }

    [Fact]
    public void OfflineStatus_HasOnlyItsStatus_AtArrivalTime()
    {
        var line = PointBuilder.Line(Validate(Payloads.StatusTopic, Payloads.StatusOffline));

        Assert.Equal($"gateway_status,gateway=gw-1,site=sme-0042 status=\"offline\" {ArrivalMs}", line);
    }

    [Fact]
    public void EveryLine_OfTheSampleTrace_ReadsAsThePointInfluxDbClientMakes()
    {
        var validator = new MessageValidator(Payloads.Prefix, Payloads.MaxBytes);
        var records = Payloads.SampleRecords().Select(m => validator.Validate(m.Topic, m.Payload, m.Payload.Length, ArrivalMs).Record!)
            .Concat([Validate(Payloads.KpiTopic, Kpi), Validate(Payloads.StateTopic, Payloads.State), Validate(Payloads.StatusTopic, Payloads.StatusOnline), Validate(Payloads.StatusTopic, Payloads.StatusOffline)])
            .ToList();

        Assert.True(records.Count > 2800, $"only {records.Count} records");
        foreach (var record in records)
        {
            AssertMeansTheReferencePoint(record);
        }
    }

    [Fact]
    public void EveryLine_OfRandomRecords_ReadsAsThePointInfluxDbClientMakes()
    {
        // Doubles of every magnitude and sign (shortest round-trip digits, exponents, -0), integers to their limits,
        // and ids and strings holding what the line protocol must escape.
        var random = new Random(7);
        string[] texts = ["gw-1", "a b", "x,y", "k=v", "quote\"d", "back\\slash", "ü€", "=,\\ \""];
        double Any() => random.Next(6) switch
        {
            0 => random.NextDouble(),
            1 => -random.NextDouble() * 1e12,
            2 => Math.Round(random.NextDouble() * 1000, 3),
            3 => BitConverter.Int64BitsToDouble(random.NextInt64(0x0010_0000_0000_0000, 0x7FEF_FFFF_FFFF_FFFF)) * (random.Next(2) == 0 ? 1 : -1),
            4 => -0.0,
            _ => random.Next(-5, 100_000),
        };
        long AnyLong() => random.Next(4) switch { 0 => long.MaxValue, 1 => long.MinValue, _ => random.NextInt64(-1_000_000, 1_000_000) };
        string AnyText() => texts[random.Next(texts.Length)];

        // Whole numbers within what a double holds exactly (the reader allows up to 1e12), a choice one of its names.
        double? AnyValue(KpiField field) => field.Type switch
        {
            KpiFieldType.WholeNumber => random.NextInt64(-(1L << 53), 1L << 53),
            KpiFieldType.Choice => random.Next(field.Choices.Count),
            KpiFieldType.NullableNumber when random.Next(4) == 0 => null,
            _ => Any(),
        };

        for (var i = 0; i < 500; i++)
        {
            var kpi = new KpiRecord
            {
                Site = AnyText(), Cell = AnyText(), Gateway = AnyText(), Seq = AnyLong(), Window = AnyText(), StartMs = random.NextInt64(0, 4_000_000_000_000),
                EndMs = random.NextInt64(4_000_000_000_000, 5_000_000_000_000), Values = [.. KpiFields.All.Select(AnyValue)],
                Aux = [new AuxStatistics("temp", AnyLong(), Any(), Any(), null), new AuxStatistics("vib", 0, null, null, null)],
                ClockSynced = random.Next(2) == 0, Definitions = AnyText(),
            };
            AssertMeansTheReferencePoint(kpi);
            AssertMeansTheReferencePoint(new StateRecord { Site = AnyText(), Cell = AnyText(), Gateway = AnyText(), Seq = AnyLong(), AtMs = random.NextInt64(), State = AnyText() });
            AssertMeansTheReferencePoint(new StatusRecord
            {
                Site = AnyText(), Gateway = AnyText(), Status = AnyText(), AtMs = random.NextInt64(), Software = AnyText(), ConfigSha256 = null,
                OutboxDepth = AnyLong(), OutboxDropped = null, OutboxCorrupt = AnyLong(), ClockSynced = random.Next(2) == 0,
            });
        }
    }

    [Fact]
    public void KpiLine_AfterTheFirst_AllocatesLittleMoreThanItsString()
    {
        var record = Validate(Payloads.KpiTopic, Kpi);
        var length = PointBuilder.Line(record).Length;

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            PointBuilder.Line(record);
        }

        // The string (2 bytes a character) and the Aux field names; InfluxDB.Client's PointData made 12 KB.
        var perLine = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
        Assert.True(perLine < (2 * length) + 600, $"{perLine} B per line of {length} characters");
    }

    private static void AssertMeansTheReferencePoint(IngestRecord record)
    {
        var line = PointBuilder.Line(record);
        var reference = ReferencePoints.Build(record).ToLineProtocol();
        var (read, expected) = (LinePoint.Read(line), LinePoint.Read(reference));
        Assert.True(read.Means(expected), $"line: {line}\nreads: {read}\nPointData: {reference}\nreads: {expected}");
    }

    private static string SeriesAndTime(string line) => line[..line.IndexOf(' ', StringComparison.Ordinal)] + line[line.LastIndexOf(' ')..];

    private static IngestRecord Validate(string topic, string json)
    {
        var payload = Payloads.Bytes(json);
        var result = new MessageValidator(Payloads.Prefix, Payloads.MaxBytes).Validate(topic, payload, payload.Length, ArrivalMs);
        return result.Record ?? throw new Xunit.Sdk.XunitException(result.Rejection.Reason);
    }
}
