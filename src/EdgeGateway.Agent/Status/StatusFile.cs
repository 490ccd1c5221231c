using System.Text.Json;
using EdgeGateway.Agent.Outbox;
using EdgeGateway.Core.Traces;

namespace EdgeGateway.Agent.Status;

/// <summary>
/// The running agent's status as a small JSON file, replaced atomically every couple of seconds; <c>edgegw status</c>
/// reads it. A file that is old, or names a process that no longer runs, means the agent is not running.
/// </summary>
public static class StatusFile
{
    /// <summary>A status older than this is stale: the agent is not running (or hangs).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(15);

    /// <summary>Writes the status to <paramref name="path"/> (temp file + rename).</summary>
    public static void Write(string path, AgentState state, OutboxStatus outbox, string site, string gateway, long nowMs)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("v", 1);
            json.WriteNumber("pid", Environment.ProcessId);
            json.WriteString("at", TraceTimestamp.Format(nowMs));
            json.WriteString("site", site);
            json.WriteString("gateway", gateway);
            WriteTimestamp(json, "started", state.Start?.AtMs);
            var broker = state.Broker;
            json.WriteStartObject("broker");
            json.WriteBoolean("connected", broker.Connected);
            WriteTimestamp(json, "since", broker.SinceMs);
            json.WriteString("last_error", broker.LastError);
            json.WriteEndObject();
            json.WriteStartObject("outbox");
            json.WriteNumber("depth", outbox.Depth);
            json.WriteNumber("bytes", outbox.Bytes);
            json.WriteNumber("next_seq", outbox.NextSequence);
            if (state.Start is { } start)
            {
                json.WriteNumber("start_seq", start.Sequence);
            }
            else
            {
                json.WriteNull("start_seq");
            }
            if (outbox.OldestAge is { } age)
            {
                json.WriteNumber("oldest_age_s", Math.Round(age.TotalSeconds, 3));
            }
            else
            {
                json.WriteNull("oldest_age_s");
            }

            json.WriteNumber("dropped", outbox.Dropped);
            json.WriteNumber("corrupt", outbox.Corrupt);
            json.WriteEndObject();
            state.Delivery.Write(json, outbox);
            json.WriteStartArray("cells");
            foreach (var cell in state.Cells)
            {
                json.WriteStartObject();
                json.WriteString("id", cell.Id);
                json.WriteString("state", cell.State.ToString().ToLowerInvariant());
                if (cell.ShiftOee is { } oee)
                {
                    json.WriteNumber("shift_oee", oee);
                }
                else
                {
                    json.WriteNull("shift_oee");
                }

                WriteTimestamp(json, "shift_start", cell.ShiftStartMs);

                // Additions: the current article, and the stop whose records wait until it is final.
                NullableString(json, "article", cell.Article);
                WriteTimestamp(json, "stop_held_since", cell.StopHeldSinceMs);
                NullableString(json, "stop_reason", cell.StopReason);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("sensor_faults", state.SensorFaults);
            json.WriteNumber("records", state.Records);
            WriteTimestamp(json, "last_record_at", state.LastRecordMs);
            json.WriteBoolean("clock_synced", state.ClockSynced);
            json.WriteEndObject();
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static void NullableString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteTimestamp(Utf8JsonWriter json, string name, long? ms)
    {
        if (ms is { } value)
        {
            json.WriteString(name, TraceTimestamp.Format(value));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
