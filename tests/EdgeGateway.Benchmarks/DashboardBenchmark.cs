using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using EdgeGateway.Dashboard.Access;

namespace EdgeGateway.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/EdgeGateway.Benchmarks -- dashboard [CELLS] [DAYS] [REQUESTS]</c>: the
/// evaluate benchmark's programme (200 cells × 2 years of day records, 100 sites) in a real InfluxDB 1.x, one
/// <c>edgegw-dashboard</c> process, an evaluator signed in; once the evaluation is done and every measured page has been
/// seen once (warm), REQUESTS (default 100) sequential requests each of the overview and of cell pages (ten cells in
/// turn), timed at the client from request to the last byte. Target (issue 17): p95 under 300 ms. Exit code 0 when met.
/// </summary>
public static partial class DashboardBenchmark
{
    private const double TargetMs = 300;

    public static async Task<int> RunAsync(string[] args)
    {
        if (!DrainBenchmark.TryParse(args, 0, 200, out var cellCount) || !DrainBenchmark.TryParse(args, 1, 730, out var days) || !DrainBenchmark.TryParse(args, 2, 100, out var requests))
        {
            Console.Error.WriteLine("dashboard: usage: dashboard [CELLS] [DAYS] [REQUESTS] (positive integers)");
            return 2;
        }

        var settings = BenchmarkProgramme.Settings(cellCount, days);
        var programme = ProgrammeSimulation.Generate(settings, seed: 1);
        using var influx = InfluxDb.Launch();
        var points = BenchmarkProgramme.Load(influx, programme);
        var folder = Directory.CreateTempSubdirectory("edgegw-dashboard-bench-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "register.csv"), BenchmarkProgramme.RegisterCsv(programme));
            new UsersFile(Path.Combine(folder, "users.json")).Set("bench", Role.Evaluator, null, "bench-password");
            var port = Loopback.FreePort();
            var config = Path.Combine(folder, "dashboard.json");
            File.WriteAllText(config, string.Create(CultureInfo.InvariantCulture, $$"""
                { "Dashboard": { "Urls": "http://127.0.0.1:{{port}}", "InfluxUrl": "{{influx.Url}}", "Register": "register.csv", "Users": "users.json",
                  "KeysDirectory": "keys", "From": "{{settings.From:yyyy-MM-dd}}", "To": "{{settings.To:yyyy-MM-dd}}" } }
                """));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"dashboard: {cellCount} cells in {settings.Sites} sites, {days} days: {points} day records in InfluxDB {influx.Url}"));
            using var dashboard = ServiceProcess.Start("edgegw-dashboard", ["--config", config]);
            await Poll.Until(() => dashboard.FindLine("ready on") is not null || dashboard.HasExited, TimeSpan.FromSeconds(30), "the dashboard's ready line", () => dashboard.Tail());
            var cookies = new CookieContainer();
            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            var signIn = await client.GetStringAsync(new Uri("/signin", UriKind.Relative));
            var token = WebUtility.HtmlDecode(Token().Match(signIn).Groups[1].Value);
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["name"] = "bench", ["password"] = "bench-password" });
            var signedIn = await client.PostAsync(new Uri("/signin", UriKind.Relative), form);
            if (signedIn.StatusCode != HttpStatusCode.Redirect)
            {
                Console.Error.WriteLine($"dashboard: sign-in answered {(int)signedIn.StatusCode}");
                return 1;
            }

            var cold = Stopwatch.StartNew();
            await Poll.Until(() => client.GetStringAsync(new Uri("/", UriKind.Relative)).GetAwaiter().GetResult().Contains("id=\"effects\"", StringComparison.Ordinal), TimeSpan.FromMinutes(3), "the evaluation on the overview", () => dashboard.Tail());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dashboard: first read and evaluation done {cold.Elapsed.TotalSeconds:0.0} s after sign-in"));
            var cells = programme.Register.Take(10).Select(e => $"/cells/{e.Site}/{e.Cell}").ToList();
            foreach (var cell in cells)
            {
                await client.GetStringAsync(new Uri(cell, UriKind.Relative));
            }

            var overview = await TimeAsync(client, Enumerable.Repeat("/", requests).ToList());
            var cellPages = await TimeAsync(client, Enumerable.Range(0, requests).Select(i => cells[i % cells.Count]).ToList());
            var met = Report("overview", overview) & Report("cell page", cellPages);
            await dashboard.StopAsync();
            return met ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(List<double> Times, long Bytes)> TimeAsync(HttpClient client, List<string> paths)
    {
        var times = new List<double>(paths.Count);
        long bytes = 0;
        foreach (var path in paths)
        {
            var clock = Stopwatch.StartNew();
            using var answer = await client.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseContentRead);
            bytes += (await answer.Content.ReadAsByteArrayAsync()).Length;
            times.Add(clock.Elapsed.TotalMilliseconds);
            if (answer.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"{path} answered {(int)answer.StatusCode}");
            }
        }

        return (times, bytes / paths.Count);
    }

    private static bool Report(string page, (List<double> Times, long Bytes) measured)
    {
        var times = measured.Times;
        times.Sort();
        double At(double q) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(q * times.Count) - 1)];
        var p95 = At(0.95);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dashboard: {page} ({measured.Bytes / 1024} KiB): {times.Count} warm requests, p50 {At(0.5):0.0} ms, p95 {p95:0.0} ms, max {times[^1]:0.0} ms (target p95 < {TargetMs} ms): {(p95 < TargetMs ? "met" : "MISSED")}"));
        return p95 < TargetMs;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
