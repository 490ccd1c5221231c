using System.Globalization;
using System.Text.Json;
using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Storage;
using EdgeGateway.Evaluation.Panel;

namespace EdgeGateway.Queries;

/// <summary>
/// Reads the cells' <c>day</c> KPI records from InfluxDB (schema in src/docs/influxdb-schema.md): one query for the window, grouped
/// by site and cell, selecting only the sums the outcomes are recomputed from. A day record is already the database's
/// aggregate per cell and day; weeks are summed by the evaluation, because ratios need sums of products
/// (good × ideal cycle) that InfluxQL cannot form.
/// </summary>
public static class DayRecordsQuery
{
    private static readonly string[] s_fields =
    [
        InfluxSchema.RunSeconds, InfluxSchema.SetupSeconds, InfluxSchema.DownSeconds, InfluxSchema.IdleSeconds, InfluxSchema.WindowSeconds, KpiFields.Produced.Column,
        KpiFields.Good.Column, KpiFields.Scrap.Column, KpiFields.UnattendedGood.Column, KpiFields.Kwh.Column, KpiFields.IdealCycleSeconds.Column, KpiFields.Coverage.Column,
        KpiFields.IdealSeconds.Column,
    ];

    /// <summary>
    /// The InfluxQL for the day records of [<paramref name="from"/>, <paramref name="to"/>) in site-local dates: a day
    /// window starts at local midnight, anywhere from 14 h before to 12 h after UTC midnight, so the query reaches a day
    /// beyond each end and <see cref="Read"/> keeps the days that belong.
    /// </summary>
    public static string Query(DateOnly from, DateOnly to)
    {
        var fields = string.Join(", ", s_fields.Select(f => $"\"{f}\""));
        return $"SELECT {fields} {InfluxSchema.FromDayRecords} AND time >= '{from.AddDays(-1):yyyy-MM-dd}T00:00:00Z' " +
            $"AND time < '{to.AddDays(1):yyyy-MM-dd}T00:00:00Z' GROUP BY \"{InfluxSchema.SiteTag}\", \"{InfluxSchema.CellTag}\"";
    }

    /// <summary>The cells of the answer with their days in [from, to), in date order.</summary>
    /// <exception cref="InfluxQueryException">A row lacks a time or has a non-numeric field.</exception>
    public static List<CellDays> Read(IReadOnlyList<InfluxSeries> series, DateOnly from, DateOnly to)
    {
        var cells = new List<CellDays>(series.Count);
        foreach (var s in series)
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < s.Columns.Count; i++)
            {
                index[s.Columns[i]] = i;
            }

            var site = s.Tags.GetValueOrDefault(InfluxSchema.SiteTag, "");
            var cell = s.Tags.GetValueOrDefault(InfluxSchema.CellTag, "");
            var days = new SortedDictionary<DateOnly, DayRecord>();
            foreach (var row in s.Rows)
            {
                var record = Day(row, index, site, cell);
                if (record.Day >= from && record.Day < to)
                {
                    days[record.Day] = record;
                }
            }

            cells.Add(new CellDays(site, cell, [.. days.Values]));
        }

        return cells;
    }

    /// <summary>
    /// One row as a day record. Its date is the UTC date of the window's middle: local noon falls on the local date in
    /// UTC for every offset from −12 h to +12 h. A field the record lacks (null) counts as zero, but <c>ideal_s</c>, which
    /// stays null (<see cref="DayRecord.IdealSeconds"/>).
    /// </summary>
    private static DayRecord Day(JsonElement[] row, Dictionary<string, int> index, string site, string cell)
    {
        double Field(string name) => OptionalField(name) ?? 0;

        double? OptionalField(string name)
        {
            if (!index.TryGetValue(name, out var i) || row[i].ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return row[i].ValueKind == JsonValueKind.Number
                ? row[i].GetDouble()
                : throw new InfluxQueryException($"site {site}, cell {cell}: field {name} of a day record is {row[i].ValueKind}, not a number");
        }

        if (row[index["time"]].GetString() is not { } time ||
            !DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start))
        {
            throw new InfluxQueryException($"site {site}, cell {cell}: a day record without a readable time");
        }

        var length = Field(InfluxSchema.WindowSeconds);
        var day = DateOnly.FromDateTime(start.AddSeconds(length > 0 ? length / 2 : 43_200).UtcDateTime);
        return new DayRecord(
            day, Field(InfluxSchema.RunSeconds), Field(InfluxSchema.SetupSeconds), Field(InfluxSchema.DownSeconds), Field(InfluxSchema.IdleSeconds), length,
            Field(KpiFields.Produced.Column), Field(KpiFields.Good.Column), Field(KpiFields.Scrap.Column), Field(KpiFields.UnattendedGood.Column), Field(KpiFields.Kwh.Column),
            Field(KpiFields.IdealCycleSeconds.Column), Field(KpiFields.Coverage.Column))
        {
            // Absent in records of gateways older than the field: the evaluation then uses ideal_cycle_s × produced.
            IdealSeconds = OptionalField(KpiFields.IdealSeconds.Column),
        };
    }
}
