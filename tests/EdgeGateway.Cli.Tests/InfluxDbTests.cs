using System.Text;
using EdgeGateway.Tests.Shared;

namespace EdgeGateway.Cli.Tests;

/// <summary>
/// The shared <see cref="InfluxDb"/> fixture runs a real influxd: what is written reads back, also after a graceful
/// stop or a kill and a start on the same port; and <c>edgegw report</c> reads the weekly KPIs back from it.
/// </summary>
public sealed class InfluxDbTests
{
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
}
