using Microsoft.Extensions.Logging;

namespace EdgeGateway.Agent.Tests.Hosting;

/// <summary>Each kind of log line of the agent has its own event id, so that a log query by id finds one kind.</summary>
public sealed partial class LogEventIdTests
{
    [Fact]
    public void LoggerMessageEventIds_AreUniqueInTheAgentAssembly() =>
        Assert.Empty(LoggerEventIds.Problems(typeof(Program).Assembly, atLeast: 15));

    [Fact]
    public void Duplicates_NameTheIdAndBothMethods()
    {
        var duplicates = LoggerEventIds.Duplicates(LoggerEventIds.Of([typeof(Colliding)]));

        Assert.Equal($"7: {typeof(Colliding).FullName}.First, {typeof(Colliding).FullName}.Second", Assert.Single(duplicates));
    }

    private static partial class Colliding
    {
        [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "first")]
        public static partial void First(ILogger logger);

        [LoggerMessage(7, LogLevel.Information, "second")]
        public static partial void Second(ILogger logger);

        [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "third")]
        public static partial void Third(ILogger logger);
    }
}
