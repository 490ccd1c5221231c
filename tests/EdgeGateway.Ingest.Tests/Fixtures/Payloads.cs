using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Traces;

namespace EdgeGateway.Ingest.Tests.Fixtures;

/// <summary>Messages as gateways publish them: hand-written golden ones, and the agent's encoder output for the sample trace.</summary>
internal static class Payloads
{
    public const string Prefix = "edgegw/v1";
    public const string KpiTopic = "edgegw/v1/sme-0042/cell-1/kpi/shift";
    public const string StateTopic = "edgegw/v1/sme-0042/cell-1/state";
    public const string StatusTopic = "edgegw/v1/sme-0042/status/gw-1";
    public const int MaxBytes = 64 * 1024;

    /// <summary>The first golden case of src/docs/payloads-and-topics.md as published (with gateway, seq, clock_synced); numbers consistent.</summary>
    public const string Kpi = """
        { "v": 1, "site": "sme-0042", "cell": "cell-1", "gateway": "gw-1", "seq": 4711,
          "window": { "kind": "shift", "start": "2026-03-30T06:00:00.000Z", "end": "2026-03-30T14:00:00.000Z" },
          "buckets": { "run": 22380, "setup": 0, "down": 2820, "idle": 0, "planned_stop": 3600, "unplanned_time": 0, "unknown": 0 },
          "counts": { "produced": 19271, "good": 18848, "scrap": 423, "unattended_good": 0, "failures": 1 },
          "kpi": { "availability": 0.888, "effectiveness": 0.861, "quality": 0.978, "oee": 0.748, "nee": 0.748,
                   "technical_efficiency": 0.888, "setup_rate": 0, "teep": 0.654, "scrap_ratio": 0.022,
                   "mtbf_s": 22380, "mttr_s": 2820, "throughput_per_h": 3099.9 },
          "energy": { "kwh": 12.5, "kwh_per_good_part": null, "idle_energy_share": null },
          "minor_stops": { "count": 0, "seconds": 0, "policy": "Iso22400", "threshold_s": 120 },
          "ideal_cycle_s": 1, "ideal_s": 19271, "unassigned_stops": 0,
          "data_quality": { "coverage": 1.0, "sensor_faults": 0, "clock_synced": true }, "definitions": "iso22400-2/1" }
        """;

    /// <summary><see cref="Kpi"/> as a gateway older than <c>ideal_s</c>, <c>unassigned_stops</c>, reasons and articles publishes it.</summary>
    public static readonly string KpiOfAnOlderGateway = Mutate(Kpi, root =>
    {
        root.Remove("ideal_s");
        root.Remove("unassigned_stops");
    });

    /// <summary>
    /// <see cref="Kpi"/> of a cell with reasons and articles, which stand before data_quality: 2820 s down, of which 1800.5 s
    /// waiting for material and 600 s a tool change; two articles made 19000 of the 19271 parts (271 while no article was
    /// set) and 400 of the 423 scrap; one stop without a reason. Values the line protocol writes exactly as here.
    /// </summary>
    public static readonly string KpiWithReasonsAndArticles = Mutate(Kpi, root =>
    {
        root["ideal_s"] = 19271.5;
        root["unassigned_stops"] = 1;
        var at = root.IndexOf("data_quality");
        root.Insert(at, "reasons", JsonNode.Parse("""{ "waiting_material": 1800.5, "tool.change-2": 600 }"""));
        root.Insert(at + 1, "articles", JsonNode.Parse("""{ "A-100": { "produced": 12000, "scrap": 400, "good": 11600 }, "B_200": { "produced": 7000, "scrap": 0, "good": 7000 } }"""));
    });

    public const string State = """{ "v": 1, "site": "sme-0042", "cell": "cell-1", "gateway": "gw-1", "seq": 12, "at": "2026-03-30T06:01:02.345Z", "state": "run" }""";

    public const string StatusOnline = """
        { "v": 1, "site": "sme-0042", "gateway": "gw-1", "status": "online", "at": "2026-03-30T05:59:00.000Z", "software": "0.1.0",
          "config_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "cells": [ "cell-1" ],
          "outbox": { "depth": 3, "dropped": 0, "corrupt": 1, "oldest_age_s": 12.5 }, "clock_synced": true }
        """;

    /// <summary>A birth message with the heartbeat fields, the clock offset and CPU temperature unknown, the outbox empty.</summary>
    public const string StatusOnlineWithHeartbeat = """
        { "v": 1, "site": "sme-0042", "gateway": "gw-1", "status": "online", "at": "2026-03-30T05:59:00.000Z", "software": "0.1.0",
          "config_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "cells": [ "cell-1" ],
          "outbox": { "depth": 3, "dropped": 0, "corrupt": 1, "oldest_age_s": null },
          "delivery": { "confirmed": 1200, "unconfirmed": 3, "oldest_unconfirmed_age_s": null, "resent": 40, "no_subscriber": 7 }, "clock_synced": true,
          "uptime_s": 86400.5, "last_record_age_s": 41.25, "clock_offset_s": -0.000417, "disk_free_bytes": 1234567890, "cpu_temp_c": null }
        """;

    /// <summary>A birth message as gateways with delivery confirmations send it (<see cref="StatusOnline"/> is an older gateway's).</summary>
    public const string StatusOnlineWithDelivery = """
        { "v": 1, "site": "sme-0042", "gateway": "gw-1", "status": "online", "at": "2026-03-30T05:59:00.000Z", "software": "0.1.0",
          "config_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "cells": [ "cell-1" ],
          "outbox": { "depth": 3, "dropped": 0, "corrupt": 1, "oldest_age_s": 12.5 },
          "delivery": { "confirmed": 1200, "unconfirmed": 3, "oldest_unconfirmed_age_s": 12.5, "resent": 40, "no_subscriber": 7 }, "clock_synced": true }
        """;

    public const string StatusOffline = """{ "v": 1, "site": "sme-0042", "gateway": "gw-1", "status": "offline" }""";

    public static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json);

    /// <summary><paramref name="json"/> changed by <paramref name="change"/> (on its parsed tree), serialised again.</summary>
    public static string Mutate(string json, Action<JsonObject> change)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        change(root);
        return root.ToJsonString();
    }

    /// <summary>The object at a dotted path (<c>kpi</c>, <c>window</c>) or the root for "".</summary>
    public static JsonObject At(JsonObject root, string path) => path.Length == 0 ? root : root[path]!.AsObject();

    /// <summary>
    /// Every record the agent would publish for deploy/sample's two days (1m, shift, day and total windows), encoded by
    /// the agent's own encoder with a publish stamp, on the topic the agent would use.
    /// </summary>
    public static IReadOnlyList<(string Topic, byte[] Payload)> SampleRecords() => s_sample.Value;

    /// <summary>Records of a cell with two Aux signals (temperature and vibration), 1m windows.</summary>
    public static IReadOnlyList<(string Topic, byte[] Payload)> AuxRecords()
    {
        const string config = """
            { "EdgeGateway": { "Site": "sme-0007", "TimeZone": "Etc/UTC", "Cells": [ { "Id": "press-2", "IdealCycleSeconds": 20,
              "Signals": { "green": { "Role": "StateRun" }, "cycle": { "Role": "CyclePulse" }, "temp": { "Role": "Aux" }, "vib.rms": { "Role": "Aux" } },
              "Shifts": [ { "Days": "Mon-Sun", "Start": "00:00", "End": "00:00" } ] } ] } }
            """;
        const string trace = """
            timestamp,signal,value
            2026-03-30T06:00:00.000Z,green,1
            2026-03-30T06:00:10.000Z,temp,21.5
            2026-03-30T06:00:20.000Z,cycle,1
            2026-03-30T06:00:40.000Z,temp,23.5
            2026-03-30T06:01:30.000Z,cycle,1
            2026-03-30T06:02:00.000Z,green,0
            """;
        return Replay(Encoding.UTF8.GetBytes(config), "aux.json", trace, [WindowKind.Minute]);
    }

    /// <summary>
    /// Records of a cell with stop reasons and two articles (1m and total windows): a stop given a reason, one left
    /// without, and cycles of each article, as the agent's encoder writes them with <c>reasons</c> and <c>articles</c>.
    /// </summary>
    public static IReadOnlyList<(string Topic, byte[] Payload)> ContextRecords()
    {
        const string config = """
            { "EdgeGateway": { "Site": "sme-0007", "TimeZone": "Etc/UTC",
              "StopReasons": { "GraceSeconds": 600, "UnassignedAfterSeconds": 30,
                "Codes": { "waiting_material": { "Name": "Waiting for material", "Class": "Idle" }, "tool.change-2": { "Class": "Setup" } } },
              "Cells": [ { "Id": "press-2", "IdealCycleSeconds": 20,
                "Articles": { "A-100": { "IdealCycleSeconds": 10 }, "B_200": { "IdealCycleSeconds": 15, "PartsPerCycle": 2 } },
                "Signals": { "green": { "Role": "StateRun" }, "cycle": { "Role": "CyclePulse" }, "scrap": { "Role": "ScrapPulse" } },
                "Shifts": [ { "Days": "Mon-Sun", "Start": "00:00", "End": "00:00" } ] } ] } }
            """;
        const string trace = """
            timestamp,signal,value
            2026-03-30T06:00:00.000Z,green,1
            2026-03-30T06:00:00.000Z,@article:press-2,A-100
            2026-03-30T06:00:10.000Z,cycle,1
            2026-03-30T06:00:20.000Z,cycle,1
            2026-03-30T06:00:25.000Z,scrap,1
            2026-03-30T06:00:30.000Z,green,0
            2026-03-30T06:01:30.000Z,@reason:press-2,waiting_material
            2026-03-30T06:02:00.000Z,green,1
            2026-03-30T06:02:00.000Z,@article:press-2,B_200
            2026-03-30T06:02:15.000Z,cycle,1
            2026-03-30T06:02:30.000Z,green,0
            2026-03-30T06:04:00.000Z,green,1
            2026-03-30T06:04:30.000Z,cycle,1
            2026-03-30T06:05:00.000Z,green,0
            """;
        return Replay(Encoding.UTF8.GetBytes(config), "context.json", trace, [WindowKind.Minute, WindowKind.Total]);
    }

    private static readonly Lazy<IReadOnlyList<(string, byte[])>> s_sample = new(() =>
        Replay(File.ReadAllBytes(RepoPaths.Sample("edgegw.json")), "edgegw.json", File.ReadAllText(RepoPaths.Sample("sample-trace.csv")),
            [WindowKind.Minute, WindowKind.Shift, WindowKind.Day, WindowKind.Total]));

    private static List<(string, byte[])> Replay(byte[] configJson, string name, string traceCsv, WindowKind[] kinds)
    {
        var config = ConfigReader.Read(configJson, name);
        var sink = new Encoder(config.Site);
        var engine = new GatewayEngine(config, kinds, sink);
        using (var stream = new MemoryStream(Encoding.UTF8.GetBytes(traceCsv)))
        using (var reader = new TraceReader(stream, "trace.csv", engine.Signals))
        {
            while (reader.TryRead(out var e))
            {
                engine.Process(e);
            }
        }

        engine.Finish();
        return sink.Messages;
    }

    private sealed class Encoder(string site) : IWindowRecordSink
    {
        public List<(string, byte[])> Messages { get; } = [];

        public void OnRecord(in WindowRecord record)
        {
            var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                WindowRecordJson.Write(json, record, new PublishStamp("gw-1", Messages.Count + 1, ClockSynced: true));
            }

            Messages.Add(($"{Prefix}/{site}/{record.Cell.Id}/kpi/{record.Kind.Name()}", buffer.ToArray()));
        }
    }

    /// <summary>A timestamp as the contract writes it.</summary>
    public static string Time(long unixMs) => TraceTimestamp.Format(unixMs);
}
