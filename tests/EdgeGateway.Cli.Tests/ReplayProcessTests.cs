using System.Globalization;
using System.Text.Json;
using EdgeGateway.Tests.Shared;

namespace EdgeGateway.Cli.Tests;

/// <summary>Runs the built <c>edgegw</c> as a child process with the contract's command line, as an outside checker would.</summary>
public sealed class ReplayProcessTests : IDisposable
{
    private static readonly string[] s_buckets = ["run", "setup", "down", "idle", "planned_stop", "unplanned_time", "unknown"];
    private static readonly string[] s_counts = ["produced", "good", "scrap", "unattended_good", "failures"];
    private static readonly string[] s_kpis =
    [
        "availability", "effectiveness", "quality", "oee", "nee", "technical_efficiency", "setup_rate", "teep", "scrap_ratio",
        "mtbf_s", "mttr_s", "throughput_per_h",
    ];

    private static readonly string[] s_energy = ["kwh", "kwh_per_good_part", "idle_energy_share"];
    private static readonly string[] s_minorStops = ["count", "seconds", "threshold_s"];

    private readonly string _dir = Directory.CreateTempSubdirectory("edgegw-cli-process-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("total")]
    [InlineData("day")]
    [InlineData("shift")]
    [InlineData("1m")]
    public async Task Replay_SampleFiles_PrintsOneJsonArrayOfSchemaV1Records(string window)
    {
        var sample = Path.Combine(EdgeGateway.Tests.Shared.RepoPaths.Root, "deploy", "sample");

        var result = await Edgegw(
            "replay", "--config", Path.Combine(sample, "edgegw.json"), "--trace", Path.Combine(sample, "sample-trace.csv"),
            "--window", window, "--format", "json");

        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}; stderr: {result.Stderr}");
        Assert.Equal("", result.Stderr);
        using var document = JsonDocument.Parse(result.Stdout);
        Assert.Equal(JsonValueKind.Array, document.RootElement.ValueKind);
        Assert.NotEqual(0, document.RootElement.GetArrayLength());
        var previousEnd = DateTime.MinValue;
        foreach (var record in document.RootElement.EnumerateArray())
        {
            Assert.Equal(1, record.GetProperty("v").GetInt32());
            Assert.Equal("sme-0042", record.GetProperty("site").GetString());
            Assert.Equal("cell-1", record.GetProperty("cell").GetString());

            var windowElement = record.GetProperty("window");
            Assert.Equal(window, windowElement.GetProperty("kind").GetString());
            var start = ParseTimestamp(windowElement.GetProperty("start"));
            var end = ParseTimestamp(windowElement.GetProperty("end"));
            Assert.True(start < end, $"window {start:O} - {end:O} is empty");
            Assert.True(start >= previousEnd, $"window starting {start:O} overlaps the one before, which ended {previousEnd:O}");
            previousEnd = end;

            var buckets = record.GetProperty("buckets");
            var bucketSeconds = 0.0;
            foreach (var bucket in s_buckets)
            {
                var seconds = Number(buckets, bucket);
                Assert.True(seconds >= 0, $"bucket {bucket} is {seconds}");
                bucketSeconds += seconds;
            }

            // The buckets split the window: together they are exactly as long.
            Assert.Equal((end - start).TotalSeconds, bucketSeconds, 3);

            foreach (var count in s_counts)
            {
                Assert.True(Number(record.GetProperty("counts"), count) >= 0, $"counts.{count} is negative");
            }

            foreach (var kpi in s_kpis)
            {
                NumberOrNull(record.GetProperty("kpi"), kpi);
            }

            Assert.True(Number(record.GetProperty("energy"), "kwh") >= 0, "energy.kwh is negative");
            foreach (var energy in s_energy[1..])
            {
                NumberOrNull(record.GetProperty("energy"), energy);
            }

            var minorStops = record.GetProperty("minor_stops");
            foreach (var field in s_minorStops)
            {
                Number(minorStops, field);
            }

            Assert.Equal("Iso22400", minorStops.GetProperty("policy").GetString());
            if (NumberOrNull(record.GetProperty("data_quality"), "coverage") is { } coverage)
            {
                Assert.InRange(coverage, 0, 1);
            }

            Assert.False(string.IsNullOrEmpty(record.GetProperty("definitions").GetString()), "definitions is empty");
        }
    }

    [Fact]
    public async Task Replay_TraceGoingBackwardsLate_ExitsTwoWithOneStderrLineAndNoStdout()
    {
        var root = EdgeGateway.Tests.Shared.RepoPaths.Root;
        var sampleTrace = await File.ReadAllLinesAsync(Path.Combine(root, "deploy", "sample", "sample-trace.csv"));
        var lines = sampleTrace[..^1].ToList();
        var badLine = lines.Count + 1;
        lines.Add("2026-03-22T23:00:00.000Z,power,0.3");
        var trace = Path.Combine(_dir, "backwards.csv");
        await File.WriteAllLinesAsync(trace, lines);

        var result = await Edgegw(
            "replay", "--config", Path.Combine(root, "deploy", "sample", "edgegw.json"), "--trace", trace, "--window", "1m", "--format", "json");

        Assert.True(result.ExitCode == 2, $"exit code {result.ExitCode}; stderr: {result.Stderr}");
        Assert.Equal("", result.Stdout);
        var stderr = result.Stderr.TrimEnd('\n');
        Assert.DoesNotContain("\n", stderr, StringComparison.Ordinal);
        Assert.Contains($"{trace}:{badLine.ToString(CultureInfo.InvariantCulture)}:", stderr, StringComparison.Ordinal);
        Assert.Contains("backwards", stderr, StringComparison.Ordinal);
    }

    private static DateTime ParseTimestamp(JsonElement element)
    {
        var text = element.GetString();
        Assert.True(
            DateTime.TryParseExact(text, "yyyy-MM-ddTHH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time),
            $"'{text}' is not an ISO-8601 UTC timestamp with milliseconds");
        return time;
    }

    private static double Number(JsonElement parent, string name)
    {
        Assert.True(parent.TryGetProperty(name, out var value), $"missing {name}");
        Assert.True(value.ValueKind == JsonValueKind.Number, $"{name} is {value.ValueKind}, expected a number");
        return value.GetDouble();
    }

    private static double? NumberOrNull(JsonElement parent, string name)
    {
        Assert.True(parent.TryGetProperty(name, out var value), $"missing {name}");
        Assert.True(value.ValueKind is JsonValueKind.Number or JsonValueKind.Null, $"{name} is {value.ValueKind}, expected a number or null");
        return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
    }

    private static async Task<ProcessResult> Edgegw(params string[] args)
    {
        var (exit, stdout, stderr) = await ServiceProcess.RunToExitAsync("edgegw", args, TimeSpan.FromMinutes(2));
        return new ProcessResult(exit, stdout, stderr);
    }

    private readonly record struct ProcessResult(int ExitCode, string Stdout, string Stderr);
}
