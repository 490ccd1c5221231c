namespace EdgeGateway.Core.Payload;

/// <summary>
/// The field names of the KPI payload, schema v1 (src/docs/payloads-and-topics.md, "KPI payload"): written by
/// <see cref="WindowRecordJson"/>, read by the ingest's validation, mapped to columns by <see cref="Storage.InfluxSchema"/>.
/// Nested fields are named by their object and their own name (<c>counts</c> / <c>produced</c>).
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

    /// <summary>Object: seconds per bucket, named <see cref="BucketNames"/>.</summary>
    public const string Buckets = "buckets";

    /// <summary>Object: <see cref="Produced"/>, <see cref="Good"/>, <see cref="Scrap"/>, <see cref="UnattendedGood"/>, <see cref="Failures"/>.</summary>
    public const string Counts = "counts";

    /// <summary><c>counts.produced</c>.</summary>
    public const string Produced = "produced";

    /// <summary><c>counts.good</c>.</summary>
    public const string Good = "good";

    /// <summary><c>counts.scrap</c>.</summary>
    public const string Scrap = "scrap";

    /// <summary><c>counts.unattended_good</c>.</summary>
    public const string UnattendedGood = "unattended_good";

    /// <summary><c>counts.failures</c>.</summary>
    public const string Failures = "failures";

    /// <summary>Object: the ratios and times named <see cref="KpiNames"/>.</summary>
    public const string Kpi = "kpi";

    /// <summary>Object: <see cref="Kwh"/>, <see cref="KwhPerGoodPart"/>, <see cref="IdleEnergyShare"/>.</summary>
    public const string Energy = "energy";

    /// <summary><c>energy.kwh</c>.</summary>
    public const string Kwh = "kwh";

    /// <summary><c>energy.kwh_per_good_part</c>.</summary>
    public const string KwhPerGoodPart = "kwh_per_good_part";

    /// <summary><c>energy.idle_energy_share</c>.</summary>
    public const string IdleEnergyShare = "idle_energy_share";

    /// <summary>Object: <see cref="Count"/>, <see cref="Seconds"/>, <see cref="Policy"/>, <see cref="ThresholdS"/>.</summary>
    public const string MinorStops = "minor_stops";

    /// <summary><c>minor_stops.count</c>.</summary>
    public const string Count = "count";

    /// <summary><c>minor_stops.seconds</c>.</summary>
    public const string Seconds = "seconds";

    /// <summary><c>minor_stops.policy</c>: one of <see cref="Policies"/>.</summary>
    public const string Policy = "policy";

    /// <summary><c>minor_stops.threshold_s</c>.</summary>
    public const string ThresholdS = "threshold_s";

    /// <summary>Ideal cycle time, s.</summary>
    public const string IdealCycleS = "ideal_cycle_s";

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

    /// <summary>Object: <see cref="Coverage"/>, <see cref="SensorFaults"/>, <see cref="ClockSynced"/>.</summary>
    public const string DataQuality = "data_quality";

    /// <summary><c>data_quality.coverage</c>.</summary>
    public const string Coverage = "coverage";

    /// <summary><c>data_quality.sensor_faults</c>.</summary>
    public const string SensorFaults = "sensor_faults";

    /// <summary><c>data_quality.clock_synced</c> (published payloads; at the top of a status payload).</summary>
    public const string ClockSynced = "clock_synced";

    /// <summary>KPI definitions version.</summary>
    public const string Definitions = "definitions";

    /// <summary>Bucket names in payload order, the order of <see cref="EdgeGateway.Core.Kpi.Bucket"/>.</summary>
    public static readonly IReadOnlyList<string> BucketNames = ["run", "setup", "down", "idle", "planned_stop", "unplanned_time", "unknown"];

    /// <summary>KPI names in payload order.</summary>
    public static readonly IReadOnlyList<string> KpiNames =
        ["availability", "effectiveness", "quality", "oee", "nee", "technical_efficiency", "setup_rate", "teep", "scrap_ratio", "mtbf_s", "mttr_s", "throughput_per_h"];

    /// <summary>
    /// The values each KPI can take, in <see cref="KpiNames"/> order. Quality, OEE, NEE and TEEP go negative when a
    /// minute's scrap exceeds its parts (good &lt; 0 is allowed); effectiveness may exceed 1.
    /// </summary>
    public static readonly IReadOnlyList<(double Min, double Max)> KpiRanges =
    [
        (0, 1), (0, Large), (-Large, 1), (-Large, Large), (-Large, Large), (0, 1), (0, 1), (-Large, Large), (0, Large), (0, Large), (0, Large), (0, Large),
    ];

    /// <summary>Minor-stop policies, in the order of <see cref="EdgeGateway.Core.Configuration.MinorStopPolicy"/>.</summary>
    public static readonly IReadOnlyList<string> Policies = ["Iso22400", "Nakajima"];
}
