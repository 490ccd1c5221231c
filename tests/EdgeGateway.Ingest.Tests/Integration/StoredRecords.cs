using System.Globalization;
using System.Text.Json;
using EdgeGateway.Tests.Shared;

namespace EdgeGateway.Ingest.Tests.Integration;

/// <summary>What identifies a point (its series and time) and the values the tests compare.</summary>
internal sealed record StoredPoint(string Measurement, string Cell, string Window, long TimeMs, long Seq, string Gateway, string Values);

/// <summary>
/// The KPI and state records as published (the payloads a separate subscriber saw) against the points in InfluxDB
/// (src/README.md, "InfluxDB schema"): same keys — measurement, cell, window kind, time (window start or <c>at</c>) — and,
/// per key, the same sequence number, gateway and values (<c>run_s</c>, <c>good</c>, <c>produced</c>, <c>oee</c>, <c>kwh</c>;
/// <c>state</c>).
/// </summary>
internal static class StoredRecords
{
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
                var kpi = root.GetProperty("kpi");
                var counts = root.GetProperty("counts");
                var values = Values(
                    root.GetProperty("buckets").GetProperty("run").GetDouble(),
                    counts.GetProperty("good").GetInt64(),
                    counts.GetProperty("produced").GetInt64(),
                    kpi.GetProperty("oee") is { ValueKind: JsonValueKind.Number } oee ? oee.GetDouble() : null,
                    root.GetProperty("energy").GetProperty("kwh") is { ValueKind: JsonValueKind.Number } kwh ? kwh.GetDouble() : null);
                point = new StoredPoint("kpi", cell, window.GetProperty("kind").GetString()!, Ms(window.GetProperty("start").GetString()!), seq, gateway, values);
            }
            else
            {
                point = new StoredPoint("state", cell, "", Ms(root.GetProperty("at").GetString()!), seq, gateway, root.GetProperty("state").GetString()!);
            }

            Assert.True(expected.TryAdd((point.Measurement, point.Cell, point.Window, point.TimeMs), point), $"two records share the key of {point}: the second would overwrite the first in InfluxDB");
        }

        return expected;
    }

    /// <summary>Every kpi and state point in the database, by key.</summary>
    public static Dictionary<(string, string, string, long), StoredPoint> Read(InfluxDb influx)
    {
        var stored = new Dictionary<(string, string, string, long), StoredPoint>();
        foreach (var row in influx.Rows("""SELECT "cell", "window", "seq", "gateway", "run_s", "good", "produced", "oee", "kwh" FROM "kpi" """))
        {
            var point = new StoredPoint("kpi", row[1].GetString()!, row[2].GetString()!, Ms(row[0].GetString()!), row[3].GetInt64(), row[4].GetString()!,
                Values(row[5].GetDouble(), row[6].GetInt64(), row[7].GetInt64(), Nullable(row[8]), Nullable(row[9])));
            stored.Add((point.Measurement, point.Cell, point.Window, point.TimeMs), point);
        }

        foreach (var row in influx.Rows("""SELECT "cell", "seq", "gateway", "state" FROM "state" """))
        {
            var point = new StoredPoint("state", row[1].GetString()!, "", Ms(row[0].GetString()!), row[2].GetInt64(), row[3].GetString()!, row[4].GetString()!);
            stored.Add((point.Measurement, point.Cell, point.Window, point.TimeMs), point);
        }

        return stored;
    }

    /// <summary>How many kpi and state points the database holds.</summary>
    public static long Count(InfluxDb influx) =>
        (long)influx.Scalar("""SELECT count("seq") FROM "kpi" """) + (long)influx.Scalar("""SELECT count("seq") FROM "state" """);

    /// <summary>Waits until the database holds <paramref name="count"/> kpi and state points (or more: the comparison then says which).</summary>
    public static Task WaitForCountAsync(InfluxDb influx, long count, TimeSpan timeout, Func<string> describe) =>
        Poll.Until(() => Count(influx), stored => stored >= count, timeout, $"{count} kpi and state points in InfluxDB", stored => $"{stored} points. {describe()}");

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

    private static string Values(double run, long good, long produced, double? oee, double? kwh) =>
        string.Create(CultureInfo.InvariantCulture, $"run_s={run:R} good={good} produced={produced} oee={oee?.ToString("R", CultureInfo.InvariantCulture) ?? "null"} kwh={kwh?.ToString("R", CultureInfo.InvariantCulture) ?? "null"}");

    private static double? Nullable(JsonElement value) => value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static long Ms(string time) => DateTimeOffset.Parse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds();
}
