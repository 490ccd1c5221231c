using EdgeGateway.Agent.Hosting;
using EdgeGateway.Agent.Outbox;
using EdgeGateway.Agent.Pipeline;
using EdgeGateway.Agent.Publishing;
using EdgeGateway.Agent.Status;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Payload;
using EdgeGateway.Core.Signals;
using Microsoft.Extensions.Options;

namespace EdgeGateway.Contract.Tests;

/// <summary>
/// One record of every kind as the agent writes it: a KPI record of each window kind (every field set, no two fields of
/// a record alike, so that a swap shows; with reasons and articles), a state change, a birth message with delivery counts and the last will. All start at
/// <c>Day</c>, a UTC midnight a few days back.
/// </summary>
internal sealed class ContractSample
{
    public const string Site = "sme-0042";
    public const string Gateway = "gw-contract";

    // Bucket milliseconds of a one-minute window, in bucket order, all different; longer kinds scale them.
    private static readonly long[] s_bucketMs = [30_123, 7_211, 6_317, 5_419, 4_507, 3_613, 2_810];

    public ContractSample(DateOnly day)
    {
        Day = day;
        var startMs = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
        Cell = new CellConfig("lathe-7", 1.75, 4.5, MinorStopPolicy.Nakajima, [new SignalConfig("spindle_temp", SignalRole.Aux, null)], [])
        {
            Articles = [new ArticleConfig("A-100", "Flange", 1.5, 2), new ArticleConfig("B_200", null, 2.5, 1)],
            Reasons = new StopReasons([new ReasonConfig("waiting_material", "Waiting for material", ReasonClass.Idle), new ReasonConfig("tool.change-2", "Tool change", ReasonClass.Setup)], 600, 300),
        };
        var config = new GatewayConfig(Site, TimeZoneInfo.Utc, [Cell]);
        var options = new AgentOptions { GatewayId = Gateway };
        Topics = new TopicScheme(options.Mqtt.TopicPrefix, Site, Gateway);
        TopicPrefix = options.Mqtt.TopicPrefix;

        Outbox.Status = new OutboxStatus(Depth: 4, Bytes: 4_096, OldestSequence: 1, NextSequence: 5, OldestAge: TimeSpan.FromMilliseconds(93_517), Dropped: 2, Corrupt: 1);
        using (var encoder = new RecordEncoder(config, Topics, Gateway, Outbox) { ClockSynced = true })
        {
            for (var kind = 0; kind < WindowKinds.Names.Count; kind++)
            {
                var totals = Totals(startMs, scale: WindowKinds.Names.Count - kind); // 1m: one minute, total: four
                encoder.OnRecord(new WindowRecord(Site, Cell, (WindowKind)kind, totals));
            }

            encoder.OnStateChange(Cell, startMs + 12_345, MachineState.Setup);
        }

        var state = new AgentState
        {
            ClockSynced = true, ClockOffsetS = -0.000_417, LastRecordMs = startMs + 41_009,
            Delivery = new DeliveryState(Confirmed: 17, Resent: 5, NoSubscriber: 3),
        };
        var now = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(startMs));
        options.Outbox.Directory = Path.GetTempPath();
        var thermal = Path.GetTempFileName();
        try
        {
            // Every heartbeat field has a value here (none may hide as an absent column): a sensor file, an uptime.
            File.WriteAllText(thermal, "48312\n");
            var host = new HostReadings(now, thermal);
            now.Advance(TimeSpan.FromMilliseconds(54_321));
            var status = new StatusMessages(config, Options.Create(options), Outbox, Topics, state, new ConfigFingerprint(new string('c', 63) + "7"), host, now);
            Birth = status.Birth();
            LastWill = status.Offline();
        }
        finally
        {
            File.Delete(thermal);
        }
    }

    public DateOnly Day { get; }

    public CellConfig Cell { get; }

    public TopicScheme Topics { get; }

    public string TopicPrefix { get; }

    /// <summary>The KPI records (total, day, shift, 1m) and the state change, as the encoder appended them.</summary>
    public MemoryOutbox Outbox { get; } = new();

    /// <summary>The birth message's payload.</summary>
    public byte[] Birth { get; }

    /// <summary>The last will's payload (the offline status).</summary>
    public byte[] LastWill { get; }

    private static WindowTotals Totals(long startMs, int scale)
    {
        var totals = new WindowTotals
        {
            Start = startMs,
            End = startMs + (60_000L * scale),
            Produced = 157 * scale,
            Scrap = 11 * scale,
            UnattendedProduced = 23 * scale,
            UnattendedScrap = 2 * scale,
            MinorStops = 5 * scale,
            MinorStopMs = 2_345L * scale,
            Failures = 3 * scale,
            FailureMs = 4_321L * scale,
            EnergyKwMs = 0.3427 * scale * 3_600_000,
            NonRunEnergyKwMs = 0.1171 * scale * 3_600_000,
            SensorFaults = 7 * scale,
            UnassignedStops = 13 * scale,
        };

        // Cycles with no article set (one part each at the cell's ideal cycle time), of A-100 (two parts a cycle) and of
        // B_200: 54 + 2 × 31 + 41 = 157 parts; the articles' scrap within the 11.
        totals.ArticleCycles[0] = 54 * scale;
        totals.ArticleCycles[1] = 31 * scale;
        totals.ArticleCycles[2] = 41 * scale;
        totals.ArticleScrap[1] = 3 * scale;
        totals.ArticleScrap[2] = 5 * scale;
        totals.ReasonMs[0] = 3_001L * scale;
        totals.ReasonMs[1] = 1_999L * scale;
        for (var bucket = 0; bucket < s_bucketMs.Length; bucket++)
        {
            totals.Buckets[bucket] = s_bucketMs[bucket] * scale;
        }

        totals.Aux[0] = new AuxStat { Count = 12 * scale, Sum = 12 * scale * 41.5, Min = 38.25, Max = 44.75 };
        return totals;
    }
}
