using System.Text;
using EdgeGateway.Core.Configuration;

namespace EdgeGateway.Core.Tests.Configuration;

public sealed class ConfigReaderTests
{
    private static GatewayConfig Read(string json) => ConfigReader.Read(Encoding.UTF8.GetBytes(json), "edgegw.json");

    [Fact]
    public void ContractExample_ReadsWithDefaults()
    {
        var config = Read("""
            { "EdgeGateway": { "Site": "sme-0042", "TimeZone": "Europe/Amsterdam",
              "Cells": [ { "Id": "cell-1", "IdealCycleSeconds": 30.0,
                "Signals": { "green": { "Role": "StateRun" }, "cycle": { "Role": "CyclePulse", "Source": "gpio:17" } },
                "Shifts": [ { "Days": "Mon-Fri", "Start": "06:00", "End": "14:00" },
                            { "Days": "Sat", "Start": "22:00", "End": "06:00", "Staffed": false, "Breaks": [ { "Start": "02:00", "End": "02:30" } ] } ] } ] } }
            """);

        var cell = Assert.Single(config.Cells);
        Assert.Equal("Europe/Amsterdam", config.TimeZone.Id);
        Assert.Equal(0, cell.MinorStopSeconds);
        Assert.Equal(MinorStopPolicy.Iso22400, cell.MinorStopPolicy);
        Assert.Equal("gpio:17", cell.Signals[1].Source);
        Assert.True(cell.Shifts[0].Staffed);
        Assert.Empty(cell.Shifts[0].Breaks);
        Assert.Equal(480, cell.Shifts[1].LengthMinutes);
    }

    [Fact]
    public void EveryProblem_IsCollected_WithLineAndKeyPath()
    {
        var e = Assert.Throws<InputException>(() => Read("""
            { "EdgeGateway": { "Site": "sme/0042", "TimeZone": "Mars/Olympus",
              "Cells": [ { "Id": "cell-1", "IdealCycleSeconds": 0, "Colour": "red",
                "Signals": { "green": { "Role": "StateRun" } },
                "Shifts": [ { "Days": "Mon-Fri", "Start": "06:00", "End": "14:00", "Breaks": [ { "Start": "15:00", "End": "15:15" } ] } ] } ] } }
            """));

        Assert.Equal(5, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.Line == 1 && p.Problem.Contains("EdgeGateway.Site", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Line == 1 && p.Problem.Contains("unknown time zone 'Mars/Olympus'", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Line == 2 && p.Problem.Contains("IdealCycleSeconds: 0 is out of range", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.Line == 2 && p.Problem == "EdgeGateway.Cells[0].Colour: unknown key");
        Assert.Contains(e.Problems, p => p.Line == 4 && p.Problem.Contains("Breaks[0]: break 15:00-15:15 is outside its shift 06:00-14:00", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Mon-Fri", DaysOfWeek.Monday | DaysOfWeek.Tuesday | DaysOfWeek.Wednesday | DaysOfWeek.Thursday | DaysOfWeek.Friday)]
    [InlineData("sat", DaysOfWeek.Saturday)]
    [InlineData("Fri-Mon", DaysOfWeek.Friday | DaysOfWeek.Saturday | DaysOfWeek.Sunday | DaysOfWeek.Monday)]
    [InlineData("Mon, Wed,Fri", DaysOfWeek.Monday | DaysOfWeek.Wednesday | DaysOfWeek.Friday)]
    public void Days_ParseRangesListsAndWrap(string text, DaysOfWeek expected)
    {
        Assert.True(ConfigReader.TryParseDays(text, out var days));
        Assert.Equal(expected, days);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Monday")]
    [InlineData("Mon-")]
    [InlineData("Mon-Tue-Wed")]
    public void Days_RejectsWhatIsNotASetOfDays(string text) => Assert.False(ConfigReader.TryParseDays(text, out _));

    [Fact]
    public void OvernightShifts_OverlappingAcrossTheWeekEnd_AreRejected()
    {
        // Sunday 22:00 – Monday 06:00 overlaps Monday 05:00 – 13:00.
        var e = Assert.Throws<InputException>(() => Read(TestConfig.Cell(
            TestConfig.Shift("Sun", "22:00", "06:00") + ", " + TestConfig.Shift("Mon", "05:00", "13:00"))));

        Assert.Contains("overlaps shift", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void BackToBackShifts_AreAccepted()
    {
        var config = Read(TestConfig.Cell(TestConfig.Shift("Mon-Fri", "06:00", "14:00") + ", " + TestConfig.Shift("Mon-Fri", "14:00", "22:00")
            + ", " + TestConfig.Shift("Mon-Fri", "22:00", "06:00")));

        Assert.Equal(3, config.Cells[0].Shifts.Count);
    }
}
