using System.Text;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Signals;
using EdgeGateway.Core.Traces;

namespace EdgeGateway.Core.Tests.Traces;

/// <summary>The context lines of a trace (src/docs/traces.md, "Context lines"): read as written, written as read, and each malformed one named.</summary>
public sealed class ContextLineTests
{
    private static readonly GatewayConfig s_config = ConfigReader.Read(Encoding.UTF8.GetBytes(TestConfig.Cell(
        TestConfig.Shift("Mon-Fri", "06:00", "14:00"),
        extra: """ "Articles": { "A-100": { "IdealCycleSeconds": 20 } },""",
        gateway: TestConfig.StopReasons)), "test.json");

    private const string Lines = """
        timestamp,signal,value
        2026-03-23T07:05:00.000Z,@reason:cell-1,breakdown
        2026-03-23T07:06:00.000Z,@reason:cell-1,waiting_material@2026-03-23T07:01:00.000Z
        2026-03-23T07:07:00.000Z,@article:cell-1,A-100
        2026-03-23T07:08:00.000Z,@closure,2026-12-24T11:00:00.000Z/2026-12-27T05:00:00.000Z
        2026-03-23T07:09:00.000Z,@shift,2026-03-28T05:00:00.000Z/2026-03-28T09:00:00.000Z

        """;

    [Fact]
    public void ContextLines_ReadAsEvents_AndWrittenBackByteForByte()
    {
        var map = new SignalMap(s_config);
        var events = Read(Lines, map);

        Assert.Equal(ContextKind.Reason, map.Context(events[0].Signal));
        Assert.Equal(events[0].TimestampMs, (long)events[0].Value);                      // at: the line's own time
        Assert.Equal("waiting_material", map.ContextCodeName(events[1].Signal));
        Assert.Equal(Ms("2026-03-23T07:01:00Z"), (long)events[1].Value);
        Assert.Equal(ContextKind.Article, map.Context(events[2].Signal));
        Assert.Equal(map.ClosureSignal, events[3].Signal);
        Assert.Equal((Ms("2026-12-24T11:00:00Z"), Ms("2026-12-27T05:00:00Z")), ((long)events[3].Value, events[3].ToMs));
        Assert.Equal(map.ExtraShiftSignal, events[4].Signal);

        using var output = new MemoryStream();
        using (var writer = new TraceWriter(output, map))
        {
            writer.Header();
            foreach (var e in events)
            {
                writer.Write(e);
            }
        }

        Assert.Equal(Lines.ReplaceLineEndings("\n").TrimEnd('\n') + "\n", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Theory]
    [InlineData("2026-03-23T07:05:00Z,@reason:cell-9,breakdown", "test.csv:2: unknown context line '@reason:cell-9'")]
    [InlineData("2026-03-23T07:05:00Z,@stop:cell-1,breakdown", "test.csv:2: unknown context line '@stop:cell-1'")]
    [InlineData("2026-03-23T07:05:00Z,@reason:cell-1,coffee", "test.csv:2: unknown reason code 'coffee' for @reason:cell-1")]
    [InlineData("2026-03-23T07:05:00Z,@article:cell-1,B-7", "test.csv:2: unknown article 'B-7' for @article:cell-1")]
    [InlineData("2026-03-23T07:05:00Z,@reason:cell-1,breakdown@yesterday", "test.csv:2: bad time 'yesterday'")]
    [InlineData("2026-03-23T07:05:00Z,@reason:cell-1,breakdown@2026-03-23T07:06:00Z", "test.csv:2: bad time '2026-03-23T07:06:00Z' for @reason:cell-1: a reason cannot name a time after its own line's time")]
    [InlineData("2026-03-23T07:05:00Z,@closure,2026-12-24", "test.csv:2: bad value '2026-12-24' for @closure: expected FROM/TO")]
    [InlineData("2026-03-23T07:05:00Z,@shift,2026-03-28T09:00:00Z/2026-03-28T05:00:00Z", "test.csv:2: bad value '2026-03-28T09:00:00Z/2026-03-28T05:00:00Z' for @shift: it ends before it begins")]
    public void MalformedContextLine_IsAnErrorNamingTheLineAndTheProblem(string line, string message)
    {
        var error = Assert.Throws<InputException>(() => Read("timestamp,signal,value\n" + line + "\n", new SignalMap(s_config)));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReasonButton_IsALevel_AnyOtherValueIsAnError()
    {
        var config = ConfigReader.Read(Encoding.UTF8.GetBytes(TestConfig.Cell(
            TestConfig.Shift("Mon-Fri", "06:00", "14:00"),
            signals: TestConfig.AllSignals + """, "button": { "Role": "ReasonButton", "Reason": "breakdown" }""",
            gateway: TestConfig.StopReasons)), "test.json");

        var error = Assert.Throws<InputException>(() => Read("timestamp,signal,value\n2026-03-23T07:05:00Z,button,2\n", new SignalMap(config)));

        Assert.Contains("bad value '2' for signal 'button' (ReasonButton): a level is 0 or 1", error.Message, StringComparison.Ordinal);
    }

    private static List<SignalEvent> Read(string text, SignalMap map)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        using var reader = new TraceReader(stream, "test.csv", map);
        var events = new List<SignalEvent>();
        while (reader.TryRead(out var e))
        {
            events.Add(e);
        }

        return events;
    }

    private static long Ms(string utc) => Core.Calendar.SiteTime.ToUnixMs(TraceBuilder.Utc(utc));
}
