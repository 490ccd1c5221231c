using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using EdgeGateway.Agent.Hosting;
using EdgeGateway.Core.Payload;
using EdgeGateway.Ingest.Points;
using EdgeGateway.Ingest.Status;
using EdgeGateway.Ingest.Subscription;
using EdgeGateway.Ingest.Validation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MQTTnet;

namespace EdgeGateway.Benchmarks;

/// <summary>
/// <c>DOTNET_gcServer=1 dotnet run -c Release --project tests/EdgeGateway.Benchmarks -- ingest [RECORDS] [ROUNDS] [--batch=N] [--Ingest:Key=value …]</c>:
/// one-minute KPI records of the engine (100 000, one cell, real payloads) into a real InfluxDB 1.x, in one run:
/// (a) through the ingest, delivery confirmations included — published beforehand at QoS 1 to a real Mosquitto as the
/// agent sends a backlog (N records a message, default the agent's <c>Mqtt:BatchRecords</c>; 1: each alone), queued in the ingest's persistent
/// session, then the ingest (composed as the process composes it, in this process) started and timed until its
/// counters say the last point was stored; (b) the same points' line protocol posted raw to <c>/write</c> in batches
/// of 5 000 by one writer. Each round writes into fresh databases, dropped once measured; each measurement starts
/// when influxd is idle, and the rounds take turns at which goes first, so that neither pays for the other's cache
/// snapshot and compaction. The median of the rounds' ratios decides. Target (issue 5 §4): (a) ≥ 0.8 × (b).
/// </summary>
public static class IngestBenchmark
{
    private const int DefaultRecords = 100_000;
    private const int RawBatch = 5_000;
    private const double TargetRatio = 0.8;

    /// <summary>Runs the benchmark; exit code 0 when the target is met, 1 when not, 2 for bad arguments.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var overrides = args.Where(a => a.StartsWith("--Ingest:", StringComparison.Ordinal)).ToArray();
        var numbers = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        if (!DrainBenchmark.TryParse(numbers, 0, DefaultRecords, out var count) || !DrainBenchmark.TryParse(numbers, 1, 3, out var rounds)
            || !DrainBenchmark.TryParseBatch(args, out var batchRecords))
        {
            Console.Error.WriteLine("ingest: usage: ingest [RECORDS] [ROUNDS] [--batch=N] [--Ingest:Key=value …] (positive integers; N records per MQTT message as the agent drains a backlog, default the agent's Mqtt:BatchRecords)");
            return 2;
        }

        if (!System.Runtime.GCSettings.IsServerGC)
        {
            // The ingest runs in this process: it must collect garbage as the shipped edgegw-ingest does.
            Console.Error.WriteLine("ingest: run with DOTNET_gcServer=1 — edgegw-ingest ships with server GC (its .csproj), and it runs in this process");
            return 2;
        }

        var config = SteadyStateMix.ReadSampleConfig();
        var options = new AgentOptions { GatewayId = "bench" };
        var records = DrainBenchmark.OneMinuteRecords(config, new TopicScheme(options.Mqtt.TopicPrefix, config.Site, options.GatewayId), count);
        var lines = LineProtocolBatches(records);
        var messages = Messages(config.Site, options.GatewayId, records, batchRecords);
        using var broker = MosquittoBroker.Launch();
        using var influx = InfluxDb.Launch("bench_warmup");

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ingest: {records.Count} one-minute KPI records in {messages.Count} MQTT messages (payload {records.Average(r => r.Payload.Length):F0} B, {lines.Sum(l => l.Length) / records.Count} B of line protocol on average), Mosquitto on {MosquittoBroker.Host}:{broker.Port}, InfluxDB {influx.Url}, {Environment.ProcessorCount} cores, load average {LoadAverage()}; ingest settings {(overrides.Length == 0 ? "default" : string.Join(' ', overrides))}"));

        // A warm-up round of each (JIT, page cache, database), not counted.
        await RawWriteAsync(influx, "bench_warmup_raw", lines);
        await ThroughIngestAsync(broker, influx, "bench_warmup_ingest", records, messages, overrides);

        var ingestRates = new List<double>();
        var rawRates = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            // Turn about which goes first: whatever one leaves behind in the database falls on the other equally.
            var rawFirst = round % 2 == 1;
            var (total, firstToLast, ingestCpu) = rawFirst ? default : await ThroughIngestAsync(broker, influx, $"bench_ingest_{round}", records, messages, overrides);
            await SettleAsync(influx);
            var cpu = CpuTimes.Of(influx, broker);
            var raw = records.Count / (await RawWriteAsync(influx, $"bench_raw_{round}", lines)).TotalSeconds;
            var rawCpu = CpuTimes.Of(influx, broker) - cpu;
            if (rawFirst)
            {
                (total, firstToLast, ingestCpu) = await ThroughIngestAsync(broker, influx, $"bench_ingest_{round}", records, messages, overrides);
            }

            var ingest = records.Count / total.TotalSeconds;
            rawRates.Add(raw);
            ingestRates.Add(ingest);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: ingest {ingest,8:F0} points/s (first to last point stored {records.Count / firstToLast.TotalSeconds:F0}/s)   raw /write {raw,8:F0} points/s   ratio {ingest / raw:F2}   load average {LoadAverage()}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  CPU µs per point: raw: {rawCpu.PerPoint(records.Count)}; ingest (publishing excluded): {ingestCpu.PerPoint(records.Count)}"));
        }

        var ratio = Median([.. ingestRates.Select((ingest, i) => ingest / rawRates[i])]);
        var met = ratio >= TargetRatio;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median: ingest {Median(ingestRates):F0} points/s, raw /write {Median(rawRates):F0} points/s, ratio (median of the rounds' ratios) {ratio:F2} (target ≥ {TargetRatio:F1}): {(met ? "target met" : "TARGET MISSED")}"));
        return met ? 0 : 1;
    }

    /// <summary>
    /// The ingest's way: the ingest's session made and subscribed (same client id, clean start off), the records
    /// published at QoS 1 and queued for it by the broker, then the ingest started; timed from its start (and from
    /// its first stored point) until its counters say every point was stored.
    /// </summary>
    private static async Task<(TimeSpan Total, TimeSpan FirstToLast, CpuTimes Cpu)> ThroughIngestAsync(
        MosquittoBroker broker, InfluxDb influx, string database, List<(string Topic, byte[] Payload)> records, List<(string Topic, byte[] Payload)> messages, string[] overrides)
    {
        var directory = Directory.CreateTempSubdirectory("edgegw-ingest-bench-").FullName;
        try
        {
            var settings = new Dictionary<string, string?>
            {
                ["Ingest:Mqtt:Host"] = MosquittoBroker.Host,
                ["Ingest:Mqtt:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
                ["Ingest:Mqtt:ClientId"] = $"ingest-{database}",
                ["Ingest:Mqtt:SessionExpiry"] = "01:00:00", // the records are queued in its session before it starts
                ["Ingest:Influx:Url"] = influx.Url,
                ["Ingest:Influx:Database"] = database,
                ["Ingest:DeadLetterDirectory"] = directory,
            };
            foreach (var setting in overrides)
            {
                var (key, value) = (setting[2..setting.IndexOf('=', StringComparison.Ordinal)], setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                settings[key] = value;
            }

            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddInMemoryCollection(settings);
            EdgeGateway.Ingest.Program.Compose(builder.Services, builder.Configuration);
            using var host = builder.Build();
            var counters = host.Services.GetRequiredService<IngestCounters>();
            var session = host.Services.GetRequiredService<MqttSession>();
            await MakeSessionAsync(session);
            await BurstPublisher.PublishAsync(MosquittoBroker.Host, broker.Port, messages, window: 64);
            await SettleAsync(influx);

            var cpu = CpuTimes.Of(influx, broker);
            var (g0, g1, g2, pause, alloc) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());
            var clock = Stopwatch.StartNew();
            TimeSpan? first = null;
            await host.StartAsync();
            while (counters.Snapshot().Written < records.Count)
            {
                if (first is null && counters.Snapshot().Written > 0)
                {
                    first = clock.Elapsed;
                }

                if (clock.Elapsed > TimeSpan.FromMinutes(5))
                {
                    throw new TimeoutException($"the ingest stored {counters.Snapshot().Written} of {records.Count} points in 5 minutes");
                }

                await Task.Delay(2);
            }

            var total = clock.Elapsed;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  ingest {database}: GC collections gen 0/1/2 {GC.CollectionCount(0) - g0}/{GC.CollectionCount(1) - g1}/{GC.CollectionCount(2) - g2}, paused {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:F0} ms of {total.TotalMilliseconds:F0} ms, allocated {(GC.GetTotalAllocatedBytes() - alloc) / records.Count} B per point"));
            var used = CpuTimes.Of(influx, broker) - cpu;
            await host.StopAsync();
            await EndSessionAsync(session);
            var stored = influx.Scalar($"SELECT count(\"seq\") FROM \"{database}\".\"autogen\".\"kpi\"");
            var after = counters.Snapshot();
            if ((long)stored != records.Count || after.Written != records.Count || after.DeadLettered > 0)
            {
                throw new InvalidOperationException($"the ingest run is not exact: {stored} points in {database}, counters {after}");
            }

            influx.Execute($"DROP DATABASE \"{database}\"");

            return (total, total - (first ?? TimeSpan.Zero), used);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The records as the agent publishes a backlog: <paramref name="batchRecords"/> to a message (src/docs/payloads-and-topics.md, "Batches").</summary>
    private static List<(string Topic, byte[] Payload)> Messages(string site, string gateway, List<(string Topic, byte[] Payload)> records, int batchRecords)
    {
        if (batchRecords == 1)
        {
            return records;
        }

        using var batch = new RecordBatch();
        var messages = new List<(string Topic, byte[] Payload)>();
        foreach (var chunk in records.Chunk(batchRecords))
        {
            batch.Begin(site, gateway);
            foreach (var (topic, payload) in chunk)
            {
                batch.Add(topic, payload);
            }

            messages.Add((TopicScheme.BatchTopic("edgegw/v1", site, gateway), batch.End()));
        }

        return messages;
    }

    /// <summary>Connects with the ingest's client options (persistent session), subscribes as it does, and leaves: the broker then queues for it.</summary>
    private static async Task MakeSessionAsync(MqttSession session)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(session.ClientOptions);
        var subscribed = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(f => f.WithTopic(session.TopicFilter).WithAtLeastOnceQoS()).Build());
        if (subscribed.Items.Any(i => i.ResultCode != MqttClientSubscribeResultCode.GrantedQoS1))
        {
            throw new InvalidOperationException($"the broker did not grant {session.TopicFilter}");
        }

        await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
    }

    /// <summary>
    /// Ends the round's session: a session left behind would stay in the shared group and take its share of the next
    /// round's messages (and the broker would redeliver to it the acknowledgements still on their way at the stop).
    /// </summary>
    private static async Task EndSessionAsync(MqttSession session)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(session.Options.Host, session.Options.Port).WithClientId(session.Options.ClientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithCleanStart(true).WithSessionExpiryInterval(0).Build());
        await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
    }

    /// <summary>The baseline: the same points as line protocol, <see cref="RawBatch"/> per <c>POST /write</c>, one writer.</summary>
    private static async Task<TimeSpan> RawWriteAsync(InfluxDb influx, string database, IReadOnlyList<string> batches)
    {
        influx.Execute($"CREATE DATABASE \"{database}\"");
        using var http = new HttpClient();
        var uri = new Uri($"{influx.Url}/write?db={database}&precision=ms");
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            using var body = new StringContent(batch, Encoding.UTF8, "text/plain");
            using var response = await http.PostAsync(uri, body);
            if (response.StatusCode != HttpStatusCode.NoContent)
            {
                throw new InvalidOperationException($"raw write answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        var elapsed = clock.Elapsed;
        influx.Execute($"DROP DATABASE \"{database}\"");
        return elapsed;
    }

    /// <summary>
    /// Waits (up to 30 s) until influxd is idle — under 5 % of a core over half a second — so that a measurement does not
    /// pay for the previous one's background work (its cache snapshot and compaction, up to a core for seconds).
    /// </summary>
    private static async Task SettleAsync(InfluxDb influx)
    {
        var until = Stopwatch.StartNew();
        while (until.Elapsed < TimeSpan.FromSeconds(30))
        {
            var before = CpuTimes.Of(influx.ProcessId);
            await Task.Delay(500);
            if ((CpuTimes.Of(influx.ProcessId) - before).TotalMilliseconds < 25)
            {
                return;
            }
        }
    }

    /// <summary>The lines the ingest makes of <paramref name="records"/> (its validator and point builder), joined into batches.</summary>
    private static List<string> LineProtocolBatches(List<(string Topic, byte[] Payload)> records)
    {
        var validator = new MessageValidator("edgegw/v1", 65_536);
        var arrivalMs = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var lines = records.Select(r => validator.Validate(r.Topic, r.Payload, r.Payload.Length, arrivalMs))
            .Select(result => PointBuilder.Line(result.Record ?? throw new InvalidOperationException($"a benchmark record is invalid: {result.Rejection.Reason}")));
        return [.. lines.Chunk(RawBatch).Select(batch => string.Join('\n', batch))];
    }

    private static string LoadAverage() => DrainBenchmark.LoadAverage();

    /// <summary>
    /// CPU time used so far by this process (the ingest, in-process), influxd and Mosquitto: on a shared machine a
    /// points/s figure alone does not say whether a side waited or was starved of CPU.
    /// </summary>
    private readonly record struct CpuTimes(TimeSpan Self, TimeSpan Influx, TimeSpan Broker)
    {
        public static CpuTimes Of(InfluxDb influx, MosquittoBroker broker) =>
            new(Process.GetCurrentProcess().TotalProcessorTime, Of(influx.ProcessId), Of(broker.ProcessId));

        public static CpuTimes operator -(CpuTimes a, CpuTimes b) => new(a.Self - b.Self, a.Influx - b.Influx, a.Broker - b.Broker);

        public string PerPoint(int points) => string.Create(CultureInfo.InvariantCulture,
            $"this process {Self.TotalMicroseconds / points:F1}, influxd {Influx.TotalMicroseconds / points:F1}, mosquitto {Broker.TotalMicroseconds / points:F1}");

        /// <summary>utime + stime of <paramref name="pid"/> from /proc (clock ticks of 10 ms).</summary>
        public static TimeSpan Of(int pid)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return TimeSpan.FromMilliseconds((long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10);
            }
            catch (IOException)
            {
                return TimeSpan.Zero;
            }
        }
    }

    private static double Median(List<double> values) => DrainBenchmark.Median(values);
}
