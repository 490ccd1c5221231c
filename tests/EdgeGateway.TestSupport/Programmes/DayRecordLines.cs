using System.Globalization;
using EdgeGateway.Evaluation.Panel;

namespace EdgeGateway.TestSupport.Programmes;

/// <summary>
/// Day records as InfluxDB line protocol in the ingest's schema (measurement <c>kpi</c>, tags site/cell/window=day,
/// time = the day's start in ms, taken as UTC midnight): loads a simulated programme into a real database, so that
/// <c>edgegw evaluate</c> is tested and benchmarked through the same query it runs in production.
/// </summary>
public static class DayRecordLines
{
    /// <summary>One line per day record of <paramref name="cells"/>.</summary>
    public static IEnumerable<string> Lines(IEnumerable<CellDays> cells)
    {
        foreach (var cell in cells)
        {
            foreach (var d in cell.Days)
            {
                var ms = (long)(d.Day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalMilliseconds;
                yield return string.Create(
                    CultureInfo.InvariantCulture,
                    $"kpi,cell={cell.Cell},site={cell.Site},window=day run_s={d.RunSeconds:R},setup_s={d.SetupSeconds:R},down_s={d.DownSeconds:R},idle_s={d.IdleSeconds:R},window_s={d.WindowSeconds:R},produced={(long)d.Produced}i,good={(long)d.Good}i,scrap={(long)d.Scrap}i,unattended_good={(long)d.UnattendedGood}i,kwh={d.Kwh:R},ideal_cycle_s={d.IdealCycleSeconds:R},coverage={d.Coverage:R} {ms}");
            }
        }
    }
}
