using System.Text.Json;
using EdgeGateway.Queries;

namespace EdgeGateway.Cli.Tests;

public sealed class WeeklyKpisTests
{
    [Fact]
    public void Read_ListsCellsBySiteThenCell_NotInInfluxDbsTagOrder()
    {
        // InfluxDB sorts series by tag name, cell before site: lathe-1 of both sites first.
        var series = new[] { Series("lathe-1", "sme-0203"), Series("lathe-1", "sme-0117"), Series("press-1", "sme-0117"), Series("press-1", "sme-0203") };

        var cells = WeeklyKpis.Read(series);

        Assert.Equal(
            ["sme-0117/lathe-1", "sme-0117/press-1", "sme-0203/lathe-1", "sme-0203/press-1"],
            cells.Select(c => $"{c.Site}/{c.Cell}"));
    }

    private static InfluxSeries Series(string cell, string site)
    {
        using var row = JsonDocument.Parse("""["2026-03-02T00:00:00Z",100,0,0,0,3,3,0,1.5,30]""");
        return new InfluxSeries(
            "kpi",
            new Dictionary<string, string> { ["cell"] = cell, ["site"] = site },
            ["time", "run_s", "setup_s", "down_s", "idle_s", "produced", "good", "unattended_good", "kwh", "ideal_cycle_s"],
            [[.. row.RootElement.EnumerateArray().Select(e => e.Clone())]]);
    }
}
