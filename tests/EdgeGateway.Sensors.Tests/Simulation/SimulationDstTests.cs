using EdgeGateway.Core.Kpi;
using EdgeGateway.Tests.Shared;

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
}
