using System.Globalization;
using EdgeGateway.Core.Traces;

namespace EdgeGateway.Ingest.Validation;

/// <summary>
/// The times a record may carry (a KPI window's start and end, a state's or a birth message's <c>at</c>): not before
/// <see cref="EarliestTime"/>, and not later than <see cref="MaxFutureSkew"/> past the ingest's clock when the message
/// arrived. Records are published once their window has closed or their state has begun, so a time in the future
/// means the gateway's clock is wrong; and one such gateway would stretch every report over decades (src/docs/ingest.md,
/// "Plausible time").
/// </summary>
public sealed class PlausibleTime
{
    private const long YearMs = 31_556_952_000; // 365.2425 days
    private const long DayMs = 86_400_000;
    private const long HourMs = 3_600_000;
    private const long MinuteMs = 60_000;

    private readonly long _earliestMs;
    private readonly long _skewMs;
    private readonly string _earliestText;
    private readonly string _skewText;

    /// <summary>Limits of <paramref name="maxFutureSkew"/> (not negative) and <paramref name="earliestTime"/>.</summary>
    public PlausibleTime(TimeSpan maxFutureSkew, DateTimeOffset earliestTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFutureSkew, TimeSpan.Zero);
        (MaxFutureSkew, EarliestTime) = (maxFutureSkew, earliestTime);
        _earliestMs = earliestTime.ToUnixTimeMilliseconds();
        _skewMs = (long)maxFutureSkew.TotalMilliseconds;
        _earliestText = TraceTimestamp.Format(_earliestMs);
        _skewText = Duration(_skewMs);
    }

    /// <summary>
    /// Default of <c>Ingest:MaxFutureSkew</c>: far more than two clocks synchronised by NTP disagree (milliseconds), or
    /// than a free-running gateway clock drifts in weeks (crystals: 20–50 ppm, 2–4 s a day); far less than a clock set
    /// to local time instead of UTC is off (an hour or more, in every time zone east of UTC).
    /// </summary>
    public static TimeSpan DefaultMaxFutureSkew { get; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Default of <c>Ingest:EarliestTime</c>: before any record the product can have made, after the times a clock
    /// falls back to when it has lost track: 1970-01-01 (a gateway without a real-time clock, booted offline),
    /// 2000-01-01 (real-time clock chips after a battery loss), 19.6 years back (a GPS receiver after a week-number
    /// rollover).
    /// </summary>
    public static DateTimeOffset DefaultEarliestTime { get; } = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The defaults.</summary>
    public static PlausibleTime Default { get; } = new(DefaultMaxFutureSkew, DefaultEarliestTime);

    /// <summary>How far past the ingest's clock a time may lie.</summary>
    public TimeSpan MaxFutureSkew { get; }

    /// <summary>The earliest time accepted.</summary>
    public DateTimeOffset EarliestTime { get; }

    /// <summary>
    /// Null when <paramref name="unixMs"/> is plausible at <paramref name="nowMs"/>; otherwise what is wrong with it, to
    /// follow the field's name and time in a reason: <c>is 72 years in the future (tolerance 5 min, Ingest:MaxFutureSkew)</c>.
    /// </summary>
    internal string? Problem(long unixMs, long nowMs)
    {
        if (unixMs < _earliestMs)
        {
            return $"is before the earliest accepted time {_earliestText} (Ingest:EarliestTime)";
        }

        if (nowMs >= unixMs - _skewMs)
        {
            return null;
        }

        // A clock reading far off must not make the difference wrap around.
        var ahead = unixMs - Math.Max(nowMs, unixMs - (long.MaxValue / 2));
        return $"is {Duration(ahead)} in the future (tolerance {_skewText}, Ingest:MaxFutureSkew)";
    }

    /// <summary>A length of time as a reason shows it: exact below two hours, else in whole hours, days or years.</summary>
    internal static string Duration(long ms) => ms switch
    {
        >= 2 * YearMs => Whole(ms / YearMs, "years"),
        >= 2 * DayMs => Whole(ms / DayMs, "days"),
        >= 2 * HourMs => Whole(ms / HourMs, "h"),
        >= MinuteMs when ms % MinuteMs == 0 => Whole(ms / MinuteMs, "min"),
        >= MinuteMs => $"{Whole(ms / MinuteMs, "min")} {Seconds(ms % MinuteMs)}",
        _ => Seconds(ms),
    };

    private static string Whole(long count, string unit) => $"{count.ToString(CultureInfo.InvariantCulture)} {unit}";

    private static string Seconds(long ms) => $"{PayloadProblem.Format(ms / 1000.0)} s";
}
