using EdgeGateway.Core.Kpi;
using static EdgeGateway.Core.Tests.TraceBuilder;

namespace EdgeGateway.Core.Tests.Kpi;

/// <summary>Minor stops under both policies (threshold 120 s), inside a Mon 06:00–14:00 shift with a 10:00–10:15 break.</summary>
public sealed class MinorStopTests
{
    private static string Config(string policy) => TestConfig.Cell(
        TestConfig.Shift("Mon-Fri", "06:00", "14:00", breaks: TestConfig.Break("10:00", "10:15")), idealCycleSeconds: 30, policy: policy);

    /// <summary>Runs for an hour from <paramref name="start"/> (default 08:00) with one stop; one part at 10 min before the end.</summary>
    private static string RunStopRun(string lamp, int stopSeconds, DateTime? stopAt = null, DateTime? start = null)
    {
        var from = start ?? Utc("2026-03-30T08:00:00Z");
        var stop = stopAt ?? from.AddMinutes(30);
        return new TraceBuilder()
            .Light(from, "green")
            .Light(stop, lamp)
            .Light(stop.AddSeconds(stopSeconds), "green")
            .At(from.AddMinutes(50), "cycle")
            .Light(from.AddHours(1), "off")
            .ToString();
    }

    [Theory]
    [InlineData("red", Bucket.Down)]
    [InlineData("yellow", Bucket.Idle)]
    public void Iso22400_ShortStopBetweenRuns_StaysInItsBucket_AndIsCounted(string lamp, Bucket bucket)
    {
        var total = Replay.Total(Config("Iso22400"), RunStopRun(lamp, 60));

        Assert.Equal(60, total.Seconds(bucket));
        Assert.Equal(3540, total.Seconds(Bucket.Run));
        Assert.Equal(1, total.MinorStops);
        Assert.Equal(60_000, total.MinorStopMs);
        Assert.Equal(0, total.Failures);
        Assert.Null(total.MttrSeconds);
    }

    [Fact]
    public void Nakajima_ShortStopBetweenRuns_IsBookedAsRun_LoweringEffectivenessNotAvailability()
    {
        var iso = Replay.Total(Config("Iso22400"), RunStopRun("red", 60));
        var nakajima = Replay.Total(Config("Nakajima"), RunStopRun("red", 60));

        Assert.Equal(3600, nakajima.Seconds(Bucket.Run));
        Assert.Equal(0, nakajima.Seconds(Bucket.Down));
        Assert.Equal(1, nakajima.MinorStops);
        Assert.Equal(1.0, nakajima.Availability);
        Assert.Equal(3540.0 / 3600, iso.Availability!.Value, 12);
        Assert.True(nakajima.Effectiveness < iso.Effectiveness);
        Assert.Equal(iso.Oee!.Value, nakajima.Oee!.Value, 12);
    }

    [Fact]
    public void StopAtOrAboveThreshold_IsAFailure_NotAMinorStop()
    {
        var total = Replay.Total(Config("Nakajima"), RunStopRun("red", 120));

        Assert.Equal(0, total.MinorStops);
        Assert.Equal(120, total.Seconds(Bucket.Down));
        Assert.Equal(1, total.Failures);
        Assert.Equal(120, total.MttrSeconds);
    }

    [Fact]
    public void ShortStopNotFollowedByRun_IsNotMinor()
    {
        var trace = new TraceBuilder()
            .Light(Utc("2026-03-30T08:00:00Z"), "green")
            .Light(Utc("2026-03-30T08:30:00Z"), "red")
            .Light(Utc("2026-03-30T08:31:00Z"), "setup")
            .Light(Utc("2026-03-30T09:00:00Z"), "off");

        var total = Replay.Total(Config("Nakajima"), trace.ToString());

        Assert.Equal(0, total.MinorStops);
        Assert.Equal(60, total.Seconds(Bucket.Down));
        Assert.Equal(29 * 60, total.Seconds(Bucket.Setup));
        Assert.Equal(1, total.Failures);
    }

    [Fact]
    public void ShortStopRunningIntoABreak_IsNotMinor()
    {
        // Down 09:59:30–10:00:30 crosses the break start at 10:00: not inside planned time.
        var total = Replay.Total(Config("Nakajima"), RunStopRun("red", 60, Utc("2026-03-30T09:59:30Z"), Utc("2026-03-30T09:30:00Z")));

        Assert.Equal(0, total.MinorStops);
        Assert.Equal(30, total.Seconds(Bucket.Down));
        Assert.Equal(30, total.Seconds(Bucket.PlannedStop));
    }

    [Fact]
    public void MinorStopSpanningMinuteWindows_SplitsItsSecondsAndCountsOnceWhereItStarts()
    {
        var records = Replay.Run(Config("Iso22400"), RunStopRun("red", 90, Utc("2026-03-30T08:30:40Z")), WindowKind.Minute);

        var first = records.Single(r => r.Start == Core.Calendar.SiteTime.ToUnixMs(Utc("2026-03-30T08:30:00Z")));
        var second = records.Single(r => r.Start == Core.Calendar.SiteTime.ToUnixMs(Utc("2026-03-30T08:31:00Z")));
        var third = records.Single(r => r.Start == Core.Calendar.SiteTime.ToUnixMs(Utc("2026-03-30T08:32:00Z")));
        Assert.Equal((1, 20_000L), (first.MinorStops, first.MinorStopMs));
        Assert.Equal((0, 60_000L), (second.MinorStops, second.MinorStopMs));
        Assert.Equal((0, 10_000L), (third.MinorStops, third.MinorStopMs));
        Assert.Equal(60, records.Count);
    }

    [Fact]
    public void DownSpanningABreak_IsOneFailure_WithOnlyItsPlannedTimeAsRepairTime()
    {
        var trace = new TraceBuilder()
            .Light(Utc("2026-03-30T09:00:00Z"), "green")
            .Light(Utc("2026-03-30T09:50:00Z"), "red")
            .Light(Utc("2026-03-30T10:30:00Z"), "green")
            .Light(Utc("2026-03-30T11:00:00Z"), "off");

        var total = Replay.Total(Config("Iso22400"), trace.ToString());

        Assert.Equal(1, total.Failures);
        Assert.Equal(25 * 60, total.Seconds(Bucket.Down));
        Assert.Equal(15 * 60, total.Seconds(Bucket.PlannedStop));
        Assert.Equal(25 * 60, total.MttrSeconds);
        Assert.Equal(80 * 60, total.MtbfSeconds);
    }
}
