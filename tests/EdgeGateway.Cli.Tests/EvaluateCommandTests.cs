using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeGateway.Evaluation.Estimation;
using EdgeGateway.Evaluation.Register;

namespace EdgeGateway.Cli.Tests;

/// <summary>
/// A simulated programme (20 sites, 40 cells, 26 with a voucher, +6 pp OEE after a 4-week ramp-up, one year) written
/// into a real InfluxDB 1.x in the ingest's schema, its register as a CSV file, and one run of
/// <c>edgegw evaluate</c> over it: shared by the tests of <see cref="EvaluateCommandTests"/>.
/// </summary>
public sealed class EvaluatedProgramme : IDisposable
{
    internal static ProgrammeSettings Settings { get; } = new(Sites: 20, Cells: 40, TreatedCells: 26, Days: 364, FirstGoLiveDay: 91, LastGoLiveDay: 245);

    public EvaluatedProgramme()
    {
        Programme = ProgrammeSimulation.Generate(Settings, seed: 11);
        Influx = InfluxDb.Launch();
        foreach (var batch in DayRecordLines.Lines(Programme.Data).Chunk(5000))
        {
            Influx.Write(string.Join('\n', batch));
        }

        // A cell the register does not list: its records must be left out, and said so.
        Influx.Write("kpi,cell=stray-1,site=sme-9999,window=day run_s=100,setup_s=0,down_s=0,idle_s=0,window_s=86400,produced=1i,good=1i,scrap=0i,unattended_good=0i,kwh=1,ideal_cycle_s=30,coverage=1 " +
            (long)(Settings.From.AddDays(10).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalMilliseconds);
        Folder = Directory.CreateTempSubdirectory("edgegw-evaluate-").FullName;
        RegisterFile = Path.Combine(Folder, "register.csv");
        File.WriteAllText(RegisterFile, RegisterCsv(Programme.Register));
        Output = Path.Combine(Folder, "out");
        Run = EvaluateCommandTests.Evaluate(Arguments(Output));
    }

    internal SimulatedProgramme Programme { get; }

    internal InfluxDb Influx { get; }

    public string Folder { get; }

    public string RegisterFile { get; }

    public string Output { get; }

    public (string Stdout, string Stderr, int Exit) Run { get; }

    public string[] Arguments(string output, string? register = null) =>
    [
        "--register", register ?? RegisterFile, "--from", Settings.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        "--to", Settings.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "--out", output, "--influx-url", Influx.Url, "--bootstrap", "499",
    ];

    public void Dispose()
    {
        Influx.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    internal static string RegisterCsv(IEnumerable<RegisterEntry> register)
    {
        var csv = new StringBuilder("site,cell,treated,go_live,ramp_up_days,sector\n");
        foreach (var e in register)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{e.Site},{e.Cell},{(e.Treated ? "yes" : "no")},{e.GoLive:yyyy-MM-dd},{e.RampUpDays},{e.Sector}\n");
        }

        return csv.ToString();
    }
}

/// <summary>
/// <c>edgegw evaluate</c> end to end against a real InfluxDB: the files it writes, that its numbers are those of the
/// evaluation library on the same records, the HTML report rendered in headless Chromium, and its input errors.
/// </summary>
public sealed class EvaluateCommandTests(EvaluatedProgramme evaluated) : IClassFixture<EvaluatedProgramme>
{
    [Fact]
    public void Evaluate_WritesTheReportFiles_AndNoTemporaryOnes()
    {
        Assert.Equal(0, evaluated.Run.Exit);
        Assert.Equal(
            ["cells.csv", "effects.csv", "evaluation.json", "event_time.csv", "report.html"],
            Directory.GetFiles(evaluated.Output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Evaluate_NumbersFromInfluxDb_EqualTheLibraryOnTheSameRecords_AndCoverTheTruth()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(evaluated.Output, "evaluation.json")));
        var oee = json.RootElement.GetProperty("effects").EnumerateArray().Single(e => e.GetProperty("outcome").GetString() == "oee").GetProperty("overall");

        var s = EvaluatedProgramme.Settings;
        var expected = ProgrammeEvaluator.Evaluate(evaluated.Programme.Register, evaluated.Programme.Data, new EvaluationOptions(s.From, s.To, BootstrapReplications: 499))
            .Effects.Single(e => e.Outcome == Evaluation.Panel.Outcome.Oee).Overall!.Value;
        Assert.Equal(expected.Value, oee.GetProperty("estimate").GetDouble(), 12);
        Assert.Equal(expected.Lower, oee.GetProperty("lower").GetDouble(), 12);
        Assert.Equal(expected.Upper, oee.GetProperty("upper").GetDouble(), 12);
        Assert.InRange(evaluated.Programme.TrueOeeEffect, expected.Lower, expected.Upper);
        Assert.Equal(40, json.RootElement.GetProperty("cells").GetArrayLength());
        Assert.Contains(json.RootElement.GetProperty("notes").EnumerateArray(), n => n.GetString() == "1 cells with day records are not in the register and were left out.");
    }

    [Fact]
    public void Evaluate_CsvTables_HoldTheJsonsNumbers()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(evaluated.Output, "evaluation.json")));
        var effects = File.ReadAllLines(Path.Combine(evaluated.Output, "effects.csv"));
        Assert.Equal("outcome,dimension,group,sites,treated_cells,estimate,standard_error,lower,upper,minimum_detectable_effect,pre_trend_chi_square,pre_trend_df,pre_trend_p_value,naive_before_after,note,placebo_sites", effects[0]);
        var oee = effects.Single(l => l.StartsWith("oee,all,all,", StringComparison.Ordinal)).Split(',');
        var overall = json.RootElement.GetProperty("effects")[0].GetProperty("overall");
        Assert.Equal(overall.GetProperty("estimate").GetDouble(), double.Parse(oee[5], CultureInfo.InvariantCulture));
        Assert.Equal(overall.GetProperty("lower").GetDouble(), double.Parse(oee[7], CultureInfo.InvariantCulture));

        var cells = File.ReadAllLines(Path.Combine(evaluated.Output, "cells.csv"));
        Assert.Equal(41, cells.Length);
        Assert.StartsWith("site,cell,treated,go_live,ramp_up_days,days_expected,days_with_data,mean_known_share,oee_before,oee_after,oee_change,", cells[0], StringComparison.Ordinal);
        Assert.EndsWith(",fate_used,fate_role,fate_code,fate_base_period", cells[0], StringComparison.Ordinal);
        var jsonCells = json.RootElement.GetProperty("cells").EnumerateArray().ToList();
        for (var i = 1; i < cells.Length; i++)
        {
            var fate = jsonCells[i - 1].GetProperty("fate");
            var expected = string.Join(',', fate.GetProperty("used").GetBoolean() ? "true" : "false", fate.GetProperty("role").GetString(), fate.GetProperty("code").GetString(),
                fate.GetProperty("base_period").ValueKind == JsonValueKind.Null ? "" : fate.GetProperty("base_period").GetInt32().ToString(CultureInfo.InvariantCulture));
            Assert.EndsWith("," + expected, cells[i], StringComparison.Ordinal);
        }

        var eventTime = File.ReadAllLines(Path.Combine(evaluated.Output, "event_time.csv"));
        Assert.Equal("outcome,period,treated_cells,estimate,standard_error,lower,upper", eventTime[0]);
        Assert.Equal(
            json.RootElement.GetProperty("effects").EnumerateArray().Sum(e => e.GetProperty("event_time").GetArrayLength()),
            eventTime.Length - 1);
    }

    [Fact]
    public void Evaluate_ShowsProgressOnStderr_AndTheHeadlineOnStdout()
    {
        var (stdout, stderr, _) = evaluated.Run;
        Assert.Contains("edgegw evaluate: [", stderr, StringComparison.Ordinal);
        Assert.Contains("register " + evaluated.RegisterFile + ": 40 cells (26 with a voucher)", stderr, StringComparison.Ordinal);
        Assert.Contains("day records of 41 cells, 40 of them in the register", stderr, StringComparison.Ordinal);
        Assert.Contains("bootstrap", stderr, StringComparison.Ordinal);
        Assert.StartsWith("Effects after ramp-up (26 cells with a voucher, 14 without, 20 sites; 95 % CI):\n  OEE ", stdout, StringComparison.Ordinal);
        Assert.EndsWith($"Report: {Path.Combine(evaluated.Output, "report.html")}\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_IsSelfContained_NoScriptAndNothingFetched()
    {
        var html = File.ReadAllText(Path.Combine(evaluated.Output, "report.html"));

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" href=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        // The only URL is the SVG namespace, which is a name and is never fetched.
        Assert.Equal(html.Split("http").Length - 1, html.Split("xmlns=\"http://www.w3.org/2000/svg\"").Length - 1);
    }

    /// <summary>
    /// Chromium lays the page out as a reader's browser would; a script added to a copy measures every chart: its
    /// size on screen, the smallest text in it after scaling, and that it draws data (a line, band or marker).
    /// </summary>
    [Fact]
    public void Report_RenderedInHeadlessChromium_HasEveryChartVisibleWithLegibleText()
    {
        var copy = Path.Combine(evaluated.Folder, "measured.html");
        var html = File.ReadAllText(Path.Combine(evaluated.Output, "report.html"));
        File.WriteAllText(copy, html.Replace("</body>", MeasureScript + "</body>", StringComparison.Ordinal));

        var dom = Chromium("--window-size=1280,2000", "--dump-dom", new Uri(copy).AbsoluteUri);

        var start = dom.IndexOf("data-check=\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "the measuring script did not run; Chromium printed: " + dom[..Math.Min(dom.Length, 300)]);
        var text = dom[(start + 12)..dom.IndexOf('"', start + 12)].Replace("&quot;", "\"", StringComparison.Ordinal);
        using var check = JsonDocument.Parse(text);
        var r = check.RootElement;
        // 9 event-time charts (one per outcome) and one small multiple per cell.
        Assert.Equal(9 + 40, r.GetProperty("charts").GetInt32());
        Assert.Equal(0, r.GetProperty("tooSmall").GetInt32());
        Assert.Equal(0, r.GetProperty("withoutData").GetInt32());
        Assert.True(r.GetProperty("minFontPx").GetDouble() >= 10, $"smallest chart text {r.GetProperty("minFontPx").GetDouble():0.0} px");
        Assert.Equal(0, r.GetProperty("overflowing").GetInt32());
    }

    [Fact]
    public void Report_Screenshot_IsAPageSizedPng()
    {
        var png = Path.Combine(evaluated.Folder, "report.png");

        Chromium("--window-size=1280,2400", "--hide-scrollbars", $"--screenshot={png}", new Uri(Path.Combine(evaluated.Output, "report.html")).AbsoluteUri);

        var bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        Assert.Equal(1280, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(2400, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        Assert.True(bytes.Length > 50_000, $"{bytes.Length} bytes: an almost blank page");
    }

    [Fact]
    public void BadRegisterLine_ExitsTwo_NamesFileAndLine_AndLeavesTheOutputAlone()
    {
        var register = Path.Combine(evaluated.Folder, "bad-register.csv");
        File.WriteAllText(register, "site,cell,treated,go_live,ramp_up_days\ns1,c1,yes,2025-13-01,28\ns1,c2,no,,0\n");
        var output = Path.Combine(evaluated.Folder, "kept");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "report.html"), "earlier report");

        var (stdout, stderr, exit) = Evaluate(evaluated.Arguments(output, register));

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith($"edgegw evaluate: {register}:2: ", stderr, StringComparison.Ordinal);
        Assert.Contains("go_live", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Equal("earlier report", File.ReadAllText(Path.Combine(output, "report.html")));
    }

    [Theory]
    [InlineData("--from", "2025-02-30", "edgegw evaluate: --from: '2025-02-30' is not a date (2026-03-02)\n")]
    [InlineData("--to", "2024-01-01", "edgegw evaluate: --to (2024-01-01) must be after --from (2025-01-06)\n")]
    [InlineData("--influx-url", "ftp://x", "edgegw evaluate: --influx-url: 'ftp://x' is not an http(s) URL\n")]
    [InlineData("--bootstrap", "5", "edgegw evaluate: --period-days/--bootstrap: BootstrapReplications 5 must be from 19 to 100000\n")]
    public void BadOption_ExitsTwo_WithOneLineNamingIt(string option, string value, string expected)
    {
        var arguments = evaluated.Arguments(Path.Combine(evaluated.Folder, "unused"));
        arguments[Array.IndexOf(arguments, option) + 1] = value;
        if (Array.IndexOf(arguments, option) < 0)
        {
            arguments = [.. arguments, option, value];
        }

        var (_, stderr, exit) = Evaluate(arguments);

        Assert.Equal(2, exit);
        Assert.Equal(expected, stderr);
        Assert.False(Directory.Exists(Path.Combine(evaluated.Folder, "unused")));
    }

    [Fact]
    public void NoDayRecordsInTheWindow_ExitsTwo()
    {
        var arguments = evaluated.Arguments(Path.Combine(evaluated.Folder, "empty"));
        arguments[Array.IndexOf(arguments, "--from") + 1] = "2030-01-01";
        arguments[Array.IndexOf(arguments, "--to") + 1] = "2030-06-01";

        var (_, stderr, exit) = Evaluate(arguments);

        Assert.Equal(2, exit);
        Assert.Equal($"edgegw evaluate: no day records of the register's cells in database edgegw at {evaluated.Influx.Url}/ from 2030-01-01 to 2030-06-01\n", stderr[(stderr.LastIndexOf("edgegw evaluate: no", StringComparison.Ordinal))..]);
    }

    [Fact]
    public void InfluxDbNotAnswering_ExitsOne()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var arguments = evaluated.Arguments(Path.Combine(evaluated.Folder, "unreachable"));
        arguments[Array.IndexOf(arguments, "--influx-url") + 1] = $"http://127.0.0.1:{port}";

        var (_, stderr, exit) = Evaluate(arguments);

        Assert.Equal(1, exit);
        Assert.Contains($"edgegw evaluate: InfluxDB at http://127.0.0.1:{port}/ does not answer", stderr, StringComparison.Ordinal);
    }

    internal static (string Stdout, string Stderr, int Exit) Evaluate(string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter { NewLine = "\n" };
        var exit = Program.Run(["evaluate", .. args], stdout, stderr);
        return (Encoding.UTF8.GetString(stdout.ToArray()).ReplaceLineEndings("\n"), stderr.ToString(), exit);
    }

    private const string MeasureScript = """
        <script>
        (() => {
          const r = { charts: 0, tooSmall: 0, withoutData: 0, minFontPx: 1e9, overflowing: 0 };
          const page = document.documentElement.clientWidth;
          for (const svg of document.querySelectorAll('svg.chart')) {
            r.charts++;
            const box = svg.getBoundingClientRect();
            if (box.width < 250 || box.height < 140) r.tooSmall++;
            if (box.right > page + 1) r.overflowing++;
            if (!svg.querySelector('polyline, polygon, circle')) r.withoutData++;
            const scale = box.width / svg.viewBox.baseVal.width;
            for (const t of svg.querySelectorAll('text')) r.minFontPx = Math.min(r.minFontPx, parseFloat(getComputedStyle(t).fontSize) * scale);
          }
          document.body.setAttribute('data-check', JSON.stringify(r));
        })();
        </script>
        """;

    /// <summary>Runs Debian's chromium headless (installed by tests/run.sh) and returns its stdout.</summary>
    internal static string Chromium(params string[] args)
    {
        const string binary = "/usr/bin/chromium";
        Assert.True(File.Exists(binary), $"{binary} is missing: install the Debian package chromium (tests/run.sh does)");
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var profile = Directory.CreateTempSubdirectory("edgegw-chromium-").FullName;
        foreach (var a in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run", "--user-data-dir=" + profile, .. args])
        {
            info.ArgumentList.Add(a);
        }

        try
        {
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(90)), "chromium did not finish within 90 s");
            Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {stderr.Result}");
            return stdout;
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
