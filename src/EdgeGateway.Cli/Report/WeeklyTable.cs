using System.Globalization;
using System.Text;

namespace EdgeGateway.Cli.Report;

/// <summary>Prints the weekly KPIs for people: one block per cell, one row per week, ratios in percent.</summary>
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
            foreach (var week in cell.Weeks)
            {
                var monday = week.WeekStart.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                output.WriteLine(week.HasData
                    ? Format(
                        monday,
                        (week.RunSeconds / 3600).ToString("0.0", CultureInfo.InvariantCulture),
                        Percent(week.Availability),
                        Percent(week.Effectiveness),
                        Percent(week.Quality),
                        Percent(week.Oee),
                        Count(week.Produced),
                        Count(week.Good),
                        Count(week.UnattendedGood),
                        week.KwhPerGoodPart is { } kwh ? kwh.ToString("0.000", CultureInfo.InvariantCulture) : "-")
                    : $"{monday} no records");
            }
        }
    }

    private static string Format(params object?[] cells) => string.Format(CultureInfo.InvariantCulture, s_row, cells);

    private static string Percent(double? ratio) => ratio is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-";

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}
