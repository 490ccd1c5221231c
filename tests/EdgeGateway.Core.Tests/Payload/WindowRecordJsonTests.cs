using System.Buffers;
using System.Text;
using System.Text.Json;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Payload;
using static EdgeGateway.Core.Tests.TraceBuilder;

namespace EdgeGateway.Core.Tests.Payload;

/// <summary>
/// The KPI payload as the agent publishes it: every field in the documented order (src/docs/payloads-and-topics.md),
/// byte for byte, and written without allocating.
/// </summary>
public sealed class WindowRecordJsonTests
{
    private static readonly string s_config = TestConfig.Cell(
        TestConfig.Shift("Mon-Fri", "06:00", "14:00"),
        signals: TestConfig.AllSignals + """, "temperature": { "Role": "Aux" }""");

    // Written by the hand-written writer before the fields moved into KpiFields; the table-driven one must not differ. Since
    // then ideal_s (3 cycles × 30 s, no articles configured) and unassigned_stops (0, no reasons configured) were added.
    private static readonly string s_published = """
        {"v":1,"site":"sme-0042","cell":"cell-1","gateway":"gw-7","seq":42,"window":{"kind":"total","start":"2026-03-30T08:00:00.000Z","end":"2026-03-30T08:03:00.000Z"},
        "buckets":{"run":120,"setup":0,"down":0,"idle":60,"planned_stop":0,"unplanned_time":0,"unknown":0},
        "counts":{"produced":3,"good":2,"scrap":1,"unattended_good":0,"failures":0},
        "kpi":{"availability":0.6666666666666666,"effectiveness":0.75,"quality":0.6666666666666666,"oee":0.3333333333333333,"nee":0.3333333333333333,"technical_efficiency":1,"setup_rate":0,"teep":0.3333333333333333,"scrap_ratio":0.3333333333333333,"mtbf_s":null,"mttr_s":null,"throughput_per_h":90},
        "energy":{"kwh":0,"kwh_per_good_part":0,"idle_energy_share":null},
        "minor_stops":{"count":0,"seconds":0,"policy":"Iso22400","threshold_s":120},"ideal_cycle_s":30,"ideal_s":90,"unassigned_stops":0,"aux":{"temperature":{"samples":2,"min":20,"mean":22,"max":24}},
        "data_quality":{"coverage":1,"sensor_faults":1,"clock_synced":true},"definitions":"iso22400-2/1"}
        """.ReplaceLineEndings("");

    [Fact]
    public void PublishedPayload_HasEveryFieldInDocumentedOrder_ByteForByte()
    {
        Assert.Equal(s_published, Write(Total(), new PublishStamp("gw-7", 42, ClockSynced: true)));
    }

    [Fact]
    public void ReplayPayload_LeavesOutGatewaySeqAndClock()
    {
        var expected = s_published.Replace("\"gateway\":\"gw-7\",\"seq\":42,", "", StringComparison.Ordinal)
            .Replace(",\"clock_synced\":true", "", StringComparison.Ordinal);

        Assert.Equal(expected, Write(Total(), stamp: null));
    }

    [Fact]
    public void Writing_AfterTheFirst_AllocatesNothing()
    {
        var record = Total();
        var buffer = new ArrayBufferWriter<byte>(4096);
        using var writer = new Utf8JsonWriter(buffer);
        var stamp = new PublishStamp("gw-7", 42, ClockSynced: true);
        WindowRecordJson.Write(writer, record, stamp);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            buffer.ResetWrittenCount();
            writer.Reset();
            WindowRecordJson.Write(writer, record, stamp);
            writer.Flush();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static WindowRecord Total()
    {
        var trace = new TraceBuilder()
            .Light(Utc("2026-03-30T08:00:00Z"), "green")
            .At(Utc("2026-03-30T08:00:10Z"), "temperature", 20)
            .At(Utc("2026-03-30T08:00:30Z"), "cycle")
            .At(Utc("2026-03-30T08:00:40Z"), "temperature", 24)
            .At(Utc("2026-03-30T08:01:00Z"), "cycle")
            .At(Utc("2026-03-30T08:01:30Z"), "cycle")
            .At(Utc("2026-03-30T08:01:31Z"), "scrap")
            .Light(Utc("2026-03-30T08:02:00Z"), "off")
            .At(Utc("2026-03-30T08:03:00Z"), "temperature", double.NaN);
        return Replay.Run(s_config, trace.ToString(), WindowKind.Total).Single();
    }

    private static string Write(in WindowRecord record, PublishStamp? stamp)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WindowRecordJson.Write(writer, record, stamp);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
