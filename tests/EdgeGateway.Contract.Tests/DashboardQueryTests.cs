using System.Text.Json;
using EdgeGateway.Core.Storage;

namespace EdgeGateway.Contract.Tests;

/// <summary>
/// The Grafana dashboards of deploy/grafana/dashboards query the schema of src/docs/influxdb-schema.md: every panel's
/// InfluxQL, with its variables filled in as Grafana fills them, runs on a real InfluxDB holding records of every
/// measurement; the downtime Pareto and the article table read the reasons and articles back, one row per code or id.
/// </summary>
public sealed class DashboardQueryTests : IDisposable
{
    private const string Site = "sme-0042";
    private const string Cell = "cell-1";

    // 2026-03-02 and 2026-03-03: a day record's kpi point, its reasons and its articles, as the ingest writes them, and
    // a shift record, a state change and a gateway's birth, for the other panels.
    private static readonly string s_records = string.Join('\n',
        $"{InfluxSchema.KpiMeasurement},cell={Cell},site={Site},window=shift window_s=28800,run_s=20000,setup_s=0,down_s=2400,idle_s=0,planned_stop_s=0,unplanned_time_s=6400,unknown_s=0,produced=500i,good=490i,scrap=10i,unattended_good=0i,kwh=10,kwh_per_good_part=0.02,ideal_cycle_s=30,oee=0.7,availability=0.9,effectiveness=0.8,quality=0.98 1772431200000",
        $"{InfluxSchema.StatusMeasurement},gateway=gw-1,site={Site} status=\"online\",software=\"0.1.0\",outbox_depth=0i,outbox_dropped=0i,outbox_corrupt=0i,clock_synced=true 1772409600000",
        $"{InfluxSchema.KpiMeasurement},cell={Cell},site={Site},window=day window_s=86400,run_s=20000,setup_s=0,down_s=2400,idle_s=0,planned_stop_s=0,unplanned_time_s=64000,unknown_s=0,produced=500i,good=490i,scrap=10i,unattended_good=0i,kwh=10,kwh_per_good_part=0.02,ideal_cycle_s=30,ideal_s=16000,unassigned_stops=1i,oee=0.7,availability=0.9,effectiveness=0.8,quality=0.98 1772409600000",
        $"{InfluxSchema.ReasonMeasurement},cell={Cell},reason=waiting_material,site={Site},window=day seconds=1800 1772409600000",
        $"{InfluxSchema.ReasonMeasurement},cell={Cell},reason=tool_change,site={Site},window=day seconds=600 1772409600000",
        $"{InfluxSchema.ReasonMeasurement},cell={Cell},reason=tool_change,site={Site},window=day seconds=3000 1772496000000",
        $"{InfluxSchema.ArticleMeasurement},article=A-100,cell={Cell},site={Site},window=day produced=300i,scrap=10i,good=290i 1772409600000",
        $"{InfluxSchema.ArticleMeasurement},article=B_200,cell={Cell},site={Site},window=day produced=200i,scrap=0i,good=200i 1772409600000",
        $"{InfluxSchema.StateMeasurement},cell={Cell},site={Site} state=\"run\",seq=1i,gateway=\"gw-1\" 1772409600000");

    private readonly InfluxDb _influx = InfluxDb.Launch();

    public void Dispose() => _influx.Dispose();

    [Fact]
    public void EveryPanelQuery_RunsOnTheSchema_AndTheParetoAndArticleTableReadOneRowPerReasonAndArticle()
    {
        _influx.Write(s_records);

        var queries = Dashboards().SelectMany(PanelQueries).ToList();
        Assert.True(queries.Count > 10, $"only {queries.Count} panel queries");
        foreach (var (dashboard, title, query) in queries)
        {
            // InfluxDb.Query throws with InfluxDB's error for a query it cannot run.
            using var answer = _influx.Query(Filled(query));
            Assert.True(answer.RootElement.GetProperty("results")[0].TryGetProperty("series", out _), $"{dashboard}, '{title}': no rows for {Filled(query)}");
        }

        var pareto = Assert.Single(queries, q => q.Title.StartsWith("Downtime Pareto", StringComparison.Ordinal)).Query;
        Assert.Equal([("tool_change", 1.0), ("waiting_material", 0.5)], Series(pareto).Select(s => (s.Tag, s.Values[0])));
        var articles = Assert.Single(queries, q => q.Title == "Parts per article").Query;
        Assert.Equal([("A-100", new[] { 300.0, 10, 290 }), ("B_200", new[] { 200.0, 0, 200 })], Series(articles).Select(s => (s.Tag, s.Values)));
    }

    /// <summary>The query as Grafana sends it for this site and cell over March 2026.</summary>
    private static string Filled(string query) => query
        .Replace("$site", Site, StringComparison.Ordinal)
        .Replace("$cell", Cell, StringComparison.Ordinal)
        .Replace("$timeFilter", "time >= '2026-03-01T00:00:00Z' AND time < '2026-04-01T00:00:00Z'", StringComparison.Ordinal)
        .Replace("$__interval", "1h", StringComparison.Ordinal);

    /// <summary>Each series' only tag value and its first row's values but the time.</summary>
    private List<(string Tag, double[] Values)> Series(string query)
    {
        using var answer = _influx.Query(Filled(query));
        return [.. answer.RootElement.GetProperty("results")[0].GetProperty("series").EnumerateArray().Select(s => (
            s.GetProperty("tags").EnumerateObject().Single().Value.GetString()!,
            s.GetProperty("values")[0].EnumerateArray().Skip(1).Select(v => v.GetDouble()).ToArray()))];
    }

    private static IEnumerable<string> Dashboards() =>
        Directory.GetFiles(Path.Combine(RepoPaths.Root, "deploy", "grafana", "dashboards"), "*.json").Order(StringComparer.Ordinal);

    private static IEnumerable<(string Dashboard, string Title, string Query)> PanelQueries(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        var list = new List<(string, string, string)>();
        foreach (var panel in document.RootElement.GetProperty("panels").EnumerateArray())
        {
            if (!panel.TryGetProperty("targets", out var targets))
            {
                continue;
            }

            foreach (var target in targets.EnumerateArray())
            {
                list.Add((Path.GetFileName(file), panel.GetProperty("title").GetString()!, target.GetProperty("query").GetString()!));
            }
        }

        return list;
    }
}
