using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Storage;

namespace EdgeGateway.Queries;

/// <summary>One shift record's KPIs, recomputed from its buckets and counts as <see cref="WeeklyKpis"/> does for weeks.</summary>
public sealed record ShiftRow(DateTimeOffset Start, double? Availability, double? Effectiveness, double? Quality, double? Oee, long Good);

/// <summary>A stop reason's seconds, or an article's parts, summed over a range.</summary>
public sealed record NamedTotal(string Name, double Value, double Share);

/// <summary>
/// One cell's shift records, stop reasons (a Pareto) and articles in a range: small queries filtered by site and cell tags,
/// made per page view (src/docs/influxdb-schema.md).
/// </summary>
public static class CellRecordsQuery
{
    private const string ShiftWindow = "shift";

    /// <summary>The InfluxQL for the cell's shift records in [from, to).</summary>
    public static string ShiftsQuery(string site, string cell, DateTimeOffset from, DateTimeOffset to) =>
        $"SELECT \"{InfluxSchema.RunSeconds}\", \"{InfluxSchema.SetupSeconds}\", \"{InfluxSchema.DownSeconds}\", \"{InfluxSchema.IdleSeconds}\", " +
        $"\"{KpiFields.Produced.Column}\", \"{KpiFields.Good.Column}\", \"{KpiFields.IdealSeconds.Column}\", \"{KpiFields.IdealCycleSeconds.Column}\" " +
        $"FROM \"{InfluxSchema.KpiMeasurement}\" WHERE \"{InfluxSchema.WindowTag}\" = '{ShiftWindow}'{InfluxQl.CellFilter(site, cell)}{InfluxQl.TimeRange(from, to)}";

    /// <summary>The shifts of the answer, in time order; availability = run / PBT, effectiveness = ideal time / run, quality = good / produced.</summary>
    public static List<ShiftRow> ReadShifts(IReadOnlyList<InfluxSeries> series)
    {
        var shifts = new List<ShiftRow>();
        foreach (var s in series)
        {
            var index = InfluxQl.Columns(s);
            foreach (var row in s.Rows)
            {
                double Field(string name) => InfluxQl.Number(row, index, name) ?? 0;
                var run = Field(InfluxSchema.RunSeconds);
                var pbt = run + Field(InfluxSchema.SetupSeconds) + Field(InfluxSchema.DownSeconds) + Field(InfluxSchema.IdleSeconds);
                var produced = Field(KpiFields.Produced.Column);
                var good = Field(KpiFields.Good.Column);
                var ideal = InfluxQl.Number(row, index, KpiFields.IdealSeconds.Column) ?? (Field(KpiFields.IdealCycleSeconds.Column) * produced);
                double? availability = pbt > 0 ? run / pbt : null;
                double? effectiveness = run > 0 ? ideal / run : null;
                double? quality = produced > 0 ? good / produced : null;
                shifts.Add(new ShiftRow(InfluxQl.Time(row, index), availability, effectiveness, quality, availability * effectiveness * quality, (long)good));
            }
        }

        shifts.Sort((a, b) => a.Start.CompareTo(b.Start));
        return shifts;
    }

    /// <summary>The InfluxQL for the cell's stop seconds per reason over the day records of [from, to).</summary>
    public static string ReasonsQuery(string site, string cell, DateTimeOffset from, DateTimeOffset to) =>
        $"SELECT sum(\"{InfluxSchema.ReasonSecondsField}\") AS \"value\" FROM \"{InfluxSchema.ReasonMeasurement}\" WHERE \"{InfluxSchema.WindowTag}\" = '{InfluxSchema.DayWindow}'" +
        $"{InfluxQl.CellFilter(site, cell)}{InfluxQl.TimeRange(from, to)} GROUP BY \"{InfluxSchema.ReasonTag}\"";

    /// <summary>The InfluxQL for the cell's good parts per article over the day records of [from, to).</summary>
    public static string ArticlesQuery(string site, string cell, DateTimeOffset from, DateTimeOffset to) =>
        $"SELECT sum(\"{KpiFields.Good.Column}\") AS \"value\" FROM \"{InfluxSchema.ArticleMeasurement}\" WHERE \"{InfluxSchema.WindowTag}\" = '{InfluxSchema.DayWindow}'" +
        $"{InfluxQl.CellFilter(site, cell)}{InfluxQl.TimeRange(from, to)} GROUP BY \"{InfluxSchema.ArticleTag}\"";

    /// <summary>The totals of an answer to <see cref="ReasonsQuery"/> or <see cref="ArticlesQuery"/> by <paramref name="tag"/>, largest first, with their shares of the sum.</summary>
    public static List<NamedTotal> ReadTotals(IReadOnlyList<InfluxSeries> series, string tag)
    {
        var totals = new List<(string Name, double Value)>();
        foreach (var s in series)
        {
            var index = InfluxQl.Columns(s);
            var sum = s.Rows.Sum(row => InfluxQl.Number(row, index, "value") ?? 0);
            if (sum > 0)
            {
                totals.Add((s.Tags.GetValueOrDefault(tag, ""), sum));
            }
        }

        var all = totals.Sum(t => t.Value);
        return [.. totals.OrderByDescending(t => t.Value).ThenBy(t => t.Name, StringComparer.Ordinal).Select(t => new NamedTotal(t.Name, t.Value, t.Value / all))];
    }
}
