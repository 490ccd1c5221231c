
namespace EdgeGateway.Ingest.Tests.Hosting;

/// <summary>Each kind of log line of the ingest has its own event id, so that a log query by id finds one kind.</summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void LoggerMessageEventIds_AreUniqueInTheIngestAssembly() =>
        Assert.Empty(LoggerEventIds.Problems(typeof(Program).Assembly, atLeast: 14));
}
