namespace EdgeGateway.Sensors.Tests.Bus;

/// <summary>
/// The polling path allocates nothing per sample (src/docs/sources.md, "Timing and the queue" and "Cost"): <see cref="SteadyStateInputs"/> — four current
/// transformers at 100 Hz, eight digital inputs with bouncing pulses and lamp changes, an INA219, a BME280 and an
/// ADXL345 — through the real bindings against simulated chips. After a warm-up, a minute of input is polled on this
/// thread (edges raised on it too) and the bytes it allocated are measured.
/// </summary>
public sealed class PollingAllocationTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Polling_SteadyState_AllocatesNothing(bool extras)
    {
        using var rig = SteadyStateInputs.Rig(extras);
        rig.Start();
        for (var tick = 0; tick < 500; tick++)
        {
            SteadyStateInputs.Stimulate(rig.Gpio, tick);
            rig.Tick();
        }

        var countedBefore = rig.Counted;
        var before = GC.GetAllocatedBytesForCurrentThread();
        const int Ticks = 6000;   // 60 s at 10 ms
        for (var tick = 500; tick < 500 + Ticks; tick++)
        {
            SteadyStateInputs.Stimulate(rig.Gpio, tick);
            rig.Tick();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(TimeSpan.FromMilliseconds(10), rig.Source.TickPeriod);
        Assert.InRange(rig.Counted - countedBefore, (60 * SteadyStateInputs.EventsPerSecond(extras)) - 10, (60 * SteadyStateInputs.EventsPerSecond(extras)) + 10);
        Assert.Empty(rig.Log.WithId(2101));
        Assert.Equal(0, allocated);
    }
}
