using System.Buffers;
using System.Text;
using System.Text.Json;
using EdgeGateway.Core.Kpi;
using EdgeGateway.Core.Payload;

namespace EdgeGateway.Core.Tests.Payload;

/// <summary>The state and status payloads byte for byte as src/docs/payloads-and-topics.md shows them.</summary>
public sealed class StateAndStatusPayloadTests
{
    [Fact]
    public void StatePayload_IsTheDocumentedObject()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            StatePayload.Write(writer, "sme-0042", "lathe-1", new PublishStamp("gw-1", 1043, ClockSynced: true), 1774850412345, MachineState.Down);
        }

        Assert.Equal(
            """{"v":1,"site":"sme-0042","cell":"lathe-1","gateway":"gw-1","seq":1043,"at":"2026-03-30T06:00:12.345Z","state":"down"}""",
            Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Birth_CarriesOutboxDeliveryAndHeartbeat_UnknownsAsNull()
    {
        var birth = new GatewayBirth(
            "sme-0042", "gw-1", 1774850400000, "1.4.0", new string('a', 64), ["lathe-1", "press-2"],
            new OutboxCounts(Depth: 3, Dropped: 1, Corrupt: 0, OldestAgeS: null),
            new DeliveryCounts(Confirmed: 120, Unconfirmed: 3, OldestUnconfirmedAgeS: 12.5, Resent: 7, NoSubscriber: 2),
            ClockSynced: false,
            new GatewayHealth(UptimeS: 3600.25, LastRecordAgeS: 41.5, ClockOffsetS: null, DiskFreeBytes: 1_234_567_890, CpuTempC: null));

        var sha = new string('a', 64);
        Assert.Equal(
            $$"""{"v":1,"site":"sme-0042","gateway":"gw-1","status":"online","at":"2026-03-30T06:00:00.000Z","software":"1.4.0","config_sha256":"{{sha}}","cells":["lathe-1","press-2"],"outbox":{"depth":3,"dropped":1,"corrupt":0,"oldest_age_s":null},"delivery":{"confirmed":120,"unconfirmed":3,"oldest_unconfirmed_age_s":12.5,"resent":7,"no_subscriber":2},"clock_synced":false,"uptime_s":3600.25,"last_record_age_s":41.5,"clock_offset_s":null,"disk_free_bytes":1234567890,"cpu_temp_c":null}""",
            Encoding.UTF8.GetString(StatusPayload.Birth(birth)));
    }

    [Fact]
    public void LastWill_HoldsOnlyTheIds()
    {
        Assert.Equal("""{"v":1,"site":"sme-0042","gateway":"gw-1","status":"offline"}""", Encoding.UTF8.GetString(StatusPayload.LastWill("sme-0042", "gw-1")));
    }
}
