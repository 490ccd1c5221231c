namespace EdgeGateway.Core.Configuration;

/// <summary>Wall-clock arithmetic shared by config validation and the calendar.</summary>
public static class WallClock
{
    /// <summary>Minutes from <paramref name="from"/> forward to <paramref name="to"/>, in 1..1440 (equal times mean a full day).</summary>
    public static int MinutesBetween(TimeOnly from, TimeOnly to)
    {
        var minutes = (int)Math.Round((to - from).TotalMinutes);
        return minutes == 0 ? 1440 : minutes;
    }

    /// <summary>True when <paramref name="days"/> contains <paramref name="day"/>.</summary>
    public static bool Contains(this DaysOfWeek days, DayOfWeek day) => ((int)days & (1 << (int)day)) != 0;
}
