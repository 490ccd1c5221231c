using System.Text.Json;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Traces;

namespace EdgeGateway.Core.Payload;

/// <summary>What a gateway adds to a record it publishes: its id, the record's sequence number and the clock state.</summary>
public readonly record struct PublishStamp(string Gateway, long Sequence, bool ClockSynced);

/// <summary>
/// Writes a <see cref="WindowRecord"/> as the KPI payload, schema v1 (src/docs/payloads-and-topics.md): the replay output and
/// the MQTT payload. Property names are pre-encoded; writing allocates nothing.
/// </summary>
public static class WindowRecordJson
{
    private static readonly JsonEncodedText s_v = JsonEncodedText.Encode("v");
    private static readonly JsonEncodedText s_site = JsonEncodedText.Encode("site");
    private static readonly JsonEncodedText s_cell = JsonEncodedText.Encode("cell");
    private static readonly JsonEncodedText s_window = JsonEncodedText.Encode("window");
    private static readonly JsonEncodedText s_kind = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText s_start = JsonEncodedText.Encode("start");
    private static readonly JsonEncodedText s_end = JsonEncodedText.Encode("end");
    private static readonly JsonEncodedText s_buckets = JsonEncodedText.Encode("buckets");
    private static readonly JsonEncodedText[] s_bucketNames =
    [
        JsonEncodedText.Encode("run"), JsonEncodedText.Encode("setup"), JsonEncodedText.Encode("down"), JsonEncodedText.Encode("idle"),
        JsonEncodedText.Encode("planned_stop"), JsonEncodedText.Encode("unplanned_time"), JsonEncodedText.Encode("unknown"),
    ];

    private static readonly JsonEncodedText[] s_kindNames =
        [JsonEncodedText.Encode("total"), JsonEncodedText.Encode("day"), JsonEncodedText.Encode("shift"), JsonEncodedText.Encode("1m")];

    private static readonly JsonEncodedText s_counts = JsonEncodedText.Encode("counts");
    private static readonly JsonEncodedText s_produced = JsonEncodedText.Encode("produced");
    private static readonly JsonEncodedText s_good = JsonEncodedText.Encode("good");
    private static readonly JsonEncodedText s_scrap = JsonEncodedText.Encode("scrap");
    private static readonly JsonEncodedText s_unattendedGood = JsonEncodedText.Encode("unattended_good");
    private static readonly JsonEncodedText s_kpi = JsonEncodedText.Encode("kpi");
    private static readonly JsonEncodedText s_availability = JsonEncodedText.Encode("availability");
    private static readonly JsonEncodedText s_effectiveness = JsonEncodedText.Encode("effectiveness");
    private static readonly JsonEncodedText s_quality = JsonEncodedText.Encode("quality");
    private static readonly JsonEncodedText s_oee = JsonEncodedText.Encode("oee");
    private static readonly JsonEncodedText s_nee = JsonEncodedText.Encode("nee");
    private static readonly JsonEncodedText s_technicalEfficiency = JsonEncodedText.Encode("technical_efficiency");
    private static readonly JsonEncodedText s_setupRate = JsonEncodedText.Encode("setup_rate");
    private static readonly JsonEncodedText s_teep = JsonEncodedText.Encode("teep");
    private static readonly JsonEncodedText s_scrapRatio = JsonEncodedText.Encode("scrap_ratio");
    private static readonly JsonEncodedText s_mtbf = JsonEncodedText.Encode("mtbf_s");
    private static readonly JsonEncodedText s_mttr = JsonEncodedText.Encode("mttr_s");
    private static readonly JsonEncodedText s_throughput = JsonEncodedText.Encode("throughput_per_h");
    private static readonly JsonEncodedText s_failures = JsonEncodedText.Encode("failures");
    private static readonly JsonEncodedText s_energy = JsonEncodedText.Encode("energy");
    private static readonly JsonEncodedText s_kwh = JsonEncodedText.Encode("kwh");
    private static readonly JsonEncodedText s_kwhPerGoodPart = JsonEncodedText.Encode("kwh_per_good_part");
    private static readonly JsonEncodedText s_idleEnergyShare = JsonEncodedText.Encode("idle_energy_share");
    private static readonly JsonEncodedText s_minorStops = JsonEncodedText.Encode("minor_stops");
    private static readonly JsonEncodedText s_count = JsonEncodedText.Encode("count");
    private static readonly JsonEncodedText s_seconds = JsonEncodedText.Encode("seconds");
    private static readonly JsonEncodedText s_policy = JsonEncodedText.Encode("policy");
    private static readonly JsonEncodedText s_thresholdS = JsonEncodedText.Encode("threshold_s");
    private static readonly JsonEncodedText s_idealCycleS = JsonEncodedText.Encode("ideal_cycle_s");
    private static readonly JsonEncodedText s_dataQuality = JsonEncodedText.Encode("data_quality");
    private static readonly JsonEncodedText s_coverage = JsonEncodedText.Encode("coverage");
    private static readonly JsonEncodedText s_gateway = JsonEncodedText.Encode("gateway");
    private static readonly JsonEncodedText s_seq = JsonEncodedText.Encode("seq");
    private static readonly JsonEncodedText s_clockSynced = JsonEncodedText.Encode("clock_synced");
    private static readonly JsonEncodedText s_sensorFaults = JsonEncodedText.Encode("sensor_faults");
    private static readonly JsonEncodedText s_aux = JsonEncodedText.Encode("aux");
    private static readonly JsonEncodedText s_mean = JsonEncodedText.Encode("mean");
    private static readonly JsonEncodedText s_min = JsonEncodedText.Encode("min");
    private static readonly JsonEncodedText s_max = JsonEncodedText.Encode("max");
    private static readonly JsonEncodedText s_samples = JsonEncodedText.Encode("samples");
    private static readonly JsonEncodedText s_definitions = JsonEncodedText.Encode("definitions");
    private static readonly JsonEncodedText s_definitionsValue = JsonEncodedText.Encode(WindowRecord.Definitions);
    private static readonly JsonEncodedText[] s_policyNames = [JsonEncodedText.Encode("Iso22400"), JsonEncodedText.Encode("Nakajima")];

    /// <summary>Writes one record as a JSON object (as replay prints it: no gateway stamp).</summary>
    public static void Write(Utf8JsonWriter writer, in WindowRecord record) => Write(writer, record, stamp: null);

    /// <summary>
    /// Writes one record as a JSON object; with a <paramref name="stamp"/> (the published payload) it also carries
    /// <c>gateway</c>, <c>seq</c> and <c>data_quality.clock_synced</c>.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, in WindowRecord record, in PublishStamp? stamp)
    {
        Span<byte> timestamp = stackalloc byte[TraceTimestamp.Length];
        writer.WriteStartObject();
        writer.WriteNumber(s_v, WindowRecord.SchemaVersion);
        writer.WriteString(s_site, record.Site);
        writer.WriteString(s_cell, record.Cell.Id);
        if (stamp is { } s)
        {
            writer.WriteString(s_gateway, s.Gateway);
            writer.WriteNumber(s_seq, s.Sequence);
        }

        writer.WriteStartObject(s_window);
        writer.WriteString(s_kind, s_kindNames[(int)record.Kind]);
        TraceTimestamp.Format(record.Start, timestamp);
        writer.WriteString(s_start, timestamp);
        TraceTimestamp.Format(record.End, timestamp);
        writer.WriteString(s_end, timestamp);
        writer.WriteEndObject();

        writer.WriteStartObject(s_buckets);
        for (var bucket = 0; bucket < BucketDurations.BucketCount; bucket++)
        {
            writer.WriteNumber(s_bucketNames[bucket], record.Seconds((Bucket)bucket));
        }

        writer.WriteEndObject();

        writer.WriteStartObject(s_counts);
        writer.WriteNumber(s_produced, record.Produced);
        writer.WriteNumber(s_good, record.Good);
        writer.WriteNumber(s_scrap, record.Scrap);
        writer.WriteNumber(s_unattendedGood, record.UnattendedGood);
        writer.WriteNumber(s_failures, record.Failures);
        writer.WriteEndObject();

        writer.WriteStartObject(s_kpi);
        Number(writer, s_availability, record.Availability);
        Number(writer, s_effectiveness, record.Effectiveness);
        Number(writer, s_quality, record.Quality);
        Number(writer, s_oee, record.Oee);
        Number(writer, s_nee, record.Nee);
        Number(writer, s_technicalEfficiency, record.TechnicalEfficiency);
        Number(writer, s_setupRate, record.SetupRate);
        Number(writer, s_teep, record.Teep);
        Number(writer, s_scrapRatio, record.ScrapRatio);
        Number(writer, s_mtbf, record.MtbfSeconds);
        Number(writer, s_mttr, record.MttrSeconds);
        Number(writer, s_throughput, record.ThroughputPerHour);
        writer.WriteEndObject();

        writer.WriteStartObject(s_energy);
        writer.WriteNumber(s_kwh, record.Kwh);
        Number(writer, s_kwhPerGoodPart, record.KwhPerGoodPart);
        Number(writer, s_idleEnergyShare, record.IdleEnergyShare);
        writer.WriteEndObject();

        writer.WriteStartObject(s_minorStops);
        writer.WriteNumber(s_count, record.MinorStops);
        writer.WriteNumber(s_seconds, record.MinorStopMs / 1000.0);
        writer.WriteString(s_policy, s_policyNames[(int)record.Cell.MinorStopPolicy]);
        writer.WriteNumber(s_thresholdS, record.Cell.MinorStopSeconds);
        writer.WriteEndObject();

        writer.WriteNumber(s_idealCycleS, record.Cell.IdealCycleSeconds);

        WriteAux(writer, record);

        writer.WriteStartObject(s_dataQuality);
        Number(writer, s_coverage, record.Coverage);
        writer.WriteNumber(s_sensorFaults, record.SensorFaults);
        if (stamp is { } synced)
        {
            writer.WriteBoolean(s_clockSynced, synced.ClockSynced);
        }

        writer.WriteEndObject();

        writer.WriteString(s_definitions, s_definitionsValue);
        writer.WriteEndObject();
    }

    /// <summary>Only for cells with Aux signals: name → samples, min, mean, max (null without samples).</summary>
    private static void WriteAux(Utf8JsonWriter writer, in WindowRecord record)
    {
        var signals = record.Cell.Signals;
        var index = 0;
        for (var i = 0; i < signals.Count; i++)
        {
            if (signals[i].Role != Signals.SignalRole.Aux)
            {
                continue;
            }

            if (index == 0)
            {
                writer.WriteStartObject(s_aux);
            }

            var stat = record.Aux(index++);
            writer.WriteStartObject(signals[i].Name);
            writer.WriteNumber(s_samples, stat.Count);
            Number(writer, s_min, stat.Count > 0 ? stat.Min : null);
            Number(writer, s_mean, stat.Count > 0 ? stat.Sum / stat.Count : null);
            Number(writer, s_max, stat.Count > 0 ? stat.Max : null);
            writer.WriteEndObject();
        }

        if (index > 0)
        {
            writer.WriteEndObject();
        }
    }

    private static void Number(Utf8JsonWriter writer, JsonEncodedText name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
