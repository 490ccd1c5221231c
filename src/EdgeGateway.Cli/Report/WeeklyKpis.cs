using System.Globalization;
using System.Text.Json;
using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Storage;

namespace EdgeGateway.Cli.Report;

/// <summary>One cell's KPIs of one week, recomputed from the week's bucket and count sums (no averaged ratios).</summary>
internal sealed record WeekRow(
    DateTimeOffset WeekStart,
    bool HasData,
    double RunSeconds,
    double PlannedBusySeconds,
    long Produced,
    long Good,
    long UnattendedGood,
    double Kwh,
    double? Availability,
    double? Effectiveness,
    double? Quality,
    double? Oee,
    double? KwhPerGoodPart);

/// <summary>The weeks of one cell, in time order.</summary>
internal sealed record CellWeeks(string Site, string Cell, IReadOnlyList<WeekRow> Weeks);

/// <summary>
/// The weekly query of src/docs/influxdb-schema.md, grouped by site as well as cell so that equal cell ids of
/// different sites stay apart, and the ISO 22400 KPIs recomputed from its sums.
/// </summary>
internal static class WeeklyKpis
{
    private static readonly string[] s_sums =
        [InfluxSchema.RunSeconds, InfluxSchema.SetupSeconds, InfluxSchema.DownSeconds, InfluxSchema.IdleSeconds, KpiFields.Produced.Column, KpiFields.Good.Column, KpiFields.UnattendedGood.Column, KpiFields.Kwh.Column];

    /// <summary>The InfluxQL for the weeks of [<paramref name="from"/>, <paramref name="to"/>), optionally one site.</summary>
    public static string Query(DateTimeOffset from, DateTimeOffset to, string? site)
    {
        var fields = string.Join(", ", s_sums.Select(f => $"sum(\"{f}\") AS \"{f}\""));
        return $"SELECT {fields}, mean(\"{KpiFields.IdealCycleSeconds.Column}\") AS \"{KpiFields.IdealCycleSeconds.Column}\" {InfluxSchema.FromDayRecords}" +
            $"{SiteFilter(site)}{TimeFilter(from, to)} GROUP BY time(1w, 4d), \"{InfluxSchema.SiteTag}\", \"{InfluxSchema.CellTag}\"";
    }

    /// <summary>The InfluxQL that finds the first or last day record, within [<paramref name="from"/>, <paramref name="to"/>) when given.</summary>
    public static string EdgeQuery(bool first, string? site, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        $"SELECT {(first ? "first" : "last")}(\"{InfluxSchema.RunSeconds}\") {InfluxSchema.FromDayRecords}{SiteFilter(site)}{TimeFilter(from, to)}";

    /// <summary>The InfluxQL that counts the day records per site within [<paramref name="from"/>, <paramref name="to"/>) (either end open).</summary>
    public static string CountQuery(string? site, DateTimeOffset? from, DateTimeOffset? to) =>
        $"SELECT count(\"{InfluxSchema.RunSeconds}\") {InfluxSchema.FromDayRecords}{SiteFilter(site)}{TimeFilter(from, to)} GROUP BY \"{InfluxSchema.SiteTag}\"";

    /// <summary>The cells of the answer, each with its weeks.</summary>
    public static List<CellWeeks> Read(IReadOnlyList<InfluxSeries> series)
    {
        var cells = new List<CellWeeks>();
        foreach (var s in series)
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < s.Columns.Count; i++)
            {
                index[s.Columns[i]] = i;
            }

            var weeks = new List<WeekRow>(s.Rows.Count);
            foreach (var row in s.Rows)
            {
                weeks.Add(Compute(row, index));
            }

            cells.Add(new CellWeeks(s.Tags.GetValueOrDefault(InfluxSchema.SiteTag, ""), s.Tags.GetValueOrDefault(InfluxSchema.CellTag, ""), weeks));
        }

        // InfluxDB orders the series by their tags' names (cell before site); a reader looks for a site's cells together.
        cells.Sort((a, b) => string.CompareOrdinal(a.Site, b.Site) is var bySite and not 0 ? bySite : string.CompareOrdinal(a.Cell, b.Cell));
        return cells;
    }

    /// <summary>Availability = run / PBT, effectiveness = ideal × produced / run, quality = good / produced, OEE their product.</summary>
    private static WeekRow Compute(JsonElement[] row, Dictionary<string, int> index)
    {
        var start = DateTimeOffset.Parse(row[index["time"]].GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        double? Number(string column) => row[index[column]].ValueKind == JsonValueKind.Number ? row[index[column]].GetDouble() : null;

        var run = Number(InfluxSchema.RunSeconds);
        if (run is null)
        {
            // A week of the range without records: InfluxDB fills its sums with null.
            return new WeekRow(start, false, 0, 0, 0, 0, 0, 0, null, null, null, null, null);
        }

        var pbt = run.Value + (Number(InfluxSchema.SetupSeconds) ?? 0) + (Number(InfluxSchema.DownSeconds) ?? 0) + (Number(InfluxSchema.IdleSeconds) ?? 0);
        var produced = (long)(Number(KpiFields.Produced.Column) ?? 0);
        var good = (long)(Number(KpiFields.Good.Column) ?? 0);
        var unattended = (long)(Number(KpiFields.UnattendedGood.Column) ?? 0);
        var kwh = Number(KpiFields.Kwh.Column) ?? 0;
        var ideal = Number(KpiFields.IdealCycleSeconds.Column);

        double? availability = pbt > 0 ? run.Value / pbt : null;
        double? effectiveness = run.Value > 0 && ideal is { } i ? i * produced / run.Value : null;
        double? quality = produced > 0 ? (double)good / produced : null;
        double? oee = availability * effectiveness * quality;
        double? kwhPerGood = good > 0 ? kwh / good : null;
        return new WeekRow(start, true, run.Value, pbt, produced, good, unattended, kwh, availability, effectiveness, quality, oee, kwhPerGood);
    }

    private static string SiteFilter(string? site) => site is null ? "" : $" AND \"{InfluxSchema.SiteTag}\" = '{site}'";

    private static string TimeFilter(DateTimeOffset? from, DateTimeOffset? to) =>
        (from is { } f ? $" AND time >= '{Timestamp(f)}'" : "") + (to is { } t ? $" AND time < '{Timestamp(t)}'" : "");

    private static string Timestamp(DateTimeOffset t) =>
        t.UtcDateTime.ToString(t.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
