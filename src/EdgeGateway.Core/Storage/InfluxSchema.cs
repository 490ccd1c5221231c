using EdgeGateway.Core.Payload;

namespace EdgeGateway.Core.Storage;

/// <summary>
/// The InfluxDB schema (src/docs/influxdb-schema.md): measurement, tag and field names, and which payload field becomes
/// which column. The ingest writes it (PointBuilder); <c>edgegw report</c>, <c>edgegw evaluate</c> and the evaluation's
/// simulated day records read it. A field's column is named as in the payload unless said otherwise here.
/// </summary>
public static class InfluxSchema
{
    /// <summary>Measurement of KPI records.</summary>
    public const string KpiMeasurement = "kpi";

    /// <summary>Measurement of state changes.</summary>
    public const string StateMeasurement = "state";

    /// <summary>Measurement of gateway status messages.</summary>
    public const string StatusMeasurement = "gateway_status";

    /// <summary>
    /// Measurement of the stop seconds per reason of KPI records (payload <c>reasons</c>): one point per code with time,
    /// the kpi point's tags and time plus <see cref="ReasonTag"/>; field <see cref="ReasonSecondsField"/>.
    /// </summary>
    public const string ReasonMeasurement = "kpi_reason";

    /// <summary>
    /// Measurement of the parts per article of KPI records (payload <c>articles</c>): one point per article with parts,
    /// the kpi point's tags and time plus <see cref="ArticleTag"/>; integer fields named as in the payload,
    /// <see cref="KpiPayload.Produced"/>, <see cref="KpiPayload.Scrap"/>, <see cref="KpiPayload.Good"/>.
    /// </summary>
    public const string ArticleMeasurement = "kpi_article";

    /// <summary>Tag: reason code (kpi_reason). A tag, not a field per code: see src/docs/influxdb-schema.md, "Reasons and articles".</summary>
    public const string ReasonTag = "reason";

    /// <summary>Tag: article id (kpi_article).</summary>
    public const string ArticleTag = "article";

    /// <summary>Field of kpi_reason: <c>reasons.{code}</c>, seconds of stop time booked to the reason in the window.</summary>
    public const string ReasonSecondsField = "seconds";

    /// <summary>Tag: site id (every measurement).</summary>
    public const string SiteTag = "site";

    /// <summary>Tag: cell id (kpi, kpi_reason, kpi_article, state).</summary>
    public const string CellTag = "cell";

    /// <summary>Tag: window kind (kpi, kpi_reason, kpi_article).</summary>
    public const string WindowTag = "window";

    /// <summary>Tag: gateway id (gateway_status; a field of kpi and state).</summary>
    public const string GatewayTag = "gateway";

    /// <summary>The window kind of day records, the ones the report and the evaluation read.</summary>
    public const string DayWindow = "day";

    /// <summary>
    /// <c>FROM "kpi" WHERE "window" = 'day'</c>: the day records, which <c>edgegw report</c> and <c>edgegw evaluate</c> read.
    /// </summary>
    public const string FromDayRecords = $"FROM \"{KpiMeasurement}\" WHERE \"{WindowTag}\" = '{DayWindow}'";

    /// <summary>Window length, s (from <c>window.end − window.start</c>).</summary>
    public const string WindowSeconds = "window_s";

    /// <summary>Prefix of the <c>outbox</c> object's fields in gateway_status.</summary>
    public const string OutboxPrefix = "outbox_";

    /// <summary>Prefix of the <c>delivery</c> object's fields in gateway_status.</summary>
    public const string DeliveryPrefix = "delivery_";

    /// <summary>Column of <c>buckets.run</c>.</summary>
    public static string RunSeconds => KpiFields.Buckets[0].Column;

    /// <summary>Column of <c>buckets.setup</c>.</summary>
    public static string SetupSeconds => KpiFields.Buckets[1].Column;

    /// <summary>Column of <c>buckets.down</c>.</summary>
    public static string DownSeconds => KpiFields.Buckets[2].Column;

    /// <summary>Column of <c>buckets.idle</c>.</summary>
    public static string IdleSeconds => KpiFields.Buckets[3].Column;

    /// <summary>
    /// Every column of a KPI point with the payload field it comes from (dotted path; <see cref="WindowSeconds"/> from
    /// <c>window</c>'s start and end), Aux columns excepted (<see cref="AuxField"/>): the columns of
    /// <see cref="KpiFields.All"/> and those of the fields that are not measured values.
    /// </summary>
    public static readonly IReadOnlyList<SchemaColumn> KpiColumns = KpiColumnList();

    /// <summary>Every column of a state point with the payload field it comes from.</summary>
    public static readonly IReadOnlyList<SchemaColumn> StateColumns =
    [
        new(StatePayload.State, StatePayload.State), new(KpiPayload.Seq, KpiPayload.Seq), new(KpiPayload.Gateway, KpiPayload.Gateway),
    ];

    /// <summary>Every column of a gateway_status point (of a birth with delivery counts) with the payload field it comes from.</summary>
    public static readonly IReadOnlyList<SchemaColumn> StatusColumns =
    [
        new(StatusPayload.Status, StatusPayload.Status),
        new(StatusPayload.Software, StatusPayload.Software),
        new(StatusPayload.ConfigSha256, StatusPayload.ConfigSha256),
        Nested(StatusPayload.Outbox, StatusPayload.Depth, OutboxPrefix + StatusPayload.Depth),
        Nested(StatusPayload.Outbox, StatusPayload.Dropped, OutboxPrefix + StatusPayload.Dropped),
        Nested(StatusPayload.Outbox, StatusPayload.Corrupt, OutboxPrefix + StatusPayload.Corrupt),
        Nested(StatusPayload.Outbox, StatusPayload.OldestAgeS, OutboxPrefix + StatusPayload.OldestAgeS),
        Nested(StatusPayload.Delivery, StatusPayload.Confirmed, DeliveryPrefix + StatusPayload.Confirmed),
        Nested(StatusPayload.Delivery, StatusPayload.Unconfirmed, DeliveryPrefix + StatusPayload.Unconfirmed),
        Nested(StatusPayload.Delivery, StatusPayload.OldestUnconfirmedAgeS, DeliveryPrefix + StatusPayload.OldestUnconfirmedAgeS),
        Nested(StatusPayload.Delivery, StatusPayload.Resent, DeliveryPrefix + StatusPayload.Resent),
        Nested(StatusPayload.Delivery, StatusPayload.NoSubscriber, DeliveryPrefix + StatusPayload.NoSubscriber),
        new(KpiPayload.ClockSynced, KpiPayload.ClockSynced),
        new(StatusPayload.UptimeS, StatusPayload.UptimeS),
        new(StatusPayload.LastRecordAgeS, StatusPayload.LastRecordAgeS),
        new(StatusPayload.ClockOffsetS, StatusPayload.ClockOffsetS),
        new(StatusPayload.DiskFreeBytes, StatusPayload.DiskFreeBytes),
        new(StatusPayload.CpuTempC, StatusPayload.CpuTempC),
    ];

    /// <summary>The tags of a KPI point and the payload fields they come from; its time is <c>window.start</c>.</summary>
    public static readonly IReadOnlyList<SchemaColumn> KpiTags =
        [new(KpiPayload.Site, SiteTag), new(KpiPayload.Cell, CellTag), new($"{KpiPayload.Window}.{KpiPayload.Kind}", WindowTag)];

    /// <summary>The tags of a state point and the payload fields they come from; its time is <c>at</c>.</summary>
    public static readonly IReadOnlyList<SchemaColumn> StateTags = [new(KpiPayload.Site, SiteTag), new(KpiPayload.Cell, CellTag)];

    /// <summary>The tags of a gateway_status point and the payload fields they come from; its time is a birth's <c>at</c>.</summary>
    public static readonly IReadOnlyList<SchemaColumn> StatusTags = [new(KpiPayload.Site, SiteTag), new(KpiPayload.Gateway, GatewayTag)];

    /// <summary>
    /// Payload fields no column holds: the schema version (checked by the ingest) and a birth's cell list (for a
    /// technician reading the retained message; the outbox, delivery and heartbeat fields are stored).
    /// </summary>
    public static readonly IReadOnlyList<string> NotStored = [KpiPayload.V, StatusPayload.Cells];

    /// <summary>The column of one statistic of an Aux signal: <c>aux.{signal}.{statistic}</c> → <c>aux_{signal}_{statistic}</c>.</summary>
    public static string AuxField(string signal, string statistic) => $"{KpiPayload.Aux}_{signal}_{statistic}";

    private static SchemaColumn Nested(string parent, string name, string column) => new($"{parent}.{name}", column);

    private static List<SchemaColumn> KpiColumnList()
    {
        List<SchemaColumn> columns = [.. KpiFields.All.Select(f => new SchemaColumn(f.Path, f.Column))];
        columns.Add(new($"{KpiPayload.Window}.{KpiPayload.End} - {KpiPayload.Window}.{KpiPayload.Start}", WindowSeconds));
        columns.Add(Nested(KpiPayload.DataQuality, KpiPayload.ClockSynced, KpiPayload.ClockSynced));
        columns.Add(new(KpiPayload.Seq, KpiPayload.Seq));
        columns.Add(new(KpiPayload.Gateway, KpiPayload.Gateway));
        columns.Add(new(KpiPayload.Definitions, KpiPayload.Definitions));
        return columns;
    }
}

/// <summary>One column of a point and the payload field (dotted path) it comes from.</summary>
public readonly record struct SchemaColumn(string PayloadField, string Column);
