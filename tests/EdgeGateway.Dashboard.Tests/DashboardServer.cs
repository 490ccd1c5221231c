using System.Net;
using System.Text.RegularExpressions;
using EdgeGateway.Dashboard.Access;
using EdgeGateway.Evaluation.Register;

namespace EdgeGateway.Dashboard.Tests;

/// <summary>
/// A programme's data in a real InfluxDB 1.x, its register, a users file (evaluator, SME, admin) and one
/// <c>edgegw-dashboard</c> process on a free loopback port; what fills the database, the register and the window is the
/// derived fixture's.
/// </summary>
public abstract partial class DashboardServer : IAsyncLifetime
{
    public const string EvaluatorName = "eva", EvaluatorPassword = "evaluator-pass-1";
    public const string SmeName = "sam", SmePassword = "sme-pass-00001";
    public const string AdminName = "ada", AdminPassword = "admin-pass-0001";

    internal InfluxDb Influx { get; private set; } = null!;

    public string Folder { get; } = Directory.CreateTempSubdirectory("edgegw-dashboard-").FullName;

    public string RegisterFile => Path.Combine(Folder, "register.csv");

    public string ConfigFile => Path.Combine(Folder, "dashboard.json");

    internal ServiceProcess Dashboard { get; private set; } = null!;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The programme's register cells, in register order.</summary>
    public abstract IReadOnlyList<RegisterEntry> Register { get; }

    /// <summary>The SME's site and a cell of it with live data (states, shifts, reasons, articles).</summary>
    public abstract RegisterEntry SmeCell { get; }

    /// <summary>The dashboard's window: first day and the day after the last.</summary>
    public abstract (DateOnly From, DateOnly To) Window { get; }

    /// <summary>The heading of the overview and the evaluation.</summary>
    public virtual string Title => "Test programme";

    public async Task InitializeAsync()
    {
        Influx = InfluxDb.Launch();
        Fill(Influx);
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
                "From": "{{Window.From:yyyy-MM-dd}}",
                "To": "{{Window.To:yyyy-MM-dd}}",
                "Title": "{{Title}}",
                "Bootstrap": 199,
                "SignInAttemptsPerMinute": 5
              }
            }
            """);
        await StartDashboardAsync();
    }

    /// <summary>Writes the programme's points to <paramref name="influx"/> and its register to <see cref="RegisterFile"/>.</summary>
    private protected abstract void Fill(InfluxDb influx);

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
}
