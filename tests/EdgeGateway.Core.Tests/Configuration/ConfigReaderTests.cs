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

    /// <summary>Each numeric key beyond its documented bound (src/docs/config.md): a range error naming the key, its line and the bounds.</summary>
    [Theory]
    [InlineData("\"IdealCycleSeconds\": 1e308", "", "IdealCycleSeconds: 1e308 is out of range: must be at least 0.001 and at most 86400")]
    [InlineData("\"IdealCycleSeconds\": 0.0001", "", "IdealCycleSeconds: 0.0001 is out of range: must be at least 0.001 and at most 86400")]
    [InlineData("\"IdealCycleSeconds\": 30, \"MinorStopSeconds\": 9.3e15", "", "MinorStopSeconds: 9.3e15 is out of range: must be at least 0 and at most 86400")]
    [InlineData("\"IdealCycleSeconds\": 30", "\"StateFromPower\": { \"Signal\": \"power\", \"OffBelowKw\": 0.5, \"RunAboveKw\": 1e12 },", "StateFromPower.RunAboveKw: 1e12 is out of range: must be greater than 0 and at most 10000")]
    [InlineData("\"IdealCycleSeconds\": 30", "\"StateFromPower\": { \"Signal\": \"power\", \"OffBelowKw\": 0.5, \"RunAboveKw\": 4, \"MinDwellSeconds\": 1e9 },", "StateFromPower.MinDwellSeconds: 1e9 is out of range: must be at least 0 and at most 3600")]
    [InlineData("\"IdealCycleSeconds\": 30", "\"CyclesFromPower\": { \"Signal\": \"power\", \"AboveKw\": 9, \"MaxCycleSeconds\": 1e300 },", "CyclesFromPower.MaxCycleSeconds: 1e300 is out of range: must be greater than 0 and at most 259200")]
    [InlineData("\"IdealCycleSeconds\": 30", "\"CyclesFromPower\": { \"Signal\": \"power\", \"AboveKw\": 9, \"HysteresisKw\": 99999 },", "CyclesFromPower.HysteresisKw: 99999 is out of range: must be at least 0 and at most 10000")]
    public void NumericKey_BeyondItsBound_IsARangeErrorNamingKeyAndLine(string cellKeys, string section, string expected)
    {
        var e = Assert.Throws<InputException>(() => Read($$"""
            { "EdgeGateway": { "Site": "s", "TimeZone": "Etc/UTC",
              "Cells": [ { "Id": "c",
                {{cellKeys}},
                "Signals": { "power": { "Role": "PowerKw" } }, {{section}}
                "Shifts": [] } ] } }
            """));

        var problem = Assert.Single(e.Problems);
        Assert.Equal(section.Length == 0 ? 3 : 4, problem.Line);
        Assert.Equal("EdgeGateway.Cells[0]." + expected, problem.Problem);
    }

    [Theory]
    [InlineData("\"CtRatio\": 1e9", "CtRatio: 1e9 is out of range: must be greater than 0 and at most 100000")]
    [InlineData("\"BurdenOhms\": 1e9", "BurdenOhms: 1e9 is out of range: must be at least 0.01 and at most 100000")]
    [InlineData("\"BurdenOhms\": 1e-300", "BurdenOhms: 1e-300 is out of range: must be at least 0.01 and at most 100000")]
    [InlineData("\"PlausibleMax\": 1e300", "PlausibleMax: 1e300 is out of range: must be at least -1000000000 and at most 1000000000")]
    [InlineData("\"StuckAfterSeconds\": 1e9", "StuckAfterSeconds: 1e9 is out of range: must be greater than 0 and at most 604800")]
    [InlineData("\"PowerFactor\": 1.5", "PowerFactor: 1.5 is out of range: must be greater than 0 and at most 1")]
    public void SourceOption_BeyondItsBound_IsARangeError(string option, string expected)
    {
        var e = Assert.Throws<InputException>(() => Read($$"""
            { "EdgeGateway": { "Site": "s", "TimeZone": "Etc/UTC",
              "Cells": [ { "Id": "c", "IdealCycleSeconds": 30,
                "Signals": { "power": { "Role": "PowerKw", {{option}} } },
                "Shifts": [] } ] } }
            """));

        var problem = Assert.Single(e.Problems);
        Assert.Equal(3, problem.Line);
        Assert.Equal("EdgeGateway.Cells[0].Signals.power." + expected, problem.Problem);
    }

    [Fact]
    public void Utf8ByteOrderMark_IsAccepted_AndLinesStillCount()
    {
        var json = "\uFEFF{ \"EdgeGateway\": { \"Site\": \"s\", \"TimeZone\": \"Etc/UTC\",\n  \"Cells\": [ { \"Id\": \"c\", \"IdealCycleSeconds\": 0,\n \"Signals\": {}, \"Shifts\": [] } ] } }";
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(json[1..])).ToArray();

        var e = Assert.Throws<InputException>(() => ConfigReader.Read(bytes, "bom.json"));
        Assert.Equal(2, Assert.Single(e.Problems).Line);

        var fixedBytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(json[1..].Replace("\"IdealCycleSeconds\": 0", "\"IdealCycleSeconds\": 1", StringComparison.Ordinal))).ToArray();
        Assert.Equal("c", Assert.Single(ConfigReader.Read(fixedBytes, "bom.json").Cells).Id);
    }

    [Theory]
    [InlineData("Mon-Fri", DaysOfWeek.Monday | DaysOfWeek.Tuesday | DaysOfWeek.Wednesday | DaysOfWeek.Thursday | DaysOfWeek.Friday)]
    [InlineData("sat", DaysOfWeek.Saturday)]
    [InlineData("Fri-Mon", DaysOfWeek.Friday | DaysOfWeek.Saturday | DaysOfWeek.Sunday | DaysOfWeek.Monday)]
    [InlineData("Mon, Wed,Fri", DaysOfWeek.Monday | DaysOfWeek.Wednesday | DaysOfWeek.Friday)]
    public void Days_ParseRangesListsAndWrap(string text, DaysOfWeek expected)
    {
        Assert.True(ConfigObject.TryParseDays(text, out var days));
        Assert.Equal(expected, days);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Monday")]
    [InlineData("Mon-")]
    [InlineData("Mon-Tue-Wed")]
    public void Days_RejectsWhatIsNotASetOfDays(string text) => Assert.False(ConfigObject.TryParseDays(text, out _));

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
