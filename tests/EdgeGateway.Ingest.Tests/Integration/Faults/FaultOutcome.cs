using System.Globalization;

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
    IReadOnlyList<string> CountsPerSeries,
    IReadOnlyList<string> MissingRuns)
{
    /// <summary>Records the agent counted as dropped (its outbox could not hold them).</summary>
    public long Dropped { get; init; }

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
        return new FaultOutcome(expected.Count, stored.Count, missing, extra, Overlapping(influx), differing, counts, Runs(expected, stored));
    }

    /// <summary>Whether nothing is missing, extra, duplicated or different.</summary>
    public bool Exact => Missing.Count == 0 && Extra.Count == 0 && Duplicates.Count == 0 && Differing.Count == 0 && Expected == Stored;

    /// <summary>The line for the closing note: expected / stored / missing / duplicates.</summary>
    public string Summary =>
        $"expected {Expected} / stored {Stored} / missing {Missing.Count} / duplicates {Duplicates.Count} / extra {Extra.Count} / differing {Differing.Count}{(Dropped > 0 ? $" / dropped by the agent {Dropped}" : "")}";

    /// <summary>Fails, naming the first missing, extra, duplicated and differing records, unless the outcome is exact.</summary>
    public void AssertExact(string scenario) => AssertThat(Exact, $"{scenario}: InfluxDB does not hold exactly the ground truth");

    /// <summary>
    /// Fails unless InfluxDB holds only records of the truth, each once and with its values, and exactly
    /// <see cref="Dropped"/> of the truth's records are missing: stored + dropped = truth.
    /// </summary>
    public void AssertExactExceptDropped(string scenario) =>
        AssertThat(
            Missing.Count == Dropped && Extra.Count == 0 && Duplicates.Count == 0 && Differing.Count == 0 && Stored + Dropped == Expected,
            $"{scenario}: stored + dropped ({Stored} + {Dropped}) is not the ground truth ({Expected}), or something stored is not in it");

    private void AssertThat(bool holds, string what)
    {
        Assert.True(holds, $"""
            {what}: {Summary}
            per series: {string.Join("; ", CountsPerSeries)}
            missing, in runs of consecutive records per series: {string.Join("; ", MissingRuns.Take(8))}{(MissingRuns.Count > 8 ? $" … ({MissingRuns.Count} runs)" : "")}
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

    /// <summary>The missing records as runs of consecutive windows (or state changes) of one series, e.g. a broker outage's gap.</summary>
    private static List<string> Runs(Dictionary<(string, string, string, long), StoredPoint> expected, Dictionary<(string, string, string, long), StoredPoint> stored)
    {
        var runs = new List<string>();
        foreach (var series in expected.Values.GroupBy(p => (p.Measurement, p.Cell, p.Window)).OrderBy(g => g.Key))
        {
            var points = series.OrderBy(p => p.TimeMs).ToList();
            for (var i = 0; i < points.Count; i++)
            {
                if (stored.ContainsKey((points[i].Measurement, points[i].Cell, points[i].Window, points[i].TimeMs)))
                {
                    continue;
                }

                var first = i;
                while (i + 1 < points.Count && !stored.ContainsKey((points[i + 1].Measurement, points[i + 1].Cell, points[i + 1].Window, points[i + 1].TimeMs)))
                {
                    i++;
                }

                runs.Add($"{series.Key.Measurement} {series.Key.Cell} {series.Key.Window} {Time(points[first].TimeMs)}..{Time(points[i].TimeMs)} ({i - first + 1})");
            }
        }

        return runs;
    }

    private static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static bool Same(StoredPoint expected, StoredPoint stored) =>
        expected.Values == stored.Values && expected.Gateway == stored.Gateway && (expected.Seq == 0 || expected.Seq == stored.Seq);

    private static string Describe(IReadOnlyList<StoredPoint> points) =>
        points.Count == 0 ? "none" : $"{string.Join("; ", points.Take(5).Select(p => $"{p.Measurement} {p.Cell} {p.Window} {Time(p.TimeMs)} seq {p.Seq}"))}{(points.Count > 5 ? $" … (last {Time(points[^1].TimeMs)})" : "")}";
}
