using System.Text;
using EdgeGateway.Core;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Sensors.Simulation;

namespace EdgeGateway.Sensors.Tests.Simulation;

/// <summary>The <c>Simulation</c> section: defaults for everything, and every mistake named with file, line and key.</summary>
public sealed class SimulationConfigTests
{
    /// <summary>
    /// A one-cell config whose Simulation section starts on line 7, so <paramref name="body"/> begins on line 8;
    /// without a body the cell has no Simulation section.
    /// </summary>
    private static string Config(string? body) => $$"""
        { "EdgeGateway": { "Site": "sme-0042", "TimeZone": "Europe/Amsterdam",
          "Cells": [ { "Id": "cell-1", "IdealCycleSeconds": 30, "MinorStopSeconds": 90,
            "Signals": { "green": { "Role": "StateRun" }, "red": { "Role": "StateDown" },
                         "cycle": { "Role": "CyclePulse" }, "power": { "Role": "PowerKw" } },
            "Shifts": [ { "Days": "Mon-Fri", "Start": "06:00", "End": "14:00",
                          "Breaks": [ { "Start": "10:00", "End": "10:15" } ] } ]{{(body is null ? "" : ",")}}
            {{(body is null ? "" : "\"Simulation\": {")}}
        {{body}}
            {{(body is null ? "" : "}")}} } ] } }
        """;

    private static SimulationOptions Read(string configJson)
    {
        var config = ConfigReader.Read(Encoding.UTF8.GetBytes(configJson), "test.json");
        return SimulationOptions.Read(config.Cells[0], config.TimeZone);
    }

    [Fact]
    public void EmptySection_And_NoSection_GiveTheDefaults()
    {
        var empty = Read(Config(""));
        var config = ConfigReader.Read(Encoding.UTF8.GetBytes(Config(null)), "test.json");
        Assert.Null(config.Cells[0].Simulation);
        var none = SimulationOptions.Read(config.Cells[0], config.TimeZone);

        Assert.Equal(none.Before, empty.Before);
        Assert.Null(none.Investment);
        Assert.Empty(none.ExtraShifts);
        Assert.Equal(33, empty.Before.CycleSeconds, 9); // 10 % slower than the ideal 30 s
        Assert.Equal(30, empty.Before.MinorStopMeanSeconds, 9); // a third of the 90 s threshold
        Assert.Equal(8, empty.Before.MtbfHours);
        Assert.True(empty.Before.FailuresWaitForStaff);
        Assert.Null(empty.Investment);
        Assert.Empty(empty.ExtraShifts);
    }

    [Fact]
    public void KeysMatchCaseInsensitively_AndAfterOverridesOnlyWhatItNames()
    {
        var options = Read(Config("""
                  "cycleseconds": 40, "MINORSTOPLAMP": "idle",
                  "Investment": { "GoLive": "2026-06-01T04:00:00Z", "RampUpDays": 0, "After": { "CycleSeconds": 32 } }
            """));

        Assert.Equal(40, options.Before.CycleSeconds);
        Assert.Equal(MinorStopLamp.Idle, options.Before.MinorStopLamp);
        Assert.Equal(32, options.Investment!.After.CycleSeconds);
        Assert.Equal(MinorStopLamp.Idle, options.Investment.After.MinorStopLamp);
        Assert.Equal(1_780_286_400_000, options.Investment.GoLiveMs);
        Assert.Equal(32, options.At(options.Investment.GoLiveMs).CycleSeconds);
    }

    [Theory]
    [InlineData("\"CycleSecs\": 40", 8, "Simulation.CycleSecs: unknown key")]
    [InlineData("\"CycleSeconds\": 0", 8, "Simulation.CycleSeconds: 0 is out of range: must be greater than 0 and at most 86400")]
    [InlineData("\"CycleSeconds\": \"fast\"", 8, "Simulation.CycleSeconds: expected a number")]
    [InlineData("\"CycleCv\": 0.1,\n \"ScrapProbability\": 1.5", 9, "Simulation.ScrapProbability: 1.5 is out of range: must be at least 0 and at most 1")]
    [InlineData("\"MinorStopLamp\": \"Blue\"", 8, "Simulation.MinorStopLamp: 'Blue' is not one of Down, Idle")]
    [InlineData("\"FailuresWaitForStaff\": 1", 8, "Simulation.FailuresWaitForStaff: expected true or false")]
    [InlineData("\"PowerSampleSeconds\": 0.5", 8, "Simulation.PowerSampleSeconds: 0.5 is out of range: must be at least 1 and at most 3600")]
    [InlineData("\"Investment\": {\n \"RampUpDays\": 7 }", 8, "Simulation.Investment: missing key 'EdgeGateway.Cells[0].Simulation.Investment.GoLive'")]
    [InlineData("\"Investment\": {\n \"GoLive\": \"June\" }", 9, "Simulation.Investment.GoLive: 'June' is not a date (2026-06-01: site-local midnight) or a UTC timestamp")]
    [InlineData("\"Investment\": { \"GoLive\": \"2026-06-01\",\n \"RampUpDays\": -1 }", 9, "Simulation.Investment.RampUpDays: -1 is out of range")]
    [InlineData("\"Investment\": { \"GoLive\": \"2026-06-01\", \"After\": {\n \"Investment\": {} } }", 9, "Simulation.Investment.After.Investment: an investment cannot hold another investment")]
    [InlineData("\"Investment\": { \"GoLive\": \"2026-06-01\", \"After\": {\n\n \"MtbfHours\": 0 } }", 10, "Simulation.Investment.After.MtbfHours: 0 is out of range: must be greater than 0")]
    [InlineData("\"ExtraShifts\": [\n { \"Days\": \"Mon\", \"Start\": \"13:00\", \"End\": \"15:00\" } ]", 9, "Simulation.ExtraShifts[0]: shift 13:00-15:00 overlaps the cell's shift 06:00-14:00 (Shifts[0]) on some day")]
    [InlineData("\"ExtraShifts\": [ { \"Days\": \"Sat\", \"Start\": \"06:00\",\n \"End\": \"14:00\", \"Breaks\": [ { \"Start\": \"15:00\", \"End\": \"15:30\" } ] } ]", 9, "Simulation.ExtraShifts[0].Breaks[0]: break 15:00-15:30 is outside its shift 06:00-14:00")]
    [InlineData("\"ExtraShifts\": [ { \"Days\": \"Someday\",\n \"Start\": \"06:00\", \"End\": \"14:00\" } ]", 8, "Simulation.ExtraShifts[0].Days: 'Someday' is not a set of days")]
    [InlineData("\"ExtraShifts\": { }", 8, "Simulation.ExtraShifts: expected an array")]
    [InlineData("\"ReasonShare\": 1.5", 8, "Simulation.ReasonShare: 1.5 is out of range: must be at least 0 and at most 1")]
    [InlineData("\"ReasonDelayMeanSeconds\": 0", 8, "Simulation.ReasonDelayMeanSeconds: 0 is out of range: must be greater than 0")]
    [InlineData("\"ReasonMix\": [\n { \"Reason\": \"JAM\" } ]", 9, "Simulation.ReasonMix[0].Reason: 'JAM' is not a code of StopReasons.Codes")]
    [InlineData("\"Investment\": { \"GoLive\": \"2026-06-01\", \"After\": {\n \"ReasonShare\": 0.5 } }", 9, "Simulation.Investment.After.ReasonShare: unknown key")]
    [InlineData("\"AnnouncedClosures\": [ { \"Announced\": \"2026-06-01\",\n \"From\": \"2026-06-03\", \"To\": \"2026-06-02T12:00\" } ]", 9, "Simulation.AnnouncedClosures[0].To: the closure ends before it begins")]
    [InlineData("\"AnnouncedClosures\": [\n { \"From\": \"2026-06-03\", \"To\": \"2026-06-03\" } ]", 9, "Simulation.AnnouncedClosures[0]: missing key 'EdgeGateway.Cells[0].Simulation.AnnouncedClosures[0].Announced'")]
    public void BadSimulationSection_IsRejected_WithFileLineAndKeyPath(string body, int line, string expected)
    {
        var e = Assert.Throws<InputException>(() => Read(Config(body)));

        Assert.StartsWith($"test.json:{line}: EdgeGateway.Cells[0].{expected}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ContextKeys_HaveTheirDefaults_AndAnnouncedClosuresReadLikeThePlantCalendars()
    {
        var defaults = Read(Config("")).Context;
        var options = Read(Config("""
                  "ReasonShare": 0.5, "ReasonDelayMeanSeconds": 60, "ReasonAtStopShare": 0, "ReasonReplaceShare": 0.3, "ArticleChangeShare": 0.25,
                  "AnnouncedClosures": [ { "Name": "power cut", "Announced": "2026-06-01T08:00:00Z", "From": "2026-06-01T12:00", "To": "2026-06-02" } ]
            """)).Context;

        Assert.Equal((0.8, 300.0, 0.5, 0.1, 1.0), (defaults.ReasonShare, defaults.ReasonDelayMeanSeconds, defaults.ReasonAtStopShare, defaults.ReasonReplaceShare, defaults.ArticleChangeShare));
        Assert.Null(defaults.ReasonWeights);
        Assert.Empty(defaults.Closures);
        Assert.Equal((0.5, 60.0, 0.0, 0.3, 0.25), (options.ReasonShare, options.ReasonDelayMeanSeconds, options.ReasonAtStopShare, options.ReasonReplaceShare, options.ArticleChangeShare));
        var closure = Assert.Single(options.Closures);

        // Site-local times; a date as the end means through that day (CEST: UTC+2).
        Assert.Equal(
            new AnnouncedClosure(SimulatedRun.Instant("2026-06-01T08:00:00.000Z", TimeZoneInfo.Utc), new TimeRange(SimulatedRun.Instant("2026-06-01T10:00:00.000Z", TimeZoneInfo.Utc), SimulatedRun.Instant("2026-06-02T22:00:00.000Z", TimeZoneInfo.Utc))),
            closure);
    }

    [Fact]
    public void EveryProblemOfEveryCell_IsCollected_TheFirstThrown()
    {
        var json = Config("\"CycleSeconds\": -1,\n\"Colour\": \"red\"");
        var config = ConfigReader.Read(Encoding.UTF8.GetBytes(json), "test.json");

        var e = Assert.Throws<InputException>(() => SimulationOptions.ReadAll(config));

        Assert.Equal(2, e.Problems.Count);
        Assert.Equal("test.json:8: EdgeGateway.Cells[0].Simulation.CycleSeconds: -1 is out of range: must be greater than 0 and at most 86400", e.Message);
        Assert.Equal("test.json:9: EdgeGateway.Cells[0].Simulation.Colour: unknown key", e.Problems[1].Message);
    }

    [Fact]
    public void PowerOnlyCell_TraceHoldsOnlyPower_AndStateFromPowerSeesTheTruthsRunTime()
    {
        // No stack light, no cycle sensor: the simulator drives the power signal alone, with levels inside the cell's bands.
        const string Json = """
            { "EdgeGateway": { "Site": "sme-0042", "TimeZone": "Europe/Amsterdam",
              "Cells": [ { "Id": "saw", "IdealCycleSeconds": 20, "MinorStopSeconds": 60,
                "Signals": { "clamp": { "Role": "PowerKw" } },
                "StateFromPower": { "Signal": "clamp", "OffBelowKw": 0.8, "RunAboveKw": 4.5, "HysteresisKw": 0.3 },
                "Simulation": { "PowerSampleSeconds": 10 },
                "Shifts": [ { "Days": "Mon-Fri", "Start": "07:00", "End": "16:00", "Breaks": [ { "Start": "12:00", "End": "12:30" } ] } ] } ] } }
            """;

        var run = SimulatedRun.Simulate(Json, seed: 5, "2026-04-06", "2026-04-13", WindowKind.Total);
        var trace = Encoding.UTF8.GetString(run.Trace);
        Assert.DoesNotContain(",green,", trace, StringComparison.Ordinal);
        Assert.Contains(",clamp,", trace, StringComparison.Ordinal);

        var truth = Assert.Single(run.Truth);
        var engine = Assert.Single(run.Replay(WindowKind.Total));
        Assert.True(truth.Produced > 5000 && truth.Ms(Bucket.Down) > 0, "the truth holds what really happened");
        Assert.Equal(0, engine.Produced); // no cycle sensor and no CyclesFromPower
        Assert.Equal(truth.Ms(Bucket.Run), engine.Ms(Bucket.Run));
        Assert.Equal(truth.Kwh, engine.Kwh, 6);
    }
}
