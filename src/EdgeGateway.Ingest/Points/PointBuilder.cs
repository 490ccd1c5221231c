using EdgeGateway.Ingest.Validation;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;

namespace EdgeGateway.Ingest.Points;

/// <summary>
/// Turns a validated record into the InfluxDB point of src/README.md, "InfluxDB schema": one measurement per message
/// kind, ids as tags, numbers as fields (a null is left out), time in milliseconds. A KPI record's time is its window
/// start, so a re-delivered record (same site, cell, window kind and start) overwrites itself. Both writers send
/// exactly these points.
/// </summary>
public static class PointBuilder
{
    /// <summary>Measurement of KPI records.</summary>
    public const string KpiMeasurement = "kpi";

    /// <summary>Measurement of state changes.</summary>
    public const string StateMeasurement = "state";

    /// <summary>Measurement of gateway status messages.</summary>
    public const string StatusMeasurement = "gateway_status";

    private static readonly string[] s_bucketFields = [.. KpiRecord.BucketNames.Select(name => name + "_s")];

    /// <summary>The point of <paramref name="record"/>.</summary>
    public static PointData Build(IngestRecord record) => record switch
    {
        KpiRecord kpi => Build(kpi),
        StateRecord state => Build(state),
        StatusRecord status => Build(status),
        _ => throw new ArgumentException($"no point for {record.GetType().Name}", nameof(record)),
    };

    /// <summary>Measurement <c>kpi</c>: tags site, cell, window; time = window start.</summary>
    /// <remarks>
    /// Built with the client's mutable <see cref="PointData.Builder"/>: chaining <see cref="PointData.Field(string, double)"/>
    /// makes a new immutable point per field, which for a KPI record's ~45 fields cost the ingest more CPU than
    /// validating the JSON (measured, src/README.md "Ingest").
    /// </remarks>
    public static PointData Build(KpiRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var point = PointData.Builder.Measurement(KpiMeasurement)
            .Tag("site", r.Site)
            .Tag("cell", r.Cell)
            .Tag("window", r.Window)
            .Timestamp(r.StartMs, WritePrecision.Ms);
        for (var i = 0; i < s_bucketFields.Length; i++)
        {
            point.Field(s_bucketFields[i], r.Buckets[i]);
        }

        point.Field("window_s", (r.EndMs - r.StartMs) / 1000.0);
        for (var i = 0; i < r.Kpis.Length; i++)
        {
            Optional(point, KpiRecord.KpiNames[i], r.Kpis[i]);
        }

        point
            .Field("produced", r.Produced)
            .Field("good", r.Good)
            .Field("scrap", r.Scrap)
            .Field("unattended_good", r.UnattendedGood)
            .Field("failures", r.Failures)
            .Field("kwh", r.Kwh);
        Optional(point, "kwh_per_good_part", r.KwhPerGoodPart);
        Optional(point, "idle_energy_share", r.IdleEnergyShare);
        point
            .Field("minor_stops", r.MinorStops)
            .Field("minor_stop_s", r.MinorStopSeconds)
            .Field("minor_stop_threshold_s", r.MinorStopThresholdSeconds)
            .Field("minor_stop_policy", r.MinorStopPolicy)
            .Field("ideal_cycle_s", r.IdealCycleSeconds);
        foreach (var aux in r.Aux)
        {
            point.Field($"aux_{aux.Signal}_samples", aux.Samples);
            Optional(point, $"aux_{aux.Signal}_min", aux.Min);
            Optional(point, $"aux_{aux.Signal}_mean", aux.Mean);
            Optional(point, $"aux_{aux.Signal}_max", aux.Max);
        }

        Optional(point, "coverage", r.Coverage);
        return point
            .Field("sensor_faults", r.SensorFaults)
            .Field("clock_synced", r.ClockSynced)
            .Field("seq", r.Seq)
            .Field("gateway", r.Gateway)
            .Field("definitions", r.Definitions)
            .ToPointData();
    }

    /// <summary>Measurement <c>state</c>: tags site, cell; time = <c>at</c>.</summary>
    public static PointData Build(StateRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return PointData.Measurement(StateMeasurement)
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
        var point = PointData.Measurement(StatusMeasurement)
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

        if (r.ClockSynced is { } synced)
        {
            point = point.Field("clock_synced", synced);
        }

        return point;
    }

    /// <summary>The request body both writers send: one line-protocol line per point, joined by <c>\n</c>.</summary>
    public static string LineProtocol(IReadOnlyList<PointData> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var lines = new string[points.Count];
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = points[i].ToLineProtocol();
        }

        return string.Join('\n', lines);
    }

    private static void Optional(PointData.Builder point, string field, double? value)
    {
        if (value is { } v)
        {
            point.Field(field, v);
        }
    }
}
