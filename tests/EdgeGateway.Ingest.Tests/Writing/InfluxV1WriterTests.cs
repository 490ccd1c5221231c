using System.Text;
using EdgeGateway.Ingest.Hosting;
using EdgeGateway.Ingest.Points;
using EdgeGateway.Ingest.Tests.Fixtures;
using EdgeGateway.Ingest.Validation;
using EdgeGateway.Ingest.Writing;

namespace EdgeGateway.Ingest.Tests.Writing;

/// <summary>The v1 writer against a local listener standing in for InfluxDB 1.x: what it sends, and how it reads each answer.</summary>
public sealed class InfluxV1WriterTests : IDisposable
{
    private readonly FakeInflux _influx = new();

    public void Dispose() => _influx.Dispose();

    [Fact]
    public async Task Write_CreatesTheDatabaseOnce_ThenPostsLineProtocol_ToWriteWithDbRpMsPrecision_BasicAuth()
    {
        using var writer = new InfluxV1Writer(Options(username: "ingest", password: "s3cret"));
        var points = TwoPoints();

        Assert.Equal(WriteOutcome.Ok, await writer.WriteAsync(points, default));
        Assert.Equal(WriteOutcome.Ok, await writer.WriteAsync(points, default));

        var requests = _influx.Requests;
        Assert.Equal(3, requests.Count);
        var create = requests[0];
        Assert.Equal(("POST", "/query"), (create.Method, create.Path));
        Assert.Equal("q=CREATE+DATABASE+%22edgegw%22", create.Body);
        var write = requests[1];
        Assert.Equal(("POST", "/write"), (write.Method, write.Path));
        Assert.Equal(new Dictionary<string, string> { ["db"] = "edgegw", ["rp"] = "autogen", ["precision"] = "ms" }, write.Query);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ingest:s3cret")), write.Authorization);
        Assert.Equal(points[0] + "\n" + points[1], write.Body);
        Assert.StartsWith("text/plain", write.ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadLine_400_IsRejectedInvalid_WithInfluxError()
    {
        _influx.Respond = r => r.Path == "/write"
            ? new FakeResponse(400, "{\"error\":\"unable to parse 'kpi,site=x y=': missing field value\"}")
            : FakeResponse.NoContent;
        using var writer = new InfluxV1Writer(Options());

        var outcome = await writer.WriteAsync(TwoPoints(), default);

        Assert.Equal(new WriteOutcome(WriteStatus.RejectedInvalid, "unable to parse 'kpi,site=x y=': missing field value"), outcome);
    }

    [Fact]
    public async Task TooLarge_413_IsTooLarge()
    {
        _influx.Respond = r => r.Path == "/write" ? new FakeResponse(413, "{\"error\":\"Request Entity Too Large\"}") : FakeResponse.NoContent;
        using var writer = new InfluxV1Writer(Options());

        Assert.Equal(WriteStatus.TooLarge, (await writer.WriteAsync(TwoPoints(), default)).Status);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    public async Task Overloaded_WithRetryAfterSeconds_IsRetryAfter_ThatLong(int status)
    {
        _influx.Respond = r => r.Path == "/write" ? new FakeResponse(status, "", new Dictionary<string, string> { ["Retry-After"] = "7" }) : FakeResponse.NoContent;
        using var writer = new InfluxV1Writer(Options());

        var outcome = await writer.WriteAsync(TwoPoints(), default);

        Assert.Equal((WriteStatus.RetryAfter, TimeSpan.FromSeconds(7)), (outcome.Status, outcome.RetryAfter));
    }

    [Fact]
    public async Task Overloaded_WithoutRetryAfter_IsRetryAfter_WithoutADelay()
    {
        _influx.Respond = r => r.Path == "/write" ? new FakeResponse(503) : FakeResponse.NoContent;
        using var writer = new InfluxV1Writer(Options());

        var outcome = await writer.WriteAsync(TwoPoints(), default);

        Assert.Equal((WriteStatus.RetryAfter, (TimeSpan?)null), (outcome.Status, outcome.RetryAfter));
    }

    [Fact]
    public void RetryAfter_AsAnHttpDate_IsTheTimeUntilThen()
    {
        var now = new DateTimeOffset(2026, 3, 30, 6, 0, 0, TimeSpan.Zero);
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(now.AddSeconds(90));

        Assert.Equal(TimeSpan.FromSeconds(90), InfluxV1Writer.RetryAfterOf(response, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now)));
    }

    [Fact]
    public async Task Unauthorized_IsFailed_NamingTheKeys()
    {
        _influx.Respond = r => r.Path == "/write" ? new FakeResponse(401, "{\"error\":\"authorization failed\"}") : FakeResponse.NoContent;
        using var writer = new InfluxV1Writer(Options());

        var outcome = await writer.WriteAsync(TwoPoints(), default);

        Assert.Equal(new WriteOutcome(WriteStatus.Failed, "write refused (401): authorization failed (check Ingest:Influx:Username and Password)"), outcome);
    }

    [Fact]
    public async Task DatabaseDropped_404_IsFailed_AndTheNextWriteCreatesItAgain()
    {
        var dropped = true;
        _influx.Respond = r => r.Path == "/write" && dropped ? new FakeResponse(404, "{\"error\":\"database not found: \\\"edgegw\\\"\"}") : FakeResponse.NoContent;
        using var writer = new InfluxV1Writer(Options());

        var first = await writer.WriteAsync(TwoPoints(), default);
        dropped = false;
        var second = await writer.WriteAsync(TwoPoints(), default);

        Assert.Equal(new WriteOutcome(WriteStatus.Failed, "write failed (404): database not found: \"edgegw\""), first);
        Assert.Equal(WriteOutcome.Ok, second);
        Assert.Equal(["/query", "/write", "/query", "/write"], _influx.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task Unreachable_IsFailed_NotAnException()
    {
        var options = Options();
        options.Url = $"http://127.0.0.1:{Loopback.FreePort()}";
        using var writer = new InfluxV1Writer(options);

        var outcome = await writer.WriteAsync(TwoPoints(), default);

        Assert.Equal(WriteStatus.Failed, outcome.Status);
        Assert.StartsWith($"CREATE DATABASE to {options.Url} failed: ", outcome.Reason, StringComparison.Ordinal);
    }

    private InfluxOptions Options(string? username = null, string? password = null) =>
        new() { Version = InfluxApiVersion.V1, Url = _influx.Url, Database = "edgegw", RetentionPolicy = "autogen", Username = username, Password = password, Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>The line protocol of two points (a KPI record and a state change), as the pipeline hands it to a writer.</summary>
    internal static string[] TwoPoints()
    {
        // Arriving after the records' times (2026-03-30T19:46:40Z): records from the future are dead-lettered.
        const long arrivalMs = 1_774_900_000_000;
        var validator = new MessageValidator(Payloads.Prefix, Payloads.MaxBytes);
        return
        [
            PointBuilder.Line(validator.Validate(Payloads.KpiTopic, Payloads.Bytes(Payloads.Kpi), Payloads.Kpi.Length, arrivalMs).Record!),
            PointBuilder.Line(validator.Validate(Payloads.StateTopic, Payloads.Bytes(Payloads.State), Payloads.State.Length, arrivalMs).Record!),
        ];
    }
}
