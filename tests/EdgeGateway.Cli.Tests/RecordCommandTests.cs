using System.Device.Gpio;
using System.Text;
using EdgeGateway.Cli.Record;
using EdgeGateway.Sensors.Sources;

namespace EdgeGateway.Cli.Tests;

/// <summary>
/// <c>edgegw record</c> (src/docs/cli.md): the live signals of the configured inputs, from simulated GPIO and I2C
/// chips read through the real bindings, become a trace that <c>edgegw replay</c> takes and that replays to the KPIs the
/// recording computed live.
/// </summary>
public sealed class RecordCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgegw-record-").FullName;

    [Fact]
    public async Task What_was_recorded_replays_to_the_KPIs_of_the_live_run()
    {
        var config = Config("""
            "green": { "Role": "StateRun", "Source": "gpio:17" },
            "yellow": { "Role": "StateIdle", "Source": "gpio:27" },
            "cycle": { "Role": "CyclePulse", "Source": "gpio:24" },
            "dc": { "Role": "PowerKw", "Source": "i2c:1:0x40/ina219" },
            "temp": { "Role": "Aux", "Source": "i2c:1:0x76/bme280:temperature", "SampleRateHz": 2, "WindowMs": 1000 }
            """,
            """
            "reverse": { "Role": "PowerKw", "Source": "i2c:1:0x41/ina219" }
            """);
        var trace = Path.Combine(_dir, "recorded.csv");
        var gpio = new SimulatedGpioDriver();
        var i2c = new SimulatedI2cBus();
        i2c.Add(new SimulatedIna219(1, 0x40, 0.1) { BusVolts = 24, LoadAmps = 2.5 });
        i2c.Add(new SimulatedIna219(1, 0x41, 0.1) { BusVolts = 12, LoadAmps = -1 }); // current backwards: a sensor fault
        i2c.Add(new SimulatedBme280(1, 0x76)).SetConditions(21.7, 40, 1013.2);
        using var stop = new CancellationTokenSource();

        // The machine runs, makes a part every 150 ms, idles, runs again, while the recording goes on.
        var machine = Task.Run(async () =>
        {
            gpio.Set(17, true);
            for (var part = 0; part < 8; part++)
            {
                await Task.Delay(75);
                gpio.Set(24, true);
                await Task.Delay(75);
                gpio.Set(24, false);
            }

            gpio.Set(17, false);
            gpio.Set(27, true);
            await Task.Delay(400);
            gpio.Set(27, false);
            gpio.Set(17, true);
        });
        var (exit, live, stderr) = await RunAsync(config, trace, () => new HardwareAccess(new GpioController(gpio), i2c.Open), seconds: 4);
        await machine;

        Assert.True(exit == 0, stderr);
        Assert.Matches(@"^edgegw record: \d+ events of 6 inputs in \d+\.\d s written to ", stderr.Split('\n').Last(l => l.Contains("written to", StringComparison.Ordinal)));
        Assert.Contains("backwards through the shunt", stderr, StringComparison.Ordinal);
        var lines = File.ReadAllLines(trace);
        Assert.StartsWith("# recorded by edgegw record from ", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.EndsWith(",reverse,fault", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(",temp,21.", StringComparison.Ordinal));
        Assert.Equal(8, lines.Count(l => l.EndsWith(",cycle,1", StringComparison.Ordinal)));

        using var replayed = new MemoryStream();
        var replayExit = Program.Run(["replay", "--config", config, "--trace", trace, "--format", "json"], replayed, new StringWriter());
        Assert.Equal(0, replayExit);
        Assert.Equal(Encoding.UTF8.GetString(replayed.ToArray()), live);
        Assert.Contains("\"produced\":8", live, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_hardware_it_says_what_is_missing_and_writes_nothing()
    {
        var config = Config("""
            "green": { "Role": "StateRun", "Source": "gpio:17" }
            """);
        var trace = Path.Combine(_dir, "none.csv");
        var dev = Directory.CreateDirectory(Path.Combine(_dir, "dev")).FullName;

        var (exit, live, stderr) = await RunAsync(config, trace, () => throw new HardwareMissingException($"no GPIO chip 0 ({dev}/gpiochip0 missing)"), seconds: 1);

        Assert.Equal(1, exit);
        Assert.Equal($"edgegw record: no GPIO chip 0 ({dev}/gpiochip0 missing)\n", stderr.ReplaceLineEndings("\n"));
        Assert.Equal("", live);
        Assert.False(File.Exists(trace));
        Assert.Equal([config], Directory.GetFiles(_dir));
    }

    [Theory]
    [InlineData("0", "edgegw record: --seconds must be greater than 0 and at most 604800 (7 days), found 0")]
    [InlineData("1e9", "edgegw record: --seconds must be greater than 0 and at most 604800 (7 days), found 1000000000")]
    public void Arguments_out_of_range_are_refused_in_one_line(string seconds, string message)
    {
        var config = Config("""
            "green": { "Role": "StateRun", "Source": "gpio:17" }
            """);
        var stderr = new StringWriter();
        var exit = Program.Run(["record", "--config", config, "--seconds", seconds, "--out", Path.Combine(_dir, "t.csv")], new MemoryStream(), stderr);
        Assert.Equal(2, exit);
        Assert.Equal(message + "\n", stderr.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_config_without_sources_has_nothing_to_record()
    {
        var config = Config("""
            "green": { "Role": "StateRun" }
            """);
        var stderr = new StringWriter();
        var exit = Program.Run(["record", "--config", config, "--seconds", "1", "--out", Path.Combine(_dir, "t.csv")], new MemoryStream(), stderr);
        Assert.Equal(2, exit);
        Assert.Equal($"edgegw record: {config}: no signal has a Source, nothing to record (see src/docs/sources.md)\n", stderr.ToString().ReplaceLineEndings("\n"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Exit, string Live, string Stderr)> RunAsync(string config, string trace, Func<HardwareAccess> open, double seconds)
    {
        using var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var exit = await RecordCommand.RunAsync(config, seconds, trace, json: true, _ => open(), TimeProvider.System, stdout, stderr, CancellationToken.None);
        return (exit, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    /// <summary>A config with one cell per element of <paramref name="cellSignals"/>.</summary>
    private string Config(params string[] cellSignals)
    {
        var path = Path.Combine(_dir, "edgegw.json");
        File.WriteAllText(path, BusRig.Json(cellSignals));
        return path;
    }
}
