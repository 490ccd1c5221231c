using EdgeGateway.Core.Kpi;
using static EdgeGateway.Core.Payload.KpiFieldType;

namespace EdgeGateway.Core.Payload;

/// <summary>
/// Every measured field of the KPI payload, in payload order, each defined once: adding a field to the payload is one
/// entry in <see cref="All"/> (name, type, range, value, column) plus its tests. The writer (<see cref="WindowRecordJson"/>),
/// the ingest's reader and point builder and the schema (<see cref="Storage.InfluxSchema.KpiColumns"/>) follow the list.
/// What is not a measured value stays with the code that owns it: the ids and <c>seq</c>, the window, the Aux
/// statistics (one object per configured signal), <c>data_quality.clock_synced</c> (the publishing gateway's clock) and
/// <c>definitions</c>.
/// </summary>
public static class KpiFields
{
    private const double Large = KpiPayload.Large;

    /// <summary>Seconds per bucket, <c>buckets.run</c> … <c>buckets.unknown</c>, in <see cref="Bucket"/> order; columns <c>run_s</c> ….</summary>
    public static readonly IReadOnlyList<KpiField> Buckets = [.. KpiPayload.BucketNames.Select(BucketSeconds)];

    public static readonly KpiField Produced = new(KpiPayload.Counts, "produced", WholeNumber, static (in r) => r.Produced);

    /// <summary>Produced minus scrap: negative when a short window's scrap exceeds its parts.</summary>
    public static readonly KpiField Good = new(KpiPayload.Counts, "good", WholeNumber, static (in r) => r.Good) { Min = -Large };

    public static readonly KpiField Scrap = new(KpiPayload.Counts, "scrap", WholeNumber, static (in r) => r.Scrap);

    /// <summary>Good parts outside staffed time.</summary>
    public static readonly KpiField UnattendedGood = new(KpiPayload.Counts, "unattended_good", WholeNumber, static (in r) => r.UnattendedGood) { Min = -Large };

    public static readonly KpiField Kwh = new(KpiPayload.Energy, "kwh", Number, static (in r) => r.Kwh);

    /// <summary>Minor-stop seconds of the window; column <c>minor_stop_s</c>.</summary>
    public static readonly KpiField MinorStopSeconds =
        new(KpiPayload.MinorStops, "seconds", Number, static (in r) => r.MinorStopMs / 1000.0) { Column = "minor_stop_s", WithinWindow = true };

    public static readonly KpiField IdealCycleSeconds =
        new("", "ideal_cycle_s", Number, static (in r) => r.Cell.IdealCycleSeconds) { MinExclusive = true };

    /// <summary>
    /// The ideal time of the cycles made (Σ cycles × each article's ideal cycle time): effectiveness is it over the run
    /// time, and it adds up over windows where <c>ideal_cycle_s</c> × produced does not once articles change.
    /// </summary>
    public static readonly KpiField IdealSeconds = new("", "ideal_s", Number, static (in r) => r.IdealSeconds) { Optional = true };

    /// <summary>Share of the window with valid signals.</summary>
    public static readonly KpiField Coverage = new(KpiPayload.DataQuality, "coverage", NullableNumber, static (in r) => r.Coverage) { Max = 1 };

    /// <summary>Every field, in payload order; the fields of one object stand together.</summary>
    public static readonly IReadOnlyList<KpiField> All = Indexed(
    [
        .. Buckets,
        Produced, Good, Scrap, UnattendedGood,
        new(KpiPayload.Counts, "failures", WholeNumber, static (in r) => r.Failures),

        // Quality, OEE, NEE and TEEP go negative when a minute's scrap exceeds its parts; effectiveness may exceed 1.
        Ratio("availability", static (in r) => r.Availability, 0, 1),
        Ratio("effectiveness", static (in r) => r.Effectiveness, 0, Large),
        Ratio("quality", static (in r) => r.Quality, -Large, 1),
        Ratio("oee", static (in r) => r.Oee, -Large, Large),
        Ratio("nee", static (in r) => r.Nee, -Large, Large),
        Ratio("technical_efficiency", static (in r) => r.TechnicalEfficiency, 0, 1),
        Ratio("setup_rate", static (in r) => r.SetupRate, 0, 1),
        Ratio("teep", static (in r) => r.Teep, -Large, Large),
        Ratio("scrap_ratio", static (in r) => r.ScrapRatio, 0, Large),
        Ratio("mtbf_s", static (in r) => r.MtbfSeconds, 0, Large),
        Ratio("mttr_s", static (in r) => r.MttrSeconds, 0, Large),
        Ratio("throughput_per_h", static (in r) => r.ThroughputPerHour, 0, Large),

        Kwh,
        new(KpiPayload.Energy, "kwh_per_good_part", NullableNumber, static (in r) => r.KwhPerGoodPart),
        new(KpiPayload.Energy, "idle_energy_share", NullableNumber, static (in r) => r.IdleEnergyShare) { Max = 1 },

        new(KpiPayload.MinorStops, "count", WholeNumber, static (in r) => r.MinorStops) { Column = "minor_stops" },
        MinorStopSeconds,
        new(KpiPayload.MinorStops, "policy", Choice, static (in r) => (int)r.Cell.MinorStopPolicy)
            { Column = "minor_stop_policy", Choices = KpiPayload.Policies },
        new(KpiPayload.MinorStops, "threshold_s", Number, static (in r) => r.Cell.MinorStopSeconds) { Column = "minor_stop_threshold_s" },

        IdealCycleSeconds,
        IdealSeconds,
        new("", "unassigned_stops", WholeNumber, static (in r) => r.UnassignedStops) { Optional = true },

        Coverage,
        new(KpiPayload.DataQuality, "sensor_faults", WholeNumber, static (in r) => r.SensorFaults),
    ]);

    /// <summary>The objects of <see cref="All"/> in payload order, each with its fields; the top level is named "".</summary>
    public static readonly IReadOnlyList<(string Name, KpiField[] Fields)> Objects =
        [.. All.GroupBy(f => f.Parent).Select(group => (group.Key, group.ToArray()))];

    /// <summary>The field at <paramref name="path"/> (<c>counts.produced</c>), or null.</summary>
    public static KpiField? Find(string path) => All.FirstOrDefault(f => f.Path == path);

    private static KpiField BucketSeconds(string name, int bucket) =>
        new(KpiPayload.Buckets, name, Number, (in r) => r.Seconds((Bucket)bucket)) { Column = name + "_s", WithinWindow = true };

    private static KpiField Ratio(string name, KpiFieldValue value, double min, double max) =>
        new(KpiPayload.Kpi, name, NullableNumber, value) { Min = min, Max = max };

    private static KpiField[] Indexed(KpiField[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i].Index = i;
        }

        return fields;
    }
}
