using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Traces;
using static EdgeGateway.Core.Tests.TraceBuilder;

namespace EdgeGateway.Core.Tests.Kpi;

public sealed class EnergyTests
{
    private static readonly string s_config = TestConfig.Cell(TestConfig.Shift("Mon-Fri", "06:00", "14:00"));

    [Fact]
    public void PowerSamples_AreIntegratedByZeroOrderHold_SplitByRunning()
    {
        // 10 kW for 30 min running, then 2 kW for 30 min idle; the last sample holds nothing after the trace ends.
        var trace = new TraceBuilder()
            .Light(Utc("2026-03-30T08:00:00Z"), "green").At(Utc("2026-03-30T08:00:00Z"), "power", 10)
            .At(Utc("2026-03-30T08:10:00Z"), "cycle").At(Utc("2026-03-30T08:20:00Z"), "cycle")
            .Light(Utc("2026-03-30T08:30:00Z"), "yellow").At(Utc("2026-03-30T08:30:00Z"), "power", 2)
            .At(Utc("2026-03-30T09:00:00Z"), "power", 7);

        var total = Replay.Total(s_config, trace.ToString());

        Assert.Equal(6.0, total.Kwh, 12);
        Assert.Equal(3.0, total.KwhPerGoodPart!.Value, 12);
        Assert.Equal(1.0 / 6, total.IdleEnergyShare!.Value, 12);
    }

    [Fact]
    public void LargestPowerOverACentury_IsFiniteAndExact()
    {
        // The trace bounds keep every energy sum finite: at most 1e6 kW × 2.2e14 ms (1970-9000) = 2.2e20 kW·ms, far
        // from overflow (a 1e308 kW sample once overflowed). A century keeps the test fast and the sum exact.
        var from = Utc("1970-01-01T00:00:00Z");
        var to = Utc("2070-01-01T00:00:00Z");
        var trace = new TraceBuilder().At(from, "power", TraceReader.MaxPowerKw).At(to, "power", TraceReader.MaxPowerKw);

        var total = Replay.Total(TestConfig.Cell(""), trace.ToString());

        var expected = TraceReader.MaxPowerKw * (to - from).TotalHours;
        Assert.True(Math.Abs(total.Kwh - expected) <= expected * 1e-12, $"{total.Kwh} kWh, expected {expected}");
    }

    [Fact]
    public void NoPower_GivesZeroKwh_AndNullRatios()
    {
        var trace = new TraceBuilder().Light(Utc("2026-03-30T08:00:00Z"), "green").Light(Utc("2026-03-30T09:00:00Z"), "off");

        var total = Replay.Total(s_config, trace.ToString());

        Assert.Equal(0, total.Kwh);
        Assert.Null(total.KwhPerGoodPart);
        Assert.Null(total.IdleEnergyShare);
    }

    [Fact]
    public void PowerSamplesBetweenMinutes_SplitEnergyAcrossMinuteWindows_SummingToTotal()
    {
        var trace = new TraceBuilder()
            .Light(Utc("2026-03-30T08:00:00Z"), "green").At(Utc("2026-03-30T08:00:30Z"), "power", 6)
            .At(Utc("2026-03-30T08:02:15Z"), "power", 3)
            .Light(Utc("2026-03-30T08:03:00Z"), "off");

        var records = Replay.Run(s_config, trace.ToString(), WindowKind.Minute, WindowKind.Total);
        var minutes = records.Where(r => r.Kind == WindowKind.Minute).ToList();

        Assert.Equal(new[] { 0.05, 0.1, 0.0625 }, minutes.Select(m => Math.Round(m.Kwh, 12)));
        Assert.Equal(records.Single(r => r.Kind == WindowKind.Total).Kwh, minutes.Sum(m => m.Kwh), 12);
    }
}
