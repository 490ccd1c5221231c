using EdgeGateway.Ingest.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace EdgeGateway.Ingest.Tests.Hosting;

/// <summary>
/// <c>Ingest:MaxFutureSkew</c> and <c>Ingest:EarliestTime</c> are checked before anything runs, like every ingest key:
/// one line per problem, naming the key, exit code 2.
/// </summary>
public sealed class PlausibleTimeOptionsTests : IDisposable
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 30, 19, 46, 40, TimeSpan.Zero);

    private readonly string _dir = Directory.CreateTempSubdirectory("edgegw-ingest-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Defaults_AreFiveMinutes_And2020()
    {
        var options = new IngestOptions();

        Assert.Equal((TimeSpan.FromMinutes(5), new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)), (options.MaxFutureSkew, options.EarliestTime));
        Assert.True(Validate(options).Succeeded);
    }

    [Theory]
    [InlineData("00:00:00", "1970-01-01T00:00:00Z")]
    [InlineData("00:30:00", "2026-03-30T19:46:40Z")]
    public void Limits_AtTheEndsOfTheirRanges_AreAccepted(string skew, string earliest) =>
        Assert.True(Validate(new IngestOptions { MaxFutureSkew = TimeSpan.Parse(skew, System.Globalization.CultureInfo.InvariantCulture), EarliestTime = DateTimeOffset.Parse(earliest, System.Globalization.CultureInfo.InvariantCulture) }).Succeeded);

    [Theory]
    [InlineData("00:30:00.001", "1970-01-01T00:00:00Z", "Ingest:MaxFutureSkew must be between 00:00:00 and 00:30:00")]
    [InlineData("-00:00:01", "2020-01-01T00:00:00Z", "Ingest:MaxFutureSkew must be between 00:00:00 and 00:30:00")]
    [InlineData("00:05:00", "1969-12-31T23:59:59Z", "Ingest:EarliestTime must be between 1970-01-01T00:00:00.000Z and now (2026-03-30T19:46:40.000Z)")]
    [InlineData("00:05:00", "2026-03-30T19:46:40.001Z", "Ingest:EarliestTime must be between 1970-01-01T00:00:00.000Z and now (2026-03-30T19:46:40.000Z)")]
    public void Limits_OutOfTheirRanges_FailNamingTheKey(string skew, string earliest, string failure)
    {
        var result = Validate(new IngestOptions { MaxFutureSkew = TimeSpan.Parse(skew, System.Globalization.CultureInfo.InvariantCulture), EarliestTime = DateTimeOffset.Parse(earliest, System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(new[] { failure }, result.Failures);
    }

    [Fact]
    public async Task TheShippedIngest_RefusesLimitsOutOfRange_OneLineEach_Exit2()
    {
        var path = Path.Combine(_dir, "ingest.json");
        File.WriteAllText(path, """{ "Ingest": { "MaxFutureSkew": "01:00:00" } }""");

        var (exit, _, stderr) = await ServiceProcess.RunToExitAsync("edgegw-ingest", ["--config", path, "--Ingest:EarliestTime=2999-01-01T00:00:00Z"], TimeSpan.FromSeconds(30));

        Assert.Equal(2, exit);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal($"edgegw-ingest: {path}:1: Ingest.MaxFutureSkew: must be between 00:00:00 and 00:30:00", lines[0]);
        Assert.StartsWith($"edgegw-ingest: {path}:1: Ingest.EarliestTime: must be between 1970-01-01T00:00:00.000Z and now (", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheShippedIngest_EarliestTimeNotATime_OneLineNamingTheKey_Exit2()
    {
        var path = Path.Combine(_dir, "ingest.json");
        File.WriteAllText(path, """{ "Ingest": { } }""");

        var (exit, _, stderr) = await ServiceProcess.RunToExitAsync("edgegw-ingest", ["--config", path, "--Ingest:EarliestTime=yesterday"], TimeSpan.FromSeconds(30));

        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith($"edgegw-ingest: {path}:1: Ingest.EarliestTime: ", line, StringComparison.Ordinal);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(IngestOptions options) =>
        new IngestOptionsValidator(new FakeTimeProvider(s_now)).Validate(null, options);
}
