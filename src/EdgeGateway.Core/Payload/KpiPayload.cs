namespace EdgeGateway.Core.Payload;

/// <summary>
/// The names of the KPI payload, schema v1 (src/docs/payloads-and-topics.md, "KPI payload"), but for its measured
/// fields, which <see cref="KpiFields"/> defines: written by <see cref="WindowRecordJson"/>, read by the ingest's
/// validation, mapped to columns by <see cref="Storage.InfluxSchema"/>.
/// </summary>
public static class KpiPayload
{
    /// <summary>Bound of counts and of quantities without a natural one; larger values are typing or overflow errors.</summary>
    public const double Large = 1e12;

    /// <summary>Schema version (every payload).</summary>
    public const string V = "v";

    /// <summary>Site id (every payload).</summary>
    public const string Site = "site";

    /// <summary>Cell id (kpi and state).</summary>
    public const string Cell = "cell";

    /// <summary>Gateway id (published payloads).</summary>
    public const string Gateway = "gateway";

    /// <summary>Per-gateway sequence number (published kpi and state).</summary>
    public const string Seq = "seq";

    /// <summary>Object: <see cref="Kind"/>, <see cref="Start"/>, <see cref="End"/>.</summary>
    public const string Window = "window";

    /// <summary><c>window.kind</c>: one of <see cref="EdgeGateway.Core.Kpi.WindowKinds.Names"/>.</summary>
    public const string Kind = "kind";

    /// <summary><c>window.start</c>.</summary>
    public const string Start = "start";

    /// <summary><c>window.end</c>.</summary>
    public const string End = "end";

    /// <summary>Object: seconds per bucket, named <see cref="BucketNames"/> (<see cref="KpiFields.Buckets"/>).</summary>
    public const string Buckets = "buckets";

    /// <summary>Object: part counts (fields in <see cref="KpiFields"/>).</summary>
    public const string Counts = "counts";

    /// <summary>Object: the KPIs (fields in <see cref="KpiFields"/>).</summary>
    public const string Kpi = "kpi";

    /// <summary>Object: energy (fields in <see cref="KpiFields"/>).</summary>
    public const string Energy = "energy";

    /// <summary>Object: minor stops (fields in <see cref="KpiFields"/>).</summary>
    public const string MinorStops = "minor_stops";

    /// <summary>Object (only with Aux signals): signal name → <see cref="Samples"/>, <see cref="Min"/>, <see cref="Mean"/>, <see cref="Max"/>.</summary>
    public const string Aux = "aux";

    /// <summary><c>aux.{signal}.samples</c>.</summary>
    public const string Samples = "samples";

    /// <summary><c>aux.{signal}.min</c>.</summary>
    public const string Min = "min";

    /// <summary><c>aux.{signal}.mean</c>.</summary>
    public const string Mean = "mean";

    /// <summary><c>aux.{signal}.max</c>.</summary>
    public const string Max = "max";

    /// <summary>
    /// Object (only with reasons configured; added after v1): reason code → seconds of stop time it booked in the window,
    /// codes with time only.
    /// </summary>
    public const string Reasons = "reasons";

    /// <summary>
    /// Object (only with articles configured; added after v1): article id → <see cref="Produced"/>, <see cref="Scrap"/>,
    /// <see cref="Good"/>, articles that made or scrapped parts in the window only.
    /// </summary>
    public const string Articles = "articles";

    /// <summary><c>articles.{id}.produced</c>.</summary>
    public const string Produced = "produced";

    /// <summary><c>articles.{id}.scrap</c>.</summary>
    public const string Scrap = "scrap";

    /// <summary><c>articles.{id}.good</c>.</summary>
    public const string Good = "good";

    /// <summary>Object: data quality (fields in <see cref="KpiFields"/>) and <see cref="ClockSynced"/>.</summary>
    public const string DataQuality = "data_quality";

    /// <summary><c>data_quality.clock_synced</c> (published payloads; at the top of a status payload).</summary>
    public const string ClockSynced = "clock_synced";

    /// <summary>KPI definitions version.</summary>
    public const string Definitions = "definitions";

    /// <summary>Bucket names in payload order, the order of <see cref="EdgeGateway.Core.Kpi.Bucket"/>.</summary>
    public static readonly IReadOnlyList<string> BucketNames = ["run", "setup", "down", "idle", "planned_stop", "unplanned_time", "unknown"];

    /// <summary>Minor-stop policies, in the order of <see cref="EdgeGateway.Core.Configuration.MinorStopPolicy"/>.</summary>
    public static readonly IReadOnlyList<string> Policies = ["Iso22400", "Nakajima"];
}
