using System.Globalization;
using System.Text.Json;

namespace EdgeGateway.Cli.Tests;

/// <summary>
/// A programme whose treated cells drift before go-live and whose never-treated comparison cells all lie in one
/// site, evaluated end to end: the verdict and the warning must reach the CLI's summary, evaluation.json and the
/// rendered report (issue 16).
/// </summary>
public sealed class DriftingProgramme : IDisposable
{
    // 1 pp per week: with the comparison in one site the clustered tests have little power (0.4 pp per week went
    // undetected with seed 12), and this test is about the verdict reaching the reader, not about power.
    private static readonly ProgrammeSettings s_settings = new(Sites: 20, Cells: 40, TreatedCells: 26) { PreTrendPerWeek = 0.01 };

    public DriftingProgramme()
    {
        var programme = ProgrammeSimulation.Generate(s_settings, seed: 12);

        // Keep the never-treated cells of one site only: the comparison rests on a single site.
        var controlSite = programme.Register.First(e => !e.Treated).Site;
        var kept = programme.Register.Where(e => e.Treated || e.Site == controlSite).ToList();
        var keptIds = kept.Select(e => (e.Site, e.Cell)).ToHashSet();
        Influx = InfluxDb.Launch();
        foreach (var batch in DayRecordLines.Lines(programme.Data.Where(c => keptIds.Contains((c.Site, c.Cell)))).Chunk(5000))
        {
            Influx.Write(string.Join('\n', batch));
        }

        Folder = Directory.CreateTempSubdirectory("edgegw-evaluate-drift-").FullName;
        var register = Path.Combine(Folder, "register.csv");
        File.WriteAllText(register, EvaluatedProgramme.RegisterCsv(kept));
        Output = Path.Combine(Folder, "out");
        RegisterCells = kept.Count;
        Run = EvaluateCommandTests.Evaluate(
        [
            "--register", register, "--from", s_settings.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "--to", s_settings.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "--out", Output, "--influx-url", Influx.Url, "--bootstrap", "499",
        ]);
    }

    internal InfluxDb Influx { get; }

    public string Folder { get; }

    public string Output { get; }

    public int RegisterCells { get; }

    public (string Stdout, string Stderr, int Exit) Run { get; }

    public void Dispose()
    {
        Influx.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}

public sealed class EvaluateWarningsTests(DriftingProgramme drifting) : IClassFixture<DriftingProgramme>
{
    [Fact]
    public void Summary_SaysNotCredible_AndNamesTheWarning()
    {
        var (stdout, stderr, exit) = drifting.Run;
        Assert.True(exit == 0, stderr);
        var oee = stdout.Split('\n').Single(l => l.StartsWith("  OEE ", StringComparison.Ordinal));
        Assert.Contains("not credible: treated cells were already drifting before go-live", oee, StringComparison.Ordinal);
        Assert.Contains("Warning: All never-treated comparison cells lie in a single site", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_HoldsTheWarning_TheVerdict_TheSensitivity_AndEveryCellsFate()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(drifting.Output, "evaluation.json")));
        var root = json.RootElement;
        Assert.Equal("single_control_site", root.GetProperty("warnings")[0].GetProperty("code").GetString());
        var oee = root.GetProperty("effects")[0];
        Assert.True(oee.GetProperty("pre_trend_rejected").GetBoolean());
        Assert.Equal(JsonValueKind.Null, oee.GetProperty("overall_placebo_sites").ValueKind); // 26 treated cells in many sites
        Assert.True(oee.GetProperty("pre_trend_linear").GetProperty("slope_per_period").GetProperty("estimate").GetDouble() > 0);
        var adjusted = oee.GetProperty("trend_sensitivity").GetProperty("effect_if_trend_continued");
        Assert.True(adjusted.GetProperty("estimate").GetDouble() < oee.GetProperty("overall").GetProperty("estimate").GetDouble());
        var cells = root.GetProperty("cells");
        Assert.Equal(drifting.RegisterCells, cells.GetArrayLength());
        Assert.All(cells.EnumerateArray(), c => Assert.False(string.IsNullOrEmpty(c.GetProperty("fate").GetProperty("code").GetString())));
        Assert.Equal(
            cells.EnumerateArray().Count(c => c.GetProperty("fate").GetProperty("used").GetBoolean()),
            root.GetProperty("programme").GetProperty("cells").GetInt32());
    }

    /// <summary>
    /// Chromium lays the page out: the warning box, the pre-trend section and the cell list must be on screen, their
    /// tables no wider than the page.
    /// </summary>
    [Fact]
    public void Report_RenderedInHeadlessChromium_ShowsTheWarningAndThePreTrendSections()
    {
        var copy = Path.Combine(drifting.Folder, "measured.html");
        var html = File.ReadAllText(Path.Combine(drifting.Output, "report.html"));
        File.WriteAllText(copy, html.Replace("</body>", MeasureScript + "</body>", StringComparison.Ordinal));

        var dom = EvaluateCommandTests.Chromium("--window-size=1280,2000", "--dump-dom", new Uri(copy).AbsoluteUri);

        var start = dom.IndexOf("data-sections=\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "the measuring script did not run; Chromium printed: " + dom[..Math.Min(dom.Length, 300)]);
        var text = dom[(start + 15)..dom.IndexOf('"', start + 15)].Replace("&quot;", "\"", StringComparison.Ordinal);
        using var check = JsonDocument.Parse(text);
        foreach (var id in new[] { "warnings", "summary", "pre-trends", "register-cells" })
        {
            var section = check.RootElement.GetProperty(id);
            Assert.True(section.GetProperty("height").GetDouble() > 20, $"#{id} is not laid out: {section}");
            Assert.Equal(0, section.GetProperty("overflowing").GetInt32());
        }

        Assert.Contains("single site", check.RootElement.GetProperty("warnings").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("not credible: treated cells were already drifting", check.RootElement.GetProperty("pre-trends").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("not credible: treated cells were already drifting", check.RootElement.GetProperty("summary").GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The warning, the reading and the pre-trend and sensitivity section as a reader sees them (the other sections
    /// hidden): a PNG from headless Chromium. With <c>EDGEGW_SCREENSHOTS</c> set to a folder the PNG is kept there as
    /// <c>evaluation-warnings.png</c> (how src/docs/evaluation-warnings.png was made).
    /// </summary>
    [Fact]
    public void Report_Screenshot_ShowsTheWarningTheVerdictAndTheSensitivity()
    {
        var copy = Path.Combine(drifting.Folder, "sections.html");
        var html = File.ReadAllText(Path.Combine(drifting.Output, "report.html"));
        const string only = "<style>section:not(#warnings):not(#summary):not(#pre-trends) { display: none; }</style>";
        File.WriteAllText(copy, html.Replace("</head>", only + "</head>", StringComparison.Ordinal));
        var png = Path.Combine(drifting.Folder, "evaluation-warnings.png");

        EvaluateCommandTests.Chromium("--window-size=1280,1500", "--hide-scrollbars", $"--screenshot={png}", new Uri(copy).AbsoluteUri);

        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 20_000, $"the screenshot has only {bytes.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        if (Environment.GetEnvironmentVariable("EDGEGW_SCREENSHOTS") is { Length: > 0 } keep)
        {
            File.Copy(png, Path.Combine(keep, "evaluation-warnings.png"), overwrite: true);
        }
    }

    private const string MeasureScript = """
        <script>
        (() => {
          const r = {};
          for (const id of ['warnings', 'pre-trends', 'register-cells', 'summary']) {
            const e = document.getElementById(id);
            const right = document.body.getBoundingClientRect().right;
            const overflowing = e ? [...e.querySelectorAll('table')].filter(t => t.getBoundingClientRect().right > right + 1).length : 0;
            r[id] = e ? { height: e.getBoundingClientRect().height, overflowing, text: e.innerText.slice(0, 4000) } : { height: 0, overflowing: 0, text: '' };
          }
          document.body.setAttribute('data-sections', JSON.stringify(r));
        })();
        </script>
        """;
}
