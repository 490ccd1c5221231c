using EdgeGateway.Core.Kpi;
using static EdgeGateway.Core.Tests.TraceBuilder;

namespace EdgeGateway.Core.Tests.Kpi;

/// <summary>A sensor fault is unknown time and a counted fault — never machine downtime.</summary>
public sealed class SensorFaultTests
{
    private static readonly string s_config = TestConfig.Cell(TestConfig.Shift("Mon-Fri", "06:00", "14:00"));

    [Fact]
    public void FaultedLevelSignal_MakesItsTimeUnknown_NotDown_AndIsCountedOnce()
    {
        var trace = new TraceBuilder()
            .Light(Utc("2026-03-30T08:00:00Z"), "green")
            .At(Utc("2026-03-30T08:20:00Z"), "red", double.NaN)
            .At(Utc("2026-03-30T08:25:00Z"), "red", double.NaN) // still the same fault
            .At(Utc("2026-03-30T08:30:00Z"), "red", 0)
            .Light(Utc("2026-03-30T09:00:00Z"), "off");

        var total = Replay.Total(s_config, trace.ToString());

        Assert.Equal(10 * 60, total.Seconds(Bucket.Unknown));
        Assert.Equal(0, total.Seconds(Bucket.Down));
        Assert.Equal(50 * 60, total.Seconds(Bucket.Run));
        Assert.Equal(1, total.SensorFaults);
        Assert.Equal(50.0 / 60, total.Coverage!.Value, 12);
        Assert.Equal(1.0, total.Availability);
    }

    [Fact]
    public void FaultedPowerSignal_StopsEnergyCounting_ButNotTheState()
    {
        var trace = new TraceBuilder()
            .Light(Utc("2026-03-30T08:00:00Z"), "green").At(Utc("2026-03-30T08:00:00Z"), "power", 6)
            .At(Utc("2026-03-30T08:30:00Z"), "power", double.NaN)
            .Light(Utc("2026-03-30T09:00:00Z"), "off");

        var total = Replay.Total(s_config, trace.ToString());

        Assert.Equal(3.0, total.Kwh, 12);
        Assert.Equal(3600, total.Seconds(Bucket.Run));
        Assert.Equal(1, total.SensorFaults);
    }

    [Fact]
    public void FaultedPulseSignal_CountsNoPart()
    {
        var trace = new TraceBuilder()
            .Light(Utc("2026-03-30T08:00:00Z"), "green")
            .At(Utc("2026-03-30T08:10:00Z"), "cycle")
            .At(Utc("2026-03-30T08:20:00Z"), "cycle", double.NaN)
            .Light(Utc("2026-03-30T09:00:00Z"), "off");

        var total = Replay.Total(s_config, trace.ToString());

        Assert.Equal(1, total.Produced);
        Assert.Equal(1, total.SensorFaults);
    }

    [Fact]
    public void FaultValue_IsWrittenAsFaultInTheTrace()
    {
        var trace = new TraceBuilder().Light(Utc("2026-03-30T08:00:00Z"), "green").At(Utc("2026-03-30T08:30:00Z"), "green", double.NaN).ToString();

        Assert.Contains("2026-03-30T08:30:00.000Z,green,fault\n", trace, StringComparison.Ordinal);
        Assert.Equal(0, Replay.Total(s_config, trace).Seconds(Bucket.Unknown));
    }
}
