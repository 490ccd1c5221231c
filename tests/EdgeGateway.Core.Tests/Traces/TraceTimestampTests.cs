using System.Text;
using EdgeGateway.Core.Traces;

namespace EdgeGateway.Core.Tests.Traces;

public sealed class TraceTimestampTests
{
    [Theory]
    [InlineData("2026-03-28T21:00:00.000Z", 1_774_731_600_000L)]
    [InlineData("2026-03-28T21:00:00Z", 1_774_731_600_000L)]
    [InlineData("2026-03-28T21:00:00.5Z", 1_774_731_600_500L)]
    [InlineData("2026-03-28T21:00:00.12Z", 1_774_731_600_120L)]
    [InlineData("1970-01-01T00:00:00.001Z", 1L)]
    [InlineData("2028-02-29T23:59:59.999Z", 1_835_481_599_999L)]
    public void Parse_AcceptsUtcWithUpToMilliseconds(string text, long expected)
    {
        Assert.True(TraceTimestamp.TryParse(Encoding.ASCII.GetBytes(text), out var ms));
        Assert.Equal(expected, ms);
        Assert.Equal(DateTime.UnixEpoch.AddMilliseconds(expected), DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime());
    }

    [Theory]
    [InlineData("2026-03-28 21:00:00.000Z")]
    [InlineData("2026-03-28T21:00:00.000+01:00")]
    [InlineData("2026-03-28T21:00:00.000")]
    [InlineData("2026-03-28T21:00:00.0001Z")]
    [InlineData("2026-02-29T21:00:00.000Z")]
    [InlineData("2026-13-01T21:00:00.000Z")]
    [InlineData("2026-03-28T24:00:00.000Z")]
    [InlineData("2026-03-28T21:60:00.000Z")]
    [InlineData("2026-03-28T21:00:00.Z")]
    [InlineData("1969-12-31T23:59:59.999Z")]
    [InlineData("yesterday")]
    public void Parse_RejectsAnythingElse(string text) => Assert.False(TraceTimestamp.TryParse(Encoding.ASCII.GetBytes(text), out _));

    [Theory]
    [InlineData("1969-12-31T23:59:59.999Z", -1L)]
    [InlineData("0001-01-01T00:00:00.000Z", -62_135_596_800_000L)]
    [InlineData("1677-09-21T00:12:43.145Z", -9_223_372_036_855L)]
    [InlineData("9000-12-31T23:59:59.999Z", 221_876_928_000_000L - 1)]
    [InlineData("9999-12-30T00:00:00.000Z", 253_402_128_000_000L)]
    public void ParseAnyYear_ReadsWellFormedTimesOutsideTheYearsParseAccepts(string text, long expected)
    {
        Assert.True(TraceTimestamp.TryParseAnyYear(Encoding.ASCII.GetBytes(text), out var ms));
        Assert.Equal(expected, ms);
        Assert.Equal(text, TraceTimestamp.Format(ms));
        Assert.Equal(expected is >= 0 and < 221_876_928_000_000L, TraceTimestamp.TryParse(Encoding.ASCII.GetBytes(text), out _));
    }

    [Theory]
    [InlineData("0000-01-01T00:00:00.000Z")]
    [InlineData("1900-02-29T00:00:00.000Z")]
    [InlineData("+10000-01-01T00:00:00.000Z")]
    [InlineData("9999-12-31T24:00:00.000Z")]
    public void ParseAnyYear_RejectsWhatIsNoTime(string text) => Assert.False(TraceTimestamp.TryParseAnyYear(Encoding.ASCII.GetBytes(text), out _));

    [Fact]
    public void Format_RoundTripsEveryMillisecondShape()
    {
        foreach (var ms in new[] { 0L, 1L, 999L, 86_399_999L, 1_774_731_600_123L, 4_102_444_799_999L })
        {
            var text = TraceTimestamp.Format(ms);
            Assert.Equal(DateTime.UnixEpoch.AddMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture), text);
            Assert.True(TraceTimestamp.TryParse(Encoding.ASCII.GetBytes(text), out var back));
            Assert.Equal(ms, back);
        }
    }
}
