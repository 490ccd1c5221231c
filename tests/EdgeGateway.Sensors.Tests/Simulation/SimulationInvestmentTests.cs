using EdgeGateway.Core.Calendar;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Sensors.Simulation;

namespace EdgeGateway.Sensors.Tests.Simulation;

/// <summary>
/// The investment switch is what an evaluation measures, so it must show in the ground truth: three weeks before
/// go-live (2026-05-25), a week of ramp-up, four weeks after. After: cycle time −20 %, fewer minor stops, lower idle
/// power and an unattended night shift outside the calendar.
/// </summary>
public sealed class SimulationInvestmentTests
{
    private const string Config = """
        { "EdgeGateway": { "Site": "sme-0042", "TimeZone": "Europe/Amsterdam", "Cells": [
          { "Id": "cell-1", "IdealCycleSeconds": 30, "MinorStopSeconds": 120,
            "Signals": { "green": { "Role": "StateRun" }, "yellow": { "Role": "StateIdle" }, "red": { "Role": "StateDown" },
                         "setup": { "Role": "Setup" }, "cycle": { "Role": "CyclePulse" }, "scrap": { "Role": "ScrapPulse" },
                         "power": { "Role": "PowerKw" } },
            "Simulation": { "CycleSeconds": 40, "MinorStopProbability": 0.02, "PowerIdleKw": 3.0,
              "Investment": { "GoLive": "2026-05-25", "RampUpDays": 7,
                "After": { "CycleSeconds": 32, "MinorStopProbability": 0.005, "PowerIdleKw": 1.5,
                           "ExtraShifts": [ { "Days": "Mon-Fri", "Start": "22:00", "End": "06:00", "Staffed": false } ] } } },
            "Shifts": [ { "Days": "Mon-Fri", "Start": "06:00", "End": "14:00", "Breaks": [ { "Start": "10:00", "End": "10:15" } ] },
                        { "Days": "Mon-Fri", "Start": "14:00", "End": "22:00", "Breaks": [ { "Start": "18:00", "End": "18:30" } ] } ] } ] } }
        """;

    private static readonly Lazy<SimulatedRun> s_run = new(() => SimulatedRun.Simulate(Config, seed: 2026, "2026-05-04", "2026-06-29"));

    private static long GoLive => SimulatedRun.Instant("2026-05-25", s_run.Value.Config.TimeZone);

    private static long RampUpEnd => SimulatedRun.Instant("2026-06-01", s_run.Value.Config.TimeZone);

    [Fact]
    public void Investment_CutsMeanCycleTimeBy20Percent_AndRampUpLiesBetween()
    {
        var before = Sum(Days(d => d.End <= GoLive));
        var ramp = Sum(Days(d => d.Start >= GoLive && d.End <= RampUpEnd));
        var after = Sum(Days(d => d.Start >= RampUpEnd));

        // Mean time per part: normal cycles plus 2 % slow ones at 1.5 × (the model's defaults).
        Assert.Equal(40 * 1.01, CycleSeconds(before), 0.4);
        Assert.Equal(32 * 1.01, CycleSeconds(after), 0.4);
        Assert.InRange(CycleSeconds(after) / CycleSeconds(before), 0.78, 0.82);
        Assert.InRange(CycleSeconds(ramp), CycleSeconds(after) + 1, CycleSeconds(before) - 1);
    }

    [Fact]
    public void Investment_RaisesOee_AndMinorStopsBecomeRarer()
    {
        var before = Sum(Days(d => d.End <= GoLive));
        var after = Sum(Days(d => d.Start >= RampUpEnd));

        Assert.True(after.Oee > before.Oee + 0.1, $"OEE before {before.Oee:0.000}, after {after.Oee:0.000}");
        Assert.True(after.Effectiveness > before.Effectiveness + 0.15, $"effectiveness before {before.Effectiveness:0.000}, after {after.Effectiveness:0.000}");
        var stopsPerThousandPartsBefore = 1000.0 * before.MinorStops / before.Produced;
        var stopsPerThousandPartsAfter = 1000.0 * after.MinorStops / after.Produced;
        Assert.InRange(stopsPerThousandPartsBefore, 12, 22); // 2 % of cycles stop, 93 % of those (exponential, mean 40 s) stay under 120 s
        Assert.InRange(stopsPerThousandPartsAfter, 2, 8);
    }

    [Fact]
    public void UnattendedNightShift_AppearsAsUnattendedOutputAfterGoLive()
    {
        var before = Days(d => d.End <= GoLive && IsWeekday(d));
        var after = Days(d => d.Start >= RampUpEnd && IsWeekday(d));

        // Before, only a cycle finishing in a break or after the shift is outside staffed time. After, a weekday holds
        // 6.8 h of night shift on average (Monday only 22-24 h); with a failure every 8 run hours that waits for the
        // morning shift, about 5 of 8 night hours run at 32.3 s per part: some 470 parts a weekday.
        Assert.InRange(before.Average(d => d.UnattendedGood), 0, 5);
        Assert.InRange(after.Average(d => d.UnattendedGood), 300, 800);
        Assert.True(Sum(after).Ms(Bucket.UnplannedTime) < 0.7 * Sum(before).Ms(Bucket.UnplannedTime), "the night shift runs in what was unplanned time");
    }

    [Fact]
    public void Investment_LowersEnergyPerGoodPart_AndIdleEnergyShare()
    {
        // Faster cycles need less run energy per part; the lower idle power cuts what breaks and waits cost.
        var before = Sum(Days(d => d.End <= GoLive));
        var after = Sum(Days(d => d.Start >= RampUpEnd));
        Assert.True(after.KwhPerGoodPart < 0.85 * before.KwhPerGoodPart, $"kWh per good part before {before.KwhPerGoodPart:0.0000}, after {after.KwhPerGoodPart:0.0000}");
        Assert.True(after.IdleEnergyShare < before.IdleEnergyShare, $"idle energy share before {before.IdleEnergyShare:0.000}, after {after.IdleEnergyShare:0.000}");
    }

    [Fact]
    public void InvestmentRun_ReplaysToItsTruth()
    {
        TruthComparison.AssertReplayMatchesTruth(s_run.Value);
    }

    [Fact]
    public void Parameters_MoveLinearlyDuringRampUp_AndSwitchDiscreteOnesAtGoLive()
    {
        var config = s_run.Value.Config;
        var options = SimulationOptions.Read(config.Cells[0], config.TimeZone);
        Assert.Equal(40, options.At(GoLive - 1).CycleSeconds);
        Assert.Equal(40, options.At(GoLive).CycleSeconds);
        Assert.Equal(36, options.At(GoLive + ((RampUpEnd - GoLive) / 2)).CycleSeconds, 9);
        Assert.Equal(32, options.At(RampUpEnd).CycleSeconds);
        Assert.Empty(options.ExtraShifts);
        Assert.Single(options.Investment!.ExtraShifts);
        Assert.Equal(7, options.Investment.RampUpDays);
    }

    private static List<WindowRecord> Days(Func<WindowRecord, bool> which) =>
        [.. s_run.Value.Truth.Where(r => r.Kind == WindowKind.Day && which(r))];

    private static bool IsWeekday(WindowRecord day) =>
        SiteTime.ToWallClock(day.Start, s_run.Value.Config.TimeZone).DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    private static double CycleSeconds(WindowRecord record) => record.Seconds(Bucket.Run) / record.Produced;

    private static WindowRecord Sum(List<WindowRecord> days)
    {
        Assert.NotEmpty(days);
        var sum = new WindowTotals { Start = days[0].Start, End = days[^1].End };
        foreach (var day in days)
        {
            var t = day.Totals;
            for (var b = 0; b < BucketDurations.BucketCount; b++)
            {
                sum.Buckets[b] += t.Buckets[b];
            }

            sum.Produced += t.Produced;
            sum.Scrap += t.Scrap;
            sum.UnattendedProduced += t.UnattendedProduced;
            sum.UnattendedScrap += t.UnattendedScrap;
            sum.MinorStops += t.MinorStops;
            sum.MinorStopMs += t.MinorStopMs;
            sum.Failures += t.Failures;
            sum.FailureMs += t.FailureMs;
            sum.EnergyKwMs += t.EnergyKwMs;
            sum.NonRunEnergyKwMs += t.NonRunEnergyKwMs;
            sum.UnassignedStops += t.UnassignedStops;
            for (var slot = 0; slot < ArticleCounts.Capacity; slot++)
            {
                sum.ArticleCycles[slot] += t.ArticleCycles[slot]; // the ideal time effectiveness is computed from
                sum.ArticleScrap[slot] += t.ArticleScrap[slot];
            }

            for (var code = 0; code < ReasonDurations.Capacity; code++)
            {
                sum.ReasonMs[code] += t.ReasonMs[code];
            }
        }

        return new WindowRecord(days[0].Site, days[0].Cell, WindowKind.Total, sum);
    }
}
