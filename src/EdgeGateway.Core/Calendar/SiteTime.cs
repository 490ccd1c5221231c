namespace EdgeGateway.Core.Calendar;

/// <summary>
/// Conversions between the engine's time (Unix milliseconds, UTC) and a site's wall clock. A wall-clock time is the
/// first instant at which the site's clock shows that time or a later one (src/docs/kpi-model.md, "Calendar and DST"): a time
/// in the spring-forward gap (02:30 when the clock jumps from 02:00 to 03:00) is the end of the gap, 03:00; a time that
/// occurs twice on the autumn change is its first occurrence. The mapping never goes backwards, so a shift never
/// ends before it starts and breaks and shifts keep their order.
/// </summary>
public static class SiteTime
{
    private const long TicksPerMs = TimeSpan.TicksPerMillisecond;
    private static readonly long s_epochTicks = DateTime.UnixEpoch.Ticks;

    /// <summary>Unix milliseconds of a UTC <see cref="DateTime"/>.</summary>
    public static long ToUnixMs(DateTime utc) => (utc.Ticks - s_epochTicks) / TicksPerMs;

    /// <summary>UTC <see cref="DateTime"/> of Unix milliseconds.</summary>
    public static DateTime FromUnixMs(long ms) => new(s_epochTicks + (ms * TicksPerMs), DateTimeKind.Utc);

    /// <summary>The site's wall-clock time at instant <paramref name="ms"/>.</summary>
    public static DateTime ToWallClock(long ms, TimeZoneInfo zone)
    {
        var utc = FromUnixMs(ms);
        return DateTime.SpecifyKind(utc + zone.GetUtcOffset(utc), DateTimeKind.Unspecified);
    }

    /// <summary>The instant of a site wall-clock time (see the class remarks for gaps and repeats).</summary>
    public static long FromWallClock(DateTime wallClock, TimeZoneInfo zone)
    {
        wallClock = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);

        if (zone.IsInvalidTime(wallClock))
        {
            // No two transitions are a day apart: a day earlier and later the offsets before and after the jump hold.
            var before = zone.GetUtcOffset(wallClock.AddDays(-1));
            var after = zone.GetUtcOffset(wallClock.AddDays(1));

            // The clock jumps over this time at the transition: find that instant, the first at which the clock shows
            // this time or later. Read with the offset after the jump it lies before the transition, with the offset
            // before the jump after it.
            var early = ToUnixMs(DateTime.SpecifyKind(wallClock - after, DateTimeKind.Utc));
            var late = ToUnixMs(DateTime.SpecifyKind(wallClock - before, DateTimeKind.Utc));
            while (late - early > 1)
            {
                var middle = early + ((late - early) / 2);
                if (ToWallClock(middle, zone) >= wallClock)
                {
                    late = middle;
                }
                else
                {
                    early = middle;
                }
            }

            return late;
        }

        // Shown twice: the first time is the one with the larger offset (summer time, before the clock goes back).
        var offset = zone.IsAmbiguousTime(wallClock)
            ? TimeSpan.FromTicks(Math.Max(zone.GetUtcOffset(wallClock.AddDays(-1)).Ticks, zone.GetUtcOffset(wallClock.AddDays(1)).Ticks))
            : zone.GetUtcOffset(wallClock);
        return ToUnixMs(DateTime.SpecifyKind(wallClock - offset, DateTimeKind.Utc));
    }

    /// <summary>
    /// Parses an instant as command lines and the simulation's <c>GoLive</c> give it: a date (<c>2026-03-02</c>, the
    /// site-local midnight that starts it) or a contract UTC timestamp (<c>2026-03-02T06:00:00Z</c>).
    /// </summary>
    public static bool TryParseInstant(string text, TimeZoneInfo zone, out long ms)
    {
        if (Traces.TraceTimestamp.TryParseDate(text, out var date))
        {
            ms = FromWallClock(date.ToDateTime(TimeOnly.MinValue), zone);
            return true;
        }

        return Traces.TraceTimestamp.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out ms);
    }

    /// <summary>
    /// Parses a site-local date (<c>2026-12-24</c>: its start, or with <paramref name="endOfDay"/> its end, so that a range
    /// of dates includes its last day) or date and time (<c>2026-12-24T12:00</c>): the plant calendar's form, in the config
    /// and in remote commands. <see cref="LocalInstantForm"/> says it in an error.
    /// </summary>
    public static bool TryParseLocalInstant(string text, TimeZoneInfo zone, bool endOfDay, out long ms)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
        {
            ms = FromWallClock(date.ToDateTime(TimeOnly.MinValue).AddDays(endOfDay ? 1 : 0), zone);
            return true;
        }

        if (DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var local))
        {
            ms = FromWallClock(local, zone);
            return true;
        }

        ms = 0;
        return false;
    }

    /// <summary>What <see cref="TryParseLocalInstant"/> reads, for an error message.</summary>
    public const string LocalInstantForm = "a site-local date (2026-12-24) or date and time (2026-12-24T12:00)";

    /// <summary>Start of the site-local calendar day that contains <paramref name="ms"/>.</summary>
    public static long StartOfLocalDay(long ms, TimeZoneInfo zone) => FromWallClock(ToWallClock(ms, zone).Date, zone);
}
