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
    private static readonly JsonEncodedText s_v = JsonEncodedText.Encode(KpiPayload.V);
    private static readonly JsonEncodedText s_site = JsonEncodedText.Encode(KpiPayload.Site);
    private static readonly JsonEncodedText s_cell = JsonEncodedText.Encode(KpiPayload.Cell);
    private static readonly JsonEncodedText s_window = JsonEncodedText.Encode(KpiPayload.Window);
    private static readonly JsonEncodedText s_kind = JsonEncodedText.Encode(KpiPayload.Kind);
    private static readonly JsonEncodedText s_start = JsonEncodedText.Encode(KpiPayload.Start);
    private static readonly JsonEncodedText s_end = JsonEncodedText.Encode(KpiPayload.End);
    private static readonly JsonEncodedText s_buckets = JsonEncodedText.Encode(KpiPayload.Buckets);
    private static readonly JsonEncodedText[] s_bucketNames = EncodedNames.Of(KpiPayload.BucketNames);

    private static readonly JsonEncodedText[] s_kindNames = EncodedNames.Of(WindowKinds.Names);

    private static readonly JsonEncodedText s_counts = JsonEncodedText.Encode(KpiPayload.Counts);
    private static readonly JsonEncodedText s_produced = JsonEncodedText.Encode(KpiPayload.Produced);
    private static readonly JsonEncodedText s_good = JsonEncodedText.Encode(KpiPayload.Good);
    private static readonly JsonEncodedText s_scrap = JsonEncodedText.Encode(KpiPayload.Scrap);
    private static readonly JsonEncodedText s_unattendedGood = JsonEncodedText.Encode(KpiPayload.UnattendedGood);
    private static readonly JsonEncodedText s_kpi = JsonEncodedText.Encode(KpiPayload.Kpi);
    private static readonly JsonEncodedText s_failures = JsonEncodedText.Encode(KpiPayload.Failures);
    private static readonly JsonEncodedText s_energy = JsonEncodedText.Encode(KpiPayload.Energy);
    private static readonly JsonEncodedText s_kwh = JsonEncodedText.Encode(KpiPayload.Kwh);
    private static readonly JsonEncodedText s_kwhPerGoodPart = JsonEncodedText.Encode(KpiPayload.KwhPerGoodPart);
    private static readonly JsonEncodedText s_idleEnergyShare = JsonEncodedText.Encode(KpiPayload.IdleEnergyShare);
    private static readonly JsonEncodedText s_minorStops = JsonEncodedText.Encode(KpiPayload.MinorStops);
    private static readonly JsonEncodedText s_count = JsonEncodedText.Encode(KpiPayload.Count);
    private static readonly JsonEncodedText s_seconds = JsonEncodedText.Encode(KpiPayload.Seconds);
    private static readonly JsonEncodedText s_policy = JsonEncodedText.Encode(KpiPayload.Policy);
    private static readonly JsonEncodedText s_thresholdS = JsonEncodedText.Encode(KpiPayload.ThresholdS);
    private static readonly JsonEncodedText s_idealCycleS = JsonEncodedText.Encode(KpiPayload.IdealCycleS);
    private static readonly JsonEncodedText s_dataQuality = JsonEncodedText.Encode(KpiPayload.DataQuality);
    private static readonly JsonEncodedText s_coverage = JsonEncodedText.Encode(KpiPayload.Coverage);
    private static readonly JsonEncodedText s_gateway = JsonEncodedText.Encode(KpiPayload.Gateway);
    private static readonly JsonEncodedText s_seq = JsonEncodedText.Encode(KpiPayload.Seq);
    private static readonly JsonEncodedText s_clockSynced = JsonEncodedText.Encode(KpiPayload.ClockSynced);
    private static readonly JsonEncodedText s_sensorFaults = JsonEncodedText.Encode(KpiPayload.SensorFaults);
    private static readonly JsonEncodedText s_aux = JsonEncodedText.Encode(KpiPayload.Aux);
    private static readonly JsonEncodedText s_mean = JsonEncodedText.Encode(KpiPayload.Mean);
    private static readonly JsonEncodedText s_min = JsonEncodedText.Encode(KpiPayload.Min);
    private static readonly JsonEncodedText s_max = JsonEncodedText.Encode(KpiPayload.Max);
    private static readonly JsonEncodedText s_samples = JsonEncodedText.Encode(KpiPayload.Samples);
    private static readonly JsonEncodedText s_definitions = JsonEncodedText.Encode(KpiPayload.Definitions);
    private static readonly JsonEncodedText s_definitionsValue = JsonEncodedText.Encode(WindowRecord.Definitions);
    private static readonly JsonEncodedText[] s_policyNames = EncodedNames.Of(KpiPayload.Policies);
    private static readonly JsonEncodedText[] s_kpiNames = EncodedNames.Of(KpiPayload.KpiNames);

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
        Number(writer, s_kpiNames[0], record.Availability);
        Number(writer, s_kpiNames[1], record.Effectiveness);
        Number(writer, s_kpiNames[2], record.Quality);
        Number(writer, s_kpiNames[3], record.Oee);
        Number(writer, s_kpiNames[4], record.Nee);
        Number(writer, s_kpiNames[5], record.TechnicalEfficiency);
        Number(writer, s_kpiNames[6], record.SetupRate);
        Number(writer, s_kpiNames[7], record.Teep);
        Number(writer, s_kpiNames[8], record.ScrapRatio);
        Number(writer, s_kpiNames[9], record.MtbfSeconds);
        Number(writer, s_kpiNames[10], record.MttrSeconds);
        Number(writer, s_kpiNames[11], record.ThroughputPerHour);
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
