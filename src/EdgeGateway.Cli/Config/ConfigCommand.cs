using System.CommandLine;
using System.Text.Json;
using EdgeGateway.Agent.Hosting;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Hosting;

namespace EdgeGateway.Cli.Config;

/// <summary>
/// <c>edgegw config validate --config FILE [--json]</c>: the agent's own start-time check of its config
/// (<see cref="AgentConfigCheck"/>), without starting anything. Valid: one summary line, exit code 0. Invalid: every
/// problem on its own line, <c>FILE:LINE: KEY.PATH: what is wrong</c> (the lines the agent prints after its
/// <c>edgegw-agent: </c>), exit code 2. Both go to stdout: they are the command's answer (src/docs/cli.md).
/// </summary>
internal static class ConfigCommand
{
    /// <summary>The <c>config</c> command group; argument errors are reported by <see cref="Program"/>, the file's problems are the answer.</summary>
    public static Command Create(Stream stdout, TextWriter stderr)
    {
        var config = InputFiles.PathOption(new Option<string>("--config") { Description = "The config file the agent runs with (JSON, see src/docs/config.md)", Required = true });
        var json = new Option<bool>("--json") { Description = "Print the verdict as a JSON object (fields in src/docs/cli.md)" };
        var validate = new Command("validate", "Check a config file as the agent does at start: every problem with its line, or a summary") { config, json };
        validate.SetAction(parsed => Validate(parsed.GetValue(config)!, parsed.GetValue(json), stdout));
        return new Command("config", "Write the config file the agent runs with, and check it") { ConfigInit.Create(stdout, stderr), validate };
    }

    /// <summary>Checks <paramref name="path"/> and writes the verdict; 0 when the agent would accept it, else 2.</summary>
    public static int Validate(string path, bool asJson, Stream stdout)
    {
        var result = ConfigFile.TryRead(path, out var unreadable) is { } bytes
            ? AgentConfigCheck.Check(bytes, path, [])
            : new CheckedConfig(null, null, null, [new ConfigProblem(path, 0, "", unreadable!)]);
        if (asJson)
        {
            WriteJson(result, stdout);
        }
        else
        {
            using var output = new StreamWriter(stdout, leaveOpen: true);
            if (result.Problems.Count == 0)
            {
                output.WriteLine(Summary(result));
            }

            foreach (var problem in result.Problems)
            {
                output.WriteLine(problem.ToString());
            }
        }

        return result.Problems.Count == 0 ? 0 : Program.InputError;
    }

    /// <summary><c>valid: site S, gateway G, 2 cells, 9 signals, source Sensors (7 hardware inputs)</c>.</summary>
    internal static string Summary(CheckedConfig result)
    {
        var gateway = result.Gateway!;
        var options = result.Options!;
        var signals = gateway.Cells.Sum(c => c.Signals.Count);
        return $"valid: site {gateway.Site}, gateway {options.GatewayId}, {Count(gateway.Cells.Count, "cell")}, {Count(signals, "signal")}, source {options.Source} ({Count(result.HardwareInputs, "hardware input")})";

        static string Count(int n, string what) => n == 1 ? $"1 {what}" : $"{n} {what}s";
    }

    private static void WriteJson(CheckedConfig result, Stream stdout)
    {
        using (var json = new Utf8JsonWriter(stdout))
        {
            json.WriteStartObject();
            json.WriteBoolean("valid", result.Problems.Count == 0);
            if (result.Problems.Count == 0)
            {
                json.WriteString("site", result.Gateway!.Site);
                json.WriteString("gateway", result.Options!.GatewayId);
                json.WriteNumber("cells", result.Gateway.Cells.Count);
                json.WriteNumber("signals", result.Gateway.Cells.Sum(c => c.Signals.Count));
                json.WriteString("source", result.Options.Source.ToString());
                json.WriteNumber("hardware_inputs", result.HardwareInputs);
            }
            else
            {
                json.WriteStartArray("problems");
                foreach (var problem in result.Problems)
                {
                    json.WriteStartObject();
                    json.WriteString("file", problem.File);
                    json.WriteNumber("line", problem.Line);
                    json.WriteString("path", problem.KeyPath);
                    json.WriteString("message", problem.Message);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        stdout.WriteByte((byte)'\n');
        stdout.Flush();
    }
}
