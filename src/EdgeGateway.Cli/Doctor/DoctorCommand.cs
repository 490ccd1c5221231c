using System.CommandLine;
using System.Text.Json;

namespace EdgeGateway.Cli.Doctor;

/// <summary>
/// <c>edgegw doctor [--config FILE] [--status-file FILE] [--json]</c>: one line per check of the gateway as installed
/// (<see cref="DoctorChecks"/>), <c>ok</c> / <c>warn</c> / <c>fail</c> with the fix in words; exit code 0 all ok, 1 a
/// warning, 2 a failure (src/docs/cli.md).
/// </summary>
internal static class DoctorCommand
{
    public static Command Create(Stream stdout, string devRoot = "/dev")
    {
        var config = InputFiles.PathOption(new Option<string>("--config") { Description = "The config file the agent runs with", DefaultValueFactory = _ => "/etc/edgegw/edgegw.json" });
        var statusFile = InputFiles.PathOption(new Option<string>("--status-file") { Description = "Status file of the running agent (Agent:StatusFile)", DefaultValueFactory = _ => "/run/edgegw/status.json" });
        var json = new Option<bool>("--json") { Description = "The checks as a JSON array (fields in src/docs/cli.md)" };
        var command = new Command("doctor", "Check the gateway as installed: config, sensors, groups, clock, disk, broker, certificates, the agent") { config, statusFile, json };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var checks = await new DoctorChecks(parsed.GetValue(config)!, parsed.GetValue(statusFile)!, devRoot, TimeProvider.System).RunAsync(cancellationToken).ConfigureAwait(false);
            return Write(checks, parsed.GetValue(json), stdout);
        });
        return command;
    }

    /// <summary>Writes the checks and returns the exit code of the worst.</summary>
    public static int Write(IReadOnlyList<DoctorCheck> checks, bool asJson, Stream stdout)
    {
        if (asJson)
        {
            using var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true });
            writer.WriteStartArray();
            foreach (var check in checks)
            {
                writer.WriteStartObject();
                writer.WriteString("check", check.Name);
                writer.WriteString("verdict", check.Verdict.ToString().ToLowerInvariant());
                writer.WriteString("found", check.Found);
                writer.WriteString("fix", check.Fix);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.Flush();
            stdout.Write("\n"u8);
        }
        else
        {
            using var output = new StreamWriter(stdout, leaveOpen: true);
            foreach (var check in checks)
            {
                output.WriteLine(check.ToString());
            }
        }

        return checks.Count == 0 ? 0 : (int)checks.Max(c => c.Verdict);
    }
}
