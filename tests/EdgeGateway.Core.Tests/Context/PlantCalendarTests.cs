using EdgeGateway.Core.Kpi;
using static EdgeGateway.Core.Tests.TraceBuilder;

namespace EdgeGateway.Core.Tests.Context;

/// <summary>
/// The plant calendar (src/docs/kpi-model.md, "Plant calendar"), hand-computed: a cell planned Mon-Fri 06:00-14:00
/// (UTC), idle all week from Sunday 2026-03-22, so every planned second is idle and every other one unplanned.
/// </summary>
public sealed class PlantCalendarTests
{
    private static readonly string s_shift = TestConfig.Shift("Mon-Fri", "06:00", "14:00");

    [Fact]
    public void Holiday_RemovesTheShift_NoShiftRecord_AndTheDayIsUnplanned()
    {
        var config = Config("""{ "Closures": [ { "Name": "Public holiday", "From": "2026-03-23", "To": "2026-03-23" } ] }""");

        var records = Replay.Run(config, IdleWeek().ToString(), WindowKind.Shift, WindowKind.Day);

        var monday = records.Single(r => r.Kind == WindowKind.Day && r.Start == Ms("2026-03-23T00:00:00Z"));
        Assert.Equal(86_400, monday.Seconds(Bucket.UnplannedTime));
        Assert.Equal(0, monday.PlannedBusyMs);
        Assert.Null(monday.Availability);
        var shifts = records.Where(r => r.Kind == WindowKind.Shift).Select(r => SiteTimeText(r.Start)).ToList();
        Assert.Equal(["2026-03-24T06:00", "2026-03-25T06:00", "2026-03-26T06:00", "2026-03-27T06:00"], shifts); // no Monday shift
    }

    [Fact]
    public void PartialClosure_MakesTheRestOfTheShiftAPlannedStop_TheShiftKeepsItsWindow()
    {
        var config = Config("""{ "Closures": [ { "From": "2026-03-24T12:00", "To": "2026-03-24T18:00" } ] }""");

        var tuesday = Replay.Run(config, IdleWeek().ToString(), WindowKind.Shift).Single(r => r.Start == Ms("2026-03-24T06:00:00Z"));

        Assert.Equal(8 * 3_600, tuesday.LengthMs / 1000.0);
        Assert.Equal(6 * 3_600, tuesday.Seconds(Bucket.Idle));
        Assert.Equal(2 * 3_600, tuesday.Seconds(Bucket.PlannedStop));
    }

    [Fact]
    public void ExtraShift_OnSaturday_AddsPlannedTime()
    {
        var config = Config("""{ "ExtraShifts": [ { "Date": "2026-03-28", "Start": "06:00", "End": "10:00", "Breaks": [ { "Start": "08:00", "End": "08:15" } ] } ] }""");

        var records = Replay.Run(config, IdleWeek().ToString(), WindowKind.Shift);

        var saturday = records.Single(r => r.Start == Ms("2026-03-28T06:00:00Z"));
        Assert.Equal(Ms("2026-03-28T10:00:00Z"), saturday.End);
        Assert.Equal(3 * 3_600 + 2_700, saturday.Seconds(Bucket.Idle));
        Assert.Equal(900, saturday.Seconds(Bucket.PlannedStop));
    }

    [Fact]
    public void ClosureLine_TakesEffectFromItsInstant_TimeAlreadyBookedStaysPlanned()
    {
        // Sent at 08:00 for 07:00-10:00: 07:00-08:00 was planned time when it was booked and stays so.
        var trace = IdleWeek(until: "2026-03-23T14:00:00Z", closure: ("2026-03-23T08:00:00Z", "2026-03-23T07:00:00.000Z/2026-03-23T10:00:00.000Z"));

        var monday = Replay.Run(Config(null), trace.ToString(), WindowKind.Shift).Single();

        Assert.Equal(6 * 3_600, monday.Seconds(Bucket.Idle));
        Assert.Equal(2 * 3_600, monday.Seconds(Bucket.PlannedStop));
    }

    [Fact]
    public void ExtraShiftLine_OverlappingAShift_ChangesNothing()
    {
        var trace = IdleWeek(until: "2026-03-23T16:00:00Z", extraShift: ("2026-03-23T05:00:00Z", "2026-03-23T13:00:00.000Z/2026-03-23T15:00:00.000Z"));

        var records = Replay.Run(Config(null), trace.ToString(), WindowKind.Shift);

        Assert.Equal(Ms("2026-03-23T14:00:00Z"), Assert.Single(records).End);
    }

    [Fact]
    public void ExtraShiftLine_InUnplannedTime_OpensAShift()
    {
        var trace = IdleWeek(until: "2026-03-23T18:00:00Z", extraShift: ("2026-03-23T15:00:00Z", "2026-03-23T16:00:00.000Z/2026-03-23T17:30:00.000Z"));

        var records = Replay.Run(Config(null), trace.ToString(), WindowKind.Shift);

        Assert.Equal(2, records.Count);
        Assert.Equal(Ms("2026-03-23T16:00:00Z"), records[1].Start);
        Assert.Equal(5_400, records[1].Seconds(Bucket.Idle));
    }

    private static string Config(string? calendar) =>
        TestConfig.Cell(s_shift, gateway: calendar is null ? "" : $""" "PlantCalendar": {calendar},""");

    private static TraceBuilder IdleWeek(string until = "2026-03-28T23:59:00Z", (string At, string Range)? closure = null, (string At, string Range)? extraShift = null)
    {
        var trace = new TraceBuilder().Light(Utc("2026-03-22T00:00:00Z"), "yellow");
        if (closure is var (at, range))
        {
            trace.Context(Utc(at), "@closure", range);
        }

        if (extraShift is var (shiftAt, shiftRange))
        {
            trace.Context(Utc(shiftAt), "@shift", shiftRange);
        }

        return trace.Light(Utc(until), "yellow");
    }

    private static long Ms(string utc) => Core.Calendar.SiteTime.ToUnixMs(Utc(utc));

    private static string SiteTimeText(long ms) => Core.Calendar.SiteTime.FromUnixMs(ms).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
