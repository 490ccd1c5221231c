using System.Buffers;
using System.Text.Json;
using EdgeGateway.Agent.Outbox;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Payload;

namespace EdgeGateway.Agent.Pipeline;

/// <summary>
/// Turns window records and state changes into stamped payloads in the outbox: one reused
/// <see cref="Utf8JsonWriter"/> over one reused buffer, topics precomputed per cell and kind.
/// Runs on the engine's thread.
/// </summary>
internal sealed class RecordEncoder : IWindowRecordSink, IStateChangeSink, IDisposable
{
    private readonly IOutbox _outbox;
    private readonly string _gateway;
    private readonly string _site;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _writer;
    private readonly Dictionary<CellConfig, (string[] Kpi, string State)> _topics = new(ReferenceEqualityComparer.Instance);

    public RecordEncoder(GatewayConfig config, TopicScheme topics, string gateway, IOutbox outbox)
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
        _buffer.ResetWrittenCount();
        _writer.Reset();
        StatePayload.Write(_writer, _site, cell.Id, new PublishStamp(_gateway, _outbox.NextSequence, ClockSynced), atMs, state);
        _writer.Flush();
        _outbox.Append(_topics[cell].State, _buffer.WrittenSpan);
    }
}
