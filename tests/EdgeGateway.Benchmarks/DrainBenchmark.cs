using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using EdgeGateway.Agent.Control;
using EdgeGateway.Agent.Hosting;
using EdgeGateway.Agent.Outbox;
using EdgeGateway.Agent.Publishing;
using EdgeGateway.Agent.Status;
using EdgeGateway.Agent.Watchdog;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Signals;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeGateway.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/EdgeGateway.Benchmarks -- drain [RECORDS] [ROUNDS] [--batch=N]</c>: a backlog of
/// 30 days of one-minute KPI records (43 200, real payloads from the engine) drained to a loopback Mosquitto, in one
/// run: (a) by the agent's <see cref="MqttPublisher"/> from a <see cref="SegmentOutbox"/> on disk, until the backend has
/// confirmed every record (src/docs/payloads-and-topics.md, "Delivery confirmations"), (b) by a bare MQTTnet publisher sending the same
/// payloads from memory until the broker acknowledged them, both QoS 1 with the same in-flight window
/// (<c>Agent:Mqtt:MaxInFlight</c>). In both a subscriber receives every record; in (a) it is the backend and confirms
/// them as they arrive (the ingest confirms once the database holds them: its cost is the ingest benchmark's), in (b)
/// it only receives. Each round times (a) then (b), connect included; the medians decide.
/// Targets (issue 4 §6, issue 11): (a) at least 10 000 records/s and at least 0.7 × (b).
/// </summary>
public static class DrainBenchmark
{
    /// <summary>30 days of one record a minute.</summary>
    public const int DefaultRecords = 30 * 24 * 60;

    private const double TargetRate = 10_000;
    private const double TargetRatio = 0.7;
    private const string Gateway = "bench";

    /// <summary>Runs the benchmark; exit code 0 when both targets are met, 1 when not, 2 for bad arguments.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var numbers = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var options = new AgentOptions { GatewayId = Gateway };
        if (!TryParse(numbers, 0, DefaultRecords, out var count) || !TryParse(numbers, 1, 5, out var rounds) || !TryParseBatch(args, out var batchRecords))
        {
            Console.Error.WriteLine("drain: usage: drain [RECORDS] [ROUNDS] [--batch=N] (positive integers; N: the agent's Mqtt:BatchRecords, 1 for one record a message)");
            return 2;
        }

        options.Mqtt.BatchRecords = batchRecords;
        var config = SteadyStateMix.ReadSampleConfig();
        var topics = new TopicScheme(options.Mqtt.TopicPrefix, config.Site, Gateway);
        var records = OneMinuteRecords(config, topics, count);
        using var broker = MosquittoBroker.Launch();
        options.Mqtt.Host = MosquittoBroker.Host;
        options.Mqtt.Port = broker.Port;
        var window = options.Mqtt.MaxInFlight;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"drain: {records.Count} one-minute KPI records (payload {records.Average(r => r.Payload.Length):F0} B on average), agent batches of up to {batchRecords}, QoS 1, {window} messages in flight, Mosquitto on {MosquittoBroker.Host}:{broker.Port}, {Environment.ProcessorCount} cores, load average {LoadAverage()}"));

        // A warm-up round of each (JIT, page cache, broker), not counted.
        await DrainWithPublisherAsync(broker, config, options, topics, records);
        await DrainBareAsync(broker, options.Mqtt, records, window);

        var agentRates = new List<double>();
        var bareRates = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            var agent = records.Count / (await DrainWithPublisherAsync(broker, config, options, topics, records)).TotalSeconds;
            var bare = records.Count / (await DrainBareAsync(broker, options.Mqtt, records, window)).TotalSeconds;
            agentRates.Add(agent);
            bareRates.Add(bare);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: agent publisher {agent,8:F0} records/s   bare MQTTnet {bare,8:F0} records/s   ratio {agent / bare:F2}"));
        }

        var agentMedian = Median(agentRates);
        var bareMedian = Median(bareRates);
        // Rounds are pairs measured back to back: the median of their ratios is robust against a noisy machine.
        var ratio = Median([.. agentRates.Select((agent, i) => agent / bareRates[i])]);
        var met = agentMedian >= TargetRate && ratio >= TargetRatio;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median: agent publisher {agentMedian:F0} records/s (target ≥ {TargetRate:F0}), bare MQTTnet {bareMedian:F0} records/s, ratio (median of the rounds' ratios) {ratio:F2} (target ≥ {TargetRatio:F1}): {(met ? "targets met" : "TARGETS MISSED")}"));
        return met ? 0 : 1;
    }

    /// <summary>The agent's way: the records in a <see cref="SegmentOutbox"/> on disk, the real publisher draining it.</summary>
    private static async Task<TimeSpan> DrainWithPublisherAsync(MosquittoBroker broker, GatewayConfig config, AgentOptions options, TopicScheme topics, IReadOnlyList<(string Topic, byte[] Payload)> records)
    {
        var directory = Directory.CreateTempSubdirectory("edgegw-drain-bench-").FullName;
        try
        {
            await using var backend = await RecordSubscriber.ConnectAsync(broker, Gateway, confirm: true);
            options.Outbox.Directory = directory;
            using var outbox = new LastAcknowledgement(new SegmentOutbox(Options.Create(options.Outbox), TimeProvider.System, NullLogger<SegmentOutbox>.Instance));
            foreach (var (topic, payload) in records)
            {
                outbox.Append(topic, payload);
            }

            outbox.Flush();
            var last = outbox.NextSequence - 1;
            var state = new AgentState();
            var status = new StatusMessages(config, Options.Create(options), outbox, topics, state, new ConfigFingerprint("bench"), new HostReadings(TimeProvider.System), TimeProvider.System);
            using var publisher = new MqttPublisher(
                config, Options.Create(options), outbox, topics, state, status, new PipelineLiveness(TimeProvider.System),
                new ControlHandler(config, new ControlQueue(Channel.CreateUnbounded<SignalEvent>()), TimeProvider.System, NullLogger<ControlHandler>.Instance),
                TimeProvider.System, NullLogger<MqttPublisher>.Instance);
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var clock = Stopwatch.StartNew();
            await publisher.StartAsync(timeout.Token);
            await outbox.Reached(last).WaitAsync(timeout.Token);
            clock.Stop();
            await publisher.StopAsync(CancellationToken.None);
            return clock.Elapsed;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The baseline: the same payloads from memory, QoS 1, at most <paramref name="window"/> awaiting their PUBACK.</summary>
    private static async Task<TimeSpan> DrainBareAsync(MosquittoBroker broker, MqttOptions mqtt, IReadOnlyList<(string Topic, byte[] Payload)> records, int window)
    {
        await using var receiver = await RecordSubscriber.ConnectAsync(broker, Gateway);
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(mqtt.Host, mqtt.Port)
            .WithClientId("bench-bare")
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .Build();
        var inFlight = new Queue<Task<MqttClientPublishResult>>(window);
        var clock = Stopwatch.StartNew();
        await client.ConnectAsync(options);
        foreach (var (topic, payload) in records)
        {
            if (inFlight.Count == window)
            {
                Check(await inFlight.Dequeue());
            }

            inFlight.Enqueue(client.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(new ReadOnlySequence<byte>(payload))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build()));
        }

        while (inFlight.Count > 0)
        {
            Check(await inFlight.Dequeue());
        }

        clock.Stop();
        await client.DisconnectAsync();
        return clock.Elapsed;

        static void Check(MqttClientPublishResult result)
        {
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException($"the broker refused a publish: {result.ReasonCode}");
            }
        }
    }

    /// <summary>
    /// <paramref name="count"/> one-minute records as the agent publishes them: the KPI engine on the benchmark's
    /// steady signal mix (sample config), each stamped with its sequence number and encoded as the payload.
    /// </summary>
    internal static List<(string Topic, byte[] Payload)> OneMinuteRecords(GatewayConfig config, TopicScheme topics, int count)
    {
        var sink = new PayloadSink(topics, count);
        var engine = new GatewayEngine(config, [WindowKind.Minute], sink);
        var mix = new SteadyStateMix(config, new SignalMap(config), SteadyStateMix.MondayMidnight, seed: 42);
        while (sink.Records.Count < count)
        {
            engine.Process(mix.Next());
        }

        return sink.Records;
    }

    internal static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The <c>--batch=N</c> argument: records a message as the agent batches them (default its <c>Mqtt:BatchRecords</c>).</summary>
    internal static bool TryParseBatch(string[] args, out int batchRecords)
    {
        var argument = args.FirstOrDefault(a => a.StartsWith("--batch=", StringComparison.Ordinal));
        batchRecords = new MqttOptions().BatchRecords;
        return argument is null || TryParse([argument["--batch=".Length..]], 0, 1, out batchRecords);
    }

    internal static bool TryParse(string[] args, int index, int fallback, out int value)
    {
        value = fallback;
        return args.Length <= index || (int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0);
    }

    private sealed class PayloadSink(TopicScheme topics, int count) : IWindowRecordSink
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(4096);

        public List<(string Topic, byte[] Payload)> Records { get; } = new(count);

        public void OnRecord(in WindowRecord record)
        {
            if (Records.Count == count)
            {
                return;
            }

            _buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(_buffer))
            {
                WindowRecordJson.Write(writer, record, new PublishStamp(Gateway, Records.Count + 1, ClockSynced: true));
            }

            Records.Add((topics.Kpi(record.Cell.Id, record.Kind), _buffer.WrittenSpan.ToArray()));
        }
    }

    /// <summary>The outbox, plus a task that completes when a given sequence number is acknowledged.</summary>
    private sealed class LastAcknowledgement(SegmentOutbox inner) : IOutbox
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _target = long.MaxValue;

        public long NextSequence => inner.NextSequence;

        public OutboxStatus Status => inner.Status;

        public Task Reached(long sequence)
        {
            Volatile.Write(ref _target, sequence);
            return _reached.Task;
        }

        public void Append(string topic, ReadOnlySpan<byte> payload) => inner.Append(topic, payload);

        public bool Flush() => inner.Flush();

        public int Read(long fromSequence, Span<OutboxRecord> destination) => inner.Read(fromSequence, destination);

        public void Acknowledge(long sequence)
        {
            inner.Acknowledge(sequence);
            if (sequence >= Volatile.Read(ref _target))
            {
                _reached.TrySetResult();
            }
        }

        public ValueTask WaitForRecordsAsync(long fromSequence, CancellationToken cancellationToken) => inner.WaitForRecordsAsync(fromSequence, cancellationToken);

        public void Dispose() => inner.Dispose();
    }
}
