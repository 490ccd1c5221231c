using System.ComponentModel.DataAnnotations;
using EdgeGateway.Core.Payload;
using EdgeGateway.Mqtt;

namespace EdgeGateway.Ingest.Hosting;

/// <summary>Broker connection and subscription (config section <c>Ingest:Mqtt</c>): the keys every broker connection has, and the ingest's own.</summary>
public sealed class IngestMqttOptions : BrokerOptions
{
    /// <summary>MQTT client id; must be stable across restarts (the broker keeps the session under it) and unique per instance.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,128}$")]
    public string ClientId { get; set; } = $"edgegw-ingest.{Environment.MachineName}";

    /// <summary>Subscribe as a member of <see cref="Group"/> (MQTT 5 shared subscription), so that instances share the messages.</summary>
    public bool SharedSubscription { get; set; } = true;

    /// <summary>Shared-subscription group: instances with the same group share the messages (each message goes to one).</summary>
    [Required]
    [RegularExpression("^[^/#+]{1,64}$")]
    public string Group { get; set; } = "edgegw-ingest";

    /// <summary>Versioned topic prefix the gateways publish under.</summary>
    [Required]
    [RegularExpression("^[^#+]*[^#+/]$")]
    public string TopicPrefix { get; set; } = TopicScheme.DefaultPrefix;

    /// <summary>
    /// How long the broker keeps this instance's session (and queues its messages) while it is away. 0 by default: with
    /// delivery confirmations a gateway sends again whatever the ingest did not take, and a stopped member of a shared
    /// subscription with a kept session would go on being assigned its share (src/docs/ingest.md).
    /// </summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.Zero;

    /// <summary>QoS 1 messages the broker may have in flight to this instance unacknowledged (MQTT 5 Receive Maximum).</summary>
    [Range(1, 65535)]
    public int ReceiveMaximum { get; set; } = 2000;

    /// <summary>Socket send and receive buffer (MQTTnet's default of 8 KiB fixes the TCP window small; see src/docs/ingest.md, "Broker").</summary>
    [Range(8 * 1024, 16 * 1024 * 1024)]
    public int SocketBufferBytes { get; set; } = 1024 * 1024;
}
