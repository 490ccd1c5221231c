using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Traces;
using EdgeGateway.Sensors.Simulation;

namespace EdgeGateway.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/EdgeGateway.Benchmarks -- wire [DAYS]</c>: the bytes a gateway sends and
/// receives per cell and day at the default windows (1m, shift, day), for the cost of a cellular link. The records are
/// the agent's own payloads over a simulated week of deploy/sample/simulation-4cells.json; MQTT 5 framing is counted
/// exactly (PUBLISH QoS 1 with its topic and packet id, PUBACK, the backend's delivery confirmation per record, the
/// retained status every 60 s); TCP/IP and TLS on top are an estimate, one segment per packet (IPv4 + TCP with
/// timestamps 52 bytes, a TLS 1.3 record 22 bytes, a bare TCP ACK per segment the other way).
/// </summary>
internal static class WireBytes
{
    private const int TcpIp = 52;
    private const int TlsRecord = 22;

    public static int Run(string[] args)
    {
        var days = args is [var text] && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d > 0 ? d : 7;
        var path = RepoPaths.Sample("simulation-4cells.json");
        var config = ConfigReader.Read(File.ReadAllBytes(path), path);
        var from = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var to = from + (days * 86_400_000L);
        using var trace = new MemoryStream();
        Simulator.Write(config, SimulationOptions.ReadAll(config), 1, from, to, [WindowKind.Total], trace, Stream.Null);
        trace.Position = 0;

        using var sink = new Counter(config.Site, "gw-0001a2b3c4d5");
        var engine = new GatewayEngine(config, [WindowKind.Minute, WindowKind.Shift, WindowKind.Day], sink);
        using (var reader = new TraceReader(trace, "wire.csv", engine.Signals))
        {
            while (reader.TryRead(out var e))
            {
                engine.Process(e);
            }
        }

        engine.Finish();
        var birth = StatusPayload.Birth(new GatewayBirth(config.Site, sink.Gateway, to, "edgegw-agent 0.1.0", new string('0', 64), [.. config.Cells.Select(c => c.Id)], new OutboxCounts(0, 0, 0, null), new DeliveryCounts(123456, 0, null, 0, 0), true, new GatewayHealth(86_400, 12.5, 0.000123, 12_345_678_901, 48.3)));
        var statusTopic = TopicScheme.StatusTopic(TopicScheme.DefaultPrefix, config.Site, sink.Gateway);
        var heartbeats = days * 1440L; // one retained status a minute, for the whole gateway
        var cellDays = (double)config.Cells.Count * days;

        var up = sink.PublishBytes + (heartbeats * Publish(statusTopic, birth.Length));
        var down = sink.Messages * (PubAck + sink.ConfirmationBytes / (double)sink.Messages) + (heartbeats * PubAck);
        var packetsUp = sink.Messages + heartbeats;
        var packetsDown = (2 * sink.Messages) + heartbeats;
        var withTransportUp = up + (packetsUp * (TcpIp + TlsRecord)) + (packetsDown * TcpIp);
        var withTransportDown = down + (packetsDown * (TcpIp + TlsRecord)) + (packetsUp * TcpIp);

        Console.WriteLine($"wire: {config.Cells.Count} cells, {days} simulated days, windows 1m, shift, day");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wire: per cell and day: {sink.Records / cellDays:F0} KPI records (payload {sink.KpiPayloadBytes / (double)sink.Records:F0} B each), {sink.States / cellDays:F0} state changes (payload {sink.StatePayloadBytes / (double)Math.Max(1, sink.States):F0} B each), the status every minute shared by the gateway's cells ({birth.Length} B)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wire: MQTT per cell and day: {up / cellDays / 1024:F0} KiB up, {down / cellDays / 1024:F0} KiB down ({(up + down) / cellDays / 1048576 * 30:F1} MiB a month)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wire: with TCP/IP and TLS (estimate) per cell and day: {withTransportUp / cellDays / 1024:F0} KiB up, {withTransportDown / cellDays / 1024:F0} KiB down ({(withTransportUp + withTransportDown) / cellDays / 1048576 * 30:F1} MiB a month)"));
        return 0;
    }

    /// <summary>PUBACK of MQTT 5 with reason Success and no properties: fixed header and packet id.</summary>
    private const int PubAck = 4;

    /// <summary>A QoS 1 PUBLISH of MQTT 5 without properties: fixed header, topic, packet id, property length, payload.</summary>
    private static long Publish(string topic, int payload)
    {
        var remaining = 2 + Encoding.UTF8.GetByteCount(topic) + 2 + 1 + payload;
        return 1 + (remaining < 128 ? 1 : remaining < 16_384 ? 2 : 3) + remaining;
    }

    /// <summary>The agent's payloads of every record and state change, sized as they would be published.</summary>
    private sealed class Counter(string site, string gateway) : IWindowRecordSink, IStateChangeSink, IDisposable
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(4096);
        private readonly Utf8JsonWriter _json = new(Stream.Null);
        private long _sequence;

        public string Gateway => gateway;

        public long Records { get; private set; }

        public long States { get; private set; }

        public long KpiPayloadBytes { get; private set; }

        public long StatePayloadBytes { get; private set; }

        public long PublishBytes { get; private set; }

        public long ConfirmationBytes { get; private set; }

        public long Messages => Records + States;

        public void OnRecord(in WindowRecord record)
        {
            var copy = record;
            var bytes = Write(json => WindowRecordJson.Write(json, copy, new PublishStamp(gateway, ++_sequence, true)));
            Records++;
            KpiPayloadBytes += bytes;
            Count(TopicScheme.KpiTopic(TopicScheme.DefaultPrefix, site, record.Cell.Id, record.Kind), bytes);
        }

        public void OnStateChange(CellConfig cell, long atMs, MachineState state)
        {
            var bytes = Write(json => StatePayload.Write(json, site, cell.Id, new PublishStamp(gateway, ++_sequence, true), atMs, state));
            States++;
            StatePayloadBytes += bytes;
            Count(TopicScheme.StateTopic(TopicScheme.DefaultPrefix, site, cell.Id), bytes);
        }

        private void Count(string topic, int payload)
        {
            PublishBytes += Publish(topic, payload);

            // Live, records come one at a time: the backend confirms each once it is stored.
            var confirmation = DeliveryConfirmation.Write(site, gateway, [_sequence])[0];
            ConfirmationBytes += Publish(TopicScheme.ConfirmationTopic(DeliveryConfirmation.DefaultTopicPrefix, site, gateway), confirmation.Length);
        }

        public void Dispose() => _json.Dispose();

        private int Write(Action<Utf8JsonWriter> write)
        {
            _buffer.ResetWrittenCount();
            _json.Reset(_buffer);
            write(_json);
            _json.Flush();
            return _buffer.WrittenCount;
        }
    }
}
