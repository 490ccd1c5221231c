using System.Text;
using System.Text.Json;

namespace EdgeGateway.Cli.Tests;

/// <summary>
/// <c>edgegw config validate</c>: the agent's own start-time check. A valid file is one summary line and exit code 0;
/// a broken one is every problem as <c>FILE:LINE: KEY.PATH: what is wrong</c> and exit code 2, the very lines the agent
/// prints when it refuses the file (compared with the real <c>edgegw-agent</c> process).
/// </summary>
public sealed class ConfigValidateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgegw-config-validate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ValidFile_IsOneSummaryLine_Exit0()
    {
        var path = Write("valid.json", AgentFile());

        var (exit, stdout, stderr) = Validate(path);

        Assert.Equal(0, exit);
        Assert.Equal("valid: site sme-0117, gateway gw-1, 1 cell, 3 signals, source Sensors (2 hardware inputs)\n", stdout);
        Assert.Empty(stderr);
    }

    [Fact]
    public void A_missing_outbox_folder_is_checked_through_its_parent_and_not_created()
    {
        // Made by a check run as root, the folder would keep the agent's own user from writing its outbox.
        var path = Write("valid.json", AgentFile());

        var (exit, _, _) = Validate(path);

        Assert.Equal(0, exit);
        Assert.False(Directory.Exists(Path.Combine(_dir, "outbox")), "config validate created the outbox folder");
    }

    [Fact]
    public void ValidFile_AsJson_HasTheSummaryFields()
    {
        var path = Write("valid.json", AgentFile(source: "Simulator"));

        var (exit, stdout, _) = Validate(path, "--json");

        Assert.Equal(0, exit);
        Assert.Equal("""{"valid":true,"site":"sme-0117","gateway":"gw-1","cells":1,"signals":3,"source":"Simulator","hardware_inputs":2}""" + "\n", stdout);
    }

    [Fact]
    public void ProblemsInEverySection_AreAllListed_ByLine_Exit2()
    {
        // One mistake per section: a pin, an I2C address, a Simulation key and value, the broker port, a missing CA
        // file, an unknown Agent key.
        var path = Write("broken.json", AgentFile(
            green: "gpio:99",
            power: "i2c:1:0x12/ads1115:a0-a1",
            simulation: "\"CycleCv\": 3, \"Colour\": \"red\"",
            mqtt: $"\"Port\": 70000, \"Tls\": true, \"CaFile\": \"{_dir}/missing-ca.pem\"",
            agentExtra: "\"Colour\": \"blue\","));

        var (exit, stdout, _) = Validate(path);

        Assert.Equal(2, exit);
        Assert.Equal(
            [
                $"{path}:10: EdgeGateway.Cells[0].Signals.green: Source 'gpio:99': expected gpio:LINE with a BCM line 0-27 of the 40-pin header, e.g. gpio:17",
                $"{path}:11: EdgeGateway.Cells[0].Signals.power: Source 'i2c:1:0x12/ads1115:a0-a1': an ADS1115 answers at 0x48-0x4B (ADDR pin to GND, VDD, SDA, SCL), not 0x12",
                $"{path}:15: EdgeGateway.Cells[0].Simulation.CycleCv: 3 is out of range: must be at least 0 and at most 1",
                $"{path}:15: EdgeGateway.Cells[0].Simulation.Colour: unknown key",
                $"{path}:19: Agent.Colour: unknown key",
                $"{path}:25: Agent.Mqtt.Port: must be between 1 and 65535",
                $"{path}:25: Agent.Mqtt.CaFile: file '{_dir}/missing-ca.pem' does not exist",
            ],
            Lines(stdout));
    }

    [Fact]
    public void Problems_AsJson_CarryFileLinePathAndMessage()
    {
        var path = Write("broken.json", AgentFile(mqtt: "\"Port\": 0"));

        var (exit, stdout, _) = Validate(path, "--json");

        Assert.Equal(2, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
        var problem = Assert.Single(json.RootElement.GetProperty("problems").EnumerateArray().ToList());
        Assert.Equal(path, problem.GetProperty("file").GetString());
        Assert.Equal(25, problem.GetProperty("line").GetInt32());
        Assert.Equal("Agent.Mqtt.Port", problem.GetProperty("path").GetString());
        Assert.Equal("must be between 1 and 65535", problem.GetProperty("message").GetString());
    }

    [Fact]
    public void UnreadableFile_IsAProblemOfTheFile_Exit2()
    {
        var path = Path.Combine(_dir, "nope.json");

        var (exit, stdout, _) = Validate(path);

        Assert.Equal(2, exit);
        Assert.Equal([$"{path}: cannot read the config: the file does not exist"], Lines(stdout));
    }

    /// <summary>Configs with one mistake each (and valid ones), by what they break.</summary>
    public static TheoryData<string> Cases() =>
    [
        "valid: sensors", "valid: simulator", "valid: without logging", "pin", "pin twice", "address", "source kind", "source option",
        "broker port", "broker host", "tls ca missing", "tls without tls", "outbox is a file", "simulation value",
        "simulation key", "agent key", "agent value", "unknown section", "time zone", "trace missing", "json",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ValidateAndTheAgent_AgreeOnEveryConfig(string name)
    {
        var path = Write(name.Replace(' ', '-').Replace(':', '-') + ".json", Case(name));

        var (exit, stdout, _) = Validate(path);
        var (agentAccepts, agentLines) = await RunAgent(path);

        Assert.Equal(name.StartsWith("valid", StringComparison.Ordinal), exit == 0);
        Assert.Equal(exit == 0, agentAccepts);
        Assert.Equal(exit == 0 ? [] : Lines(stdout), agentLines);
        Assert.NotEqual(exit == 0, Lines(stdout)[0].StartsWith(path, StringComparison.Ordinal));
    }

    /// <summary>
    /// Each command that reads a config (hardware/README.md: <c>edgegw sensors scan --config /etc/edgegw/edgegw.json</c>)
    /// takes the agent's whole file: the sample config with the agent's and Logging sections.
    /// </summary>
    [Theory]
    [InlineData(0, "replay", "--trace", "{trace}")]
    [InlineData(0, "calibrate", "--trace", "{trace}")]
    [InlineData(0, "simulate", "--from", "2026-03-02", "--to", "2026-03-02T01:00:00Z", "--seed", "1", "--trace", "{out}.trace.csv", "--truth", "{out}.truth.csv")]
    [InlineData(0, "sensors scan")]
    public void EveryCommandWithConfig_TakesTheWholeFileTheAgentRunsWith(int expectedExit, string command, params string[] rest)
    {
        var sample = File.ReadAllText(RepoPaths.Sample("edgegw.json")).TrimEnd();
        var path = Write("edgegw.json", sample[..sample.LastIndexOf('}')] + """
            , "Agent": { "GatewayId": "gw-1", "Source": "Simulator", "Mqtt": { "Host": "broker.local" } },
              "Logging": { "LogLevel": { "Default": "Warning" } }
            }
            """);
        string[] args = [.. command.Split(' '), "--config", path, .. rest.Select(r => r.Replace("{trace}", RepoPaths.Sample("sample-trace.csv"), StringComparison.Ordinal).Replace("{out}", Path.Combine(_dir, "out"), StringComparison.Ordinal))];
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();

        var exit = Program.Run(args, stdout, stderr);

        Assert.True(exit == expectedExit, $"exit {exit}: {stderr}");
        Assert.DoesNotContain(path, stderr.ToString(), StringComparison.Ordinal);
    }

    private string Case(string name) => name switch
    {
        "valid: sensors" => AgentFile(),
        "valid: simulator" => AgentFile(source: "Simulator", simulation: "\"CycleCv\": 0.1"),
        "valid: without logging" => AgentFile(source: "Simulator", sections: ""),
        "pin" => AgentFile(green: "gpio:40"),
        "pin twice" => AgentFile(cycle: "gpio:17"),
        "address" => AgentFile(power: "i2c:1:0x99/ads1115:a0-a1"),
        "source kind" => AgentFile(power: "spi:0"),
        "source option" => AgentFile(greenOptions: ", \"CtRatio\": 2000"),
        "broker port" => AgentFile(mqtt: "\"Port\": 70000"),
        "broker host" => AgentFile(mqtt: "\"Host\": \"\""),
        "tls ca missing" => AgentFile(mqtt: $"\"Tls\": true, \"CaFile\": \"{_dir}/nope.pem\""),
        "tls without tls" => AgentFile(mqtt: $"\"CaFile\": \"{RepoPaths.Sample("edgegw.json")}\""),
        "outbox is a file" => AgentFile(outbox: RepoPaths.Sample("edgegw.json")),
        "simulation value" => AgentFile(simulation: "\"MtbfHours\": -1"),
        "simulation key" => AgentFile(simulation: "\"Mtbf\": 5"),
        "agent key" => AgentFile(agentExtra: "\"Sauce\": \"Sensors\","),
        "agent value" => AgentFile(agentExtra: "\"EventQueueCapacity\": 1,"),
        "unknown section" => AgentFile(sections: "\"Ingest\": { }, \"Logging\": { }"),
        "time zone" => AgentFile().Replace("Europe/Amsterdam", "Europe/Atlantis", StringComparison.Ordinal),
        "trace missing" => AgentFile(source: "Trace"),
        "json" => AgentFile().Replace("\"Shifts\"", "\"Shifts\" [", StringComparison.Ordinal),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such case"),
    };

    /// <summary>
    /// The file the agent runs with: the gateway, one cell with two hardware signals and one without, a Simulation
    /// section, the agent's section and Logging. The line numbers of the problem tests depend on this layout.
    /// </summary>
    private string AgentFile(
        string green = "gpio:17", string greenOptions = "", string power = "i2c:1:0x48/ads1115:a0-a1", string? cycle = null, string simulation = "",
        string mqtt = "\"Port\": 1", string agentExtra = "", string source = "Sensors", string? outbox = null,
        string sections = "\"Logging\": { \"LogLevel\": { \"Default\": \"Warning\" } }") => $$"""
        {
          "EdgeGateway": {
            "Site": "sme-0117",
            "TimeZone": "Europe/Amsterdam",
            "Cells": [
              {
                "Id": "press-1",
                "IdealCycleSeconds": 30,
                "Signals": {
                  "green": { "Role": "StateRun", "Source": "{{green}}"{{greenOptions}} },
                  "power": { "Role": "PowerKw", "Source": "{{power}}", "CtRatio": 2000, "BurdenOhms": 33 },
                  "cycle": { "Role": "CyclePulse"{{(cycle is null ? "" : $", \"Source\": \"{cycle}\"")}} }
                },
                "Shifts": [ { "Days": "Mon-Fri", "Start": "06:00", "End": "14:00" } ],
                "Simulation": { {{simulation}} }
              }
            ]
          },
          "Agent": { {{agentExtra}}
            "GatewayId": "gw-1",
            "Source": "{{source}}",
            "StatusFile": "{{_dir}}/status-{{Guid.NewGuid():N}}.json",
            "Outbox": { "Directory": "{{outbox ?? _dir + "/outbox"}}" },
            "Mqtt": { "Host": "127.0.0.1",
              {{mqtt}} }
          },
          {{sections}}
        }
        """;

    private string Write(string name, string json)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, json);
        return path;
    }

    private static (int Exit, string Stdout, string Stderr) Validate(string path, params string[] more)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var exit = Program.Run(["config", "validate", "--config", path, .. more], stdout, stderr);
        return (exit, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    /// <summary>
    /// Runs the real agent on <paramref name="path"/> until it refuses the file (exit 2: its problem lines, without the
    /// <c>edgegw-agent: </c> before each) or accepts it: it runs (its status file appears) or stops for missing hardware (exit 1).
    /// </summary>
    private static async Task<(bool Accepts, string[] Lines)> RunAgent(string path)
    {
        using var agent = ServiceProcess.Start("edgegw-agent", ["--config", path]);
        await Poll.Until(() => agent.HasExited || Directory.EnumerateFiles(Path.GetDirectoryName(path)!, "status-*.json").Any(), TimeSpan.FromSeconds(60), "the agent to refuse or run", () => agent.Tail());
        var exit = await agent.StopAsync();
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(path)!, "status-*.json"))
        {
            File.Delete(file);
        }

        const string Prefix = "edgegw-agent: ";
        return exit == 2 ? (false, [.. agent.Lines(Prefix).Select(l => l[Prefix.Length..])]) : (true, []);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
