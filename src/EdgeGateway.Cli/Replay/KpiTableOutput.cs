using System.Globalization;
using System.Text;
using EdgeGateway.Core.Calendar;
using EdgeGateway.Core.Kpi;

namespace EdgeGateway.Cli.Replay;

/// <summary>Writes records as a fixed-width table for people: site-local times, durations as h:mm:ss, ratios in percent.</summary>
internal sealed class KpiTableOutput(Stream stream, TimeZoneInfo zone) : IRecordOutput
{
    private static readonly CompositeFormat s_row = CompositeFormat.Parse("{0,-10} {1,-5} {2,-16} {3,-16} {4,10} {5,10} {6,10} {7,10} {8,10} {9,10} {10,10} {11,8} {12,8} {13,6} {14,7} {15,7} {16,7} {17,7} {18,9}");

    private readonly StreamWriter _writer = new(stream, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
    private bool _headerWritten;

    public void OnRecord(in WindowRecord record)
    {
        if (!_headerWritten)
        {
            _writer.WriteLine($"Times are site-local ({zone.Id}); durations h:mm:ss; '-' = not defined (zero denominator).");
            _writer.WriteLine(Format("cell", "kind", "start", "end", "run", "setup", "down", "idle", "planned", "unplanned", "unknown", "produced", "good", "scrap", "A", "P", "Q", "OEE", "kWh"));
            _headerWritten = true;
        }

        _writer.WriteLine(Format(
            record.Cell.Id,
            record.Kind.Name(),
            Local(record.Start),
            Local(record.End),
            Duration(record.Ms(Bucket.Run)),
            Duration(record.Ms(Bucket.Setup)),
            Duration(record.Ms(Bucket.Down)),
            Duration(record.Ms(Bucket.Idle)),
            Duration(record.Ms(Bucket.PlannedStop)),
            Duration(record.Ms(Bucket.UnplannedTime)),
            Duration(record.Ms(Bucket.Unknown)),
            record.Produced.ToString(CultureInfo.InvariantCulture),
            record.Good.ToString(CultureInfo.InvariantCulture),
            record.Scrap.ToString(CultureInfo.InvariantCulture),
            Percent(record.Availability),
            Percent(record.Effectiveness),
            Percent(record.Quality),
            Percent(record.Oee),
            record.Kwh.ToString("0.00", CultureInfo.InvariantCulture)));
    }

    public void Dispose()
    {
        if (!_headerWritten)
        {
            _writer.WriteLine("No records: the trace holds no events.");
        }

        _writer.Dispose();
    }

    private static string Format(params object[] cells) => string.Format(CultureInfo.InvariantCulture, s_row, cells);

    private string Local(long unixMs) => SiteTime.ToWallClock(unixMs, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Duration(long ms)
    {
        var seconds = ms / 1000;
        return string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds / 60 % 60:00}:{seconds % 60:00}");
    }

    private static string Percent(double? ratio) => ratio is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "-";
}
