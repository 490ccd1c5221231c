using EdgeGateway.Evaluation.Panel;

namespace EdgeGateway.Evaluation.Tests.Estimation;

public sealed class PeriodPanelTests
{
    private static readonly DateOnly s_monday = new(2026, 3, 2);

    [Fact]
    public void Outcomes_AreRatiosOfThePeriodsSums_NotMeansOfDailyRatios()
    {
        // Day 1: 8 h planned busy, 6 h run, 600 produced, 570 good at 30 s; day 2: 4 h busy, 1 h run, 100 produced, 90 good.
        DayRecord[] days =
        [
            new(s_monday, 21_600, 1_800, 3_600, 1_800, 86_400, 600, 570, 30, 50, 60, 30, 1),
            new(s_monday.AddDays(1), 3_600, 0, 7_200, 3_600, 86_400, 100, 90, 10, 0, 20, 30, 0.5),
        ];
        var panel = PeriodPanel.Build([days], s_monday, s_monday.AddDays(14), 7);

        var busy = 28_800.0 + 14_400;
        Assert.Equal(660 * 30 / busy, panel.Values(Outcome.Oee)[0][0], 12);
        Assert.Equal(25_200 / busy, panel.Values(Outcome.Availability)[0][0], 12);
        Assert.Equal(700 * 30 / 25_200.0, panel.Values(Outcome.Effectiveness)[0][0], 12);
        Assert.Equal(660 / 700.0, panel.Values(Outcome.Quality)[0][0], 12);
        Assert.Equal(660 / (busy / 3600), panel.Values(Outcome.GoodPartsPerPlannedHour)[0][0], 12);
        Assert.Equal(80 / 660.0, panel.Values(Outcome.KwhPerGoodPart)[0][0], 12);
        Assert.Equal(50 * 7 / 2.0, panel.Values(Outcome.UnattendedGoodPerWeek)[0][0], 12);
        Assert.Equal(660 * 30 / 172_800.0, panel.Values(Outcome.Teep)[0][0], 12);
        Assert.Equal(40 / 700.0, panel.Values(Outcome.ScrapRatio)[0][0], 12);
        Assert.Equal(2, panel.DaysWithData[0]);
        Assert.Equal(0.75, panel.MeanCoverage[0], 12);
    }

    [Fact]
    public void ADayRecordWithIdealSeconds_CountsThem_AnOlderOneIdealCycleTimesProduced()
    {
        // Day 1 of a product mix: 600 produced, their ideal time 15000 s (not 30 s × 600 = 18000 s), 570 good; day 2 of
        // a gateway older than ideal_s: 100 produced at 30 s, 90 good.
        DayRecord[] days =
        [
            new(s_monday, 21_600, 1_800, 3_600, 1_800, 86_400, 600, 570, 30, 50, 60, 30, 1) { IdealSeconds = 15_000 },
            new(s_monday.AddDays(1), 3_600, 0, 7_200, 3_600, 86_400, 100, 90, 10, 0, 20, 30, 0.5),
        ];
        var panel = PeriodPanel.Build([days], s_monday, s_monday.AddDays(14), 7);

        var busy = 28_800.0 + 14_400;
        var goodIdeal = (15_000.0 * 570 / 600) + (90 * 30);
        Assert.Equal((15_000.0 + (100 * 30)) / 25_200, panel.Values(Outcome.Effectiveness)[0][0], 12);
        Assert.Equal(goodIdeal / busy, panel.Values(Outcome.Oee)[0][0], 12);
        Assert.Equal(goodIdeal / 172_800, panel.Values(Outcome.Teep)[0][0], 12);
    }

    [Fact]
    public void Period_WithoutPlannedBusyTimeOrData_IsMissing_AndZeroDenominatorsToo()
    {
        DayRecord[] days =
        [
            new(s_monday, 0, 0, 0, 0, 86_400, 0, 0, 0, 0, 1, 30, 1),             // week 0: a weekend-like day, nothing planned
            new(s_monday.AddDays(7), 0, 0, 0, 3_600, 86_400, 0, 0, 0, 0, 1, 30, 1), // week 1: idle only: no run, no parts
        ];
        var panel = PeriodPanel.Build([days, null], s_monday, s_monday.AddDays(21), 7);

        foreach (var outcome in Enum.GetValues<Outcome>())
        {
            Assert.True(double.IsNaN(panel.Values(outcome)[0][0]), $"{outcome} week 0");
            Assert.True(double.IsNaN(panel.Values(outcome)[0][2]), $"{outcome} week 2 (no data)");
            Assert.True(double.IsNaN(panel.Values(outcome)[1][1]), $"{outcome} cell without data");
        }

        Assert.Equal(0, panel.Values(Outcome.Oee)[0][1]);
        Assert.Equal(0, panel.Values(Outcome.Availability)[0][1]);
        Assert.True(double.IsNaN(panel.Values(Outcome.Effectiveness)[0][1]));
        Assert.True(double.IsNaN(panel.Values(Outcome.Quality)[0][1]));
        Assert.True(double.IsNaN(panel.Values(Outcome.KwhPerGoodPart)[0][1]));
    }
}
