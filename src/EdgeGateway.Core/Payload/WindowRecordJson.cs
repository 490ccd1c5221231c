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
    private static readonly JsonEncodedText s_gateway = JsonEncodedText.Encode(KpiPayload.Gateway);
    private static readonly JsonEncodedText s_seq = JsonEncodedText.Encode(KpiPayload.Seq);
    private static readonly JsonEncodedText s_window = JsonEncodedText.Encode(KpiPayload.Window);
    private static readonly JsonEncodedText s_kind = JsonEncodedText.Encode(KpiPayload.Kind);
    private static readonly JsonEncodedText s_start = JsonEncodedText.Encode(KpiPayload.Start);
    private static readonly JsonEncodedText s_end = JsonEncodedText.Encode(KpiPayload.End);
    private static readonly JsonEncodedText[] s_kindNames = EncodedNames.Of(WindowKinds.Names);
    private static readonly JsonEncodedText s_aux = JsonEncodedText.Encode(KpiPayload.Aux);
    private static readonly JsonEncodedText s_mean = JsonEncodedText.Encode(KpiPayload.Mean);
    private static readonly JsonEncodedText s_min = JsonEncodedText.Encode(KpiPayload.Min);
    private static readonly JsonEncodedText s_max = JsonEncodedText.Encode(KpiPayload.Max);
    private static readonly JsonEncodedText s_samples = JsonEncodedText.Encode(KpiPayload.Samples);
    private static readonly JsonEncodedText s_reasons = JsonEncodedText.Encode(KpiPayload.Reasons);
    private static readonly JsonEncodedText s_articles = JsonEncodedText.Encode(KpiPayload.Articles);
    private static readonly JsonEncodedText s_produced = JsonEncodedText.Encode(KpiPayload.Produced);
    private static readonly JsonEncodedText s_scrap = JsonEncodedText.Encode(KpiPayload.Scrap);
    private static readonly JsonEncodedText s_good = JsonEncodedText.Encode(KpiPayload.Good);
    private static readonly JsonEncodedText s_clockSynced = JsonEncodedText.Encode(KpiPayload.ClockSynced);
    private static readonly JsonEncodedText s_definitions = JsonEncodedText.Encode(KpiPayload.Definitions);
    private static readonly JsonEncodedText s_definitionsValue = JsonEncodedText.Encode(WindowRecord.Definitions);
    private static readonly (string Name, JsonEncodedText Encoded, KpiField[] Fields)[] s_objects =
        [.. KpiFields.Objects.Select(o => (o.Name, JsonEncodedText.Encode(o.Name), o.Fields))];

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

        foreach (var (name, encoded, fields) in s_objects)
        {
            if (name == KpiPayload.DataQuality)
            {
                // The Aux statistics, reasons and articles stand before data_quality, which the gateway's clock closes.
                WriteAux(writer, record);
                WriteReasons(writer, record);
                WriteArticles(writer, record);
            }

            if (name.Length > 0)
            {
                writer.WriteStartObject(encoded);
            }

            foreach (var field in fields)
            {
                WriteField(writer, field, record);
            }

            if (name == KpiPayload.DataQuality && stamp is { } synced)
            {
                writer.WriteBoolean(s_clockSynced, synced.ClockSynced);
            }

            if (name.Length > 0)
            {
                writer.WriteEndObject();
            }
        }

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

    /// <summary>Only with reasons configured: code → seconds, the codes that booked time in the window.</summary>
    private static void WriteReasons(Utf8JsonWriter writer, in WindowRecord record)
    {
        var codes = record.Cell.Reasons.Codes;
        if (codes.Count == 0)
        {
            return;
        }

        writer.WriteStartObject(s_reasons);
        for (var i = 0; i < codes.Count; i++)
        {
            if (record.ReasonSeconds(i) > 0)
            {
                writer.WriteNumber(codes[i].Code, record.ReasonSeconds(i));
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Only with articles configured: id → produced, scrap, good, the articles with parts in the window.</summary>
    private static void WriteArticles(Utf8JsonWriter writer, in WindowRecord record)
    {
        var articles = record.Cell.Articles;
        if (articles.Count == 0)
        {
            return;
        }

        writer.WriteStartObject(s_articles);
        for (var i = 0; i < articles.Count; i++)
        {
            if (record.ArticleSeen(i))
            {
                writer.WriteStartObject(articles[i].Id);
                writer.WriteNumber(s_produced, record.ArticleProduced(i));
                writer.WriteNumber(s_scrap, record.ArticleScrap(i));
                writer.WriteNumber(s_good, record.ArticleProduced(i) - record.ArticleScrap(i));
                writer.WriteEndObject();
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteField(Utf8JsonWriter writer, KpiField field, in WindowRecord record)
    {
        var value = field.Value(record);
        switch (field.Type)
        {
            case KpiFieldType.WholeNumber:
                writer.WriteNumber(field.EncodedName, (long)value!.Value);
                break;
            case KpiFieldType.Choice:
                writer.WriteString(field.EncodedName, field.EncodedChoices[(int)value!.Value]);
                break;
            default:
                Number(writer, field.EncodedName, value);
                break;
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
