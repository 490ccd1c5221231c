using EdgeGateway.Core.Kpi;
using static EdgeGateway.Core.Tests.TraceBuilder;

namespace EdgeGateway.Core.Tests.Calendar;

/// <summary>Shift windows, overnight shifts and DST, replayed through traces.</summary>
public sealed class ShiftCalendarTests
{
    private static readonly string s_saturdayNight = TestConfig.Cell(
        TestConfig.Shift("Sat", "22:00", "06:00", staffed: false), timeZone: "Europe/Amsterdam");

    [Fact]
    public void OvernightShift_SpanningSpringForward_Lasts7RealHours()
    {
        // Sat 28 March 2026 22:00 CET (21:00Z) to Sun 29 March 06:00 CEST (04:00Z).
        var trace = new TraceBuilder()
            .Light(Utc("2026-03-28T20:00:00Z"), "green")
            .At(Utc("2026-03-29T01:00:00Z"), "cycle")
            .Light(Utc("2026-03-29T06:00:00Z"), "off");

        var shift = Assert.Single(Replay.Run(s_saturdayNight, trace.ToString(), WindowKind.Shift));

        Assert.Equal(Utc("2026-03-28T21:00:00Z"), Core.Calendar.SiteTime.FromUnixMs(shift.Start));
        Assert.Equal(7 * 3600_000, shift.LengthMs);
        Assert.Equal(7 * 3600, shift.Seconds(Bucket.Run));
        Assert.Equal(1, shift.UnattendedGood);
    }

    [Fact]
    public void OvernightShift_SpanningFallBack_Lasts9RealHours()
    {
        // Sat 24 October 2026 22:00 CEST (20:00Z) to Sun 25 October 06:00 CET (05:00Z).
        var trace = new TraceBuilder()
            .Light(Utc("2026-10-24T19:00:00Z"), "green")
            .Light(Utc("2026-10-25T06:00:00Z"), "off");

        var shift = Assert.Single(Replay.Run(s_saturdayNight, trace.ToString(), WindowKind.Shift));

        Assert.Equal(Utc("2026-10-24T20:00:00Z"), Core.Calendar.SiteTime.FromUnixMs(shift.Start));
        Assert.Equal(9 * 3600_000, shift.LengthMs);
        Assert.Equal(9 * 3600, shift.Seconds(Bucket.Run));
    }

    /// <summary>
    /// Golden DST edges in Europe/Berlin (src/docs/kpi-model.md, "Calendar and DST"): on Sun 29 March 2026 the clock jumps
    /// from 02:00 CET (01:00Z) to 03:00 CEST; on Sun 25 October 2026 it goes back from 03:00 CEST (01:00Z) to 02:00 CET.
    /// A time the clock skips is the end of the gap, a time it shows twice is its first occurrence.
    /// </summary>
    [Theory]
    [InlineData("Sun", "02:30", "06:00", "2026-03-29T01:00:00Z", "2026-03-29T04:00:00Z", 180)] // starts in the gap: at 03:00 CEST
    [InlineData("Sun", "02:30", "03:30", "2026-03-29T01:00:00Z", "2026-03-29T01:30:00Z", 30)] // was lost: 03:30-03:30
    [InlineData("Sat", "22:00", "02:30", "2026-03-28T21:00:00Z", "2026-03-29T01:00:00Z", 240)] // ends in the gap: at 03:00 CEST
    [InlineData("Sun", "02:00", "02:45", "2026-03-29T01:00:00Z", "2026-03-29T01:00:00Z", 0)] // wholly in the gap: no time that day
    [InlineData("Sun", "02:30", "03:30", "2026-10-25T00:30:00Z", "2026-10-25T02:30:00Z", 120)] // first 02:30 CEST to 03:30 CET
    [InlineData("Sat", "22:00", "02:30", "2026-10-24T20:00:00Z", "2026-10-25T00:30:00Z", 270)] // ends at the first 02:30
    [InlineData("Sun", "02:15", "02:45", "2026-10-25T00:15:00Z", "2026-10-25T00:45:00Z", 30)] // both in the repeated hour: the first pass
    public void ShiftAtDstChange_StartsAndEndsWhereTheClockFirstShowsItsTimes(string days, string start, string end, string expectedStart, string expectedEnd, int minutes)
    {
        var config = TestConfig.Cell(TestConfig.Shift(days, start, end), timeZone: "Europe/Berlin");
        var from = Utc(expectedStart).AddHours(-6);
        var trace = new TraceBuilder().Light(from, "green").Light(from.AddHours(12), "off");

        var shifts = Replay.Run(config, trace.ToString(), WindowKind.Shift);

        if (minutes == 0)
        {
            Assert.Empty(shifts);
            return;
        }

        var shift = Assert.Single(shifts);
        Assert.Equal(Utc(expectedStart), Core.Calendar.SiteTime.FromUnixMs(shift.Start));
        Assert.Equal(Utc(expectedEnd), Core.Calendar.SiteTime.FromUnixMs(shift.End));
        Assert.Equal(minutes * 60_000L, shift.LengthMs);
        Assert.Equal(minutes * 60, shift.Seconds(Bucket.Run));
    }

    [Fact]
    public void WallClockToInstant_NeverGoesBackwards_AcrossBothDstChanges()
    {
        // The old rule (offset before the jump) put 02:30 at 03:30 CEST, after 03:10: a shift could end before it began.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        foreach (var day in (DateTime[])[new(2026, 3, 29), new(2026, 10, 25)])
        {
            var previous = long.MinValue;
            for (var minute = 0; minute < 6 * 60; minute++)
            {
                var instant = Core.Calendar.SiteTime.FromWallClock(day.AddMinutes(minute), zone);
                Assert.True(instant >= previous, $"{day.AddMinutes(minute):yyyy-MM-dd HH:mm} maps before the minute before it");
                previous = instant;
            }
        }
    }

    [Fact]
    public void DayWindows_OnDstDays_Last23And25Hours()
    {
        var config = TestConfig.Cell(TestConfig.Shift("Mon-Fri", "06:00", "14:00"), timeZone: "Europe/Amsterdam");
        var spring = Replay.Run(config, new TraceBuilder().Light(Utc("2026-03-28T23:00:00Z"), "off").Light(Utc("2026-03-29T22:00:00Z"), "off").ToString(), WindowKind.Day);
        var autumn = Replay.Run(config, new TraceBuilder().Light(Utc("2026-10-24T22:00:00Z"), "off").Light(Utc("2026-10-25T23:00:00Z"), "off").ToString(), WindowKind.Day);

        Assert.Equal(23 * 3600_000L, Assert.Single(spring).LengthMs);
        Assert.Equal(25 * 3600_000L, Assert.Single(autumn).LengthMs);
        Assert.Equal(25 * 3600, autumn[0].Seconds(Bucket.UnplannedTime));
    }

    [Fact]
    public void OvernightShift_WithBreakAfterMidnight_BooksBreakAsPlannedStop_AndIdleAsLoss()
    {
        // Mon 22:00 – Tue 06:00 UTC, break 02:00–02:30; the machine idles all night.
        var config = TestConfig.Cell(TestConfig.Shift("Mon", "22:00", "06:00", breaks: TestConfig.Break("02:00", "02:30")));
        var trace = new TraceBuilder().Light(Utc("2026-03-30T21:00:00Z"), "yellow").Light(Utc("2026-03-31T07:00:00Z"), "off");

        var records = Replay.Run(config, trace.ToString(), WindowKind.Shift, WindowKind.Total);
        var shift = records.Single(r => r.Kind == WindowKind.Shift);
        var total = records.Single(r => r.Kind == WindowKind.Total);

        Assert.Equal(Utc("2026-03-30T22:00:00Z"), Core.Calendar.SiteTime.FromUnixMs(shift.Start));
        Assert.Equal(Utc("2026-03-31T06:00:00Z"), Core.Calendar.SiteTime.FromUnixMs(shift.End));
        Assert.Equal(30 * 60, shift.Seconds(Bucket.PlannedStop));
        Assert.Equal(450 * 60, shift.Seconds(Bucket.Idle));
        Assert.Equal(2 * 3600, total.Seconds(Bucket.UnplannedTime));
    }

    [Fact]
    public void ProductionOutsideCalendar_IsRun_AndUnattended()
    {
        // A cobot running Sunday (no shift) is real production: run, and its good parts are unattended.
        var config = TestConfig.Cell(TestConfig.Shift("Mon-Fri", "06:00", "14:00"));
        var trace = new TraceBuilder()
            .Light(Utc("2026-03-29T10:00:00Z"), "green")
            .At(Utc("2026-03-29T10:01:00Z"), "cycle").At(Utc("2026-03-29T10:02:00Z"), "cycle").At(Utc("2026-03-29T10:02:00Z"), "scrap")
            .Light(Utc("2026-03-29T11:00:00Z"), "off");

        var total = Replay.Total(config, trace.ToString());

        Assert.Equal(3600, total.Seconds(Bucket.Run));
        Assert.Equal(0, total.Seconds(Bucket.UnplannedTime));
        Assert.Equal(1, total.UnattendedGood);
        Assert.Equal(1.0, total.Availability);
    }

    [Fact]
    public void Break_IsNotStaffed_PartsInBreakAreUnattended_AndRunInBreakIsRun()
    {
        var config = TestConfig.Cell(TestConfig.Shift("Mon-Fri", "06:00", "14:00", breaks: TestConfig.Break("10:00", "10:15")));
        var trace = new TraceBuilder()
            .Light(Utc("2026-03-30T09:00:00Z"), "green")
            .At(Utc("2026-03-30T09:30:00Z"), "cycle")
            .At(Utc("2026-03-30T10:05:00Z"), "cycle")
            .Light(Utc("2026-03-30T11:00:00Z"), "off");

        var total = Replay.Total(config, trace.ToString());

        Assert.Equal(2 * 3600, total.Seconds(Bucket.Run));
        Assert.Equal(0, total.Seconds(Bucket.PlannedStop));
        Assert.Equal(2, total.Good);
        Assert.Equal(1, total.UnattendedGood);
    }

    [Fact]
    public void TimeBeforeFirstLevelEvent_IsUnknown_AndLowersCoverage()
    {
        var config = TestConfig.Cell(TestConfig.Shift("Mon-Fri", "06:00", "14:00"));
        var trace = new TraceBuilder()
            .At(Utc("2026-03-30T06:00:00Z"), "power", 5)
            .Light(Utc("2026-03-30T06:15:00Z"), "green")
            .Light(Utc("2026-03-30T07:00:00Z"), "off");

        var total = Replay.Total(config, trace.ToString());

        Assert.Equal(15 * 60, total.Seconds(Bucket.Unknown));
        Assert.Equal(45 * 60, total.Seconds(Bucket.Run));
        Assert.Equal(0.75, total.Coverage);
        Assert.Equal(1.0, total.Availability);
    }
}
