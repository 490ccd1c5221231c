using System.Globalization;
namespace EdgeGateway.Core.Traces;

/// <summary>The contract's timestamp: ISO-8601 UTC with milliseconds, e.g. <c>2026-03-28T21:00:00.000Z</c>.</summary>
public static class TraceTimestamp
{
    /// <summary>Length of a formatted timestamp.</summary>
    public const int Length = 24;

    /// <summary>The first year of a timestamp or date (the Unix epoch).</summary>
    public const int MinYear = 1970;

    // Far-future years are typing errors, and calendar arithmetic a day beyond them must not overflow.
    /// <summary>The last year of a timestamp or date.</summary>
    public const int MaxYear = 9000;

    private static readonly int s_epochDay = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    // Unix ms of the first instant after MaxYear.
    private static readonly long s_afterMaxYearMs = (new DateOnly(MaxYear + 1, 1, 1).DayNumber - s_epochDay) * 86_400_000L;

    /// <summary>Parses a date <c>yyyy-MM-dd</c> of the years a timestamp may have (command-line dates, <c>GoLive</c>).</summary>
    public static bool TryParseDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
        && date.Year is >= MinYear and <= MaxYear;

    /// <summary>Parses <c>yyyy-MM-ddTHH:mm:ss[.f{1,3}]Z</c> of a year from 1970 to 9000 to Unix milliseconds.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out long unixMs)
    {
        if (TryParseAnyYear(text, out unixMs) && unixMs >= 0 && unixMs < s_afterMaxYearMs)
        {
            return true;
        }

        unixMs = 0;
        return false;
    }

    /// <summary>
    /// Parses the same form for any year from 0001 to 9999 (before 1970 the milliseconds are negative): for a reader that
    /// tells a well-formed time outside the years it accepts from text that is not a time at all.
    /// </summary>
    public static bool TryParseAnyYear(ReadOnlySpan<byte> text, out long unixMs)
    {
        unixMs = 0;
        if (text.Length < 20 || text[^1] != (byte)'Z' || text[4] != (byte)'-' || text[7] != (byte)'-' || text[10] != (byte)'T'
            || text[13] != (byte)':' || text[16] != (byte)':')
        {
            return false;
        }

        if (!Digits(text, 0, 4, out var year) || !Digits(text, 5, 2, out var month) || !Digits(text, 8, 2, out var day)
            || !Digits(text, 11, 2, out var hour) || !Digits(text, 14, 2, out var minute) || !Digits(text, 17, 2, out var second))
        {
            return false;
        }

        var millis = 0;
        var fraction = text[19..^1];
        if (!fraction.IsEmpty)
        {
            if (fraction[0] != (byte)'.' || fraction.Length is < 2 or > 4 || !Digits(fraction, 1, fraction.Length - 1, out millis))
            {
                return false;
            }

            for (var i = fraction.Length - 1; i < 3; i++)
            {
                millis *= 10;
            }
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        long days = new DateOnly(year, month, day).DayNumber - s_epochDay;
        unixMs = (((((days * 24) + hour) * 60) + minute) * 60_000) + (second * 1000L) + millis;
        return true;
    }

    /// <summary>Writes the timestamp of <paramref name="unixMs"/> into <paramref name="utf8"/> (at least <see cref="Length"/> bytes) without allocating.</summary>
    public static int Format(long unixMs, Span<byte> utf8)
    {
        var day = Math.DivRem(unixMs, 86_400_000L, out var msOfDay);
        if (msOfDay < 0)
        {
            day--;
            msOfDay += 86_400_000L;
        }

        var date = DateOnly.FromDayNumber((int)(s_epochDay + day));
        Put(utf8, 0, date.Year, 4);
        utf8[4] = (byte)'-';
        Put(utf8, 5, date.Month, 2);
        utf8[7] = (byte)'-';
        Put(utf8, 8, date.Day, 2);
        utf8[10] = (byte)'T';
        Put(utf8, 11, (int)(msOfDay / 3_600_000), 2);
        utf8[13] = (byte)':';
        Put(utf8, 14, (int)(msOfDay / 60_000 % 60), 2);
        utf8[16] = (byte)':';
        Put(utf8, 17, (int)(msOfDay / 1000 % 60), 2);
        utf8[19] = (byte)'.';
        Put(utf8, 20, (int)(msOfDay % 1000), 3);
        utf8[23] = (byte)'Z';
        return Length;
    }

    /// <summary>The timestamp of <paramref name="unixMs"/> as a string.</summary>
    public static string Format(long unixMs)
    {
        Span<byte> utf8 = stackalloc byte[Length];
        Format(unixMs, utf8);
        return System.Text.Encoding.ASCII.GetString(utf8);
    }

    private static void Put(Span<byte> utf8, int at, int value, int width)
    {
        for (var i = at + width - 1; i >= at; i--)
        {
            utf8[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private static bool Digits(ReadOnlySpan<byte> text, int at, int count, out int value)
    {
        value = 0;
        for (var i = at; i < at + count; i++)
        {
            var digit = text[i] - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }
}
