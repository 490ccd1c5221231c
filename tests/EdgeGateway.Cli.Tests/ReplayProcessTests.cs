using System.Globalization;
using System.Text.Json;

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
        var sample = Path.Combine(RepoPaths.Root, "deploy", "sample");

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
        var root = RepoPaths.Root;
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

    /// <summary>
    /// The bad inputs of issue 11, byte for byte, through the built program: each was a crash with a stack trace and exit
    /// code 1 (or a misleading line); now one stderr line naming the file, the line and the problem, exit code 2, nothing
    /// on stdout. <c>{line}</c> is the line the error must name.
    /// </summary>
    [Theory]
    [InlineData("IdealCycleSeconds 1e308", "config", "\"IdealCycleSeconds\": 30.0,", "\"IdealCycleSeconds\": 1e308,", 8, "IdealCycleSeconds: 1e308 is out of range")]
    [InlineData("MinorStopSeconds 9.3e15", "config", "\"MinorStopSeconds\": 120,", "\"MinorStopSeconds\": 9.3e15,", 9, "MinorStopSeconds: 9.3e15 is out of range")]
    [InlineData("power 1e308, then another sample", "trace", "2026-03-22T23:00:30.000Z,power,0.31", "2026-03-22T23:00:30.000Z,power,1e308", 0, "bad value '1e308' for signal 'power' (PowerKw): above 1000000 kW")]
    [InlineData("NUL after a value", "trace", "2026-03-22T23:00:30.000Z,power,0.31", "2026-03-22T23:00:30.000Z,power,0.31\0", 0, "bad value '0.31\\u0000'")]
    [InlineData("line of 65 537 bytes", "trace", "2026-03-22T23:00:30.000Z,power,0.31", "LONG", 0, "line longer than 65536 bytes")]
    public async Task Replay_IssueInputs_OneLineExitTwoNoStackNoOutput(string @case, string file, string find, string replace, int line, string expected)
    {
        var sample = Path.Combine(RepoPaths.Root, "deploy", "sample");
        var config = Path.Combine(sample, "edgegw.json");
        var trace = Path.Combine(sample, "sample-trace.csv");
        if (replace == "LONG")
        {
            replace = "#" + new string('x', 65_536);
        }

        var original = await File.ReadAllTextAsync(file == "config" ? config : trace);
        Assert.True(original.Contains(find, StringComparison.Ordinal), $"{@case}: test setup: '{find}' not in the sample {file}");
        var changed = Path.Combine(_dir, file == "config" ? "edgegw.json" : "trace.csv");
        await File.WriteAllTextAsync(changed, original.Replace(find, replace, StringComparison.Ordinal));
        if (line == 0)
        {
            line = original[..original.IndexOf(find, StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        }

        var result = await Edgegw("replay", "--config", file == "config" ? changed : config, "--trace", file == "trace" ? changed : trace, "--window", "1m", "--format", "json");

        Assert.True(result.ExitCode == 2, $"{@case}: exit code {result.ExitCode}; stderr: {result.Stderr}");
        Assert.Equal("", result.Stdout);
        var stderr = result.Stderr.TrimEnd('\n');
        Assert.DoesNotContain("\n", stderr, StringComparison.Ordinal);
        Assert.StartsWith($"edgegw replay: {changed}:{line.ToString(CultureInfo.InvariantCulture)}: ", stderr, StringComparison.Ordinal);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_ConfigIsADirectory_SaysSo()
    {
        // Was "Access to the path '/tmp' is denied".
        var result = await Edgegw("replay", "--config", _dir, "--trace", Path.Combine(RepoPaths.Root, "deploy", "sample", "sample-trace.csv"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"edgegw replay: {_dir}: cannot read the config: it is a directory, not a file\n", result.Stderr.ReplaceLineEndings("\n"));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Replay_UnreadableConfig_SaysPermissionDenied()
    {
        // Root reads every file, and these tests run as root in CI: the built edgegw then runs as 'nobody'.
        var sample = Path.Combine(RepoPaths.Root, "deploy", "sample");
        var config = Path.Combine(_dir, "secret.json");
        File.Copy(Path.Combine(sample, "edgegw.json"), config);
        File.SetUnixFileMode(config, Environment.UserName == "root" ? UnixFileMode.UserRead | UnixFileMode.UserWrite : UnixFileMode.None);
        File.SetUnixFileMode(_dir, (UnixFileMode)0b111_101_101);
        string[] replay = [Path.Combine(AppContext.BaseDirectory, "edgegw"), "replay", "--config", config, "--trace", Path.Combine(sample, "sample-trace.csv")];
        var start = new System.Diagnostics.ProcessStartInfo(Environment.UserName == "root" ? "runuser" : replay[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in Environment.UserName == "root" ? ["-u", "nobody", "--", .. replay] : replay[1..])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal($"edgegw replay: {config}: cannot read the config: permission denied\n", await stderr);
        Assert.Equal(2, process.ExitCode);
        Assert.Equal("", await stdout);
    }

    [Fact]
    public async Task Replay_ConfigWithByteOrderMark_AndTheAgentsSections_IsAccepted()
    {
        // Was "invalid JSON: '0xEF' is an invalid start of a value"; /etc/edgegw/edgegw.json also holds Agent and Logging.
        var sample = Path.Combine(RepoPaths.Root, "deploy", "sample");
        var text = (await File.ReadAllTextAsync(Path.Combine(sample, "edgegw.json"))).Replace(
            "{\n  \"EdgeGateway\"", "{\n  \"Agent\": { \"Source\": \"Trace\" }, \"Logging\": {},\n  \"EdgeGateway\"", StringComparison.Ordinal);
        Assert.Contains("\"Agent\"", text, StringComparison.Ordinal);
        var config = Path.Combine(_dir, "edgegw.json");
        await File.WriteAllTextAsync(config, text, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var result = await Edgegw("replay", "--config", config, "--trace", Path.Combine(sample, "sample-trace.csv"), "--format", "json");

        Assert.True(result.ExitCode == 0, $"exit code {result.ExitCode}; stderr: {result.Stderr}");
        Assert.Equal("", result.Stderr);
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
