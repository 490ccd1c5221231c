using System.Globalization;
using System.Text.RegularExpressions;
using static EdgeGateway.Dashboard.Tests.PageTables;

namespace EdgeGateway.Dashboard.Tests;

/// <summary>
/// The demo programme's data reaches the pages the rendering tests draw: every site's gateway in the overview (one
/// offline), and on the treated lathe of sme-0117 the working day's states, the stop reasons and articles its config
/// names, the articles adding up to the weeks' good parts.
/// </summary>
[Collection(DemoTests.Name)]
public sealed partial class DemoDataTests(DemoProgramme programme)
{
    /// <summary>deploy/README.md's numbers of a demo run: 2 018 window records; sme-0117 168 day records and 318 reason points.</summary>
    [Fact]
    public void Database_HoldsWhatTheDemoStores_2018WindowRecords_Sme0117With168DayRecordsAnd318ReasonPoints()
    {
        var influx = programme.Influx;

        Assert.Equal(2018, influx.Scalar("""SELECT count("run_s") FROM "kpi" """));
        Assert.Equal(168, influx.Scalar("""SELECT count("run_s") FROM "kpi" WHERE "site" = 'sme-0117' AND "window" = 'day' """));
        Assert.Equal(318, influx.Scalar("""SELECT count("seconds") FROM "kpi_reason" WHERE "site" = 'sme-0117' AND "window" = 'day' """));
        Assert.Equal(programme.StateChanges, influx.Scalar("""SELECT count("state") FROM "state" """));
        Assert.True(programme.StateChanges > 0, "no state changes stored");
    }

    [Fact]
    public async Task Overview_ShowsEverySitesGateway_FiveOnline_TheOfflineSiteOffline()
    {
        using var client = await programme.SignInAsync(DashboardServer.EvaluatorName, DashboardServer.EvaluatorPassword);

        var page = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        var shown = GatewayRow().Matches(page).ToDictionary(m => m.Groups[1].Value, m => (m.Groups[2].Value, m.Groups[3].Value));
        var sites = DemoProgramme.SiteConfigs.Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.Equal(6, sites.Count);
        Assert.Equal(sites.Order(StringComparer.Ordinal), shown.Keys.Order(StringComparer.Ordinal));
        Assert.All(shown, g => Assert.Equal(DemoProgramme.Gateway, g.Value.Item1));
        Assert.Equal([DemoProgramme.OfflineSite], shown.Where(g => g.Value.Item2 == "offline").Select(g => g.Key));
        Assert.Equal(5, shown.Count(g => g.Value.Item2 == "online"));
    }

    [Fact]
    public async Task CellPage_DemoLathe_WorkingDayHasRunDownSetupAndIdle_ReasonsAndArticlesOfItsConfig_ArticlesAddUpToTheWeeks()
    {
        var cell = programme.SmeCell;
        using var client = await programme.SignInAsync(DashboardServer.EvaluatorName, DashboardServer.EvaluatorPassword);

        var page = await client.GetStringAsync(new Uri($"/cells/{cell.Site}/{cell.Cell}?day={DemoProgramme.LastWorkingDay:yyyy-MM-dd}", UriKind.Relative));

        var timeline = Section(page, "timeline");
        var states = StateRect().Matches(timeline).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Superset(new HashSet<string> { "run", "down", "setup", "idle" }, states);
        // sme-0117.json's stop reason codes and lathe-1's articles.
        var reasons = Rows(Section(page, "pareto")).Select(r => r[1]).ToList();
        Assert.Subset(new HashSet<string> { "breakdown", "jam", "waiting_material", "no_operator", "planned_maintenance", "adjustment" }, reasons.ToHashSet());
        Assert.NotEmpty(reasons);
        var articles = Rows(Section(page, "articles")).ToDictionary(r => r[0], r => long.Parse(r[1], CultureInfo.InvariantCulture));
        Assert.Equal(["L1-100", "L1-200"], articles.Keys.Order(StringComparer.Ordinal));
        var weeksGood = Rows(Section(page, "weeks")).Sum(r => long.Parse(r[7], CultureInfo.InvariantCulture));
        Assert.Equal(12, Rows(Section(page, "weeks")).Count);
        Assert.Equal(weeksGood, articles.Values.Sum());
    }

    [GeneratedRegex("<tr><td>([^<]+)</td><td>([^<]+)</td><td class=\"(?:online|offline)\">(online|offline)</td>")]
    private static partial Regex GatewayRow();

    [GeneratedRegex("<rect class=\"st-([a-z_]+)\"")]
    private static partial Regex StateRect();
}
