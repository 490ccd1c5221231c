using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeGateway.Core;

namespace EdgeGateway.Cli.Status;

/// <summary>
/// <c>edgegw status [--json] [--status-file PATH]</c>: what the running agent reports — broker connection, outbox,
/// cells with their state and shift OEE so far, sensor faults, clock. Not running: one line, exit code 3.
/// </summary>
internal static class StatusCommand
{
    /// <summary>Exit code when no agent is running.</summary>
    public const int NotRunning = 3;

    public static Command Create(Stream stdout, TextWriter stderr)
    {
        var json = new Option<bool>("--json") { Description = "Print the agent's status document as JSON" };
        var file = InputFiles.PathOption(new Option<string>("--status-file") { Description = "Status file of the agent (Agent:StatusFile)", DefaultValueFactory = _ => "/run/edgegw/status.json" });
        var command = new Command("status", "Show what the running agent is doing") { json, file };
        command.SetAction(parsed => Run(parsed.GetValue(file)!, parsed.GetValue(json), DateTimeOffset.UtcNow, stdout, stderr));
        return command;
    }

    public static int Run(string path, bool asJson, DateTimeOffset now, Stream stdout, TextWriter stderr)
    {
        if (Directory.Exists(path))
        {
            stderr.WriteLine($"edgegw status: --status-file: '{InputText.Quote(path)}' is a directory, not a file");
            return Program.InputError;
        }

        try
        {
            return Show(path, asJson, now, stdout, stderr);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // JSON, but not what the agent writes (another file given, or a field missing): no agent reports there.
            stderr.WriteLine($"edgegw status: the agent is not running ({InputText.Quote(path)} is not a status document)");
            return NotRunning;
        }
    }

    private static int Show(string path, bool asJson, DateTimeOffset now, Stream stdout, TextWriter stderr)
    {
        using var status = AgentStatusFile.Read(path, now);
        switch (status.Kind)
        {
            case AgentStatusKind.Missing:
                stderr.WriteLine($"edgegw status: the agent is not running (no status at {path})");
                return NotRunning;
            case AgentStatusKind.NotStatus:
                stderr.WriteLine($"edgegw status: the agent is not running ({path} is not a status document)");
                return NotRunning;
            case AgentStatusKind.Stale:
                stderr.WriteLine($"edgegw status: the agent is not running (last status from pid {status.Pid} at {status.At:yyyy-MM-dd HH:mm:ss}Z)");
                return NotRunning;
        }

        if (asJson)
        {
            stdout.Write(status.Bytes);
            stdout.Flush();
            return 0;
        }

        using var output = new StreamWriter(stdout, leaveOpen: true);
        Print(output, status.Root);
        return 0;
    }

    private static void Print(StreamWriter output, JsonElement root)
    {
        var broker = root.GetProperty("broker");
        var outbox = root.GetProperty("outbox");
        output.WriteLine($"EdgeGateway agent {root.GetProperty("site").GetString()}/{root.GetProperty("gateway").GetString()} (pid {root.GetProperty("pid").GetInt32()}), status at {root.GetProperty("at").GetString()}");
        output.WriteLine(broker.GetProperty("connected").GetBoolean()
            ? $"broker   connected since {broker.GetProperty("since").GetString()}"
            : $"broker   NOT connected: {broker.GetProperty("last_error").GetString() ?? "connecting"}");
        var age = outbox.GetProperty("oldest_age_s");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"outbox   {outbox.GetProperty("depth").GetInt64()} records waiting ({outbox.GetProperty("bytes").GetInt64() / 1024.0:0.0} KiB){(age.ValueKind == JsonValueKind.Number ? $", oldest {age.GetDouble():0} s" : "")}; dropped {outbox.GetProperty("dropped").GetInt64()}, corrupt {outbox.GetProperty("corrupt").GetInt64()}"));
        if (root.TryGetProperty("delivery", out var delivery))
        {
            var oldest = delivery.GetProperty("oldest_unconfirmed_age_s");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"delivery {delivery.GetProperty("confirmed").GetInt64()} confirmed stored since start, {delivery.GetProperty("unconfirmed").GetInt64()} unconfirmed{(oldest.ValueKind == JsonValueKind.Number ? $" (oldest {oldest.GetDouble():0} s)" : "")}; resent {delivery.GetProperty("resent").GetInt64()}, given to no subscriber {delivery.GetProperty("no_subscriber").GetInt64()}"));
        }

        output.WriteLine(root.GetProperty("clock_synced").GetBoolean() ? "clock    synchronised" : "clock    NOT synchronised (records are flagged clock_synced=false)");
        output.WriteLine($"sensors  {root.GetProperty("sensor_faults").GetInt64()} faults since start");
        var last = root.TryGetProperty("last_record_at", out var lastAt) && lastAt.ValueKind == JsonValueKind.String ? $", the last at {lastAt.GetString()}" : "";
        output.WriteLine($"records  {root.GetProperty("records").GetInt64()} computed since start{last}");
        foreach (var cell in root.GetProperty("cells").EnumerateArray())
        {
            var oee = cell.GetProperty("shift_oee");
            var shift = oee.ValueKind == JsonValueKind.Number
                ? string.Create(CultureInfo.InvariantCulture, $"shift OEE so far {oee.GetDouble() * 100:0.0} % (shift since {cell.GetProperty("shift_start").GetString()})")
                : "no shift OEE yet";
            var article = cell.TryGetProperty("article", out var id) && id.ValueKind == JsonValueKind.String ? $", article {id.GetString()}" : "";
            var held = cell.TryGetProperty("stop_held_since", out var since) && since.ValueKind == JsonValueKind.String
                ? $", stopped since {since.GetString()} ({(cell.GetProperty("stop_reason").ValueKind == JsonValueKind.String ? $"reason {cell.GetProperty("stop_reason").GetString()}" : "no reason yet")}; its records wait until it is final)"
                : "";
            output.WriteLine($"cell     {cell.GetProperty("id").GetString(),-12} {cell.GetProperty("state").GetString(),-8} {shift}{article}{held}");
        }
    }
}
