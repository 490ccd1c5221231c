using System.Net;
using System.Net.Sockets;
using System.Text;
using EdgeGateway.Cli.Report;
using EdgeGateway.Queries;
using Microsoft.Extensions.Time.Testing;

namespace EdgeGateway.Cli.Tests;

/// <summary>
/// <c>edgegw report</c> runs the weekly InfluxQL query over HTTP and recomputes the KPIs from the week's sums. A local
/// HTTP server plays InfluxDB 1.6.7 with answers recorded from the real one (for the day records in
/// <see cref="DayRecords"/>); errors are one line with exit code 1 (no database to ask) or 2 (nothing to report).
/// </summary>
public sealed class ReportCommandTests : IDisposable
{
    /// <summary>The day records behind the recorded answer (line protocol, seconds), plus a shift record the query must skip.</summary>
    internal const string DayRecords = """
        kpi,site=sme-0042,cell=lathe-1,window=day run_s=20000,setup_s=1800,down_s=2400,idle_s=3600,produced=600i,good=588i,unattended_good=0i,kwh=180.5,ideal_cycle_s=30 1772409600
        kpi,site=sme-0042,cell=lathe-1,window=day run_s=22000,setup_s=1200,down_s=1800,idle_s=2800,produced=660i,good=650i,unattended_good=12i,kwh=190.25,ideal_cycle_s=30 1772496000
        kpi,site=sme-0042,cell=lathe-1,window=day run_s=25000,setup_s=600,down_s=1000,idle_s=1200,produced=800i,good=792i,unattended_good=120i,kwh=200,ideal_cycle_s=30 1773014400
        kpi,site=sme-0042,cell=lathe-1,window=shift run_s=9999,setup_s=0,down_s=0,idle_s=0,produced=1i,good=1i,unattended_good=0i,kwh=1,ideal_cycle_s=30 1773036000
        kpi,site=sme-0042,cell=press-1,window=day run_s=0,setup_s=0,down_s=0,idle_s=0,produced=0i,good=0i,unattended_good=0i,kwh=3.5,ideal_cycle_s=20 1773100800
        kpi,site=sme-0042,cell=press-1,window=day run_s=10000,setup_s=2000,down_s=0,idle_s=3000,produced=400i,good=390i,unattended_good=0i,kwh=50,ideal_cycle_s=20 1773187200
        kpi,site=sme-0042,cell=press-1,window=day run_s=0,setup_s=0,down_s=0,idle_s=0,produced=0i,good=0i,unattended_good=0i,kwh=2,ideal_cycle_s=20 1774051200
        """;

    /// <summary>The table for <see cref="DayRecords"/> from 2026-03-02 to 2026-03-23 (after the two header lines).</summary>
    internal const string ExpectedTable = """
        sme-0042 / lathe-1
        week of      run h   avail    perf quality     OEE  produced      good unattended  kWh/good
        2026-03-02    11.7   75.5%   90.0%   98.3%   66.8%      1260      1238         12     0.299
        2026-03-09     6.9   89.9%   96.0%   99.0%   85.5%       800       792        120     0.253
        2026-03-16 no records

        sme-0042 / press-1
        week of      run h   avail    perf quality     OEE  produced      good unattended  kWh/good
        2026-03-02 no records
        2026-03-09     2.8   66.7%   80.0%   97.5%   52.0%       400       390          0     0.137
        2026-03-16     0.0       -       -       -       -         0         0          0         -
        """;

    /// <summary>
    /// What InfluxDB 1.6.7 answered to the weekly query for <see cref="DayRecords"/>, 2026-03-02 to 2026-03-23 (no record
    /// of them has <c>ideal_s</c>, of gateways older than it).
    /// </summary>
    private const string RecordedWeekly = """{"results":[{"statement_id":0,"series":[{"name":"kpi","tags":{"cell":"lathe-1","site":"sme-0042"},"columns":["time","run_s","setup_s","down_s","idle_s","produced","good","unattended_good","kwh","ideal_cycle_s","ideal_s","ideal_s_records","records"],"values":[["2026-03-02T00:00:00Z",42000,3000,4200,6400,1260,1238,12,370.75,30,null,null,2],["2026-03-09T00:00:00Z",25000,600,1000,1200,800,792,120,200,30,null,null,1],["2026-03-16T00:00:00Z",null,null,null,null,null,null,null,null,null,null,null,0]]},{"name":"kpi","tags":{"cell":"press-1","site":"sme-0042"},"columns":["time","run_s","setup_s","down_s","idle_s","produced","good","unattended_good","kwh","ideal_cycle_s","ideal_s","ideal_s_records","records"],"values":[["2026-03-02T00:00:00Z",null,null,null,null,null,null,null,null,null,null,null,0],["2026-03-09T00:00:00Z",10000,2000,0,3000,400,390,0,53.5,20,null,null,2],["2026-03-16T00:00:00Z",0,0,0,0,0,0,0,2,20,null,null,1]]}]}]}""";

    private const string RecordedFirst = """{"results":[{"statement_id":0,"series":[{"name":"kpi","columns":["time","first"],"values":[["2026-03-02T00:00:00Z",20000]]}]}]}""";

    private const string RecordedLast = """{"results":[{"statement_id":0,"series":[{"name":"kpi","columns":["time","last"],"values":[["2026-03-21T00:00:00Z",0]]}]}]}""";

    private const string RecordedEmpty = """{"results":[{"statement_id":0}]}""";

    private const string RecordedNoDatabase = """{"results":[{"statement_id":0,"error":"database not found: nope"}]}""";

    private const string WeeklyQuery = "SELECT sum(\"run_s\") AS \"run_s\", sum(\"setup_s\") AS \"setup_s\", sum(\"down_s\") AS \"down_s\", sum(\"idle_s\") AS \"idle_s\", " +
        "sum(\"produced\") AS \"produced\", sum(\"good\") AS \"good\", sum(\"unattended_good\") AS \"unattended_good\", sum(\"kwh\") AS \"kwh\", " +
        "mean(\"ideal_cycle_s\") AS \"ideal_cycle_s\", sum(\"ideal_s\") AS \"ideal_s\", count(\"ideal_s\") AS \"ideal_s_records\", count(\"run_s\") AS \"records\" " +
        "FROM \"kpi\" WHERE \"window\" = 'day' AND time >= '2026-03-02T00:00:00Z' AND time < '2026-03-23T00:00:00Z' " +
        "GROUP BY time(1w, 4d), \"site\", \"cell\"";

    private const string ReasonsQuery = "SELECT sum(\"seconds\") AS \"seconds\" FROM \"kpi_reason\" WHERE \"window\" = 'day' " +
        "AND time >= '2026-03-02T00:00:00Z' AND time < '2026-03-23T00:00:00Z' GROUP BY time(1w, 4d), \"site\", \"cell\", \"reason\"";

    private readonly FakeInflux _influx = new();

    // What InfluxDB 1.x answers to GET /query, given the query; any other path is 404.
    private Func<string, string> _answer = _ => RecordedEmpty;

    public ReportCommandTests() =>
        _influx.Respond = r => r.Path == "/query" ? new FakeResponse(200, _answer(r.Query.GetValueOrDefault("q", ""))) : new FakeResponse(404, "404 page not found");

    private IReadOnlyList<(string Database, string Query)> Queries =>
        [.. _influx.Requests.Select(r => (r.Query.GetValueOrDefault("db", ""), r.Query.GetValueOrDefault("q", "")))];

    private IReadOnlyList<string> Authorizations => [.. _influx.Requests.Select(r => r.Authorization).OfType<string>()];

    public void Dispose() => _influx.Dispose();

    [Fact]
    public void Report_PrintsOneBlockPerCell_OneRowPerWeek_KpisFromTheWeeksSums()
    {
        _answer = q => q.StartsWith("SELECT sum(", StringComparison.Ordinal) && q.Contains("FROM \"kpi\"", StringComparison.Ordinal) ? RecordedWeekly : RecordedEmpty;

        var (stdout, stderr, exit) = Report("--influx-url", _influx.Url, "--database", "edgegw", "--from", "2026-03-02", "--to", "2026-03-23");

        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        Assert.Equal([("edgegw", WeeklyQuery), ("edgegw", ReasonsQuery)], Queries);
        Assert.Equal(
            $"Weekly KPIs per cell from {_influx.Url}/ (database edgegw), day records from 2026-03-02 00:00:00Z to 2026-03-23 00:00:00Z.\n" +
            "Weeks start Monday 00:00 UTC; a day record counts in the week its day starts. Ratios from the week's sums; '-' = not defined.\n\n" +
            ExpectedTable + "\n",
            stdout);
    }

    [Fact]
    public void Read_RecomputesRatiosFromSums_NullForZeroDenominators()
    {
        using var http = new HttpClient();
        _answer = _ => RecordedWeekly;
        var cells = WeeklyKpis.Read(new InfluxQueryClient(http, new Uri(_influx.Url), "edgegw").Query("SELECT …"));

        Assert.Equal(["lathe-1", "press-1"], cells.Select(c => c.Cell));
        var week = cells[0].Weeks[0];
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero), week.WeekStart);
        Assert.Equal(42000.0 / 55600, week.Availability);
        Assert.Equal(30.0 * 1260 / 42000, week.Effectiveness);
        Assert.Equal(1238.0 / 1260, week.Quality);
        Assert.Equal(42000.0 / 55600 * (30.0 * 1260 / 42000) * (1238.0 / 1260), week.Oee);
        Assert.Equal(370.75 / 1238, week.KwhPerGoodPart);
        Assert.Equal((1260L, 1238L, 12L), (week.Produced, week.Good, week.UnattendedGood));
        Assert.False(cells[0].Weeks[2].HasData);

        var idle = cells[1].Weeks[2];
        Assert.True(idle.HasData);
        Assert.Equal((double?)null, idle.Availability);
        Assert.Equal((double?)null, idle.Effectiveness);
        Assert.Equal((double?)null, idle.Quality);
        Assert.Equal((double?)null, idle.Oee);
        Assert.Equal((double?)null, idle.KwhPerGoodPart);
    }

    [Fact]
    public void Report_WithoutRange_RunsFromTheFirstToJustAfterTheLastDayRecord_OfTheYearUpToNow()
    {
        _answer = q => q switch
        {
            _ when q.StartsWith("SELECT first(", StringComparison.Ordinal) => RecordedFirst,
            _ when q.StartsWith("SELECT last(", StringComparison.Ordinal) => RecordedLast,
            _ when q.StartsWith("SELECT count(", StringComparison.Ordinal) => RecordedEmpty,
            _ => RecordedWeekly,
        };

        var (stdout, _, exit) = ReportAt(new DateTimeOffset(2026, 3, 23, 12, 0, 0, TimeSpan.Zero), site: "sme-0042");

        Assert.Equal(0, exit);
        Assert.Equal(
            [
                "SELECT first(\"run_s\") FROM \"kpi\" WHERE \"window\" = 'day' AND \"site\" = 'sme-0042' AND time >= '2025-03-23T12:00:00Z' AND time < '2026-03-23T12:00:00Z'",
                "SELECT last(\"run_s\") FROM \"kpi\" WHERE \"window\" = 'day' AND \"site\" = 'sme-0042' AND time >= '2025-03-23T12:00:00Z' AND time < '2026-03-23T12:00:00Z'",
                "SELECT count(\"run_s\") FROM \"kpi\" WHERE \"window\" = 'day' AND \"site\" = 'sme-0042' AND time < '2025-03-23T12:00:00Z' GROUP BY \"site\"",
                "SELECT count(\"run_s\") FROM \"kpi\" WHERE \"window\" = 'day' AND \"site\" = 'sme-0042' AND time >= '2026-03-23T12:00:00Z' GROUP BY \"site\"",
                WeeklyQuery.Replace("'day' AND", "'day' AND \"site\" = 'sme-0042' AND", StringComparison.Ordinal)
                    .Replace("2026-03-23T00:00:00Z", "2026-03-21T00:00:01Z", StringComparison.Ordinal),
                ReasonsQuery.Replace("'day' AND", "'day' AND \"site\" = 'sme-0042' AND", StringComparison.Ordinal)
                    .Replace("2026-03-23T00:00:00Z", "2026-03-21T00:00:01Z", StringComparison.Ordinal),
            ],
            Queries.Select(q => q.Query));
        Assert.Equal(
            $"Weekly KPIs per cell from {_influx.Url}/ (database edgegw, site sme-0042), day records from 2026-03-02 00:00:00Z to 2026-03-21 00:00:01Z.\n" +
            "Weeks start Monday 00:00 UTC; a day record counts in the week its day starts. Ratios from the week's sums; '-' = not defined.\n\n" +
            ExpectedTable + "\n",
            stdout);
    }

    [Theory]
    [InlineData("2026-03-01", null, " AND time >= '2026-03-01T00:00:00Z' AND time < '2026-03-23T12:00:00Z'", "2026-03-01T00:00:00Z", "2026-03-21T00:00:01Z")]
    [InlineData(null, "2026-03-22", " AND time >= '2025-03-22T00:00:00Z' AND time < '2026-03-22T00:00:00Z'", "2026-03-02T00:00:00Z", "2026-03-22T00:00:00Z")]
    public void Report_WithOneEndGiven_LooksForTheOtherWithinAYearOfIt_OrUpToNow(string? from, string? to, string edgeFilter, string weeklyFrom, string weeklyTo)
    {
        _answer = q => q switch
        {
            _ when q.StartsWith("SELECT first(", StringComparison.Ordinal) => RecordedFirst,
            _ when q.StartsWith("SELECT last(", StringComparison.Ordinal) => RecordedLast,
            _ when q.StartsWith("SELECT count(", StringComparison.Ordinal) => RecordedEmpty,
            _ => RecordedWeekly,
        };

        var (_, _, exit) = ReportAt(new DateTimeOffset(2026, 3, 23, 12, 0, 0, TimeSpan.Zero), from: from, to: to);

        Assert.Equal(0, exit);
        var edgeQueries = Queries.Select(q => q.Query).Where(q => q.StartsWith("SELECT first(", StringComparison.Ordinal) || q.StartsWith("SELECT last(", StringComparison.Ordinal));
        Assert.All(edgeQueries, q => Assert.EndsWith(edgeFilter, q, StringComparison.Ordinal));
        Assert.Equal(2, edgeQueries.Count());
        // The weekly KPIs and the weekly reasons, over the same span.
        var weekly = Queries.Select(q => q.Query).Where(q => q.Contains("GROUP BY time(1w, 4d)", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, weekly.Count);
        Assert.All(weekly, q => Assert.Contains($"time >= '{weeklyFrom}' AND time < '{weeklyTo}' GROUP BY time(1w, 4d)", q, StringComparison.Ordinal));
    }

    [Fact]
    public void Report_WithoutRange_NoRecordsInTheYearUpToNow_SaysWhereTheyAre_Exit2()
    {
        // Records only in 1970 and 2099, from a gateway whose clock was wrong.
        _answer = q => q switch
        {
            _ when q.Contains(" AND time ", StringComparison.Ordinal) => RecordedEmpty,
            _ when q.StartsWith("SELECT first(", StringComparison.Ordinal) => RecordedFirst.Replace("2026-03-02T00:00:00Z", "1970-01-01T00:00:00Z", StringComparison.Ordinal),
            _ when q.StartsWith("SELECT last(", StringComparison.Ordinal) => RecordedLast.Replace("2026-03-21T00:00:00Z", "2099-01-01T00:00:00Z", StringComparison.Ordinal),
            _ => RecordedEmpty,
        };

        var (stdout, stderr, exit) = ReportAt(new DateTimeOffset(2026, 3, 23, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal((2, ""), (exit, stdout));
        Assert.Equal(
            "edgegw report: no day records in database edgegw between 2025-03-23 12:00:00Z and 2026-03-23 12:00:00Z (by default a year up to --to or now); " +
            "it has some from 1970-01-01 00:00:00Z to 2099-01-01 00:00:00Z: choose with --from and --to\n",
            stderr);
    }

    [Fact]
    public void Report_WithToken_SendsItAsInfluxDb2AuthorizationHeader()
    {
        _answer = _ => RecordedWeekly;

        var (_, _, exit) = Report("--influx-url", _influx.Url, "--from", "2026-03-02", "--to", "2026-03-23", "--token", "s3cr3t");

        Assert.Equal(0, exit);
        // Both queries, the weekly KPIs' and the weekly reasons'.
        Assert.Equal(["Token s3cr3t", "Token s3cr3t"], Authorizations);
    }

    [Fact]
    public void Report_DatabaseUnreachable_OneLine_Exit1()
    {
        // A port bound but not listening refuses connections, and nobody else can take it meanwhile.
        using var reserved = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        reserved.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var url = $"http://127.0.0.1:{((IPEndPoint)reserved.LocalEndPoint!).Port}";

        var (stdout, stderr, exit) = Report("--influx-url", url, "--from", "2026-03-02", "--to", "2026-03-23");

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"edgegw report: InfluxDB at {url}/ does not answer: Connection refused\n", stderr);
    }

    [Fact]
    public void Report_NoRecordsInTheSelection_OneLine_Exit2()
    {
        _answer = _ => RecordedEmpty;

        var (stdout, stderr, exit) = Report("--influx-url", _influx.Url, "--site", "sme-0099");

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"edgegw report: no day records in database edgegw, site sme-0099 at {_influx.Url}/\n", stderr);
    }

    [Fact]
    public void Report_UnknownDatabase_OneLine_Exit2()
    {
        _answer = _ => RecordedNoDatabase;

        var (stdout, stderr, exit) = Report("--influx-url", _influx.Url, "--database", "nope", "--from", "2026-03-02", "--to", "2026-03-23");

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"edgegw report: InfluxDB at {_influx.Url}/: database not found: nope\n", stderr);
    }

    [Fact]
    public void Report_PartialAnswer_IsAnError_NotFewerWeeks()
    {
        // What InfluxDB 1.x answers when its [http] max-row-limit cut the series short.
        _answer = _ => RecordedWeekly.Replace("\"values\":[[\"2026-03-02T00:00:00Z\",42000", "\"partial\":true,\"values\":[[\"2026-03-02T00:00:00Z\",42000", StringComparison.Ordinal);

        var (stdout, stderr, exit) = Report("--influx-url", _influx.Url, "--from", "2026-03-02", "--to", "2026-03-23");

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"edgegw report: InfluxDB at {_influx.Url}/ cut its answer short (partial result: its [http] max-row-limit is set); raise the limit or query a shorter range\n", stderr);
    }

    [Fact]
    public void Report_NotInfluxDb_OneLine_Exit1()
    {
        _answer = _ => "<html>404 page not found</html>";

        var (_, stderr, exit) = Report("--influx-url", _influx.Url, "--from", "2026-03-02", "--to", "2026-03-23");

        Assert.Equal(1, exit);
        Assert.Equal($"edgegw report: {_influx.Url}/ answered HTTP 200 without an InfluxDB query result: is it InfluxDB's HTTP API?\n", stderr);
    }

    [Theory]
    [InlineData("--from", "2026-02-30", "edgegw report: --from: '2026-02-30' is not a date (2026-03-02) or a UTC timestamp (2026-03-02T06:00:00Z)")]
    [InlineData("--site", "a b", "edgegw report: --site: 'a b' is not a site id (1-64 of A-Z a-z 0-9 . _ -)")]
    [InlineData("--influx-url", "localhost:8086", "edgegw report: --influx-url: 'localhost:8086' is not an http(s) URL")]
    public void Report_BadArgument_OneLine_Exit2_NothingAsked(string option, string value, string expected)
    {
        string[] args = option == "--influx-url" ? [option, value] : ["--influx-url", _influx.Url, option, value];

        var (_, stderr, exit) = Report(args);

        Assert.Equal(2, exit);
        Assert.Equal(expected + "\n", stderr);
        Assert.Empty(Queries);
    }

    private (string Stdout, string Stderr, int Exit) ReportAt(DateTimeOffset now, string? site = null, string? from = null, string? to = null)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter { NewLine = "\n" };
        var exit = ReportCommand.Run(new ReportQuery(_influx.Url, "edgegw", from, to, site, null), stdout, stderr, new FakeTimeProvider(now));
        return (Encoding.UTF8.GetString(stdout.ToArray()).ReplaceLineEndings("\n"), stderr.ToString(), exit);
    }

    private static (string Stdout, string Stderr, int Exit) Report(params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter { NewLine = "\n" };
        var exit = Program.Run(["report", .. args], stdout, stderr);
        return (Encoding.UTF8.GetString(stdout.ToArray()).ReplaceLineEndings("\n"), stderr.ToString(), exit);
    }
}
