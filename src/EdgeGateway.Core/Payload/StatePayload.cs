using System.Text.Json;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Traces;

namespace EdgeGateway.Core.Payload;

/// <summary>
/// The state payload, schema v1 (src/docs/payloads-and-topics.md, "State payload"):
/// <c>{"v":1,"site":…,"cell":…,"gateway":…,"seq":…,"at":…,"state":"run"}</c>. Written by the agent, read by the
/// ingest; writing allocates nothing.
/// </summary>
public static class StatePayload
{
    /// <summary>When the state began.</summary>
    public const string At = "at";

    /// <summary>The state, one of <see cref="States"/>.</summary>
    public const string State = "state";

    /// <summary>State names, in the order of <see cref="MachineState"/>.</summary>
    public static readonly IReadOnlyList<string> States = ["unknown", "idle", "run", "down", "setup"];

    private static readonly JsonEncodedText s_v = JsonEncodedText.Encode(KpiPayload.V);
    private static readonly JsonEncodedText s_site = JsonEncodedText.Encode(KpiPayload.Site);
    private static readonly JsonEncodedText s_cell = JsonEncodedText.Encode(KpiPayload.Cell);
    private static readonly JsonEncodedText s_gateway = JsonEncodedText.Encode(KpiPayload.Gateway);
    private static readonly JsonEncodedText s_seq = JsonEncodedText.Encode(KpiPayload.Seq);
    private static readonly JsonEncodedText s_at = JsonEncodedText.Encode(At);
    private static readonly JsonEncodedText s_state = JsonEncodedText.Encode(State);
    private static readonly JsonEncodedText[] s_states = EncodedNames.Of(States);

    /// <summary>Writes one state change as a JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, string site, string cell, in PublishStamp stamp, long atMs, MachineState state)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> at = stackalloc byte[TraceTimestamp.Length];
        TraceTimestamp.Format(atMs, at);
        writer.WriteStartObject();
        writer.WriteNumber(s_v, WindowRecord.SchemaVersion);
        writer.WriteString(s_site, site);
        writer.WriteString(s_cell, cell);
        writer.WriteString(s_gateway, stamp.Gateway);
        writer.WriteNumber(s_seq, stamp.Sequence);
        writer.WriteString(s_at, at);
        writer.WriteString(s_state, s_states[(int)state]);
        writer.WriteEndObject();
    }
}
