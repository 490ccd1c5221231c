using System.Globalization;
using System.Text.Json;

namespace EdgeGateway.Ingest.Tests.Integration;

/// <summary>
/// What identifies a point (its series and time) and the values the tests compare. <see cref="Window"/> is the window
/// kind, for a kpi_reason or kpi_article point followed by its code or article tag (<c>shift reason=JAM</c>), so that
/// the key names one series; these points have no sequence number or gateway (0 and empty).
/// </summary>
internal sealed record StoredPoint(string Measurement, string Cell, string Window, long TimeMs, long Seq, string Gateway, string Values);

/// <summary>
/// The KPI and state records as published (the payloads a separate subscriber saw) against the points in InfluxDB
/// (src/docs/influxdb-schema.md): same keys — measurement, cell, window kind (with the reason or article), time (window
/// start or <c>at</c>) — and, per key, the same sequence number, gateway and values (every bucket and count, minor stops,
/// availability, OEE, kWh; <c>state</c>; a KPI record's <c>reasons</c> as kpi_reason <c>seconds</c> and its
/// <c>articles</c> as kpi_article <c>produced</c>, <c>scrap</c>, <c>good</c>).
/// </summary>
internal static class StoredRecords
{
    /// <summary>The measurement of a KPI record's reason seconds, tag <c>reason</c>.</summary>
    public const string Reason = "kpi_reason";

    /// <summary>The measurement of a KPI record's parts per article, tag <c>article</c>.</summary>
    public const string Article = "kpi_article";

    private static readonly string[] s_buckets = ["run", "setup", "down", "idle", "planned_stop", "unplanned_time", "unknown"];
    private static readonly string[] s_counts = ["produced", "good", "scrap", "unattended_good", "failures"];
    private static readonly string[] s_ratios = ["availability", "oee", "kwh"];
    private static readonly string[] s_articleCounts = ["produced", "scrap", "good"];

    /// <summary>The points the payloads should become, by key.</summary>
    public static Dictionary<(string, string, string, long), StoredPoint> Expected(IEnumerable<byte[]> payloads)
    {
        var expected = new Dictionary<(string, string, string, long), StoredPoint>();
        foreach (var payload in payloads)
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            var cell = root.GetProperty("cell").GetString()!;
            var seq = root.GetProperty("seq").GetInt64();
            var gateway = root.GetProperty("gateway").GetString()!;
            StoredPoint point;
            if (root.TryGetProperty("window", out var window))
            {
                AddContext(expected, root, cell, window.GetProperty("kind").GetString()!, Ms(window.GetProperty("start").GetString()!));
                var kpi = root.GetProperty("kpi");
                var counts = root.GetProperty("counts");
                var buckets = root.GetProperty("buckets");
                var values = Values(
                    [.. s_buckets.Select(b => buckets.GetProperty(b).GetDouble())],
                    [.. s_counts.Select(c => counts.GetProperty(c).GetInt64()), root.GetProperty("minor_stops").GetProperty("count").GetInt64()],
                    [Nullable(kpi.GetProperty("availability")), Nullable(kpi.GetProperty("oee")), Nullable(root.GetProperty("energy").GetProperty("kwh"))]);
                point = new StoredPoint("kpi", cell, window.GetProperty("kind").GetString()!, Ms(window.GetProperty("start").GetString()!), seq, gateway, values);
            }
            else
            {
                point = new StoredPoint("state", cell, "", Ms(root.GetProperty("at").GetString()!), seq, gateway, root.GetProperty("state").GetString()!);
            }

            Add(expected, point);
        }

        return expected;
    }

    /// <summary>A KPI record's kpi_reason points (one per code in <c>reasons</c>) and kpi_article points (one per article in <c>articles</c>).</summary>
    private static void AddContext(Dictionary<(string, string, string, long), StoredPoint> expected, JsonElement root, string cell, string window, long timeMs)
    {
        if (root.TryGetProperty("reasons", out var reasons))
        {
            foreach (var reason in reasons.EnumerateObject())
            {
                Add(expected, new StoredPoint(Reason, cell, $"{window} reason={reason.Name}", timeMs, 0, "", Seconds(reason.Value.GetDouble())));
            }
        }

        if (root.TryGetProperty("articles", out var articles))
        {
            foreach (var article in articles.EnumerateObject())
            {
                Add(expected, new StoredPoint(Article, cell, $"{window} article={article.Name}", timeMs, 0, "", Parts([.. s_articleCounts.Select(c => article.Value.GetProperty(c).GetInt64())])));
            }
        }
    }

    private static void Add(Dictionary<(string, string, string, long), StoredPoint> expected, StoredPoint point) =>
        Assert.True(expected.TryAdd((point.Measurement, point.Cell, point.Window, point.TimeMs), point), $"two records share the key of {point}: the second would overwrite the first in InfluxDB");

    /// <summary>Every kpi, kpi_reason, kpi_article and state point in the database, by key.</summary>
    public static Dictionary<(string, string, string, long), StoredPoint> Read(InfluxDb influx)
    {
        var stored = new Dictionary<(string, string, string, long), StoredPoint>();
        var fields = string.Join(", ", s_buckets.Select(b => $"\"{b}_s\"").Concat(s_counts.Select(c => $"\"{c}\"")).Append("\"minor_stops\"").Concat(s_ratios.Select(r => $"\"{r}\"")));
        foreach (var row in influx.Rows($"""SELECT "cell", "window", "seq", "gateway", {fields} FROM "kpi" """))
        {
            const int first = 5;
            var point = new StoredPoint("kpi", row[1].GetString()!, row[2].GetString()!, Ms(row[0].GetString()!), row[3].GetInt64(), row[4].GetString()!,
                Values(
                    [.. row[first..(first + s_buckets.Length)].Select(v => v.GetDouble())],
                    [.. row[(first + s_buckets.Length)..(first + s_buckets.Length + s_counts.Length + 1)].Select(v => v.GetInt64())],
                    [.. row[(first + s_buckets.Length + s_counts.Length + 1)..].Select(Nullable)]));
            stored.Add((point.Measurement, point.Cell, point.Window, point.TimeMs), point);
        }

        foreach (var row in influx.Rows("""SELECT "cell", "seq", "gateway", "state" FROM "state" """))
        {
            var point = new StoredPoint("state", row[1].GetString()!, "", Ms(row[0].GetString()!), row[2].GetInt64(), row[3].GetString()!, row[4].GetString()!);
            stored.Add((point.Measurement, point.Cell, point.Window, point.TimeMs), point);
        }

        foreach (var row in influx.Rows($"""SELECT "cell", "window", "reason", "seconds" FROM "{Reason}" """))
        {
            var point = new StoredPoint(Reason, row[1].GetString()!, $"{row[2].GetString()} reason={row[3].GetString()}", Ms(row[0].GetString()!), 0, "", Seconds(row[4].GetDouble()));
            stored.Add((point.Measurement, point.Cell, point.Window, point.TimeMs), point);
        }

        foreach (var row in influx.Rows($"""SELECT "cell", "window", "article", "produced", "scrap", "good" FROM "{Article}" """))
        {
            var point = new StoredPoint(Article, row[1].GetString()!, $"{row[2].GetString()} article={row[3].GetString()}", Ms(row[0].GetString()!), 0, "", Parts([.. row[4..].Select(v => v.GetInt64())]));
            stored.Add((point.Measurement, point.Cell, point.Window, point.TimeMs), point);
        }

        return stored;
    }

    /// <summary>How many kpi, kpi_reason, kpi_article and state points the database holds.</summary>
    public static long Count(InfluxDb influx) =>
        (long)influx.Scalar("""SELECT count("seq") FROM "kpi" """) + (long)influx.Scalar("""SELECT count("seq") FROM "state" """) +
        (long)influx.Scalar($"""SELECT count("seconds") FROM "{Reason}" """) + (long)influx.Scalar($"""SELECT count("produced") FROM "{Article}" """);

    /// <summary>Waits until the database holds <paramref name="count"/> kpi, kpi_reason, kpi_article and state points (or more: the comparison then says which).</summary>
    public static Task WaitForCountAsync(InfluxDb influx, long count, TimeSpan timeout, Func<string> describe) =>
        Poll.Until(() => Count(influx), stored => stored >= count, timeout, $"{count} points in InfluxDB", stored => $"{stored} points. {describe()}");

    /// <summary>The database holds exactly the points of <paramref name="expected"/>: none missing, none extra, every value equal.</summary>
    public static void AssertExactly(Dictionary<(string, string, string, long), StoredPoint> expected, Dictionary<(string, string, string, long), StoredPoint> stored)
    {
        var missing = expected.Keys.Where(key => !stored.ContainsKey(key)).ToList();
        var extra = stored.Keys.Where(key => !expected.ContainsKey(key)).ToList();
        var different = expected.Where(e => stored.TryGetValue(e.Key, out var s) && s != e.Value).Select(e => $"published {e.Value}\n  stored    {stored[e.Key]}").ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {expected.Count} records are not in InfluxDB, e.g. {string.Join(", ", missing.Take(5).Select(k => expected[k]))}");
        Assert.True(extra.Count == 0, $"InfluxDB holds {extra.Count} points nobody published, e.g. {string.Join(", ", extra.Take(5).Select(k => stored[k]))}");
        Assert.True(different.Count == 0, $"{different.Count} points differ from their records, e.g.\n  {string.Join("\n  ", different.Take(5))}");
        Assert.Equal(expected.Count, stored.Count);
    }

    /// <summary>
    /// The compared values, named as in InfluxDB: every bucket (seconds), every count, the minor stops, and the
    /// availability, OEE and energy (null when the payload has null: InfluxDB then has no field).
    /// </summary>
    private static string Values(double[] buckets, long[] counts, double?[] ratios)
    {
        var parts = new List<string>();
        parts.AddRange(s_buckets.Select((b, i) => string.Create(CultureInfo.InvariantCulture, $"{b}_s={buckets[i]:R}")));
        parts.AddRange(s_counts.Append("minor_stops").Select((c, i) => string.Create(CultureInfo.InvariantCulture, $"{c}={counts[i]}")));
        parts.AddRange(s_ratios.Select((r, i) => $"{r}={ratios[i]?.ToString("R", CultureInfo.InvariantCulture) ?? "null"}"));
        return string.Join(' ', parts);
    }

    /// <summary>The compared value of a kpi_reason point.</summary>
    private static string Seconds(double seconds) => string.Create(CultureInfo.InvariantCulture, $"seconds={seconds:R}");

    /// <summary>The compared values of a kpi_article point: produced, scrap, good.</summary>
    private static string Parts(long[] counts) => string.Join(' ', s_articleCounts.Select((c, i) => string.Create(CultureInfo.InvariantCulture, $"{c}={counts[i]}")));

    private static double? Nullable(JsonElement value) => value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static long Ms(string time) => DateTimeOffset.Parse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds();
}
