using System.Net;

namespace EdgeGateway.Dashboard.Tests;

/// <summary>Access over HTTP: what a signed-out visitor, an SME and a forged or stale cookie get.</summary>
[Collection(DashboardTests.Name)]
public sealed class AccessTests(DashboardProgramme programme)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/evaluation")]
    [InlineData("/evaluation/effects.csv")]
    [InlineData("/users")]
    public async Task SignedOut_IsRedirectedToSignIn(string path)
    {
        using var client = programme.NewClient();

        var answer = await client.GetAsync(new Uri(path, UriKind.Relative));

        AssertSentToSignIn(answer);
    }

    [Fact]
    public async Task SignedOut_CellPage_IsRedirected_WithNoDataInTheBody()
    {
        using var client = programme.NewClient();
        var cell = programme.SmeCell;

        var answer = await client.GetAsync(new Uri($"/cells/{cell.Site}/{cell.Cell}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.DoesNotContain(cell.Cell, await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sme_AnotherSitesCell_Is404_WithNoDataInTheBody()
    {
        using var client = await programme.SignInAsync(DashboardProgramme.SmeName, DashboardProgramme.SmePassword);
        var other = programme.OtherCell;

        var answer = await client.GetAsync(new Uri($"/cells/{other.Site}/{other.Cell}", UriKind.Relative));
        var body = await answer.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.DoesNotContain(other.Site, body, StringComparison.Ordinal);
        Assert.DoesNotContain(other.Cell, body, StringComparison.Ordinal);
        Assert.DoesNotContain(DashboardProgramme.OtherSiteReason, body, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sme_OwnCell_IsShown()
    {
        using var client = await programme.SignInAsync(DashboardProgramme.SmeName, DashboardProgramme.SmePassword);
        var own = programme.SmeCell;

        var answer = await client.GetAsync(new Uri($"/cells/{own.Site}/{own.Cell}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("id=\"week-table\"", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/evaluation/effects.csv")]
    [InlineData("/evaluation/event_time.csv")]
    [InlineData("/evaluation/evaluation.json")]
    [InlineData("/users")]
    public async Task Sme_ProgrammeFilesAndUsers_AreRefused_WithNoDataInTheBody(string path)
    {
        using var client = await programme.SignInAsync(DashboardProgramme.SmeName, DashboardProgramme.SmePassword);

        var answer = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await answer.Content.ReadAsStringAsync();

        Assert.True(answer.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"{path}: {(int)answer.StatusCode}");
        Assert.DoesNotContain(programme.OtherCell.Site, body, StringComparison.Ordinal);
        Assert.DoesNotContain("oee", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sme_EvaluationPageAndCellsCsv_HoldOnlyItsOwnSite()
    {
        using var client = await programme.SignInAsync(DashboardProgramme.SmeName, DashboardProgramme.SmePassword);
        var otherSites = programme.Programme.Register.Select(e => e.Site).Where(s => s != programme.SmeCell.Site).Distinct().ToList();

        var page = await client.GetStringAsync(new Uri("/evaluation", UriKind.Relative));
        var csv = await client.GetStringAsync(new Uri("/evaluation/cells.csv", UriKind.Relative));
        var overview = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        var own = programme.Programme.Register.Count(e => e.Site == programme.SmeCell.Site);
        Assert.Equal(1 + own, csv.TrimEnd('\n').Split('\n').Length);
        foreach (var text in (string[])[page, csv, overview])
        {
            Assert.Contains(programme.SmeCell.Site, text, StringComparison.Ordinal);
            Assert.All(otherSites, site => Assert.DoesNotContain(site + ",", text.Replace("<", ",", StringComparison.Ordinal), StringComparison.Ordinal));
            Assert.DoesNotContain("id=\"effects\"", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WrongPasswords_AreRateLimited_AfterFiveAttempts()
    {
        using var client = programme.NewClient();
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i < 7; i++)
        {
            statuses.Add((await programme.PostSignInAsync(client, "limited-user", "wrong-password")).StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task WrongPasswordsForManyNamesFromOneAddress_AreRateLimited_AfterFourTimesTheAllowance()
    {
        // The address as a reverse proxy on loopback (always believed) forwards it, so that the other tests' loopback
        // sign-ins keep their own allowance.
        using var client = programme.NewClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i < 21; i++)
        {
            // A new name each time: each name stays within its own allowance of 5.
            statuses.Add((await programme.PostSignInAsync(client, $"sprayed-{i}", "wrong-password")).StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 20), HttpStatusCode.TooManyRequests], statuses);

        // Another address is not held back.
        using var other = programme.NewClient();
        other.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.8");
        Assert.Equal(HttpStatusCode.Unauthorized, (await programme.PostSignInAsync(other, "sprayed-0", "wrong-password")).StatusCode);
    }

    [Fact]
    public async Task ForgedCookie_IsRefused()
    {
        using var client = programme.NewClient();
        client.DefaultRequestHeaders.Add("Cookie", "edgegw.auth=CfDJ8" + new string('A', 300));

        var answer = await client.GetAsync(new Uri("/", UriKind.Relative));

        AssertSentToSignIn(answer);
    }

    [Fact]
    public async Task SignInCookie_SurvivesARestart_WithThePersistedKeyRing()
    {
        using var client = await programme.SignInAsync(DashboardProgramme.EvaluatorName, DashboardProgramme.EvaluatorPassword);

        await programme.RestartAsync();
        var answer = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Single(Directory.GetFiles(Path.Combine(programme.Folder, "keys"), "key-*.xml"));
    }

    [Fact]
    public async Task StaleCookie_AfterPasswordReset_IsRefused()
    {
        var users = new Access.UsersFile(Path.Combine(programme.Folder, "users.json"));
        users.Set("stale", Access.Role.Evaluator, null, "first-password");
        using var client = await programme.SignInAsync("stale", "first-password");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);

        users.ResetPassword("stale", "second-password");
        var answer = await client.GetAsync(new Uri("/", UriKind.Relative));

        AssertSentToSignIn(answer);
    }

    [Fact]
    public async Task FormWithoutAntiforgeryToken_IsRejected()
    {
        using var client = await programme.SignInAsync(DashboardProgramme.AdminName, DashboardProgramme.AdminPassword);

        var answer = await client.PostAsync(new Uri("/users/add", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "intruder", ["role"] = "admin", ["password"] = "intruder-password",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.DoesNotContain("intruder", File.ReadAllText(Path.Combine(programme.Folder, "users.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryAnswer_CarriesTheSecurityHeaders()
    {
        using var client = programme.NewClient();

        var answer = await client.GetAsync(new Uri("/signin", UriKind.Relative));

        Assert.Equal("default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'", answer.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", answer.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", answer.Headers.GetValues("X-Frame-Options").Single());
        Assert.True(answer.Headers.CacheControl?.NoStore, "Cache-Control: no-store");
    }

    [Fact]
    public async Task Admin_AddsAnSmeUser_WhoCanSignIn_AndSeesOnlyItsSite()
    {
        using var admin = await programme.SignInAsync(DashboardProgramme.AdminName, DashboardProgramme.AdminPassword);
        var token = DashboardProgramme.Token(await admin.GetStringAsync(new Uri("/users", UriKind.Relative)));

        var added = await admin.PostAsync(new Uri("/users/add", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["name"] = "new-sme", ["role"] = "sme", ["site"] = programme.OtherCell.Site, ["password"] = "new-sme-password",
        }));

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Contains("id=\"users-ok\"", await added.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var sme = await programme.SignInAsync("new-sme", "new-sme-password");
        Assert.Equal(HttpStatusCode.OK, (await sme.GetAsync(new Uri($"/cells/{programme.OtherCell.Site}/{programme.OtherCell.Cell}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await sme.GetAsync(new Uri($"/cells/{programme.SmeCell.Site}/{programme.SmeCell.Cell}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Evaluator_UsersPage_Is403()
    {
        using var client = await programme.SignInAsync(DashboardProgramme.EvaluatorName, DashboardProgramme.EvaluatorPassword);

        var answer = await client.GetAsync(new Uri("/users", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.DoesNotContain(DashboardProgramme.AdminName, await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BehindAnHttpsProxy_TheCookieIsSecure_AndHstsIsSent()
    {
        // Cookies by hand: a cookie container would not send Secure cookies over the test's plain http.
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = programme.BaseUrl };
        client.DefaultRequestHeaders.Host = "dashboard.example";
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        var form = await client.GetAsync(new Uri("/signin", UriKind.Relative));
        var antiforgery = form.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("edgegw.af=", StringComparison.Ordinal));
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri("/signin", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = DashboardProgramme.Token(await form.Content.ReadAsStringAsync()), ["name"] = DashboardProgramme.EvaluatorName, ["password"] = DashboardProgramme.EvaluatorPassword,
            }),
        };
        post.Headers.Add("Cookie", antiforgery.Split(';')[0]);

        var answer = await client.SendAsync(post);

        Assert.Contains("; secure", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        var cookie = answer.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("edgegw.auth=", StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("max-age=", answer.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewDayRecord_AfterRefresh_IsANewDataVersion_EvaluatedAgain()
    {
        using var client = await programme.SignInAsync(DashboardProgramme.EvaluatorName, DashboardProgramme.EvaluatorPassword);
        var before = DataVersion(await client.GetStringAsync(new Uri("/", UriKind.Relative)));
        // After the window: the data version counts it, the window's numbers stay the same for the other tests.
        var after = new DateTimeOffset(DashboardProgramme.Settings.To.AddDays(3).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
        programme.Influx.Write($"kpi,cell={DashboardProgramme.SilentCell},site={programme.OtherCell.Site},window=day run_s=100,setup_s=0,down_s=0,idle_s=0,window_s=86400,produced=1i,good=1i {after}");
        var overview = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        var token = DashboardProgramme.Token(overview);

        var refreshed = await client.PostAsync(new Uri("/refresh", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Redirect, refreshed.StatusCode);
        var now = DataVersion(await client.GetStringAsync(new Uri("/", UriKind.Relative)));
        Assert.NotEqual(before, now);
        Assert.Equal(before.Split('/')[0], now.Split('/')[0]);
        await Poll.Until(() => client.GetStringAsync(new Uri("/", UriKind.Relative)).GetAwaiter().GetResult().Contains("id=\"effects\"", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the evaluation of the new version", () => "");
    }

    private static string DataVersion(string overview)
    {
        var start = overview.IndexOf("Data version <code>", StringComparison.Ordinal) + 19;
        return overview[start..overview.IndexOf("</code>", start, StringComparison.Ordinal)];
    }

    /// <summary>A 302 to the sign-in page with where to return.</summary>
    private static void AssertSentToSignIn(HttpResponseMessage answer)
    {
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.StartsWith("/signin?ReturnUrl=", answer.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }
}
