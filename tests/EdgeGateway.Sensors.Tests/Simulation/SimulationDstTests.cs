using EdgeGateway.Core.Kpi;

namespace EdgeGateway.Sensors.Tests.Simulation;

/// <summary>
/// Daylight saving time in Europe/Amsterdam (the shipped sample): the day of the jump is 23 h or 25 h long, the
/// unstaffed Saturday night shift 22:00–06:00 across it lasts 7 h or 9 h, the machine works it unattended, and
/// replay still reproduces the truth.
/// </summary>
public sealed class SimulationDstTests
{
    private static readonly string s_sample = File.ReadAllText(RepoPaths.Sample("simulation.json"));

    [Theory]
    [InlineData("2026-03-23", "2026-04-06", "2026-03-28T23:00:00Z", 23, "2026-03-28T21:00:00Z", 7)]
    [InlineData("2026-10-19", "2026-11-02", "2026-10-24T22:00:00Z", 25, "2026-10-24T20:00:00Z", 9)]
    public void DstWeekend_DayAndNightShiftHaveTheirRealLength_AndReplayMatchesTruth(
        string from, string to, string dayStart, int dayHours, string nightShiftStart, int nightShiftHours)
    {
        var run = SimulatedRun.Simulate(s_sample, seed: 29, from, to);

        var day = Assert.Single(run.Truth, r => r.Kind == WindowKind.Day && r.Start == SimulatedRun.Instant(dayStart, run.Config.TimeZone));
        Assert.Equal(dayHours * 3_600_000L, day.LengthMs);

        var night = Assert.Single(run.Truth, r => r.Kind == WindowKind.Shift && r.Start == SimulatedRun.Instant(nightShiftStart, run.Config.TimeZone));
        Assert.Equal(nightShiftHours * 3_600_000L, night.LengthMs);
        Assert.True(night.Produced > 0 && night.Ms(Bucket.Run) > 0, "the machine works the unstaffed night shift");
        Assert.Equal(night.Good, night.UnattendedGood);

        TruthComparison.AssertReplayMatchesTruth(run);
    }

    /// <summary>
    /// Shifts whose start or end the clock skips or shows twice (Europe/Berlin, src/docs/kpi-model.md "Calendar and DST"): the
    /// simulator works them exactly when the engine plans them, and both place them where the clock first shows the time.
    /// </summary>
    [Theory]
    [InlineData("2026-03-28", "2026-03-30", "2026-03-28T21:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T04:00:00Z")]
    [InlineData("2026-10-24", "2026-10-26", "2026-10-24T20:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-25T05:00:00Z")]
    public void ShiftEdgesInTheGapOrTheRepeatedHour_SimulatorAndReplayAgree(
        string from, string to, string nightStart, string nightEnd, string earlyStart, string earlyEnd)
    {
        // Sat 22:00-02:30 ends, Sun 02:30-06:00 starts at a time that does not exist (spring) or exists twice (autumn).
        var config = s_sample
            .Replace("\"Europe/Amsterdam\"", "\"Europe/Berlin\"", StringComparison.Ordinal)
            .Replace(
                "{ \"Days\": \"Sat\", \"Start\": \"22:00\", \"End\": \"06:00\", \"Staffed\": false, \"Breaks\": [] }",
                "{ \"Days\": \"Sat\", \"Start\": \"22:00\", \"End\": \"02:30\", \"Staffed\": false, \"Breaks\": [] }, { \"Days\": \"Sun\", \"Start\": \"02:30\", \"End\": \"06:00\", \"Staffed\": true, \"Breaks\": [] }",
                StringComparison.Ordinal);
        Assert.NotEqual(s_sample, config);

        var run = SimulatedRun.Simulate(config, seed: 7, from, to);

        var shifts = run.Truth.Where(r => r.Kind == WindowKind.Shift && r.Start >= SimulatedRun.Instant(nightStart, run.Config.TimeZone) && r.Start < SimulatedRun.Instant(earlyEnd, run.Config.TimeZone)).ToList();
        Assert.Equal(2, shifts.Count);
        Assert.Equal((SimulatedRun.Instant(nightStart, run.Config.TimeZone), SimulatedRun.Instant(nightEnd, run.Config.TimeZone)), (shifts[0].Start, shifts[0].End));
        Assert.Equal((SimulatedRun.Instant(earlyStart, run.Config.TimeZone), SimulatedRun.Instant(earlyEnd, run.Config.TimeZone)), (shifts[1].Start, shifts[1].End));
        Assert.True(shifts[1].Produced > 0, "the machine works the early shift from its first valid instant");
        TruthComparison.AssertReplayMatchesTruth(run);
    }
}
