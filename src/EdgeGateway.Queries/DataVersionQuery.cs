using EdgeGateway.Core.Storage;

namespace EdgeGateway.Queries;

/// <summary>
/// What identifies the day records' state cheaply: their count and the time of the last one, in one request of two
/// statements. A new, re-delivered-with-change or late record changes one of them in practice (a changed value of an
/// existing record does not, which the dashboard's periodic refresh accepts).
/// </summary>
public static class DataVersionQuery
{
    /// <summary>The InfluxQL: count and last time of the day records.</summary>
    public static string Query() =>
        $"SELECT count(\"{InfluxSchema.RunSeconds}\") {InfluxSchema.FromDayRecords}; SELECT last(\"{InfluxSchema.RunSeconds}\") {InfluxSchema.FromDayRecords}";

    /// <summary>The version as text, <c>COUNT@LAST</c> (<c>0@-</c> without day records).</summary>
    public static string Read(IReadOnlyList<InfluxSeries> series)
    {
        long count = 0;
        var last = "-";
        foreach (var s in series)
        {
            var index = InfluxQl.Columns(s);
            foreach (var row in s.Rows)
            {
                if (index.ContainsKey("count"))
                {
                    count = (long)(InfluxQl.Number(row, index, "count") ?? 0);
                }
                else if (InfluxQl.Text(row, index, "time") is { } time)
                {
                    last = time;
                }
            }
        }

        return FormattableString.Invariant($"{count}@{last}");
    }
}
