using System.Buffers;
using System.Text.Json;
using EdgeGateway.Agent.Outbox;
using EdgeGateway.Agent.Publishing;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Traces;

namespace EdgeGateway.Agent.Pipeline;

/// <summary>
/// Turns window records and state changes into stamped payloads in the outbox: one reused
/// <see cref="Utf8JsonWriter"/> over one reused buffer, topics precomputed per cell and kind.
/// Runs on the engine's thread.
/// </summary>
internal sealed class RecordEncoder : IWindowRecordSink, IStateChangeSink, IDisposable
{
    private static readonly JsonEncodedText s_v = JsonEncodedText.Encode("v");
    private static readonly JsonEncodedText s_site = JsonEncodedText.Encode("site");
    private static readonly JsonEncodedText s_cell = JsonEncodedText.Encode("cell");
    private static readonly JsonEncodedText s_gateway = JsonEncodedText.Encode("gateway");
    private static readonly JsonEncodedText s_seq = JsonEncodedText.Encode("seq");
    private static readonly JsonEncodedText s_at = JsonEncodedText.Encode("at");
    private static readonly JsonEncodedText s_state = JsonEncodedText.Encode("state");
    private static readonly JsonEncodedText[] s_states =
        [JsonEncodedText.Encode("unknown"), JsonEncodedText.Encode("idle"), JsonEncodedText.Encode("run"), JsonEncodedText.Encode("down"), JsonEncodedText.Encode("setup")];

    private readonly IOutbox _outbox;
    private readonly string _gateway;
    private readonly string _site;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _writer;
    private readonly Dictionary<CellConfig, (string[] Kpi, string State)> _topics = new(ReferenceEqualityComparer.Instance);

    public RecordEncoder(GatewayConfig config, Topics topics, string gateway, IOutbox outbox)
    {
        _outbox = outbox;
        _gateway = gateway;
        _site = config.Site;
        _writer = new Utf8JsonWriter(_buffer);
        foreach (var cell in config.Cells)
        {
            var kpi = new string[WindowKinds.Names.Count];
            for (var kind = 0; kind < kpi.Length; kind++)
            {
                kpi[kind] = topics.Kpi(cell.Id, (WindowKind)kind);
            }

            _topics[cell] = (kpi, topics.State(cell.Id));
        }
    }

    /// <summary>Set by the engine worker from <see cref="ClockSync"/>; stamped into every record.</summary>
    public bool ClockSynced { get; set; }

    /// <summary>Records written so far.</summary>
    public long Records { get; private set; }

    public void Dispose() => _writer.Dispose();

    public void OnRecord(in WindowRecord record)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset();
        WindowRecordJson.Write(_writer, record, new PublishStamp(_gateway, _outbox.NextSequence, ClockSynced));
        _writer.Flush();
        _outbox.Append(_topics[record.Cell].Kpi[(int)record.Kind], _buffer.WrittenSpan);
        Records++;
    }

    public void OnStateChange(CellConfig cell, long atMs, MachineState state)
    {
        Span<byte> at = stackalloc byte[TraceTimestamp.Length];
        TraceTimestamp.Format(atMs, at);
        _buffer.ResetWrittenCount();
        _writer.Reset();
        _writer.WriteStartObject();
        _writer.WriteNumber(s_v, WindowRecord.SchemaVersion);
        _writer.WriteString(s_site, _site);
        _writer.WriteString(s_cell, cell.Id);
        _writer.WriteString(s_gateway, _gateway);
        _writer.WriteNumber(s_seq, _outbox.NextSequence);
        _writer.WriteString(s_at, at);
        _writer.WriteString(s_state, s_states[(int)state]);
        _writer.WriteEndObject();
        _writer.Flush();
        _outbox.Append(_topics[cell].State, _buffer.WrittenSpan);
    }

}
