namespace EdgeGateway.Core.Calendar;

/// <summary>
/// Conversions between the engine's time (Unix milliseconds, UTC) and a site's wall clock.
/// Wall-clock times that do not exist (spring-forward gap) or exist twice (autumn) resolve
/// with the offset in force before the jump: 02:30 in the gap is 03:30 summer time, an
/// ambiguous 02:30 is its first occurrence.
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
        var offset = zone.IsInvalidTime(wallClock) || zone.IsAmbiguousTime(wallClock)
            ? zone.GetUtcOffset(wallClock.AddDays(-1)) // no two transitions are a day apart
            : zone.GetUtcOffset(wallClock);
        return ToUnixMs(DateTime.SpecifyKind(wallClock - offset, DateTimeKind.Utc));
    }

    /// <summary>Start of the site-local calendar day that contains <paramref name="ms"/>.</summary>
    public static long StartOfLocalDay(long ms, TimeZoneInfo zone) => FromWallClock(ToWallClock(ms, zone).Date, zone);
}
