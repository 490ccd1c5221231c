using System.Globalization;
using EdgeGateway.Tests.Shared;

namespace EdgeGateway.Ingest.Tests.Integration.Faults;

/// <summary>
/// The points in InfluxDB against the ground truth, record by record: missing, extra, duplicated (two stored windows
/// of one cell and kind that overlap: a window delivered twice under different starts, since an identical re-delivery
/// overwrites itself), differing values, and the count per cell and window kind.
/// </summary>
internal sealed record FaultOutcome(
    int Expected,
    int Stored,
    IReadOnlyList<StoredPoint> Missing,
    IReadOnlyList<StoredPoint> Extra,
    IReadOnlyList<string> Duplicates,
    IReadOnlyList<string> Differing,
    IReadOnlyList<string> CountsPerSeries)
{
    /// <summary>Compares <paramref name="stored"/> with <paramref name="expected"/>; a sequence number 0 in the truth means "any".</summary>
    public static FaultOutcome Compare(
        Dictionary<(string, string, string, long), StoredPoint> expected, Dictionary<(string, string, string, long), StoredPoint> stored, InfluxDb influx)
    {
        var missing = expected.Where(e => !stored.ContainsKey(e.Key)).Select(e => e.Value).OrderBy(p => p.TimeMs).ToList();
        var extra = stored.Where(s => !expected.ContainsKey(s.Key)).Select(s => s.Value).OrderBy(p => p.TimeMs).ToList();
        var differing = expected
            .Where(e => stored.TryGetValue(e.Key, out var s) && !Same(e.Value, s))
            .Select(e => $"expected {e.Value}\n    stored {stored[e.Key]}")
            .ToList();
        var counts = expected.Values.Concat(stored.Values)
            .Select(p => (p.Measurement, p.Cell, p.Window)).Distinct().Order()
            .Select(series => (series, e: expected.Values.Count(p => (p.Measurement, p.Cell, p.Window) == series), s: stored.Values.Count(p => (p.Measurement, p.Cell, p.Window) == series)))
            .Select(c => $"{c.series.Measurement} {c.series.Cell} {c.series.Window}: {c.e} expected, {c.s} stored".Replace("  ", " ", StringComparison.Ordinal))
            .ToList();
        return new FaultOutcome(expected.Count, stored.Count, missing, extra, Overlapping(influx), differing, counts);
    }

    /// <summary>Whether nothing is missing, extra, duplicated or different.</summary>
    public bool Exact => Missing.Count == 0 && Extra.Count == 0 && Duplicates.Count == 0 && Differing.Count == 0 && Expected == Stored;

    /// <summary>The line for the closing note: expected / stored / missing / duplicates.</summary>
    public string Summary =>
        $"expected {Expected} / stored {Stored} / missing {Missing.Count} / duplicates {Duplicates.Count} / extra {Extra.Count} / differing {Differing.Count}";

    /// <summary>Fails, naming the first missing, extra, duplicated and differing records, unless the outcome is exact.</summary>
    public void AssertExact(string scenario)
    {
        Assert.True(Exact, $"""
            {scenario}: InfluxDB does not hold exactly the ground truth: {Summary}
            per series: {string.Join("; ", CountsPerSeries)}
            missing, e.g.: {Describe(Missing)}
            extra, e.g.: {Describe(Extra)}
            duplicated windows, e.g.: {string.Join("; ", Duplicates.Take(5))}
            differing, e.g.:
              {string.Join("\n  ", Differing.Take(5))}
            """);
    }

    /// <summary>Stored kpi points whose window starts before the previous window of the same cell and kind has ended.</summary>
    private static List<string> Overlapping(InfluxDb influx)
    {
        var overlaps = new List<string>();
        using var document = influx.Query("""SELECT "window_s" FROM "kpi" GROUP BY "cell", "window" """);
        var result = document.RootElement.GetProperty("results")[0];
        if (!result.TryGetProperty("series", out var series))
        {
            return overlaps;
        }

        foreach (var one in series.EnumerateArray())
        {
            var tags = one.GetProperty("tags");
            var name = $"{tags.GetProperty("cell").GetString()} {tags.GetProperty("window").GetString()}";
            var previousEnd = long.MinValue;
            var previousStart = "";
            foreach (var row in one.GetProperty("values").EnumerateArray())
            {
                var startText = row[0].GetString()!;
                var start = DateTimeOffset.Parse(startText, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
                if (start < previousEnd)
                {
                    overlaps.Add($"{name} window at {startText} overlaps the one at {previousStart}");
                }

                previousEnd = Math.Max(previousEnd, start + (long)Math.Round(row[1].GetDouble() * 1000));
                previousStart = startText;
            }
        }

        return overlaps;
    }

    private static bool Same(StoredPoint expected, StoredPoint stored) =>
        expected.Values == stored.Values && expected.Gateway == stored.Gateway && (expected.Seq == 0 || expected.Seq == stored.Seq);

    private static string Describe(IReadOnlyList<StoredPoint> points) =>
        points.Count == 0 ? "none" : $"{string.Join("; ", points.Take(5).Select(p => $"{p.Measurement} {p.Cell} {p.Window} {DateTimeOffset.FromUnixTimeMilliseconds(p.TimeMs):yyyy-MM-ddTHH:mm:ss.fffZ} seq {p.Seq}"))}{(points.Count > 5 ? $" … (last {DateTimeOffset.FromUnixTimeMilliseconds(points[^1].TimeMs):yyyy-MM-ddTHH:mm:ss.fffZ})" : "")}";
}
