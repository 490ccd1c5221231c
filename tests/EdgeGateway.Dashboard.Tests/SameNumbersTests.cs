using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EdgeGateway.Dashboard.Tests;

/// <summary>
/// The dashboard shows the numbers of <c>edgegw report</c> and <c>edgegw evaluate</c> on the same data: run on the demo
/// programme's data (records made by the KPI engine, shift and day windows, as the demo's chain stores them) and on the
/// synthetic programme (day records from a formula, and a register cell that never sent anything).
/// </summary>
/// <param name="programme">The dashboard and its InfluxDB.</param>
/// <param name="weeks">How many weeks the SME cell's page shows.</param>
/// <param name="silentCell">A register cell without records, whose fate must be <c>no_data</c>; null when the programme has none.</param>
public abstract partial class SameNumbersTests(DashboardServer programme, int weeks, (string Site, string Cell)? silentCell)
{
    [Fact]
    public async Task CellPage_WeeklyKpis_EqualEdgegwReport()
    {
        var cell = programme.SmeCell;
        using var client = await programme.SignInAsync(DashboardServer.EvaluatorName, DashboardServer.EvaluatorPassword);
        var page = await client.GetStringAsync(new Uri($"/cells/{cell.Site}/{cell.Cell}", UriKind.Relative));
        var (report, exit) = Cli(["report", "--influx-url", programme.Influx.Url, "--site", cell.Site, "--from", Day(programme.Window.From), "--to", Day(programme.Window.To)]);
        Assert.Equal(0, exit);

        // edgegw report: "week of, run h, avail, perf, quality, OEE, produced, good, unattended, kWh/good" under "site / cell".
        var block = report[(report.IndexOf($"{cell.Site} / {cell.Cell}\n", StringComparison.Ordinal) + 1)..];
        var reportRows = block.Split('\n').Skip(2).TakeWhile(l => l.Length > 0).Where(l => !l.Contains("no records", StringComparison.Ordinal) && char.IsDigit(l[0]))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToDictionary(f => f[0], f => (string[])[f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[9]]);
        var pageRows = WeekRow().Matches(page).ToDictionary(m => m.Groups[1].Value, m => PageTables.Cells(m.Groups[2].Value)[1..]);

        Assert.Equal(weeks, pageRows.Count);
        Assert.Equal(reportRows.Keys.Order(), pageRows.Keys.Order());
        foreach (var (week, values) in reportRows)
        {
            Assert.Equal(values, pageRows[week]);
        }
    }

    [Fact]
    public async Task Overview_HeadlineWarningsAndCellFates_EqualEdgegwEvaluate()
    {
        using var client = await programme.SignInAsync(DashboardServer.EvaluatorName, DashboardServer.EvaluatorPassword);
        var page = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        var output = Path.Combine(programme.Folder, "evaluate");
        var (_, exit) = Cli(["evaluate", "--register", programme.RegisterFile, "--from", Day(programme.Window.From), "--to", Day(programme.Window.To),
            "--out", output, "--influx-url", programme.Influx.Url, "--bootstrap", "199"]);
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "evaluation.json")));

        var shown = Estimate().Matches(page).ToDictionary(m => m.Groups[1].Value, m => (m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value));
        var effects = json.RootElement.GetProperty("effects").EnumerateArray().Where(e => e.GetProperty("overall").ValueKind == JsonValueKind.Object).ToList();
        Assert.Equal(9, effects.Count);
        Assert.Equal(effects.Count, shown.Count);
        foreach (var effect in effects)
        {
            var overall = effect.GetProperty("overall");
            var (estimate, lower, upper) = shown[effect.GetProperty("outcome").GetString()!];
            Assert.Equal(overall.GetProperty("estimate").GetDouble(), double.Parse(estimate, CultureInfo.InvariantCulture));
            Assert.Equal(overall.GetProperty("lower").GetDouble(), double.Parse(lower, CultureInfo.InvariantCulture));
            Assert.Equal(overall.GetProperty("upper").GetDouble(), double.Parse(upper, CultureInfo.InvariantCulture));
        }

        var warnings = json.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("code").GetString()!).ToList();
        Assert.Equal(warnings, WarningCode().Matches(page[..page.IndexOf("id=\"effects\"", StringComparison.Ordinal)]).Select(m => m.Groups[1].Value).ToList());

        // Every register cell's fate, in register order, a silent one left out for having no data.
        var fates = json.RootElement.GetProperty("cells").EnumerateArray().ToDictionary(c => (c.GetProperty("site").GetString()!, c.GetProperty("cell").GetString()!), c => c.GetProperty("fate").GetProperty("code").GetString()!);
        var shownFates = FateRow().Matches(page).Select(m => ((m.Groups[1].Value, m.Groups[2].Value), m.Groups[3].Value)).ToList();
        Assert.Equal(programme.Register.Count + (silentCell is null ? 0 : 1), shownFates.Count);
        Assert.All(shownFates, f => Assert.Equal(fates[f.Item1], f.Item2));
        if (silentCell is { } silent)
        {
            Assert.Equal("no_data", fates[silent]);
        }
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static (string Stdout, int Exit) Cli(string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var exit = EdgeGateway.Cli.Program.Run(args, stdout, stderr);
        return (Encoding.UTF8.GetString(stdout.ToArray()).ReplaceLineEndings("\n"), exit);
    }

    [GeneratedRegex("<tr data-week=\"([0-9-]+)\">(.*?)</tr>")]
    private static partial Regex WeekRow();

    [GeneratedRegex("data-outcome=\"([a-z_]+)\" data-estimate=\"([^\"]+)\" data-lower=\"([^\"]+)\" data-upper=\"([^\"]+)\"")]
    private static partial Regex Estimate();

    [GeneratedRegex("<tr><td>([^<]+)</td><td><a href=\"[^\"]+\">([^<]+)</a></td>.*?data-fate=\"([a-z_]+)\"")]
    private static partial Regex FateRow();

    [GeneratedRegex("<li data-code=\"([a-z_]+)\">")]
    private static partial Regex WarningCode();
}

[Collection(DemoTests.Name)]
public sealed class SameNumbersOnDemoProgrammeTests(DemoProgramme programme) : SameNumbersTests(programme, weeks: 12, silentCell: null);

[Collection(DashboardTests.Name)]
public sealed class SameNumbersOnSyntheticProgrammeTests(DashboardProgramme programme) : SameNumbersTests(programme, weeks: 26, silentCell: (programme.OtherCell.Site, DashboardProgramme.SilentCell));
