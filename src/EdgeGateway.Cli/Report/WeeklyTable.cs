using System.Globalization;
using System.Text;
using EdgeGateway.Queries;

namespace EdgeGateway.Cli.Report;

/// <summary>
/// Prints the weekly KPIs for people: one block per cell, one row per week, ratios in percent; under a week with
/// reasoned stops, its top reasons with their seconds and share of the reasoned stop time.
/// </summary>
internal static class WeeklyTable
{
    private static readonly CompositeFormat s_row = CompositeFormat.Parse("{0,-10} {1,7} {2,7} {3,7} {4,7} {5,7} {6,9} {7,9} {8,10} {9,9}");

    public static void Write(TextWriter output, IReadOnlyList<CellWeeks> cells)
    {
        var first = true;
        foreach (var cell in cells)
        {
            if (!first)
            {
                output.WriteLine();
            }

            first = false;
            output.WriteLine($"{cell.Site} / {cell.Cell}");
            output.WriteLine(Format("week of", "run h", "avail", "perf", "quality", "OEE", "produced", "good", "unattended", "kWh/good"));
            for (var i = 0; i < cell.Weeks.Count; i++)
            {
                var week = cell.Weeks[i];
                var monday = Date(week.WeekStart);
                if (!week.HasData)
                {
                    // A run of weeks without records is one line however long it is: a cell that went live late, or a
                    // span reaching back to a gateway's clock at 1970, is no wall of empty lines.
                    var last = i;
                    while (last + 1 < cell.Weeks.Count && !cell.Weeks[last + 1].HasData)
                    {
                        last++;
                    }

                    output.WriteLine(last == i
                        ? $"{monday} no records"
                        : $"{monday} no records for {Count(last - i + 1)} weeks (to {Date(cell.Weeks[last].WeekStart.AddDays(6))})");
                    i = last;
                    continue;
                }

                output.WriteLine(Format(
                    monday,
                    (week.RunSeconds / 3600).ToString("0.0", CultureInfo.InvariantCulture),
                    Percent(week.Availability),
                    Percent(week.Effectiveness),
                    Percent(week.Quality),
                    Percent(week.Oee),
                    Count(week.Produced),
                    Count(week.Good),
                    Count(week.UnattendedGood),
                    week.KwhPerGoodPart is { } kwh ? kwh.ToString("0.000", CultureInfo.InvariantCulture) : "-"));
                if (week.TopReasons.Count > 0)
                {
                    // Under its week, indented: the losses behind the week's availability, largest first.
                    output.WriteLine("           top stops: " + string.Join(", ", week.TopReasons.Select(r =>
                        string.Create(CultureInfo.InvariantCulture, $"{r.Reason} {r.Seconds:0} s ({Percent(r.Share)})"))));
                }
            }
        }
    }

    private static string Format(params object?[] cells) => string.Format(CultureInfo.InvariantCulture, s_row, cells);

    private static string Percent(double? ratio) => ratio is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-";

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Date(DateTimeOffset day) => day.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
