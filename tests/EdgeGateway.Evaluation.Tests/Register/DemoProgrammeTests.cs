using EdgeGateway.Core.Configuration;
using EdgeGateway.Evaluation.Register;
using EdgeGateway.Sensors.Simulation;

namespace EdgeGateway.Evaluation.Tests.Register;

/// <summary>
/// The demo's programme (deploy/sample/demo, run by deploy/dev/demo.sh): its register must tell what its site configs
/// simulate, or the demo's report would evaluate a programme that did not happen.
/// </summary>
public sealed class DemoProgrammeTests
{
    private static readonly string s_folder = Path.Combine(RepoPaths.Root, "deploy", "sample", "demo");

    [Fact]
    public void DemoRegister_NamesEveryCellOfTheSiteConfigs_WithTheirInvestmentsGoLiveAndRampUp()
    {
        IReadOnlyList<RegisterEntry> register;
        using (var reader = new StreamReader(Path.Combine(s_folder, "register.csv")))
        {
            register = ProgrammeRegister.Read(reader, "register.csv");
        }

        var simulated = new Dictionary<(string Site, string Cell), InvestmentSwitch?>();
        foreach (var file in Directory.GetFiles(s_folder, "*.json"))
        {
            var config = ConfigReader.Read(File.ReadAllBytes(file), Path.GetFileName(file));
            // demo.sh names a site's agent by its file; UTC all year keeps the sites' days in the UTC weeks of the report.
            Assert.Equal(Path.GetFileNameWithoutExtension(file), config.Site);
            Assert.Equal(TimeSpan.Zero, config.TimeZone.GetUtcOffset(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero)));
            Assert.Equal(TimeSpan.Zero, config.TimeZone.GetUtcOffset(new DateTimeOffset(2026, 5, 25, 0, 0, 0, TimeSpan.Zero)));
            var options = SimulationOptions.ReadAll(config);
            for (var i = 0; i < config.Cells.Count; i++)
            {
                simulated.Add((config.Site, config.Cells[i].Id), options[i].Investment);
            }
        }

        Assert.Equal(6, simulated.Keys.Select(k => k.Site).Distinct().Count());
        Assert.Equal(12, simulated.Count);
        Assert.Equal(simulated.Keys.Order(), register.Select(e => (e.Site, e.Cell)).Order());
        Assert.Equal(6, register.Count(e => e.Treated));
        foreach (var entry in register)
        {
            var investment = simulated[(entry.Site, entry.Cell)];
            Assert.True(entry.Treated == investment is not null, $"{entry.Site}/{entry.Cell}: register treated={entry.Treated}, config investment={investment is not null}");
            if (investment is not null)
            {
                Assert.Equal(entry.GoLive, DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(investment.GoLiveMs).UtcDateTime));
                Assert.Equal(entry.RampUpDays, investment.RampUpDays);
                Assert.Equal(DayOfWeek.Monday, entry.GoLive!.Value.DayOfWeek);
            }
        }
    }
}
