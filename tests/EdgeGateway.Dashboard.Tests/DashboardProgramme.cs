using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using EdgeGateway.Dashboard.Access;
using EdgeGateway.Evaluation.Register;

namespace EdgeGateway.Dashboard.Tests;

/// <summary>
/// A simulated programme (10 sites, 20 cells, 12 with a voucher, 26 weeks of day records) in a real InfluxDB 1.x in the
/// ingest's schema, with one cell of the SME's site carrying what the gateways add live (state changes, shift records,
/// stop reasons, articles), gateway status points, and another site's cell with a reason only its site may see; its
/// register, a users file (evaluator, SME, admin) and one <c>edgegw-dashboard</c> process on a free loopback port.
/// Shared by every test class of this project (one influxd, one dashboard).
/// </summary>
public sealed partial class DashboardProgramme : IAsyncLifetime
{
    public const string EvaluatorName = "eva", EvaluatorPassword = "evaluator-pass-1";
    public const string SmeName = "sam", SmePassword = "sme-pass-00001";
    public const string AdminName = "ada", AdminPassword = "admin-pass-0001";

    /// <summary>A stop reason of another site's cell: no SME page or file may ever carry it.</summary>
    public const string OtherSiteReason = "other-site-secret-reason";

    internal static ProgrammeSettings Settings { get; } = new(Sites: 10, Cells: 20, TreatedCells: 12, Start: new DateOnly(2026, 1, 5), Days: 182, FirstGoLiveDay: 42, LastGoLiveDay: 126);

    internal SimulatedProgramme Programme { get; } = ProgrammeSimulation.Generate(Settings, seed: 7);

    internal InfluxDb Influx { get; private set; } = null!;

    public string Folder { get; } = Directory.CreateTempSubdirectory("edgegw-dashboard-").FullName;

    public string RegisterFile => Path.Combine(Folder, "register.csv");

    public string ConfigFile => Path.Combine(Folder, "dashboard.json");

    internal ServiceProcess Dashboard { get; private set; } = null!;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The SME's site and its cell that carries live data.</summary>
    public RegisterEntry SmeCell => Programme.Register[0];

    /// <summary>A cell of another site.</summary>
    public RegisterEntry OtherCell => Programme.Register.First(e => e.Site != SmeCell.Site);

    /// <summary>A register cell of <see cref="OtherCell"/>'s site without any record.</summary>
    public const string SilentCell = "cell-silent";

    /// <summary>The day of the live points (state changes) of <see cref="SmeCell"/>: the window's last.</summary>
    public DateOnly LiveDay => Settings.To.AddDays(-1);

    public async Task InitializeAsync()
    {
        Influx = InfluxDb.Launch();
        foreach (var batch in DayRecordLines.Lines(Programme.Data).Chunk(5000))
        {
            Influx.Write(string.Join('\n', batch));
        }

        Influx.Write(string.Join('\n', LiveLines()));
        // A register cell whose gateway never sent anything: it drops out of the evaluation, and the overview says so.
        File.WriteAllText(RegisterFile, RegisterCsv(Programme.Register) + $"{OtherCell.Site},{SilentCell},no,,,,\n");
        var users = new UsersFile(Path.Combine(Folder, "users.json"));
        users.Set(EvaluatorName, Role.Evaluator, null, EvaluatorPassword);
        users.Set(SmeName, Role.Sme, SmeCell.Site, SmePassword);
        users.Set(AdminName, Role.Admin, null, AdminPassword);
        var port = Loopback.FreePort();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        File.WriteAllText(ConfigFile, $$"""
            {
              "Dashboard": {
                "Urls": "http://127.0.0.1:{{port}}",
                "InfluxUrl": "{{Influx.Url}}",
                "Register": "register.csv",
                "Users": "users.json",
                "KeysDirectory": "keys",
                "From": "{{Settings.From:yyyy-MM-dd}}",
                "To": "{{Settings.To:yyyy-MM-dd}}",
                "Title": "Test programme",
                "Bootstrap": 199,
                "SignInAttemptsPerMinute": 5
              }
            }
            """);
        await StartDashboardAsync();
    }

    /// <summary>Stops the dashboard and starts it again on the same config (and key ring).</summary>
    public async Task RestartAsync()
    {
        await Dashboard.StopAsync();
        Dashboard.Dispose();
        await StartDashboardAsync();
    }

    private async Task StartDashboardAsync()
    {
        Dashboard = ServiceProcess.Start("edgegw-dashboard", ["--config", ConfigFile]);
        await Poll.Until(() => Dashboard.FindLine("ready on") is not null || Dashboard.HasExited, TimeSpan.FromSeconds(30), "the dashboard's ready line", () => Dashboard.Tail());
        Assert.False(Dashboard.HasExited, Dashboard.Tail());
        // The evaluation runs in the background after the first read: wait until the overview shows it.
        using var client = await SignInAsync(EvaluatorName, EvaluatorPassword);
        await Poll.Until(() => client.GetStringAsync(new Uri(BaseUrl, "/")).GetAwaiter().GetResult().Contains("id=\"effects\"", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the evaluation headline on the overview", () => Dashboard.Tail());
    }

    public async Task DisposeAsync()
    {
        await Dashboard.StopAsync();
        Dashboard.Dispose();
        Influx.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    /// <summary>A client without redirects and with its own cookies, signed in as <paramref name="name"/>.</summary>
    public async Task<HttpClient> SignInAsync(string name, string password)
    {
        var client = NewClient();
        var answer = await PostSignInAsync(client, name, password);
        Assert.True(answer.StatusCode == HttpStatusCode.Redirect, $"sign-in as {name}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        return client;
    }

    /// <summary>GET /signin for its antiforgery token, then POST the form.</summary>
    public async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string name, string password)
    {
        var token = Token(await client.GetStringAsync(new Uri(BaseUrl, "/signin")));
        return await client.PostAsync(new Uri(BaseUrl, "/signin"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["name"] = name,
            ["password"] = password,
            ["returnUrl"] = "/",
        }));
    }

    /// <summary>The sign-in cookie's value for <paramref name="name"/> (for the browser).</summary>
    public async Task<string> SignInCookieAsync(string name, string password)
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies, UseCookies = true }) { BaseAddress = BaseUrl };
        var answer = await PostSignInAsync(client, name, password);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        return cookies.GetCookies(BaseUrl)["edgegw.auth"]?.Value ?? throw new InvalidOperationException("no sign-in cookie");
    }

    public HttpClient NewClient() => new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true }) { BaseAddress = BaseUrl };

    /// <summary>The antiforgery token of a page's first form.</summary>
    public static string Token(string html) => TokenField().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("no antiforgery token in the page");

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    public static string RegisterCsv(IEnumerable<RegisterEntry> register)
    {
        var csv = new StringBuilder("site,cell,treated,go_live,ramp_up_days,sector,size_class\n");
        foreach (var e in register)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{e.Site},{e.Cell},{(e.Treated ? "yes" : "no")},{e.GoLive:yyyy-MM-dd},{e.RampUpDays},{e.Sector},{e.SizeClass}\n");
        }

        return csv.ToString();
    }

    /// <summary>What the gateways add beyond day records, in the ingest's schema (src/docs/influxdb-schema.md).</summary>
    private IEnumerable<string> LiveLines()
    {
        var (site, cell) = (SmeCell.Site, SmeCell.Cell);
        var day = new DateTimeOffset(LiveDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
        string[] states = ["run", "down", "run", "setup", "run", "idle"];
        for (var i = 0; i < states.Length; i++)
        {
            yield return FormattableString.Invariant($"state,cell={cell},site={site} state=\"{states[i]}\",seq={i}i,gateway=\"gw-1\" {Ms(day.AddHours(1 + (i * 3.5)))}");
        }

        for (var d = 0; d < 3; d++)
        {
            for (var shift = 0; shift < 2; shift++)
            {
                var start = day.AddDays(-d).AddHours(6 + (8 * shift));
                yield return FormattableString.Invariant($"kpi,cell={cell},site={site},window=shift run_s={20000 + (d * 500)},setup_s=1200,down_s=3600,idle_s=2000,window_s=28800,produced={600 + d}i,good={580 + d}i,ideal_cycle_s=30 {Ms(start)}");
            }
        }

        string[] reasons = ["waiting_material", "tool_change", "breakdown"];
        for (var d = 0; d < 5; d++)
        {
            for (var r = 0; r < reasons.Length; r++)
            {
                yield return FormattableString.Invariant($"kpi_reason,cell={cell},reason={reasons[r]},site={site},window=day seconds={(r + 1) * 600} {Ms(day.AddDays(-d))}");
            }

            yield return FormattableString.Invariant($"kpi_article,article=A-100,cell={cell},site={site},window=day produced=400i,scrap=10i,good=390i {Ms(day.AddDays(-d))}");
            yield return FormattableString.Invariant($"kpi_article,article=B-200,cell={cell},site={site},window=day produced=200i,scrap=5i,good=195i {Ms(day.AddDays(-d))}");
        }

        yield return FormattableString.Invariant($"kpi_reason,cell={OtherCell.Cell},reason={OtherSiteReason},site={OtherCell.Site},window=day seconds=3600 {Ms(day)}");
        yield return FormattableString.Invariant($"gateway_status,gateway=gw-1,site={site} status=\"online\",outbox_depth=3i,uptime_s=3600 {Ms(DateTimeOffset.UtcNow.AddMinutes(-2))}");
        yield return FormattableString.Invariant($"gateway_status,gateway=gw-1,site={OtherCell.Site} status=\"offline\",outbox_depth=0i {Ms(DateTimeOffset.UtcNow.AddHours(-5))}");
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardTests : ICollectionFixture<DashboardProgramme>
{
    public const string Name = "dashboard";
}
