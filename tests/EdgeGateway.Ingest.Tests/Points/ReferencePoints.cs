using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Storage;
using EdgeGateway.Ingest.Points;
using EdgeGateway.Ingest.Validation;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;

namespace EdgeGateway.Ingest.Tests.Points;

/// <summary>
/// The points of src/docs/influxdb-schema.md, made with InfluxDB.Client's <see cref="PointData"/>: the reference
/// that <see cref="PointBuilder"/>'s own lines are held to (the ingest built its points this way until it was too slow).
/// </summary>
public static class ReferencePoints
{
    // The columns of the measured fields as src/docs/influxdb-schema.md lists them, written out here rather than taken
    // from KpiFields, so that a column renamed there shows up as a difference.
    private static readonly (string Column, string Path)[] s_measured =
    [
        ("run_s", "buckets.run"), ("setup_s", "buckets.setup"), ("down_s", "buckets.down"), ("idle_s", "buckets.idle"),
        ("planned_stop_s", "buckets.planned_stop"), ("unplanned_time_s", "buckets.unplanned_time"), ("unknown_s", "buckets.unknown"),
        ("availability", "kpi.availability"), ("effectiveness", "kpi.effectiveness"), ("quality", "kpi.quality"), ("oee", "kpi.oee"),
        ("nee", "kpi.nee"), ("technical_efficiency", "kpi.technical_efficiency"), ("setup_rate", "kpi.setup_rate"), ("teep", "kpi.teep"),
        ("scrap_ratio", "kpi.scrap_ratio"), ("mtbf_s", "kpi.mtbf_s"), ("mttr_s", "kpi.mttr_s"), ("throughput_per_h", "kpi.throughput_per_h"),
        ("produced", "counts.produced"), ("good", "counts.good"), ("scrap", "counts.scrap"), ("unattended_good", "counts.unattended_good"),
        ("failures", "counts.failures"), ("kwh", "energy.kwh"), ("kwh_per_good_part", "energy.kwh_per_good_part"),
        ("idle_energy_share", "energy.idle_energy_share"), ("minor_stops", "minor_stops.count"), ("minor_stop_s", "minor_stops.seconds"),
        ("minor_stop_threshold_s", "minor_stops.threshold_s"), ("minor_stop_policy", "minor_stops.policy"), ("ideal_cycle_s", "ideal_cycle_s"),
        ("ideal_s", "ideal_s"), ("unassigned_stops", "unassigned_stops"), ("coverage", "data_quality.coverage"), ("sensor_faults", "data_quality.sensor_faults"),
    ];

    /// <summary>The point of <paramref name="record"/>.</summary>
    public static PointData Build(IngestRecord record) => record switch
    {
        KpiRecord kpi => Build(kpi),
        StateRecord state => Build(state),
        StatusRecord status => Build(status),
        _ => throw new ArgumentException($"no point for {record.GetType().Name}", nameof(record)),
    };

    /// <summary>Measurement <c>kpi</c>: tags site, cell, window; time = window start.</summary>
    public static PointData Build(KpiRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var point = PointData.Builder.Measurement(InfluxSchema.KpiMeasurement)
            .Tag("site", r.Site)
            .Tag("cell", r.Cell)
            .Tag("window", r.Window)
            .Timestamp(r.StartMs, WritePrecision.Ms);
        point.Field("window_s", (r.EndMs - r.StartMs) / 1000.0);
        foreach (var (column, path) in s_measured)
        {
            var field = KpiFields.Find(path) ?? throw new InvalidOperationException($"{path}: no such field");
            if (r[field] is not { } value)
            {
                continue;
            }

            _ = field.Type switch
            {
                KpiFieldType.WholeNumber => point.Field(column, (long)value),
                KpiFieldType.Choice => point.Field(column, field.Choices[(int)value]),
                _ => point.Field(column, value),
            };
        }

        foreach (var aux in r.Aux)
        {
            point.Field($"aux_{aux.Signal}_samples", aux.Samples);
            Optional(point, $"aux_{aux.Signal}_min", aux.Min);
            Optional(point, $"aux_{aux.Signal}_mean", aux.Mean);
            Optional(point, $"aux_{aux.Signal}_max", aux.Max);
        }

        return point
            .Field("clock_synced", r.ClockSynced)
            .Field("seq", r.Seq)
            .Field("gateway", r.Gateway)
            .Field("definitions", r.Definitions)
            .ToPointData();
    }

    /// <summary>
    /// The points after a KPI record's kpi point: measurement <c>kpi_reason</c> per reason (tags site, cell, window, reason;
    /// field seconds), then <c>kpi_article</c> per article (tags site, cell, window, article; produced, scrap, good); time = window start.
    /// </summary>
    public static IEnumerable<PointData> BuildContext(KpiRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        foreach (var reason in r.Reasons)
        {
            yield return PointData.Measurement("kpi_reason")
                .Tag("site", r.Site).Tag("cell", r.Cell).Tag("window", r.Window).Tag("reason", reason.Code)
                .Field("seconds", reason.Seconds)
                .Timestamp(r.StartMs, WritePrecision.Ms);
        }

        foreach (var article in r.Articles)
        {
            yield return PointData.Measurement("kpi_article")
                .Tag("site", r.Site).Tag("cell", r.Cell).Tag("window", r.Window).Tag("article", article.Article)
                .Field("produced", article.Produced).Field("scrap", article.Scrap).Field("good", article.Good)
                .Timestamp(r.StartMs, WritePrecision.Ms);
        }
    }

    /// <summary>Measurement <c>state</c>: tags site, cell; time = <c>at</c>.</summary>
    public static PointData Build(StateRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return PointData.Measurement(InfluxSchema.StateMeasurement)
            .Tag("site", r.Site)
            .Tag("cell", r.Cell)
            .Field("state", r.State)
            .Field("seq", r.Seq)
            .Field("gateway", r.Gateway)
            .Timestamp(r.AtMs, WritePrecision.Ms);
    }

    /// <summary>Measurement <c>gateway_status</c>: tags site, gateway; time = <c>at</c> of a birth, arrival of an offline.</summary>
    public static PointData Build(StatusRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var point = PointData.Measurement(InfluxSchema.StatusMeasurement)
            .Tag("site", r.Site)
            .Tag("gateway", r.Gateway)
            .Field("status", r.Status)
            .Timestamp(r.AtMs, WritePrecision.Ms);
        if (r.Software is not null)
        {
            point = point.Field("software", r.Software);
        }

        if (r.ConfigSha256 is not null)
        {
            point = point.Field("config_sha256", r.ConfigSha256);
        }

        if (r.OutboxDepth is { } depth)
        {
            point = point.Field("outbox_depth", depth);
        }

        if (r.OutboxDropped is { } dropped)
        {
            point = point.Field("outbox_dropped", dropped);
        }

        if (r.OutboxCorrupt is { } corrupt)
        {
            point = point.Field("outbox_corrupt", corrupt);
        }

        if (r.OutboxOldestAgeS is { } oldest)
        {
            point = point.Field("outbox_oldest_age_s", oldest);
        }

        if (r.Delivery is { } delivery)
        {
            point = point.Field("delivery_confirmed", delivery.Confirmed)
                .Field("delivery_unconfirmed", delivery.Unconfirmed)
                .Field("delivery_resent", delivery.Resent)
                .Field("delivery_no_subscriber", delivery.NoSubscriber);
            if (delivery.OldestUnconfirmedAgeS is { } age)
            {
                point = point.Field("delivery_oldest_unconfirmed_age_s", age);
            }
        }

        if (r.ClockSynced is { } synced)
        {
            point = point.Field("clock_synced", synced);
        }

        foreach (var (field, value) in (ReadOnlySpan<(string, double?)>)[("uptime_s", r.UptimeS), ("last_record_age_s", r.LastRecordAgeS), ("clock_offset_s", r.ClockOffsetS)])
        {
            if (value is { } v)
            {
                point = point.Field(field, v);
            }
        }

        if (r.DiskFreeBytes is { } free)
        {
            point = point.Field("disk_free_bytes", free);
        }

        if (r.CpuTempC is { } temperature)
        {
            point = point.Field("cpu_temp_c", temperature);
        }

        return point;
    }

    private static void Optional(PointData.Builder point, string field, double? value)
    {
        if (value is { } v)
        {
            point.Field(field, v);
        }
    }
}
