using System.Text.Json;

namespace EdgeGateway.Core.Kpi;

/// <summary>
/// The file form of an <see cref="EngineCheckpoint"/> (src/docs/kpi-model.md, "Live starts and restarts"): JSON with every window
/// accumulator by name, so that a checkpoint written by one version is read by the next or refused with a reason.
/// </summary>
public static class EngineCheckpointJson
{
    /// <summary>The format's version; a file of another version is refused (the restart then starts afresh).</summary>
    public const int Version = 1;

    /// <summary>Writes <paramref name="checkpoint"/> as UTF-8 JSON.</summary>
    public static void Write(Utf8JsonWriter json, EngineCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(checkpoint);
        json.WriteStartObject();
        json.WriteNumber("v", Version);
        json.WriteString("site", checkpoint.Site);
        json.WriteNumber("taken_at_ms", checkpoint.TakenAtMs);
        json.WriteStartArray("cells");
        foreach (var cell in checkpoint.Cells)
        {
            json.WriteStartObject();
            json.WriteString("cell", cell.Cell);
            json.WriteNumber("trace_start_ms", cell.TraceStartMs);
            json.WriteNumber("booked_through_ms", cell.BookedThroughMs);
            json.WriteNumber("aux_signals", cell.AuxSignals);
            if (cell.Article is not null)
            {
                json.WriteString("article", cell.Article);
            }

            json.WriteStartArray("kinds");
            foreach (var kind in cell.Kinds)
            {
                json.WriteStartObject();
                json.WriteString("kind", kind.Kind.Name());
                json.WriteStartArray("open");
                foreach (var window in kind.Open)
                {
                    WriteWindow(json, window, cell.AuxSignals);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Reads a checkpoint; throws <see cref="InputException"/> naming <paramref name="source"/> and what is wrong.</summary>
    public static EngineCheckpoint Read(ReadOnlySpan<byte> utf8Json, string source)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            var version = Long(root, "v");
            if (version != Version)
            {
                throw new FormatException($"format version {version}, this agent reads version {Version}");
            }

            var cells = new List<CellCheckpoint>();
            foreach (var cell in Array(root, "cells"))
            {
                var aux = (int)Long(cell, "aux_signals");
                if (aux is < 0 or > AuxChannels.Capacity)
                {
                    throw new FormatException($"aux_signals {aux} is not between 0 and {AuxChannels.Capacity}");
                }

                var kinds = new List<KindCheckpoint>();
                foreach (var kind in Array(cell, "kinds"))
                {
                    var name = String(kind, "kind");
                    if (!WindowKinds.TryParse(name, out var windowKind))
                    {
                        throw new FormatException($"unknown window kind '{name}'");
                    }

                    kinds.Add(new KindCheckpoint(windowKind, [.. Array(kind, "open").Select(w => ReadWindow(w, aux))]));
                }

                cells.Add(new CellCheckpoint(String(cell, "cell"), Long(cell, "trace_start_ms"), Long(cell, "booked_through_ms"), aux, kinds)
                {
                    Article = cell.TryGetProperty("article", out var article) ? article.GetString() : null,
                });
            }

            return new EngineCheckpoint(String(root, "site"), Long(root, "taken_at_ms"), cells);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw new InputException(source, 0, $"not a checkpoint of the windows in progress: {e.Message}");
        }
    }

    private static void WriteWindow(Utf8JsonWriter json, in WindowTotals w, int auxSignals)
    {
        json.WriteStartObject();
        json.WriteNumber("start", w.Start);
        json.WriteNumber("end", w.End);
        json.WriteStartArray("buckets_ms");
        for (var b = 0; b < BucketDurations.BucketCount; b++)
        {
            json.WriteNumberValue(w.Buckets[b]);
        }

        json.WriteEndArray();
        json.WriteNumber("produced", w.Produced);
        json.WriteNumber("scrap", w.Scrap);
        json.WriteNumber("unattended_produced", w.UnattendedProduced);
        json.WriteNumber("unattended_scrap", w.UnattendedScrap);
        json.WriteNumber("minor_stops", w.MinorStops);
        json.WriteNumber("minor_stop_ms", w.MinorStopMs);
        json.WriteNumber("failures", w.Failures);
        json.WriteNumber("failure_ms", w.FailureMs);
        json.WriteNumber("energy_kw_ms", w.EnergyKwMs);
        json.WriteNumber("non_run_energy_kw_ms", w.NonRunEnergyKwMs);
        json.WriteNumber("sensor_faults", w.SensorFaults);
        json.WriteStartArray("aux");
        for (var i = 0; i < auxSignals; i++)
        {
            var stat = w.Aux[i];
            json.WriteStartObject();
            json.WriteNumber("count", stat.Count);
            json.WriteNumber("sum", stat.Sum);
            json.WriteNumber("min", stat.Min);
            json.WriteNumber("max", stat.Max);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        // Added after version 1 without changing it: a file without them holds none (written before reasons and articles).
        json.WriteNumber("unassigned_stops", w.UnassignedStops);
        WriteCounts(json, "reason_ms", w.ReasonMs);
        WriteCounts(json, "article_cycles", w.ArticleCycles);
        WriteCounts(json, "article_scrap", w.ArticleScrap);
        json.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter json, string name, ReadOnlySpan<int> counts)
    {
        json.WriteStartArray(name);
        foreach (var count in counts)
        {
            json.WriteNumberValue(count);
        }

        json.WriteEndArray();
    }

    private static void WriteCounts(Utf8JsonWriter json, string name, ReadOnlySpan<long> counts)
    {
        json.WriteStartArray(name);
        foreach (var count in counts)
        {
            json.WriteNumberValue(count);
        }

        json.WriteEndArray();
    }

    private static void ReadCounts(JsonElement w, string name, Span<int> counts)
    {
        Span<long> wide = stackalloc long[counts.Length];
        ReadCounts(w, name, wide);
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = wide[i] is >= 0 and <= int.MaxValue ? (int)wide[i] : throw new FormatException($"'{name}' holds {wide[i]}, not a count");
        }
    }

    private static void ReadCounts(JsonElement w, string name, Span<long> counts)
    {
        if (!w.TryGetProperty(name, out var array))
        {
            return;
        }

        if (array.GetArrayLength() != counts.Length)
        {
            throw new FormatException($"'{name}' has {array.GetArrayLength()} values, not {counts.Length}");
        }

        var i = 0;
        foreach (var value in array.EnumerateArray())
        {
            counts[i++] = value.GetInt64();
        }
    }

    private static WindowTotals ReadWindow(JsonElement w, int auxSignals)
    {
        var totals = new WindowTotals
        {
            Start = Long(w, "start"),
            End = Long(w, "end"),
            Produced = Long(w, "produced"),
            Scrap = Long(w, "scrap"),
            UnattendedProduced = Long(w, "unattended_produced"),
            UnattendedScrap = Long(w, "unattended_scrap"),
            MinorStops = Long(w, "minor_stops"),
            MinorStopMs = Long(w, "minor_stop_ms"),
            Failures = Long(w, "failures"),
            FailureMs = Long(w, "failure_ms"),
            EnergyKwMs = Double(w, "energy_kw_ms"),
            NonRunEnergyKwMs = Double(w, "non_run_energy_kw_ms"),
            SensorFaults = Long(w, "sensor_faults"),
            UnassignedStops = w.TryGetProperty("unassigned_stops", out var unassigned) ? unassigned.GetInt64() : 0,
        };
        ReadCounts(w, "reason_ms", totals.ReasonMs);
        ReadCounts(w, "article_cycles", totals.ArticleCycles);
        ReadCounts(w, "article_scrap", totals.ArticleScrap);
        if (!w.TryGetProperty("article_cycles", out _))
        {
            // Before articles every cycle was one part, of no article.
            totals.ArticleCycles[0] = totals.Produced <= int.MaxValue ? (int)totals.Produced : throw new FormatException($"produced {totals.Produced} is beyond a window's count");
        }
        var buckets = Array(w, "buckets_ms");
        if (buckets.Count != BucketDurations.BucketCount)
        {
            throw new FormatException($"a window has {buckets.Count} buckets, not {BucketDurations.BucketCount}");
        }

        for (var b = 0; b < buckets.Count; b++)
        {
            totals.Buckets[b] = buckets[b].GetInt64();
        }

        var aux = Array(w, "aux");
        if (aux.Count != auxSignals)
        {
            throw new FormatException($"a window has {aux.Count} aux statistics, not {auxSignals}");
        }

        for (var i = 0; i < aux.Count; i++)
        {
            totals.Aux[i] = new AuxStat { Count = Long(aux[i], "count"), Sum = Double(aux[i], "sum"), Min = Double(aux[i], "min"), Max = Double(aux[i], "max") };
        }

        return totals;
    }

    private static long Long(JsonElement e, string name) => e.GetProperty(name).GetInt64();

    private static double Double(JsonElement e, string name) => e.GetProperty(name).GetDouble();

    private static string String(JsonElement e, string name) =>
        e.GetProperty(name).GetString() ?? throw new FormatException($"'{name}' is null");

    private static List<JsonElement> Array(JsonElement e, string name) => [.. e.GetProperty(name).EnumerateArray()];
}
