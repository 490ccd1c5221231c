using EdgeGateway.Ingest.Hosting;
using EdgeGateway.Ingest.Writing;

namespace EdgeGateway.Ingest.Tests.Writing;

/// <summary>
/// The v2 path (InfluxDB.Client) cannot meet a real InfluxDB 2 here (Debian packages only 1.x): this contract test
/// checks what it sends to a local listener standing in for InfluxDB 2 — path, org, bucket, precision, token, and a
/// body identical to the v1 writer's — and how it reads the answers.
/// </summary>
public sealed class InfluxV2ContractTests : IDisposable
{
    private readonly FakeInflux _influx = new();

    public void Dispose() => _influx.Dispose();

    [Fact]
    public async Task Write_PostsToApiV2Write_WithOrgBucketMsPrecision_Token_AndTheV1WritersBody()
    {
        var points = InfluxV1WriterTests.TwoPoints();
        using (var v1 = new InfluxV1Writer(new InfluxOptions { Url = _influx.Url, Database = "edgegw", CreateDatabase = false }))
        {
            Assert.Equal(WriteOutcome.Ok, await v1.WriteAsync(points, default));
        }

        using var v2 = new InfluxV2Writer(Options());
        var outcome = await v2.WriteAsync(points, default);

        Assert.Equal(WriteOutcome.Ok, outcome);
        var writes = _influx.Writes;
        Assert.Equal(2, writes.Count);
        var (v1Request, v2Request) = (writes[0], writes[1]);
        Assert.Equal(("POST", "/api/v2/write"), (v2Request.Method, v2Request.Path));
        Assert.Equal(new Dictionary<string, string> { ["org"] = "programme", ["bucket"] = "edgegw", ["precision"] = "ms" }, v2Request.Query);
        Assert.Equal("Token t0k3n", v2Request.Authorization);
        Assert.StartsWith("text/plain", v2Request.ContentType, StringComparison.Ordinal);
        Assert.Equal(v1Request.Body, v2Request.Body);
    }

    [Theory]
    [InlineData(400, "{\"code\":\"invalid\",\"message\":\"unable to parse 'x': missing fields\"}", WriteStatus.RejectedInvalid)]
    [InlineData(413, "{\"code\":\"request too large\",\"message\":\"too large\"}", WriteStatus.TooLarge)]
    [InlineData(500, "{\"code\":\"internal error\",\"message\":\"boom\"}", WriteStatus.Failed)]
    [InlineData(401, "{\"code\":\"unauthorized\",\"message\":\"unauthorized access\"}", WriteStatus.Failed)]
    [InlineData(404, "404 page not found", WriteStatus.Failed)]
    public async Task ErrorAnswers_AreTypedOutcomes_NotExceptions(int status, string body, WriteStatus expected)
    {
        _influx.Respond = _ => new FakeResponse(status, body);
        using var v2 = new InfluxV2Writer(Options());

        var outcome = await v2.WriteAsync(InfluxV1WriterTests.TwoPoints(), default);

        Assert.Equal(expected, outcome.Status);
        Assert.False(string.IsNullOrEmpty(outcome.Reason));
    }

    [Fact]
    public async Task BadRequest_ReasonIsTheServersMessage()
    {
        _influx.Respond = _ => new FakeResponse(400, "{\"code\":\"invalid\",\"message\":\"unable to parse 'x': missing fields\"}");
        using var v2 = new InfluxV2Writer(Options());

        var outcome = await v2.WriteAsync(InfluxV1WriterTests.TwoPoints(), default);

        Assert.Contains("unable to parse 'x': missing fields", outcome.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task Overloaded_WithRetryAfter_IsRetryAfter_ThatLong(int status)
    {
        _influx.Respond = _ => new FakeResponse(status, "{\"code\":\"too many requests\",\"message\":\"slow down\"}", new Dictionary<string, string> { ["Retry-After"] = "12" });
        using var v2 = new InfluxV2Writer(Options());

        var outcome = await v2.WriteAsync(InfluxV1WriterTests.TwoPoints(), default);

        Assert.Equal((WriteStatus.RetryAfter, TimeSpan.FromSeconds(12)), (outcome.Status, outcome.RetryAfter));
    }

    [Fact]
    public async Task Unreachable_IsFailed_NotAnException()
    {
        var options = Options();
        options.Url = $"http://127.0.0.1:{Loopback.FreePort()}";
        using var v2 = new InfluxV2Writer(options);

        Assert.Equal(WriteStatus.Failed, (await v2.WriteAsync(InfluxV1WriterTests.TwoPoints(), default)).Status);
    }

    private InfluxOptions Options() =>
        new() { Version = InfluxApiVersion.V2, Url = _influx.Url, Org = "programme", Bucket = "edgegw", Token = "t0k3n", Timeout = TimeSpan.FromSeconds(5) };
}
