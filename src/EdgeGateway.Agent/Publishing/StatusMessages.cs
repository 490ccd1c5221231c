using EdgeGateway.Agent.Hosting;
using EdgeGateway.Agent.Outbox;
using EdgeGateway.Agent.Status;
using EdgeGateway.Core.Configuration;
using EdgeGateway.Core.Payload;
using EdgeGateway.Mqtt;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeGateway.Agent.Publishing;

/// <summary>
/// The gateway's retained status (src/docs/payloads-and-topics.md, "Status payload"): the birth message on connect and on
/// every heartbeat, and the offline status that is also the last will. The payloads are <see cref="StatusPayload"/>'s.
/// </summary>
internal sealed class StatusMessages(
    GatewayConfig config,
    IOptions<AgentOptions> options,
    IOutbox outbox,
    TopicScheme topics,
    AgentState state,
    ConfigFingerprint fingerprint,
    HostReadings host,
    TimeProvider time)
{
    private static readonly string s_software = typeof(StatusMessages).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>The retained status topic.</summary>
    public string Topic => topics.Status;

    /// <summary>The offline status (the last will).</summary>
    public byte[] Offline() => StatusPayload.LastWill(config.Site, options.Value.GatewayId);

    /// <summary>The birth message, as things stand now.</summary>
    public byte[] Birth()
    {
        var box = outbox.Status;
        var cells = new string[config.Cells.Count];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = config.Cells[i].Id;
        }

        var age = box.OldestAge is { } oldest ? Math.Round(oldest.TotalSeconds, 3) : (double?)null;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var lastRecordAge = state.LastRecordMs is { } last ? Math.Max(0, now - last) / 1000.0 : (double?)null;
        var health = new GatewayHealth(host.UptimeS, lastRecordAge, state.ClockOffsetS, HostReadings.DiskFreeBytes(options.Value.Outbox.Directory), host.CpuTempC());
        return StatusPayload.Birth(new GatewayBirth(
            config.Site,
            options.Value.GatewayId,
            now,
            s_software,
            fingerprint.Sha256,
            cells,
            new OutboxCounts(box.Depth, box.Dropped, box.Corrupt, age),
            state.Delivery.Counts(box),
            state.ClockSynced,
            health));
    }

    /// <summary>Publishes the birth (<paramref name="online"/>) or offline status, retained; throws when the broker refuses it.</summary>
    public async Task PublishAsync(IMqttClient client, bool online, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topics.Status)
            .WithPayload(online ? Birth() : Offline())
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag()
            .Build();
        var result = await client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            throw new BrokerRejectedException($"the broker refused the status message on {topics.Status}: {result.ReasonCode} {result.ReasonString}");
        }
    }
}

/// <summary>SHA-256 of the config file the agent runs with (reported in the birth message).</summary>
public sealed record ConfigFingerprint(string Sha256);
