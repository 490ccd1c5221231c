using System.Text;
using EdgeGateway.Cli.Report;
using Microsoft.Extensions.Time.Testing;

namespace EdgeGateway.Cli.Tests;

/// <summary>
/// The shared <see cref="InfluxDb"/> fixture runs a real influxd: what is written reads back, also after a graceful
/// stop or a kill and a start on the same port; and <c>edgegw report</c> reads the weekly KPIs back from it.
/// </summary>
public sealed class InfluxDbTests
{
    /// <summary>One gateway's clock said 1970-01-01 and 2099-01-01 (stored before the ingest checked times).</summary>
    private const string WrongClockRecords = """
        kpi,site=sme-0666,cell=mill-1,window=day run_s=3600,setup_s=0,down_s=0,idle_s=0,produced=100i,good=100i,unattended_good=0i,kwh=1,ideal_cycle_s=30 0
        kpi,site=sme-0666,cell=mill-1,window=day run_s=3600,setup_s=0,down_s=0,idle_s=0,produced=100i,good=100i,unattended_good=0i,kwh=1,ideal_cycle_s=30 4070908800
        """;

    private const string Line = "kpi,site=sme-0042,cell=lathe-1,window=day run_s=22380.5,produced=19271i,gateway=\"gw-1\" 1774828800000";

    [Fact]
    public void WrittenLine_ReadsBack()
    {
        using var influx = InfluxDb.Launch();

        influx.Write(Line);

        var row = Assert.Single(influx.Rows("SELECT \"run_s\", \"produced\", \"gateway\", \"cell\" FROM \"kpi\" WHERE \"window\" = 'day'"));
        Assert.Equal("2026-03-30T00:00:00Z", row[0].GetString());
        Assert.Equal(22380.5, row[1].GetDouble());
        Assert.Equal(19271, row[2].GetInt64());
        Assert.Equal("gw-1", row[3].GetString());
        Assert.Equal("lathe-1", row[4].GetString());
        Assert.Equal(1, influx.Scalar("SELECT count(\"run_s\") FROM \"kpi\""));
    }

    [Fact]
    public void StopThenStart_SamePort_DataKept()
    {
        using var influx = InfluxDb.Launch();
        influx.Write(Line);
        var url = influx.Url;

        influx.Stop();
        Assert.False(influx.IsRunning);
        Assert.Throws<HttpRequestException>(() => influx.Scalar("SELECT count(\"run_s\") FROM \"kpi\""));
        influx.Start();

        Assert.Equal(url, influx.Url);
        Assert.Equal(1, influx.Scalar("SELECT count(\"run_s\") FROM \"kpi\""));
    }

    [Fact]
    public void KillThenStart_AcceptedWritesSurvive()
    {
        using var influx = InfluxDb.Launch();
        influx.Write(Line);

        influx.Kill();
        influx.Start();

        Assert.Equal(22380.5, influx.Scalar("SELECT sum(\"run_s\") FROM \"kpi\""));
    }

    [Fact]
    public void Report_ReadsTheWeeklyKpisBackFromInfluxDb()
    {
        using var influx = InfluxDb.Launch();
        influx.Write(string.Join('\n', ReportCommandTests.DayRecords.Split('\n').Select(l => l.Trim())), precision: "s");

        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var exit = Program.Run(["report", "--influx-url", influx.Url, "--from", "2026-03-02", "--to", "2026-03-23"], stdout, stderr);

        Assert.Equal("", stderr.ToString());
        Assert.Equal(0, exit);
        Assert.EndsWith("\n\n" + ReportCommandTests.ExpectedTable + "\n", Encoding.UTF8.GetString(stdout.ToArray()).ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Report_WithoutRange_OneGatewaysRecordsAt1970And2099_SpanOnlyTheYearUpToNow_AndAreNamedInOneLine()
    {
        using var influx = InfluxDb.Launch();
        influx.Write(Lines(ReportCommandTests.DayRecords, WrongClockRecords), precision: "s");

        var (stdout, stderr, exit) = Report(influx, new DateTimeOffset(2026, 3, 23, 0, 0, 0, TimeSpan.Zero), null, null);

        Assert.Equal(("", 0), (stderr, exit));
        Assert.Equal(
            $"Weekly KPIs per cell from {influx.Url}/ (database edgegw), day records from 2026-03-02 00:00:00Z to 2026-03-21 00:00:01Z.\n" +
            "Weeks start Monday 00:00 UTC; a day record counts in the week its day starts. Ratios from the week's sums; '-' = not defined.\n" +
            "Not shown: 1 day record (sme-0666: 1) before 2025-03-23 00:00:00Z and 1 day record (sme-0666: 1) from 2026-03-23 00:00:00Z on, " +
            "outside the default span (a year up to --to or now); --from and --to show them.\n\n" +
            ReportCommandTests.ExpectedTable + "\n",
            stdout);
    }

    [Fact]
    public void Report_From1970To2099_PrintsEachRunOfEmptyWeeksAsOneLine()
    {
        using var influx = InfluxDb.Launch();
        influx.Write(Lines(ReportCommandTests.DayRecords, WrongClockRecords), precision: "s");

        var (stdout, stderr, exit) = Report(influx, new DateTimeOffset(2026, 3, 23, 0, 0, 0, TimeSpan.Zero), "1970-01-01", "2099-01-02");

        Assert.Equal(("", 0), (stderr, exit));
        Assert.Equal(
            $"Weekly KPIs per cell from {influx.Url}/ (database edgegw), day records from 1970-01-01 00:00:00Z to 2099-01-02 00:00:00Z.\n" +
            "Weeks start Monday 00:00 UTC; a day record counts in the week its day starts. Ratios from the week's sums; '-' = not defined.\n\n" +
            """
            sme-0042 / lathe-1
            week of      run h   avail    perf quality     OEE  produced      good unattended  kWh/good
            1969-12-29 no records for 2931 weeks (to 2026-03-01)
            2026-03-02    11.7   75.5%   90.0%   98.3%   66.8%      1260      1238         12     0.299
            2026-03-09     6.9   89.9%   96.0%   99.0%   85.5%       800       792        120     0.253
            2026-03-16 no records for 3799 weeks (to 2099-01-04)

            sme-0042 / press-1
            week of      run h   avail    perf quality     OEE  produced      good unattended  kWh/good
            1969-12-29 no records for 2932 weeks (to 2026-03-08)
            2026-03-09     2.8   66.7%   80.0%   97.5%   52.0%       400       390          0     0.137
            2026-03-16     0.0       -       -       -       -         0         0          0         -
            2026-03-23 no records for 3798 weeks (to 2099-01-04)

            sme-0666 / mill-1
            week of      run h   avail    perf quality     OEE  produced      good unattended  kWh/good
            1969-12-29     1.0  100.0%   83.3%  100.0%   83.3%       100       100          0     0.010
            1970-01-05 no records for 6730 weeks (to 2098-12-28)
            2098-12-29     1.0  100.0%   83.3%  100.0%   83.3%       100       100          0     0.010

            """,
            stdout);
    }

    [Fact]
    public void Report_ShowsEachWeeksTopFiveReasons_AndEffectivenessFromIdealSeconds_OrIdealCycleTimesProducedWhenARecordLacksIt()
    {
        // Week of 03-02: both day records carry ideal_s (a product mix: 34000 s, where 30 s × 1000 parts would say 30000 s);
        // six reasons, and a shift record's reason the report must not count. Week of 03-09: one record of a gateway older
        // than ideal_s, so the week's ideal time is 30 s × 900 parts, not the one record's 10000 s; no reasons.
        const string records = """
            kpi,site=sme-0042,cell=mill-1,window=day run_s=20000,setup_s=0,down_s=2000,idle_s=0,produced=500i,good=500i,unattended_good=0i,kwh=10,ideal_cycle_s=30,ideal_s=18000,unassigned_stops=1i 1772409600
            kpi,site=sme-0042,cell=mill-1,window=day run_s=20000,setup_s=0,down_s=2000,idle_s=0,produced=500i,good=500i,unattended_good=0i,kwh=10,ideal_cycle_s=30,ideal_s=16000,unassigned_stops=0i 1772496000
            kpi,site=sme-0042,cell=mill-1,window=day run_s=20000,setup_s=0,down_s=0,idle_s=0,produced=600i,good=600i,unattended_good=0i,kwh=6,ideal_cycle_s=30 1773014400
            kpi,site=sme-0042,cell=mill-1,window=day run_s=10000,setup_s=0,down_s=0,idle_s=0,produced=300i,good=300i,unattended_good=0i,kwh=3,ideal_cycle_s=30,ideal_s=10000,unassigned_stops=0i 1773100800
            kpi_reason,site=sme-0042,cell=mill-1,window=day,reason=waiting_material seconds=1200 1772409600
            kpi_reason,site=sme-0042,cell=mill-1,window=day,reason=tool_change seconds=500 1772409600
            kpi_reason,site=sme-0042,cell=mill-1,window=day,reason=waiting_material seconds=600 1772496000
            kpi_reason,site=sme-0042,cell=mill-1,window=day,reason=breakdown seconds=900 1772496000
            kpi_reason,site=sme-0042,cell=mill-1,window=day,reason=cleaning seconds=100 1772496000
            kpi_reason,site=sme-0042,cell=mill-1,window=day,reason=meeting seconds=50 1772496000
            kpi_reason,site=sme-0042,cell=mill-1,window=day,reason=quality_check seconds=30 1772496000
            kpi_reason,site=sme-0042,cell=mill-1,window=shift,reason=meeting seconds=9999 1772431200
            """;
        using var influx = InfluxDb.Launch();
        influx.Write(Lines(records), precision: "s");

        var (stdout, stderr, exit) = Report(influx, new DateTimeOffset(2026, 3, 23, 0, 0, 0, TimeSpan.Zero), "2026-03-02", "2026-03-16");

        Assert.Equal(("", 0), (stderr, exit));
        Assert.EndsWith(
            "\n\n" +
            """
            sme-0042 / mill-1
            week of      run h   avail    perf quality     OEE  produced      good unattended  kWh/good
            2026-03-02    11.1   90.9%   85.0%  100.0%   77.3%      1000      1000          0     0.020
                       top stops: waiting_material 1800 s (53.3%), breakdown 900 s (26.6%), tool_change 500 s (14.8%), cleaning 100 s (3.0%), meeting 50 s (1.5%)
            2026-03-09     8.3  100.0%   90.0%  100.0%   90.0%       900       900          0     0.010
            """ + "\n",
            stdout,
            StringComparison.Ordinal);
    }

    private static string Lines(params string[] blocks) => string.Join('\n', blocks.SelectMany(b => b.Split('\n')).Select(l => l.Trim()));

    private static (string Stdout, string Stderr, int Exit) Report(InfluxDb influx, DateTimeOffset now, string? from, string? to)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter { NewLine = "\n" };
        var exit = ReportCommand.Run(new ReportQuery(influx.Url, InfluxDb.DefaultDatabase, from, to, null, null), stdout, stderr, new FakeTimeProvider(now));
        return (Encoding.UTF8.GetString(stdout.ToArray()).ReplaceLineEndings("\n"), stderr.ToString(), exit);
    }
}
