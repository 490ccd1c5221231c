using System.Globalization;
using System.Text.Json;
using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Storage;

namespace EdgeGateway.Queries;

/// <summary>One cell's KPIs of one week, recomputed from the week's bucket and count sums (no averaged ratios).</summary>
public sealed record WeekRow(
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
    double? KwhPerGoodPart)
{
    /// <summary>The week's top reasons by stop time, most first (empty without reasons).</summary>
    public IReadOnlyList<ReasonShare> TopReasons { get; init; } = [];
}

/// <summary>One reason's stop seconds in a week and its share of the week's reasoned stop time (the sum over reasons).</summary>
public sealed record ReasonShare(string Reason, double Seconds, double Share);

/// <summary>The weeks of one cell, in time order.</summary>
public sealed record CellWeeks(string Site, string Cell, IReadOnlyList<WeekRow> Weeks);

/// <summary>
/// The weekly query of src/docs/influxdb-schema.md, grouped by site as well as cell so that equal cell ids of
/// different sites stay apart, and the ISO 22400 KPIs recomputed from its sums; and the weekly top reasons.
/// </summary>
public static class WeeklyKpis
{
    /// <summary>How many reasons a week shows.</summary>
    public const int TopReasonCount = 5;

    // Day records carrying ideal_s, and all day records, of a week: Σ ideal_s is the week's ideal time only when every
    // record has it (InfluxQL cannot sum ideal_cycle_s × produced over the rest).
    private const string IdealSecondsRecords = "ideal_s_records";
    private const string Records = "records";

    private static readonly string[] s_sums =
        [InfluxSchema.RunSeconds, InfluxSchema.SetupSeconds, InfluxSchema.DownSeconds, InfluxSchema.IdleSeconds, KpiFields.Produced.Column, KpiFields.Good.Column, KpiFields.UnattendedGood.Column, KpiFields.Kwh.Column];

    /// <summary>The InfluxQL for the weeks of [<paramref name="from"/>, <paramref name="to"/>), optionally one site.</summary>
    public static string Query(DateTimeOffset from, DateTimeOffset to, string? site)
    {
        var fields = string.Join(", ", s_sums.Select(f => $"sum(\"{f}\") AS \"{f}\""));
        var ideal = KpiFields.IdealSeconds.Column;
        return $"SELECT {fields}, mean(\"{KpiFields.IdealCycleSeconds.Column}\") AS \"{KpiFields.IdealCycleSeconds.Column}\", " +
            $"sum(\"{ideal}\") AS \"{ideal}\", count(\"{ideal}\") AS \"{IdealSecondsRecords}\", count(\"{InfluxSchema.RunSeconds}\") AS \"{Records}\" {InfluxSchema.FromDayRecords}" +
            $"{SiteFilter(site)}{TimeFilter(from, to)} GROUP BY time(1w, 4d), \"{InfluxSchema.SiteTag}\", \"{InfluxSchema.CellTag}\"";
    }

    /// <summary>
    /// The InfluxQL for the stop seconds per reason, cell and week of [<paramref name="from"/>, <paramref name="to"/>),
    /// from the day records' <c>kpi_reason</c> points (src/docs/influxdb-schema.md, "Reasons and articles").
    /// </summary>
    public static string ReasonsQuery(DateTimeOffset from, DateTimeOffset to, string? site) =>
        $"SELECT sum(\"{InfluxSchema.ReasonSecondsField}\") AS \"{InfluxSchema.ReasonSecondsField}\" FROM \"{InfluxSchema.ReasonMeasurement}\" " +
        $"WHERE \"{InfluxSchema.WindowTag}\" = '{InfluxSchema.DayWindow}'{SiteFilter(site)}{TimeFilter(from, to)} " +
        $"GROUP BY time(1w, 4d), \"{InfluxSchema.SiteTag}\", \"{InfluxSchema.CellTag}\", \"{InfluxSchema.ReasonTag}\"";

    /// <summary>
    /// <paramref name="cells"/> with each week's top <see cref="TopReasonCount"/> reasons from the answer to
    /// <see cref="ReasonsQuery"/> (one series per site, cell and reason), shares of the sum over all the week's reasons.
    /// </summary>
    public static List<CellWeeks> WithReasons(IReadOnlyList<CellWeeks> cells, IReadOnlyList<InfluxSeries> reasons)
    {
        var byWeek = new Dictionary<(string Site, string Cell, string Week), List<(string Reason, double Seconds)>>();
        foreach (var s in reasons)
        {
            var key = (s.Tags.GetValueOrDefault(InfluxSchema.SiteTag, ""), s.Tags.GetValueOrDefault(InfluxSchema.CellTag, ""));
            var reason = s.Tags.GetValueOrDefault(InfluxSchema.ReasonTag, "");
            var seconds = s.Columns.ToList().IndexOf(InfluxSchema.ReasonSecondsField);
            if (seconds < 0)
            {
                continue;
            }

            foreach (var row in s.Rows)
            {
                if (row[seconds].ValueKind == JsonValueKind.Number && row[seconds].GetDouble() > 0)
                {
                    var week = (key.Item1, key.Item2, row[0].GetString()!);
                    if (!byWeek.TryGetValue(week, out var list))
                    {
                        byWeek[week] = list = [];
                    }

                    list.Add((reason, row[seconds].GetDouble()));
                }
            }
        }

        return [.. cells.Select(cell => cell with
        {
            Weeks = [.. cell.Weeks.Select(week => byWeek.TryGetValue((cell.Site, cell.Cell, Week(week.WeekStart)), out var list)
                ? week with { TopReasons = Top(list) }
                : week)],
        })];
    }

    private static List<ReasonShare> Top(List<(string Reason, double Seconds)> reasons)
    {
        var total = reasons.Sum(r => r.Seconds);
        return [.. reasons
            .OrderByDescending(r => r.Seconds)
            .ThenBy(r => r.Reason, StringComparer.Ordinal)
            .Take(TopReasonCount)
            .Select(r => new ReasonShare(r.Reason, r.Seconds, r.Seconds / total))];
    }

    // A week's start as InfluxDB writes it in a GROUP BY time row.
    private static string Week(DateTimeOffset start) => start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

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

    /// <summary>
    /// Availability = run / PBT, effectiveness = ideal time / run, quality = good / produced, OEE their product. The
    /// ideal time is Σ ideal_s when every day record of the week has it (each article at its own ideal cycle time),
    /// else, for weeks with records of gateways older than ideal_s, the mean ideal_cycle_s × produced.
    /// </summary>
    private static WeekRow Compute(JsonElement[] row, Dictionary<string, int> index)
    {
        var start = DateTimeOffset.Parse(row[index["time"]].GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        double? Number(string column) => index.TryGetValue(column, out var i) && row[i].ValueKind == JsonValueKind.Number ? row[i].GetDouble() : null;

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
        var records = Number(Records) ?? 0;
        var idealTime = records > 0 && Number(IdealSecondsRecords) == records
            ? Number(KpiFields.IdealSeconds.Column)
            : Number(KpiFields.IdealCycleSeconds.Column) * produced;

        double? availability = pbt > 0 ? run.Value / pbt : null;
        double? effectiveness = run.Value > 0 && idealTime is { } ideal ? ideal / run.Value : null;
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
