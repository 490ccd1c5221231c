using System.Text;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Signals;

namespace EdgeGateway.Core.Tests.Configuration;

/// <summary>The context sections of the config (src/docs/config.md, "Stop reasons", "Articles", "Plant calendar").</summary>
public sealed class ContextConfigTests
{
    private static readonly string s_shift = TestConfig.Shift("Mon-Fri", "06:00", "14:00");

    [Fact]
    public void ReasonsArticlesAndCalendar_AreReadIntoEveryCell()
    {
        var config = Read(TestConfig.Cell(
            s_shift,
            timeZone: "Europe/Amsterdam",
            extra: """ "Articles": { "A-100": { "IdealCycleSeconds": 12.5, "PartsPerCycle": 4, "Name": "Bracket" } },""",
            signals: TestConfig.AllSignals + """, "box.maint": { "Role": "ReasonButton", "Reason": "planned_maintenance", "Source": "gpio:17" }, "box.a100": { "Role": "ArticleButton", "Article": "A-100", "Source": "gpio:18" }""",
            gateway: TestConfig.StopReasons + """ "PlantCalendar": { "Closures": [ { "From": "2026-12-24", "To": "2026-12-26" } ], "ExtraShifts": [ { "Date": "2026-12-19", "Start": "06:00", "End": "10:00" } ] },"""));

        var cell = config.Cells[0];
        Assert.Equal(["breakdown", "waiting_material", "planned_maintenance", "changeover"], cell.Reasons.Codes.Select(c => c.Code));
        Assert.Equal(Bucket.PlannedStop, cell.Reasons.Codes[2].Bucket);
        Assert.Equal((600, 300), (cell.Reasons.GraceSeconds, cell.Reasons.UnassignedAfterSeconds));
        Assert.Equal(new ArticleConfig("A-100", "Bracket", 12.5, 4), Assert.Single(cell.Articles));
        Assert.Equal("planned_maintenance", cell.Signals.Single(s => s.Role == SignalRole.ReasonButton).Reason);
        Assert.Equal("A-100", cell.Signals.Single(s => s.Role == SignalRole.ArticleButton).Article);

        // Closure dates are site-local and inclusive: 24 December 00:00 CET to 27 December 00:00 CET.
        var closure = Assert.Single(cell.Calendar.Closures);
        Assert.Equal(Ms("2026-12-23T23:00:00Z"), closure.FromMs);
        Assert.Equal(Ms("2026-12-26T23:00:00Z"), closure.ToMs);
        var extra = Assert.Single(cell.Calendar.ExtraShifts);
        Assert.Equal(new TimeRange(Ms("2026-12-19T05:00:00Z"), Ms("2026-12-19T09:00:00Z")), extra.Time);
    }

    [Theory]
    [InlineData(""" "StopReasons": { "Codes": { "jam": { "Class": "Broken" } } },""", "", "StopReasons.Codes.jam.Class: 'Broken' is not one of Down, Idle, PlannedStop, Setup")]
    [InlineData(""" "StopReasons": { "Codes": { "jam": { } } },""", "", "StopReasons.Codes.jam: missing key 'EdgeGateway.StopReasons.Codes.jam.Class'")]
    [InlineData(""" "StopReasons": { "Codes": { } },""", "", "StopReasons.Codes: no reason codes: list at least one, or leave StopReasons out")]
    [InlineData(""" "StopReasons": { "GraceSeconds": -1, "Codes": { "jam": { "Class": "Down" } } },""", "", "StopReasons.GraceSeconds: -1 is out of range")]
    [InlineData(""" "StopReasons": { "Codes": { "jam jam": { "Class": "Down" } } },""", "", "reason code 'jam jam' may hold only 1-64 of A-Z a-z 0-9 . _ -")]
    [InlineData("", """ "Articles": { "A": { "IdealCycleSeconds": 0 } },""", "Articles.A.IdealCycleSeconds: 0 is out of range")]
    [InlineData("", """ "Articles": { "A": { "IdealCycleSeconds": 10, "PartsPerCycle": 2.5 } },""", "Articles.A.PartsPerCycle: 2.5 is not a whole number of parts")]
    [InlineData("", """ "Articles": { "A": { "IdealCycleSeconds": 10, "Cavities": 2 } },""", "Articles.A.Cavities: unknown key")]
    [InlineData(""" "PlantCalendar": { "Closures": [ { "From": "24.12.2026", "To": "2026-12-26" } ] },""", "", "PlantCalendar.Closures[0].From: '24.12.2026' is not a site-local date (2026-12-24) or date and time (2026-12-24T12:00)")]
    [InlineData(""" "PlantCalendar": { "Closures": [ { "From": "2026-12-26", "To": "2026-12-24" } ] },""", "", "PlantCalendar.Closures[0].To: the closure ends before it begins")]
    [InlineData(""" "PlantCalendar": { "ExtraShifts": [ { "Date": "2026-12-18", "Start": "13:00", "End": "15:00" } ] },""", "", "PlantCalendar.ExtraShifts[0]: the extra shift overlaps a shift of cell 'cell-1'")]
    [InlineData(""" "PlantCalendar": { "ExtraShifts": [ { "Date": "2026-12-19", "Start": "06:00", "End": "10:00", "Cells": [ "press-9" ] } ] },""", "", "PlantCalendar.ExtraShifts[0].Cells: 'press-9' is not a cell of this gateway")]
    public void MalformedContextSection_IsAProblemNamingTheKey(string gateway, string cell, string expected)
    {
        var error = Assert.Throws<InputException>(() => Read(TestConfig.Cell(s_shift, extra: cell, gateway: gateway)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "Role": "ReasonButton", "Reason": "coffee" }""", "Reason: 'coffee' is not a code of StopReasons.Codes")]
    [InlineData("""{ "Role": "ReasonButton" }""", "missing key")]
    [InlineData("""{ "Role": "ArticleButton", "Article": "Z" }""", "Article: 'Z' is not one of the cell's Articles")]
    [InlineData("""{ "Role": "StateRun", "Reason": "breakdown" }""", "Reason: only a ReasonButton signal gives a reason")]
    public void MalformedButton_IsAProblemNamingTheKey(string button, string expected)
    {
        var json = TestConfig.Cell(s_shift, signals: TestConfig.AllSignals.Replace("\"green\": { \"Role\": \"StateRun\" }, ", "", StringComparison.Ordinal) + $", \"button\": {button}", gateway: TestConfig.StopReasons);

        var error = Assert.Throws<InputException>(() => Read(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static GatewayConfig Read(string json) => ConfigReader.Read(Encoding.UTF8.GetBytes(json), "edgegw.json");

    private static long Ms(string utc) => Core.Calendar.SiteTime.ToUnixMs(TraceBuilder.Utc(utc));
}
