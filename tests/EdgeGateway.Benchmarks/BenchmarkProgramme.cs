using System.Globalization;
using System.Text;

namespace EdgeGateway.Benchmarks;

/// <summary>
/// The issue-6 programme the evaluate and dashboard benchmarks share: CELLS cells in CELLS / 2 sites, 65 % with a
/// voucher going live between a sixth and five sixths of DAYS, its day records loaded into a real InfluxDB, its register.
/// </summary>
internal static class BenchmarkProgramme
{
    public static ProgrammeSettings Settings(int cells, int days) => new(
        Sites: Math.Max(2, cells / 2), Cells: cells, TreatedCells: cells * 13 / 20, Days: days,
        FirstGoLiveDay: days / 6, LastGoLiveDay: days * 5 / 6);

    /// <summary>Writes the programme's day records in batches of 5 000 lines; returns how many.</summary>
    public static int Load(InfluxDb influx, SimulatedProgramme programme)
    {
        var points = 0;
        foreach (var batch in DayRecordLines.Lines(programme.Data).Chunk(5000))
        {
            influx.Write(string.Join('\n', batch));
            points += batch.Length;
        }

        return points;
    }

    /// <summary>The register as CSV (site, cell, treated, go-live, ramp-up days).</summary>
    public static string RegisterCsv(SimulatedProgramme programme)
    {
        var csv = new StringBuilder("site,cell,treated,go_live,ramp_up_days\n");
        foreach (var e in programme.Register)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{e.Site},{e.Cell},{e.Treated},{e.GoLive:yyyy-MM-dd},{e.RampUpDays}\n");
        }

        return csv.ToString();
    }
}
