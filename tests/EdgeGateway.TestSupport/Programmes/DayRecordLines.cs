using System.Globalization;
using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Storage;
using EdgeGateway.Evaluation.Panel;

namespace EdgeGateway.TestSupport.Programmes;

/// <summary>
/// Day records as InfluxDB line protocol in the ingest's schema (<see cref="InfluxSchema"/>: measurement <c>kpi</c>, tags site/cell/window=day,
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
                    $"{InfluxSchema.KpiMeasurement},{InfluxSchema.CellTag}={cell.Cell},{InfluxSchema.SiteTag}={cell.Site},{InfluxSchema.WindowTag}={InfluxSchema.DayWindow} " +
                    $"{InfluxSchema.RunSeconds}={d.RunSeconds:R},{InfluxSchema.SetupSeconds}={d.SetupSeconds:R},{InfluxSchema.DownSeconds}={d.DownSeconds:R}," +
                    $"{InfluxSchema.IdleSeconds}={d.IdleSeconds:R},{InfluxSchema.WindowSeconds}={d.WindowSeconds:R},{KpiFields.Produced.Column}={(long)d.Produced}i," +
                    $"{KpiFields.Good.Column}={(long)d.Good}i,{KpiFields.Scrap.Column}={(long)d.Scrap}i,{KpiFields.UnattendedGood.Column}={(long)d.UnattendedGood}i," +
                    $"{KpiFields.Kwh.Column}={d.Kwh:R},{KpiFields.IdealCycleSeconds.Column}={d.IdealCycleSeconds:R},{KpiFields.Coverage.Column}={d.Coverage:R} {ms}");
            }
        }
    }
}
