using System.Globalization;
using System.Text;
using EdgeGateway.Evaluation.Register;

namespace EdgeGateway.Dashboard.Tests;

/// <summary>
/// A synthetic programme for access and numbers (10 sites, 20 cells, 12 with a voucher, 26 weeks of day records from
/// <see cref="ProgrammeSimulation"/>) in a real InfluxDB 1.x in the ingest's schema, with the special cases the demo
/// programme lacks: one cell of the SME's site carrying hand-written live points (state changes, shift records, stop
/// reasons, articles), another site's cell with a reason only its site may see, and a register cell that never sent
/// anything. Shared by the access, input-error and same-numbers tests (one influxd, one dashboard); the pages are
/// rendered on <see cref="DemoProgramme"/>.
/// </summary>
public sealed class DashboardProgramme : DashboardServer
{
    /// <summary>A stop reason of another site's cell: no SME page or file may ever carry it.</summary>
    public const string OtherSiteReason = "other-site-secret-reason";

    internal static ProgrammeSettings Settings { get; } = new(Sites: 10, Cells: 20, TreatedCells: 12, Start: new DateOnly(2026, 1, 5), Days: 182, FirstGoLiveDay: 42, LastGoLiveDay: 126);

    internal SimulatedProgramme Programme { get; } = ProgrammeSimulation.Generate(Settings, seed: 7);

    /// <summary>The SME's site and its cell that carries live data.</summary>
    public override RegisterEntry SmeCell => Programme.Register[0];

    public override IReadOnlyList<RegisterEntry> Register => Programme.Register;

    public override (DateOnly From, DateOnly To) Window => (Settings.From, Settings.To);

    /// <summary>A cell of another site.</summary>
    public RegisterEntry OtherCell => Programme.Register.First(e => e.Site != SmeCell.Site);

    /// <summary>A register cell of <see cref="OtherCell"/>'s site without any record.</summary>
    public const string SilentCell = "cell-silent";

    /// <summary>The day of the live points (state changes) of <see cref="SmeCell"/>: the window's last.</summary>
    public DateOnly LiveDay => Settings.To.AddDays(-1);

    private protected override void Fill(InfluxDb influx)
    {
        foreach (var batch in DayRecordLines.Lines(Programme.Data).Chunk(5000))
        {
            influx.Write(string.Join('\n', batch));
        }

        influx.Write(string.Join('\n', LiveLines()));
        // A register cell whose gateway never sent anything: it drops out of the evaluation, and the overview says so.
        File.WriteAllText(RegisterFile, RegisterCsv(Programme.Register) + $"{OtherCell.Site},{SilentCell},no,,,,\n");
    }

    public static string RegisterCsv(IEnumerable<RegisterEntry> register)
    {
        var csv = new StringBuilder("site,cell,treated,go_live,ramp_up_days,sector,size_class\n");
        foreach (var e in register)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{e.Site},{e.Cell},{(e.Treated ? "yes" : "no")},{e.GoLive:yyyy-MM-dd},{e.RampUpDays},{e.Sector},{e.SizeClass}\n");
        }

        return csv.ToString();
    }

    /// <summary>What the gateways add beyond day records, in the ingest's schema (src/docs/influxdb-schema.md).</summary>
    private IEnumerable<string> LiveLines()
    {
        var (site, cell) = (SmeCell.Site, SmeCell.Cell);
        var day = new DateTimeOffset(LiveDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
        string[] states = ["run", "down", "run", "setup", "run", "idle"];
        for (var i = 0; i < states.Length; i++)
        {
            yield return FormattableString.Invariant($"state,cell={cell},site={site} state=\"{states[i]}\",seq={i}i,gateway=\"gw-1\" {Ms(day.AddHours(1 + (i * 3.5)))}");
        }

        for (var d = 0; d < 3; d++)
        {
            for (var shift = 0; shift < 2; shift++)
            {
                var start = day.AddDays(-d).AddHours(6 + (8 * shift));
                yield return FormattableString.Invariant($"kpi,cell={cell},site={site},window=shift run_s={20000 + (d * 500)},setup_s=1200,down_s=3600,idle_s=2000,window_s=28800,produced={600 + d}i,good={580 + d}i,ideal_cycle_s=30 {Ms(start)}");
            }
        }

        string[] reasons = ["waiting_material", "tool_change", "breakdown"];
        for (var d = 0; d < 5; d++)
        {
            for (var r = 0; r < reasons.Length; r++)
            {
                yield return FormattableString.Invariant($"kpi_reason,cell={cell},reason={reasons[r]},site={site},window=day seconds={(r + 1) * 600} {Ms(day.AddDays(-d))}");
            }

            yield return FormattableString.Invariant($"kpi_article,article=A-100,cell={cell},site={site},window=day produced=400i,scrap=10i,good=390i {Ms(day.AddDays(-d))}");
            yield return FormattableString.Invariant($"kpi_article,article=B-200,cell={cell},site={site},window=day produced=200i,scrap=5i,good=195i {Ms(day.AddDays(-d))}");
        }

        yield return FormattableString.Invariant($"kpi_reason,cell={OtherCell.Cell},reason={OtherSiteReason},site={OtherCell.Site},window=day seconds=3600 {Ms(day)}");
        yield return FormattableString.Invariant($"gateway_status,gateway=gw-1,site={site} status=\"online\",outbox_depth=3i,uptime_s=3600 {Ms(DateTimeOffset.UtcNow.AddMinutes(-2))}");
        yield return FormattableString.Invariant($"gateway_status,gateway=gw-1,site={OtherCell.Site} status=\"offline\",outbox_depth=0i {Ms(DateTimeOffset.UtcNow.AddHours(-5))}");
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardTests : ICollectionFixture<DashboardProgramme>
{
    public const string Name = "dashboard";
}
