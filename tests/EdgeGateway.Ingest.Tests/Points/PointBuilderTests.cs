using EdgeGateway.Ingest.Points;
using EdgeGateway.Ingest.Tests.Fixtures;
using EdgeGateway.Ingest.Validation;
using InfluxDB.Client.Api.Domain;

namespace EdgeGateway.Ingest.Tests.Points;

/// <summary>The points are those of src/README.md, "InfluxDB schema": measurement, tags, typed fields, nulls left out, ms time.</summary>
public sealed class PointBuilderTests
{
    private const long ArrivalMs = 1_774_900_000_123;

    // Dyadic values, so that the line protocol (doubles printed as G17) reads exactly as written here.
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
        var point = PointBuilder.Build(Validate(Payloads.KpiTopic, Kpi));

        Assert.Equal(
            "kpi,cell=cell-1,site=sme-0042,window=shift " +
            "aux_temp_max=22,aux_temp_mean=21.25,aux_temp_min=20.5,aux_temp_samples=4i,aux_vib_samples=0i,availability=0.875,clock_synced=false," +
            "coverage=1,definitions=\"iso22400-2/1\",down_s=3000,effectiveness=0.75,failures=2i,gateway=\"gw-1\",good=15i,ideal_cycle_s=1.5," +
            "idle_energy_share=0.125,idle_s=0,kwh=42.25,minor_stop_policy=\"Nakajima\",minor_stop_s=90.5,minor_stop_threshold_s=120,minor_stops=3i," +
            "mtbf_s=11400,mttr_s=1500,oee=0.615234375,planned_stop_s=3000,produced=16i,quality=0.9375,run_s=21000,scrap=1i,scrap_ratio=0.0625," +
            "sensor_faults=0i,seq=7i,setup_rate=0.0625,setup_s=1800,technical_efficiency=0.875,teep=0.5,unattended_good=0i,unknown_s=0," +
            "unplanned_time_s=0,window_s=28800 1774850400000",
            point.ToLineProtocol());
        Assert.Equal(WritePrecision.Ms, point.Precision);
    }

    [Fact]
    public void NullKpis_AreLeftOut_NotWrittenAsZero()
    {
        var line = PointBuilder.Build(Validate(Payloads.KpiTopic, Kpi)).ToLineProtocol();

        Assert.DoesNotContain("nee=", line, StringComparison.Ordinal);
        Assert.DoesNotContain("throughput_per_h=", line, StringComparison.Ordinal);
        Assert.DoesNotContain("kwh_per_good_part=", line, StringComparison.Ordinal);
        Assert.DoesNotContain("aux_vib_min=", line, StringComparison.Ordinal);
    }

    [Fact]
    public void RedeliveredRecord_GivesTheSameSeriesAndTime_SoItOverwritesItself()
    {
        // Same site, cell, window kind and start: same series key and timestamp, whatever the sequence number.
        var first = PointBuilder.Build(Validate(Payloads.KpiTopic, Kpi)).ToLineProtocol();
        var again = PointBuilder.Build(Validate(Payloads.KpiTopic, Kpi.Replace("\"seq\": 7", "\"seq\": 9", StringComparison.Ordinal))).ToLineProtocol();

        Assert.Equal(SeriesAndTime(first), SeriesAndTime(again));
    }

    [Fact]
    public void State_IsMeasurementState_TimeAt()
    {
        var point = PointBuilder.Build(Validate(Payloads.StateTopic, Payloads.State));

        Assert.Equal("state,cell=cell-1,site=sme-0042 gateway=\"gw-1\",seq=12i,state=\"run\" 1774850462345", point.ToLineProtocol());
    }

    [Fact]
    public void OnlineStatus_IsGatewayStatus_TimeOfTheBirth()
    {
        var point = PointBuilder.Build(Validate(Payloads.StatusTopic, Payloads.StatusOnline));

        Assert.Equal(
            "gateway_status,gateway=gw-1,site=sme-0042 clock_synced=true,config_sha256=\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"," +
            "outbox_corrupt=1i,outbox_depth=3i,outbox_dropped=0i,software=\"0.1.0\",status=\"online\" 1774850340000",
            point.ToLineProtocol());
    }

    [Fact]
    public void OfflineStatus_HasOnlyItsStatus_AtArrivalTime()
    {
        var point = PointBuilder.Build(Validate(Payloads.StatusTopic, Payloads.StatusOffline));

        Assert.Equal($"gateway_status,gateway=gw-1,site=sme-0042 status=\"offline\" {ArrivalMs}", point.ToLineProtocol());
    }

    [Fact]
    public void LineProtocol_OfABatch_IsTheLinesJoinedByNewline()
    {
        var points = new[] { PointBuilder.Build(Validate(Payloads.StateTopic, Payloads.State)), PointBuilder.Build(Validate(Payloads.StatusTopic, Payloads.StatusOffline)) };

        Assert.Equal(points[0].ToLineProtocol() + "\n" + points[1].ToLineProtocol(), PointBuilder.LineProtocol(points));
    }

    private static string SeriesAndTime(string line) => line[..line.IndexOf(' ', StringComparison.Ordinal)] + line[line.LastIndexOf(' ')..];

    private static IngestRecord Validate(string topic, string json)
    {
        var payload = Payloads.Bytes(json);
        var result = new MessageValidator(Payloads.Prefix, Payloads.MaxBytes).Validate(topic, payload, payload.Length, ArrivalMs);
        return result.Record ?? throw new Xunit.Sdk.XunitException(result.Rejection.Reason);
    }
}
