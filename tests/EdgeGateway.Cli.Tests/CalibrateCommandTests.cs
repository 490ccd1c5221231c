using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EdgeGateway.Cli.Tests;

/// <summary><c>edgegw calibrate</c> on recorded power: suggestions that parse as config and separate the levels.</summary>
public sealed class CalibrateCommandTests : IDisposable
{
    private const string Config = """
        { "EdgeGateway": { "Site": "sme-0042", "TimeZone": "Etc/UTC",
          "Cells": [ { "Id": "lathe", "IdealCycleSeconds": 30,
            "Signals": { "power": { "Role": "PowerKw", "Source": "i2c:1:0x48/ads1115:a0" } },
            "Shifts": [ { "Days": "Mon-Fri", "Start": "06:00", "End": "14:00" } ] } ] } }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("edgegw-calibrate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void IdleAndRunningRecording_SuggestsStateFromPower_AsPasteableConfig()
    {
        var (stdout, stderr, exit) = Calibrate(Trace(seed: 1, levels: [1.2, 6.0], sigma: 0.25));

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        var snippet = stdout.Split('\n').Single(line => line.StartsWith("\"StateFromPower\"", StringComparison.Ordinal)).TrimEnd(',');
        using var json = JsonDocument.Parse("{" + snippet + "}");
        var state = json.RootElement.GetProperty("StateFromPower");
        Assert.Equal("power", state.GetProperty("Signal").GetString());
        Assert.InRange(state.GetProperty("RunAboveKw").GetDouble(), 3.0, 4.2);
        Assert.InRange(state.GetProperty("OffBelowKw").GetDouble(), 0.0, 1.0);
        Assert.Contains("idle", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordingWithOneLevel_SaysSoInOneLine_Exit1()
    {
        var (stdout, stderr, exit) = Calibrate(Trace(seed: 2, levels: [3.0, 3.0], sigma: 0.1));

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("no two distinct power levels", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ImplausiblePowerSample_IsABadValueNamingTheLine_Exit2()
    {
        // power,1e308 followed by another sample crashed replay with exit code 1; calibrate reads the same traces.
        var lines = File.ReadAllLines(Trace(seed: 4, levels: [1.2, 6.0], sigma: 0.25)).ToList();
        var bad = lines.Count + 1;
        lines.Add("2030-01-01T00:00:00.000Z,power,1e308");
        lines.Add("2030-01-01T00:00:01.000Z,power,1.5");
        var trace = Path.Combine(_dir, "implausible.csv");
        File.WriteAllLines(trace, lines);

        var (stdout, stderr, exit) = Calibrate(trace);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"edgegw calibrate: {trace}:{bad.ToString(CultureInfo.InvariantCulture)}: bad value '1e308' for signal 'power' (PowerKw): above 1000000 kW, not a machine's power (a unit or sensor error)\n", stderr.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void UnknownCell_IsAnInputError_Exit2()
    {
        var config = Path.Combine(_dir, "edgegw.json");
        File.WriteAllText(config, Config);
        var trace = Trace(seed: 3, levels: [1.2, 6.0], sigma: 0.25);
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();

        var exit = Program.Run(["calibrate", "--config", config, "--trace", trace, "--cell", "press"], stdout, stderr);

        Assert.Equal(2, exit);
        Assert.Contains("no cell 'press'", stderr.ToString(), StringComparison.Ordinal);
    }

    private (string Stdout, string Stderr, int Exit) Calibrate(string trace)
    {
        var config = Path.Combine(_dir, "edgegw.json");
        File.WriteAllText(config, Config);
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var exit = Program.Run(["calibrate", "--config", config, "--trace", trace], stdout, stderr);
        return (Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString(), exit);
    }

    /// <summary>Four hours at 1 Hz alternating between two power levels every 5–20 min, with Gaussian noise.</summary>
    private string Trace(int seed, double[] levels, double sigma)
    {
        var random = new Random(seed);
        var text = new StringBuilder("timestamp,signal,value\n");
        var at = new DateTime(2026, 3, 30, 6, 0, 0, DateTimeKind.Utc);
        var level = 0;
        for (var second = 0; second < 4 * 3600;)
        {
            var stretch = random.Next(300, 1200);
            for (var k = 0; k < stretch; k++, second++, at = at.AddSeconds(1))
            {
                var noise = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                text.Append(CultureInfo.InvariantCulture, $"{at:yyyy-MM-dd'T'HH:mm:ss.fff'Z'},power,{Math.Max(0, levels[level] + (sigma * noise)):0.###}\n");
            }

            level = 1 - level;
        }

        var path = Path.Combine(_dir, $"trace-{seed}.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
