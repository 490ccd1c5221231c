using EdgeGateway.Sensors.Sources;

namespace EdgeGateway.Sensors.Tests.Sources;

/// <summary>Each kind of log line of the sensors has its own event id, so that a log query by id finds one kind.</summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void LoggerMessageEventIds_AreUniqueInTheSensorsAssembly() =>
        Assert.Empty(LoggerEventIds.Problems(typeof(HardwareSignalSource).Assembly, atLeast: 3));
}
